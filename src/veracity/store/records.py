"""The values the ingest hands to the store: one frozen dataclass per table row it writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FileRecord:
    sha256: str
    size: int
    mime: str
    magic: str


@dataclass(frozen=True)
class PathRecord:
    source_id: int
    path: str
    sha256: str | None
    parent: str | None
    claimed_mime: str | None
    size: int | None
    mtime_ns: int | None = None
    member_modified: str | None = None
    error_kind: str | None = None
    error: str | None = None
    locator: dict[str, Any] | None = None


@dataclass(frozen=True)
class PageRecord:
    kind: str
    number: int
    text: str
    is_ocr: bool = False


@dataclass(frozen=True)
class ExtractionRecord:
    sha256: str
    extractor: str
    version: str
    status: str
    error_kind: str | None = None
    error: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    language: str | None = None
    pages: tuple[PageRecord, ...] = ()


@dataclass(frozen=True)
class PathState:
    """What the case already knows of an original, to decide whether to read it again."""

    size: int | None
    mtime_ns: int | None
    sha256: str | None
    status: str | None  # extraction status of its content, None if never extracted


@dataclass
class Batch:
    """Rows written together in one transaction, so a kill leaves all of them or none."""

    files: list[FileRecord] = field(default_factory=list)
    paths: list[PathRecord] = field(default_factory=list)
    extractions: list[ExtractionRecord] = field(default_factory=list)
    statuses: list[tuple[str, str]] = field(default_factory=list)  # (sha256, new status)

    def __len__(self) -> int:
        return len(self.files) + len(self.paths) + len(self.extractions) + len(self.statuses)


@dataclass(frozen=True)
class PersonRecord:
    """One person row of a register, as people/records.py mapped it (the `records` table)."""

    sha256: str
    sheet: str
    row: int
    id_status: str
    name_raw: str | None = None
    id_raw: str | None = None
    id_number: str | None = None
    id_birth_date: str | None = None
    id_sex: str | None = None
    id_region: str | None = None
    sex: str | None = None
    birth_date: str | None = None
    ethnicity: str | None = None
    address: str | None = None
    status: str | None = None
    detention_start: str | None = None
    place: str | None = None
    sentence_raw: str | None = None
    sentence_months: int | None = None
    reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    register_kind: str | None = None  # people/register_kinds.py; None in a case not rebuilt


#: The kinds of list a sheet can be (people/register_kinds.py decides; `records.register_kind`
#: and `registers.kind` hold them). The store owns the vocabulary because the figures' SQL
#: filters on it.
REGISTER_KINDS = ("residents", "detainees", "staff", "students", "other_people", "not_people")
#: lists of people: their rows become person records
PEOPLE_KINDS = REGISTER_KINDS[:-1]
#: the lists detentions, statuses, places and sentences are counted from
COUNTED_KINDS = ("residents", "detainees")
#: the lists that are a population: shares (detained adults / adults) are taken of them
POPULATION_KINDS = ("residents",)


@dataclass(frozen=True)
class RegisterSheet:
    """One sheet as the people stage read it (the `registers` table)."""

    sha256: str
    sheet: str
    kind: str
    kind_how: str
    kind_reasons: tuple[str, ...]
    header_row: int | None
    columns: tuple[dict[str, Any], ...]  # {column, header, field, how}
    records: int = 0
