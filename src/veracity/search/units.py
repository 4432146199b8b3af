"""Searchable units: what one hit is, with its provenance (content, paths, locator).

A unit is the smallest thing a reporter wants pointed at: a page or slide, an OCR'd page, a
register row (its cells, with sheet and row), a block of a long plain text, a file's metadata
(a photo's camera, dates and place; a document's title and author), and a person with every
name their records carry. Each kind is one builder in `BUILDERS`; adding a kind is one function.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from veracity.kinds import PHOTO, SPREADSHEET, kind_of, subtype_of
from veracity.search.schema import HAN
from veracity.store import PersonRecord, Store

#: long plain texts are cut into blocks of about this many characters, each its own unit
BLOCK_CHARS = 20_000
#: stored text of one unit, for snippets; the whole text is indexed regardless
STORED_CHARS = 100_000
#: a line break between two Han characters on a page is the layout wrapping a line (PDF, OCR),
#: not a break in the text: it is removed, or a phrase the wrap cuts in two is never found
_HAN_WRAP = re.compile(f"(?<={HAN.pattern[:-1]})\n(?={HAN.pattern[:-1]})")


@dataclass(frozen=True)
class Content:
    """One content of the case as the index sees it."""

    sha256: str
    paths: tuple[str, ...]
    mime: str
    extractor: str | None
    metadata: dict[str, Any]
    text: str | None
    language: str | None

    @property
    def type(self) -> str:
        """The content's kind (kinds.py), the value `type:` and the facet count by."""
        return kind_of(self.extractor, self.mime, self.metadata)

    @property
    def subtype(self) -> str | None:
        """A finer `type:` value (presentation, text, media) also indexed; not in the facet."""
        return subtype_of(self.extractor, self.mime, self.metadata)


@dataclass
class Unit:
    """One searchable unit; `fields` are word fields, `dates` YYYYMMDD integers."""

    uid: str
    kind: str  # page | slide | ocr | row | block | file | photo | person
    body: str
    sha256: str = ""
    paths: tuple[str, ...] = ()
    locator: dict[str, Any] | None = None
    type: str = "other"  # the kind (kinds.py), or "person"
    subtype: str | None = None
    lang: str | None = None
    year: int | None = None
    camera_model: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    dates: dict[str, int] = field(default_factory=dict)


def date_number(value: object) -> int | None:
    """`2018-03-05…` → 20180305; None for anything that is not such a date."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    text = value[:10]
    if text[4] != "-" or text[7] != "-":
        return None
    try:
        number = int(text[:4] + text[5:7] + text[8:10])
    except ValueError:
        return None
    return number if 10000101 <= number <= 99991231 else None


def _unit(content: Content, uid: str, kind: str, body: str, **extra: Any) -> Unit:
    meta = content.metadata
    year = None
    for key in ("taken_at", "created"):
        number = date_number(meta.get(key))
        if number is not None:
            year = number // 10000
            break
    model = meta.get("camera_model")
    return Unit(
        uid=uid,
        kind=kind,
        body=body,
        sha256=content.sha256,
        paths=content.paths,
        type=content.type,
        subtype=content.subtype,
        lang=content.language,
        year=year,
        camera_model=str(model).strip() or None if model else None,
        **extra,
    )


def page_units(content: Content, store: Store) -> Iterator[Unit]:
    """One unit per page, slide or OCR'd page (sheets are searched row by row instead)."""
    for kind, number, text, is_ocr in store.pages_for_index(content.sha256):
        if kind == "sheet":
            continue
        unit_kind = "ocr" if is_ocr else kind
        locator = {"slide": number} if kind == "slide" else {"page": number}
        body = _HAN_WRAP.sub("", text)
        yield _unit(content, f"{content.sha256}:{kind}:{number}", unit_kind, body, locator=locator)


def row_units(content: Content, store: Store) -> Iterator[Unit]:
    """One unit per register row: its cells, and what the people stage read from it."""
    if content.type != SPREADSHEET:
        return
    records = {(r.sheet, r.row): r for r in store.iter_records(content.sha256)}
    for sheet, row, cells in store.iter_rows(content.sha256):
        body = " · ".join(str(c) for c in cells if c not in (None, ""))
        if not body:
            continue
        unit = _unit(
            content,
            f"{content.sha256}:row:{sheet}:{row}",
            "row",
            body,
            locator={"sheet": sheet, "row": row},
        )
        unit.fields["sheet"] = sheet
        record = records.get((sheet, row))
        if record is not None:
            _record_fields(unit, record)
        yield unit


