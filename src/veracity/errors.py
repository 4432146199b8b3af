"""Every error veracity raises on purpose, in one tree.

```
VeracityError                  root; everything we raise on purpose
  UsageError                   bad option or argument -> exit 2, one line on stderr
  CaseError                    case missing, locked, or newer schema than this version
  ExtractError(kind)           one file unreadable; recorded, the run goes on
    EncryptedFile, Malformed, UnsupportedFormat, LimitExceeded(limit, value)
  DataFileError                bad bundled data file (names file and key)
  StoreError                   database or migration failure
```

`__str__` of each is the line a user reads; exceptions carry fields, not formatted blobs.
"""

from __future__ import annotations


class VeracityError(Exception):
    """Root of every error raised on purpose."""


class UsageError(VeracityError):
    """A bad option or argument; the CLI exits 2 with this one line."""


class CaseError(VeracityError):
    """The case folder is missing, unreadable, or from a newer version."""


class StoreError(VeracityError):
    """The case database failed, or a migration could not be applied."""


class DataFileError(VeracityError):
    """A bundled reference data file is malformed."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        super().__init__(f"{file}: {key}: {problem}")
        self.file = file
        self.key = key
        self.problem = problem


class ExtractError(VeracityError):
    """One file could not be read; recorded against that file, the run goes on."""

    kind = "error"


class EncryptedFile(ExtractError):
    """The file is password-protected or encrypted."""

    kind = "encrypted"


class Malformed(ExtractError):
    """The file is broken or not what its type says."""

    kind = "malformed"


class UnsupportedFormat(ExtractError):
    """A format veracity recognises but cannot read (e.g. an unknown compression)."""

    kind = "unsupported"


class Refused(ExtractError):
    """Content refused for safety: path traversal, links, devices inside an archive."""

    kind = "refused"


class LimitExceeded(ExtractError):
    """A safety limit was hit (archive size, ratio, depth, member count, time)."""

    kind = "limit"

    def __init__(self, limit: str, value: float | int, allowed: float | int) -> None:
        super().__init__(f"limit {limit} exceeded: {value} > {allowed}")
        self.limit = limit
        self.value = value
        self.allowed = allowed
