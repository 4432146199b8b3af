"""Register rows → person records: every sheet that lists people, every person row in it.

`build_records` runs at the end of an ingest (and may be run again at any time): it reads the
rows of every spreadsheet in the case, maps each sheet's columns (`columns.py`, with the user's
`CASE/columns.yaml` on top), and writes one record per person row, keyed by the row's place
(content, sheet, Excel row), so a rebuild replaces records one for one. Rows that are not people
are skipped: rows above the header, empty rows, the header repeated further down (as printed
pages of a long list often do), and section titles (one filled cell).

A record keeps both what its row says and what its ID number says, side by side, so the
verification stage can compare them without reading the ID again, and the kind of list its
sheet is (`register_kinds.py`); a sheet that is no list of people (an inventory, a budget)
gives no records. Each sheet's kind, header row and column map go to the `registers` table,
so every figure can say which registers and which columns it rests on.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, groupby, islice
from typing import Any

from veracity.case import Case
from veracity.errors import UsageError
from veracity.people._values import parse_date, parse_sentence, parse_sex, text_of
from veracity.people.columns import (
    Override,
    SheetMap,
    find_header,
    is_synonym,
    load_fields,
    load_overrides,
    map_columns,
)
from veracity.people.idcard import check
from veracity.people.register_kinds import PEOPLE_KINDS, KindGuess, RegisterKind, classify
from veracity.store import PersonRecord, RegisterSheet, Store, open_store

__all__ = [
    "Spreadsheet",
    "build_records",
    "check_overrides",
    "record_of",
    "sheet_maps",
    "spreadsheets",
]

_HEAD_ROWS = 60  # rows read before a sheet's columns are mapped
_MIN_FILLED = 2  # a person row holds more than one cell; a section title holds one
_TEXT_FIELDS = ("ethnicity", "address", "status", "place", "reason")
_DATE_FIELDS = ("birth_date", "detention_start")


@dataclass(frozen=True)
class Spreadsheet:
    """One spreadsheet content of the case: its paths and its sheets' metadata."""

    sha256: str
    paths: tuple[str, ...]
    header_rows: dict[str, int | None]  # sheet -> header row found by the extractor


def spreadsheets(store: Store) -> list[Spreadsheet]:
    """Every content read completely with rows, with all the paths it appears under."""
    found: dict[str, tuple[list[str], dict[str, int | None]]] = {}
    for row in store.iter_paths():
        if row["status"] != "done" or not row["sha256"] or not row["metadata"]:
            continue
        if row["sha256"] in found:
            found[row["sha256"]][0].append(row["path"])
            continue
        meta = json.loads(row["metadata"])
        sheets = meta.get("sheets")
        if isinstance(sheets, list) and meta.get("rows"):
            heads = {str(s.get("name")): s.get("header_row") for s in sheets if isinstance(s, dict)}
            found[row["sha256"]] = ([row["path"]], heads)
    return [Spreadsheet(sha, tuple(paths), heads) for sha, (paths, heads) in found.items()]


def _map_sheet(
    book: Spreadsheet, sheet: str, head: Sequence[tuple[int, list[Any]]], rules: Sequence[Override]
) -> tuple[SheetMap, KindGuess]:
    rule = next((r for r in rules if r.matches(book.paths, sheet)), None)
    hint = book.header_rows.get(sheet)
    if rule is None:
        sheet_map = map_columns(sheet, head, hint)
        return sheet_map, classify(sheet_map, head, book.paths)
    if rule.register is False:
        sheet_map = SheetMap(sheet, None)
        return sheet_map, classify(sheet_map, head, book.paths, "not_people")
    header_row = rule.header_row or find_header(head, hint)
    headers = dict(head).get(header_row or 0, [])
    sheet_map = map_columns(sheet, head, hint, rule.forced(headers), header_row)
    forced: RegisterKind | None = rule.kind  # type: ignore[assignment]  # checked on load
    return sheet_map, classify(sheet_map, head, book.paths, forced)


def _sheets(
    store: Store, book: Spreadsheet, rules: Sequence[Override]
) -> Iterator[tuple[SheetMap, KindGuess, Iterable[tuple[int, list[Any]]]]]:
    """Each sheet's map and kind and all its rows (the first ones read ahead to make the map)."""
    rows = store.iter_rows(book.sha256)
    for sheet, group in groupby(rows, key=lambda r: r[0]):
        numbered = ((number, cells) for _, number, cells in group)
        head = list(islice(numbered, _HEAD_ROWS))
        yield *_map_sheet(book, sheet, head, rules), chain(head, numbered)


def sheet_maps(case: Case, store: Store) -> Iterator[tuple[Spreadsheet, SheetMap, KindGuess]]:
    """The column map and kind of every sheet of every spreadsheet (`veracity people columns`)."""
    rules = load_overrides(case.root)
    for book in spreadsheets(store):
        for sheet_map, kind, _rows in _sheets(store, book, rules):
            yield book, sheet_map, kind  # groupby skips the rows left unread


def check_overrides(rules: Sequence[Override], books: Sequence[Spreadsheet]) -> None:
    """Refuse a `columns.yaml` entry naming a sheet that none of the files it matches has: the
    user meant some sheet, and reading the others by guess would hide the mistake."""
    for number, rule in enumerate(rules, 1):
        if rule.sheet is None:
            continue
        matched = [b for b in books if rule.on_path(b.paths)]
        if matched and not any(rule.sheet in b.header_rows for b in matched):
            sheets = sorted({s for b in matched for s in b.header_rows})
            raise UsageError(
                f"columns.yaml: entry {number}: no sheet {rule.sheet!r} in the files matching "
                f"{rule.path!r} (their sheets: {', '.join(sheets[:10])})"
            )