def _record_fields(unit: Unit, record: PersonRecord) -> None:
    for name, value in (
        ("status", record.status),
        ("name", record.name_raw),
        ("place", record.place),
    ):
        if value:
            unit.fields[name] = str(value)
    for name, value in (("born", record.birth_date), ("detained", record.detention_start)):
        number = date_number(value)
        if number is not None:
            unit.dates[name] = number
    if unit.dates.get("detained"):
        unit.year = unit.dates["detained"] // 10000


def text_units(content: Content, store: Store) -> Iterator[Unit]:
    """A text without pages (plain text, mail, HTML, Word), in blocks so hits point near."""
    text = content.text
    if not text or content.type in (SPREADSHEET, PHOTO):
        return
    if store.has_pages(content.sha256):
        return
    for number, start in enumerate(range(0, len(text), BLOCK_CHARS), 1):
        block = text[start : start + BLOCK_CHARS]
        locator = {"block": number} if len(text) > BLOCK_CHARS else None
        yield _unit(content, f"{content.sha256}:block:{number}", "block", block, locator=locator)


_META_TEXT = (
    "title", "author", "last_modified_by", "application", "app_version", "producer",
    "creator", "subject", "keywords", "camera_make", "camera_model", "camera_serial",
    "software", "taken_at", "created", "modified", "lens_model",
)  # fmt: skip


def metadata_unit(content: Content, store: Store) -> Iterator[Unit]:
    """The file itself: its paths and metadata, so a camera, an author or a date finds it."""
    meta = content.metadata
    parts = [str(meta[k]) for k in _META_TEXT if meta.get(k) not in (None, "")]
    gps = meta.get("gps")
    if isinstance(gps, dict) and gps.get("lat") is not None:
        parts.append(f"GPS {gps.get('lat')}, {gps.get('lon')}")
    kind = "photo" if content.type == PHOTO else "file"
    unit = _unit(content, f"{content.sha256}:file", kind, "\n".join(parts))
    for name, key in (
        ("author", "author"),
        ("title", "title"),
        ("software", "software"),
    ):
        if meta.get(key):
            unit.fields[name] = str(meta[key])
    authors = [str(meta[k]) for k in ("author", "last_modified_by") if meta.get(k)]
    if authors:
        unit.fields["author"] = " ".join(authors)
    camera = " ".join(str(meta[k]) for k in ("camera_make", "camera_model") if meta.get(k))
    if camera:
        unit.fields["camera"] = camera
    for name, key in (("taken", "taken_at"), ("created", "created"), ("modified", "modified")):
        number = date_number(meta.get(key))
        if number is not None:
            unit.dates[name] = number
    yield unit


#: every unit kind a content can give, in the order they are built
BUILDERS: tuple[Callable[[Content, Store], Iterator[Unit]], ...] = (
    metadata_unit,
    page_units,
    text_units,
    row_units,
)


def units_of(content: Content, store: Store) -> Iterator[Unit]:
    for builder in BUILDERS:
        yield from builder(content, store)


def person_units(store: Store) -> Iterator[Unit]:
    """One unit per linked person: every name their records carry, in every script."""
    names: dict[str, set[str]] = {}
    record_names = {
        (r.sha256, r.sheet, r.row): r.name_raw for r in store.iter_records() if r.name_raw
    }
    for link in store.iter_person_links():
        name = record_names.get((link.sha256, link.sheet, link.row))
        if name:
            names.setdefault(link.person_id, set()).add(name)
    for person in store.iter_person_rows():
        spelled = names.get(person.person_id, set())
        spelled.update(n for n in (person.name, person.pinyin) if n)
        body = "\n".join(sorted(spelled) + ([person.id_number] if person.id_number else []))
        unit = Unit(
            uid=f"person:{person.person_id}",
            kind="person",
            body=body,
            locator={"person": person.person_id},
            type="person",
        )
        unit.fields["name"] = " ".join(sorted(spelled))
        for name, value in (("born", person.birth_date), ("detained", person.detention_start)):
            number = date_number(value)
            if number is not None:
                unit.dates[name] = number
        yield unit


def locator_text(locator: dict[str, Any] | None) -> str:
    return json.dumps(locator, ensure_ascii=False, sort_keys=True) if locator else ""
