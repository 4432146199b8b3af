"""Taking members out of an archive safely: names checked, bytes counted, limits enforced.

Every archive extractor (zip, tar, 7z) goes through `Unpacker`, so the rules are the same for
all: a member's name never becomes a path on disk (members are written as numbered files in the
scratch folder), names that climb out (`../`, absolute, drive letters) and links are refused and
recorded, and sizes are counted from the bytes actually produced, never from what the header
claims, so a lying header cannot get a bomb past the limits.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from veracity.case import Limits
from veracity.errors import ExtractError, LimitExceeded, Refused
from veracity.extract.base import Child, Extraction, Item

_CHUNK = 1 << 20


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def safe_member_name(raw: str) -> str:
    """The member's name, '/'-separated and normalised; `Refused` when it escapes its archive."""
    name = raw.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise Refused(f"absolute member name refused: {raw!r}")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise Refused(f"path traversal refused: {raw!r}")
    if not parts:
        raise Refused(f"empty member name refused: {raw!r}")
    if any("\x00" in p for p in parts):
        raise Refused(f"member name with a NUL byte refused: {raw!r}")
    return posixpath.join(*parts)


class Unpacker:
    """Collects the children of one archive while enforcing the case's limits."""

    def __init__(self, item: Item, limits: Limits) -> None:
        if item.depth >= limits.max_archive_depth:
            raise LimitExceeded("max_archive_depth", item.depth + 1, limits.max_archive_depth)
        self.item = item
        self.limits = limits
        self.children: list[Child] = []
        self.total_bytes = 0
        self._names: set[str] = set()
        item.scratch.mkdir(parents=True, exist_ok=True)

    def _unique(self, name: str) -> str:
        # archives may hold the same name twice; both copies are kept, the second renamed
        candidate, n = name, 1
        while candidate in self._names:
            n += 1
            candidate = f"{name}~{n}"
        self._names.add(candidate)
        return candidate

    def _check_count(self) -> None:
        if len(self.children) >= self.limits.max_archive_members:
            raise LimitExceeded(
                "max_archive_members", len(self.children) + 1, self.limits.max_archive_members
            )

    def refuse(self, raw_name: str, error: ExtractError) -> None:
        """Record a member that was not taken out, under a name that cannot escape."""
        self._check_count()
        name = raw_name.replace("\\", "/").lstrip("/") or "(unnamed)"
        self.children.append(
            Child(self._unique(name), None, None, error_kind=error.kind, error=str(error))
        )

    def _count(self, n: int, member_bytes: int) -> None:
        self.total_bytes += n
        lim = self.limits
        if member_bytes > lim.max_member_bytes:
            raise LimitExceeded("max_member_bytes", member_bytes, lim.max_member_bytes)
        if self.total_bytes > lim.max_archive_bytes:
            raise LimitExceeded("max_archive_bytes", self.total_bytes, lim.max_archive_bytes)
        ratio = self.total_bytes / max(self.item.size, 1)
        if self.total_bytes > lim.ratio_floor_bytes and ratio > lim.max_archive_ratio:
            raise LimitExceeded("max_archive_ratio", round(ratio), lim.max_archive_ratio)

    def new_file(self) -> Path:
        return self.item.scratch / f"{len(self.children):07d}"

    def copy(self, raw_name: str, source: Readable, modified: str | None) -> None:
        """Stream one member out of `source` into the scratch folder, counting every byte."""
        self._check_count()
        name = safe_member_name(raw_name)
        target = self.new_file()
        written = 0
        try:
            with open(target, "wb") as out:
                while chunk := source.read(_CHUNK):
                    written += len(chunk)
                    self._count(len(chunk), written)
                    out.write(chunk)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        self.add(name, target, written, modified)

    def add(self, name: str, target: Path, size: int, modified: str | None) -> None:
        self.children.append(Child(self._unique(name), target, size, modified))

    def result(self, metadata: dict[str, object], error: ExtractError | None = None) -> Extraction:
        meta = {**metadata, "members": len(self.children), "expanded_bytes": self.total_bytes}
        if error is None:
            return Extraction(metadata=meta, children=tuple(self.children))
        return Extraction(
            metadata=meta, children=tuple(self.children), error_kind=error.kind, error=str(error)
        )


def unpack(item: Item, limits: Limits, walk: Callable[[Unpacker], dict[str, object]]) -> Extraction:
    """Run an archive walker; a limit hit half-way keeps the members taken out so far."""
    unpacker = Unpacker(item, limits)
    metadata: dict[str, object] = {}
    try:
        metadata = walk(unpacker)
    except LimitExceeded as exc:
        return unpacker.result(metadata, exc)
    return unpacker.result(metadata)