class _RowReader:
    """Reads the rows of one mapped sheet into records; the per-sheet work done once."""

    def __init__(self, sha256: str, sheet_map: SheetMap, kind: str | None = None) -> None:
        self.sha256 = sha256
        self.map = sheet_map
        self.kind = kind
        specs = load_fields()
        self.at = dict(sheet_map.fields)
        stored = {i for f, i in self.at.items() if specs[f].stored}
        self.extra_columns = [
            (g.index, g.header or g.letter) for g in sheet_map.columns if g.index not in stored
        ]
        self.serial = self.at.get("serial")

    def cell(self, cells: Sequence[Any], name: str) -> Any:
        index = self.at.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def is_person(self, number: int, cells: Sequence[Any]) -> bool:
        if self.map.header_row is None or number <= self.map.header_row:
            return False
        filled = sum(1 for i, c in enumerate(cells) if i != self.serial and text_of(c) is not None)
        name, ident = self.cell(cells, "name"), self.cell(cells, "id_number")
        if filled < _MIN_FILLED or is_synonym(name) or is_synonym(ident):
            return False  # a section title, or the header printed again
        return text_of(name) is not None or text_of(ident) is not None

    def record(self, number: int, cells: list[Any]) -> PersonRecord | None:
        """The record of one row, or None when the row is not a person."""
        if not self.is_person(number, cells):
            return None
        extra = {
            header: cells[i] for i, header in self.extra_columns
            if i < len(cells) and text_of(cells[i]) is not None
        }  # fmt: skip
        values: dict[str, Any] = {f: text_of(self.cell(cells, f)) for f in _TEXT_FIELDS}
        for field in _DATE_FIELDS:
            raw = self.cell(cells, field)
            values[field] = parse_date(raw)
            if values[field] is None and text_of(raw) is not None:  # keep what was not read
                extra[self.map.columns[self.at[field]].header or field] = raw
        sentence_raw, months = parse_sentence(self.cell(cells, "sentence"))
        id_cell = self.cell(cells, "id_number")
        ident = check(id_cell)
        born = ident.number.birth_date
        return PersonRecord(
            sha256=self.sha256,
            sheet=self.map.sheet,
            row=number,
            id_status=ident.status,
            name_raw=text_of(self.cell(cells, "name")),
            id_raw=None if text_of(id_cell) is None else str(id_cell),
            id_number=ident.normalised,
            id_birth_date=born.isoformat() if born else None,
            id_sex=ident.number.sex,
            id_region=ident.number.region_code,
            sex=parse_sex(self.cell(cells, "sex")),
            sentence_raw=sentence_raw,
            sentence_months=months,
            extra=extra,
            register_kind=self.kind,
            **values,
        )


def record_of(
    sha256: str, sheet_map: SheetMap, number: int, cells: list[Any]
) -> PersonRecord | None:
    """The record of one row of a mapped sheet, or None when the row is not a person."""
    return _RowReader(sha256, sheet_map).record(number, cells)


def _content_records(
    store: Store,
    book: Spreadsheet,
    rules: Sequence[Override],
    tally: Counter[str],
    sheets: list[RegisterSheet],
) -> Iterator[PersonRecord]:
    """The records of every people sheet of one content, streamed; each sheet's map and kind
    appended to `sheets` once its rows are read."""
    for sheet_map, kind, rows in _sheets(store, book, rules):
        count = 0
        if sheet_map.is_register and kind.kind in PEOPLE_KINDS:
            tally["registers"] += 1
            tally[f"kind.{kind.kind}"] += 1
            reader = _RowReader(book.sha256, sheet_map, kind.kind)
            for number, cells in rows:
                record = reader.record(number, cells)
                if record is not None:
                    count += 1
                    yield record
        if sheet_map.header_row is not None:  # groupby skips the rows left unread
            sheets.append(_register_sheet(book.sha256, sheet_map, kind, count))


def _register_sheet(sha256: str, sheet_map: SheetMap, kind: KindGuess, count: int) -> RegisterSheet:
    columns = tuple(
        {"column": g.letter, "header": g.header, "field": g.field, "how": g.how}
        for g in sheet_map.columns
        if g.field is not None or g.header
    )
    return RegisterSheet(
        sha256, sheet_map.sheet, kind.kind, kind.how, kind.reasons, sheet_map.header_row,
        columns, count,
    )  # fmt: skip


def build_records(case: Case, store: Store | None = None) -> dict[str, Any]:
    """Read every register of the case into records; returns `{records, registers, kinds}`.

    Contents that are no longer spreadsheets of the case lose their records. A `columns.yaml`
    naming a sheet its files lack is refused before anything is written.
    """
    own = store is None
    store = store or open_store(case)
    try:
        rules = load_overrides(case.root)
        books = spreadsheets(store)
        check_overrides(rules, books)
        tally: Counter[str] = Counter()
        for book in books:
            sheets: list[RegisterSheet] = []
            tally["records"] += store.replace_records(
                book.sha256, _content_records(store, book, rules, tally, sheets)
            )
            store.replace_registers(book.sha256, sheets)
        known = {b.sha256 for b in books}
        for stale in store.record_contents() - known:
            store.replace_records(stale, ())
        for stale in store.register_contents() - known:
            store.replace_registers(stale, ())
        kinds = {k[5:]: n for k, n in sorted(tally.items()) if k.startswith("kind.")}
        return {"records": tally["records"], "registers": tally["registers"], "kinds": kinds}
    finally:
        if own:
            store.close()
