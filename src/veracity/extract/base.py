"""The extractor interface: one class per file family, which reads a file and *returns* values.

Extractors never write to the store, so they run alike in a process pool or as Dask tasks. The
only thing an extractor may write is child files (archive members, embedded media) into the
scratch folder it is given; the pipeline feeds them back to the walk.

`match()` returns a score: the registry gives a file to the highest-scoring extractor (a tie goes
to the one listed first), so a more specific extractor wins over a generic one by declaring a
higher `SCORE`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from veracity.case import Limits


@dataclass(frozen=True)
class Item:
    """One file handed to an extractor."""

    disk_path: Path  # where the bytes are: the original, or a scratch copy of a member
    path: str  # the contract's logical path ('a.zip!/b/c.jpg')
    sha256: str
    size: int
    mime: str  # from the content (libmagic)
    extension: str  # lower-case, without the dot, '' when none
    depth: int  # archive nesting: 0 for an original, 1 for a member of an original archive, …
    scratch: Path  # a folder this extraction may write child files into


@dataclass(frozen=True)
class Child:
    """A file found inside another one. `disk_path` is None when it could not be taken out."""

    name: str  # '/'-separated name inside the container
    disk_path: Path | None
    size: int | None
    modified: str | None = None  # the container's time stamp for it, as written
    error_kind: str | None = None
    error: str | None = None
    #: where in the container it sits, e.g. {"sheet": "Sheet1", "row": 12} for a photo
    #: anchored to a register row, {"slide": 3}, {"page": 2}
    locator: dict[str, Any] | None = None


@dataclass(frozen=True)
class Page:
    """The text of one page, slide or sheet: what search results and findings point at."""

    kind: str  # "page", "slide" or "sheet"
    number: int  # 1-based, as the program shows it
    text: str
    is_ocr: bool = False


@dataclass(frozen=True)
class Derived:
    """A file veracity made from this one (an EXIF thumbnail), kept in the case's derived/.

    The pipeline moves it to `derived/<kind>/<sha256><suffix>`; metadata refers to it by that
    sha256. Make one with `derive()`.
    """

    kind: str
    disk_path: Path
    sha256: str
    suffix: str = ""


def derive(item: Item, kind: str, data: bytes, suffix: str = "") -> Derived:
    """Write bytes made from `item` into its scratch folder, to be kept in the case."""
    sha256 = hashlib.sha256(data).hexdigest()
    item.scratch.mkdir(parents=True, exist_ok=True)
    path = item.scratch / f"derived-{kind}-{sha256}{suffix}"
    path.write_bytes(data)
    return Derived(kind, path, sha256, suffix)


#: rows_file format: JSON Lines, one object a row: {"sheet": str, "row": int, "cells": [...]},
#: "row" as Excel numbers it (1-based); cells as read (str, int, float, bool, ISO date string
#: or null). A file, not a list, so that a sheet of a million rows never sits in memory.
ROWS_FILE_FORMAT = "jsonl"


@dataclass(frozen=True)
class Extraction:
    """What could be read from one file.

    `error_kind`/`error` mark a partial result: what was read before the failure is kept
    (an archive that hit a limit keeps the members read so far).
    """

    text: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    children: tuple[Child, ...] = ()
    error_kind: str | None = None
    error: str | None = None
    pages: tuple[Page, ...] = ()
    rows_file: Path | None = None  # in the scratch folder; see ROWS_FILE_FORMAT
    derived: tuple[Derived, ...] = ()
    language: str | None = None  # ISO 639-1 of the main language of `text` ("zh", "ug", …)


class Extractor:
    """Base class; subclasses declare what they read and implement `extract`."""

    NAME: ClassVar[str]  # stable: stored in the case and printed by --json
    VERSION: ClassVar[str] = "1"  # bump to have files read again by a newer extractor
    MIME_TYPES: ClassVar[frozenset[str]] = frozenset()
    EXTENSIONS: ClassVar[frozenset[str]] = frozenset()
    SCORE: ClassVar[int] = 3
    #: True for containers: they are expanded again under every path they are found at, so
    #: the members of a duplicate archive are recorded under each copy.
    IS_CONTAINER: ClassVar[bool] = False

    @classmethod
    def match(cls, item: Item) -> int:
        """Score for this item: `SCORE` when the content type or the extension fits, else -1.

        The content type counts first; the extension only when libmagic could not tell.
        """
        if item.mime in cls.MIME_TYPES:
            return cls.SCORE
        if (
            item.mime in ("application/octet-stream", "text/plain")
            and item.extension in cls.EXTENSIONS
        ):
            return cls.SCORE - 1
        return -1

    def extract(self, item: Item, limits: Limits) -> Extraction:
        raise NotImplementedError
