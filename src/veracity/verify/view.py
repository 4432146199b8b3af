"""What checks read: the case through typed, streaming views (never SQL, never the originals)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from veracity.case import Case
from veracity.kinds import DOCUMENT, PHOTO, SPREADSHEET, Kind, kind_of
from veracity.store import PersonRecord, Store
from veracity.verify.base import OPTION_NEEDS


@dataclass(frozen=True)
class FileView:
    """One content of the case with the paths it was found at (the first, sorted, is `path`)."""

    sha256: str
    paths: tuple[str, ...]
    mime: str
    extractor: str | None
    status: str | None
    metadata: dict[str, Any]
    raw: dict[str, Any]
    member_modified: str | None

    @property
    def path(self) -> str:
        return self.paths[0]

    @property
    def kind(self) -> Kind:
        """What kind of file this is, as stats, the report and search say (kinds.py)."""
        return kind_of(self.extractor, self.mime, self.metadata)


@dataclass(frozen=True)
class RecordView:
    """A register row as a person record, with the paths of its register."""

    record: PersonRecord
    paths: tuple[str, ...]

    @property
    def path(self) -> str:
        return self.paths[0] if self.paths else self.record.sha256

    @property
    def locator(self) -> dict[str, Any]:
        return {"sheet": self.record.sheet, "row": self.record.row}


class CaseView:
    """Read-only access for checks; each iterator streams, so a large case stays small."""

    def __init__(self, case: Case, store: Store, options: dict[str, Any] | None = None) -> None:
        self.case = case
        self.store = store
        #: command-line options a check may use (e.g. `reference`, `sites`); absent when not given
        self.options = options or {}

    @cached_property
    def _files(self) -> list[FileView]:
        by_sha: dict[str, dict[str, Any]] = {}
        paths: dict[str, list[str]] = {}
        for row in self.store.iter_paths():
            sha = row["sha256"]
            if sha is None:
                continue
            paths.setdefault(sha, []).append(row["path"])
            if sha not in by_sha:
                by_sha[sha] = row
        return [
            FileView(
                sha256=sha,
                paths=tuple(sorted(paths[sha])),
                mime=row["mime"] or "",
                extractor=row["extractor"],
                status=row["status"],
                metadata=json.loads(row["metadata"]) if row["metadata"] else {},
                raw=json.loads(row["raw"]) if row["raw"] else {},
                member_modified=row["member_modified"],
            )
            for sha, row in by_sha.items()
        ]

    def files(self, *extractors: str) -> Iterator[FileView]:
        """Every content read by one of `extractors` (all read contents when none given)."""
        for item in self._files:
            if not extractors or item.extractor in extractors:
                yield item

    def of_kind(self, *kinds: Kind) -> Iterator[FileView]:
        """Every content of one of `kinds` (kinds.py)."""
        for item in self._files:
            if item.kind in kinds:
                yield item

    def images(self) -> Iterator[FileView]:
        return self.of_kind(PHOTO)

    def documents(self) -> Iterator[FileView]:
        """Documents (kinds.py): text a person wrote — Word, PowerPoint, PDF, RTF, HTML, text."""
        return self.of_kind(DOCUMENT)

    def office_files(self) -> Iterator[FileView]:
        """Documents and spreadsheets: what office programs save, with authoring metadata."""
        return self.of_kind(DOCUMENT, SPREADSHEET)

    @cached_property
    def _register_paths(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for item in self._files:
            out.setdefault(item.sha256, []).extend(item.paths)
        return {sha: tuple(sorted(p)) for sha, p in out.items()}

    def records(self, statuses: Iterable[str] | None = None) -> Iterator[RecordView]:
        """Every person record (or those whose ID has one of `statuses`: a check about a few
        broken IDs need not read every row), with the paths of its register."""
        paths = self._register_paths
        for record in self.store.iter_records(statuses=statuses):
            yield RecordView(record, paths.get(record.sha256, ()))

    def has(self, need: str) -> bool:
        """Whether the case holds anything a check with this need could look at."""
        if need == "records":
            return self.store.count_records() > 0
        if need == "images":
            return any(True for _ in self.images())
        if need == "documents":  # the office checks read spreadsheets' properties too
            return any(True for _ in self.office_files())
        if need in OPTION_NEEDS:
            return self.options.get(need) is not None
        return True
