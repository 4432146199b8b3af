"""The residents' registers: one spreadsheet per village, plus detainee and household-check lists.

Real registers were typed by many clerks in many offices, so they disagree in the small ways a
reader must cope with: column names (姓名/名字, 公民身份号码/身份证号), date forms (a real
Excel date, `1985.03.12`, `19850312`), a merged title row above the header, two sheets, legacy
`.xls`, a CSV export in GB18030, the same person in two lists under another transcription of
their name. A few rows carry planted defects (a wrong check character, an ID whose birth date or
sex contradicts its row, an unknown region, one ID on two people), each recorded in the truth.

Layout: `registers/<county>/<village>.xlsx|.xls|.csv`, `registers/<county>/在押人员名单.xlsx`
(every detainee, photos embedded) and `registers/<county>/户籍核查名单.xls` (a sample of others).
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import xlsxwriter
import xlwt

from veracity.people.idcard import check_character
from veracity.people.names import load_names
from veracity.synth._common import (
    SynthConfig,
    Truth,
    abstract_image,
    jpeg_bytes,
    normalize_zip,
    set_times,
    stream,
)
from veracity.synth.homophones import homophone_variant
from veracity.synth.population import COUNTIES, Person, county_of

__all__ = ["UNKNOWN_REGIONS", "format_sentence", "write_registers"]

#: Region codes that look Xinjiang but name no division (not in regions.csv nor in loc.dat).
UNKNOWN_REGIONS = ("659999", "653199", "654099")
DETAINEE_LIST = "在押人员名单"
CHECK_LIST = "户籍核查名单"
PHOTOS_PER_SHEET = 25
_PHOTO_SIZE = (60, 80)  # pixels; the photo row is made 60 points (80 px) tall

Cell = str | int | date | None
Kind = Literal["village", "detainees", "check"]
Format = Literal["xlsx", "xls", "csv"]
DateStyle = Literal["excel", "dotted", "compact", "dashed"]
_DATE_TEXT = {"dotted": "%Y.%m.%d", "compact": "%Y%m%d", "dashed": "%Y-%m-%d"}


@dataclass
class _Row:
    """One person's row as it will be written (which may differ from the truth)."""

    person: Person
    name: str
    id_number: str
    sex: str
    birth: date
    anomalies: list[str] = field(default_factory=list)
    details: dict[str, dict[str, Any]] = field(default_factory=dict)
    partner: _Row | None = None  # the other row of an id_shared pair


@dataclass(frozen=True)
class _Style:
    """The habits of the clerk who made one file."""

    name_header: str
    id_header: str
    dates: DateStyle
    title: str | None
    serial: bool  # a 序号 column first
    detail: bool  # village registers: 收押日期 and 关押场所 too
    split_cell: bool  # 楼栋 and 监室 as two columns instead of 楼栋/监室
    short_ethnicity: bool  # 维吾尔 instead of 维吾尔族


@dataclass
class _Book:
    rel: str
    kind: Kind
    fmt: Format
    style: _Style
    sheets: list[tuple[str, list[_Row]]]
    when: datetime
    photos: bool = False

    @property
    def first_row(self) -> int:
        """Excel's number of the first data row: after the header and any title row."""
        return 3 if self.style.title else 2


def format_sentence(months: int | None) -> str:
    """A prison term as registers print it: 16年, 15年11个月, 8个月."""
    if not months:
        return ""
    years, rest = divmod(months, 12)
    return (f"{years}年" if years else "") + (f"{rest}个月" if rest else "")


Column = tuple[str, Callable[[int, _Row], Cell]]


def _columns(book: _Book) -> list[Column]:
    style, kind = book.style, book.kind
    cols: list[Column] = [("序号", lambda i, r: i)] if style.serial else []
    name: Column = (style.name_header, lambda i, r: r.name)
    ident: Column = (style.id_header, lambda i, r: r.id_number)
    sex: Column = ("性别", lambda i, r: r.sex)
    eth = "维吾尔" if style.short_ethnicity else None
    nation: Column = ("民族", lambda i, r: eth or r.person.ethnicity)
    birth: Column = ("出生日期", lambda i, r: r.birth)
    address: Column = ("现住址", lambda i, r: r.person.address)
    status: Column = ("人员状态", lambda i, r: r.person.status)
    start: Column = ("收押日期", lambda i, r: r.person.detention_start)
    place: Column = ("关押场所", lambda i, r: r.person.facility)
    if kind == "check":
        return [*cols, name, ident, sex, birth, address]
    if kind == "village":
        cols += [name, sex, nation, ident, birth, address, status]
        return [*cols, start, place] if style.detail else cols
    cols += [name, ident, sex, nation, birth, address, status, start, place]
    cols.append(("刑期", lambda i, r: format_sentence(r.person.sentence_months)))
    if style.split_cell:
        return [
            *cols,
            ("楼栋", lambda i, r: r.person.building),
            ("监室", lambda i, r: r.person.cell),
        ]
    return [*cols, ("楼栋/监室", lambda i, r: f"{r.person.building}/{r.person.cell}")]


def _text(value: Cell, dates: DateStyle) -> str:
    if isinstance(value, date):
        return value.strftime(_DATE_TEXT.get(dates, "%Y-%m-%d"))
    return "" if value is None else str(value)


# --- writers: one per format, each given the same plan ------------------------------------


def _write_xlsx(path: Path, book: _Book, photo_rng: random.Random) -> list[tuple[str, int]]:
    columns = _columns(book)
    photo_col = len(columns)
    placed: list[tuple[str, int]] = []
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
    workbook.set_properties({"author": "admin", "created": book.when})
    title_fmt = workbook.add_format({"bold": True, "align": "center", "font_size": 14})
    head_fmt = workbook.add_format({"bold": True, "border": 1})
    date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for sheet_name, rows in book.sheets:
        sheet = workbook.add_worksheet(sheet_name)
        top = 0
        headers = [h for h, _ in columns] + (["照片"] if book.photos else [])
        if book.style.title:
            sheet.merge_range(0, 0, 0, len(headers) - 1, book.style.title, title_fmt)
            top = 1
        for col, header in enumerate(headers):
            sheet.write_string(top, col, header, head_fmt)
        sheet.set_column(0, len(headers), 14)
        for index, row in enumerate(rows):
            r = top + 1 + index
            for col, (_, get) in enumerate(columns):
                value = get(index + 1, row)
                if isinstance(value, date) and book.style.dates == "excel":
                    sheet.write_datetime(
                        r, col, datetime.combine(value, datetime.min.time()), date_fmt
                    )
                elif isinstance(value, int):
                    sheet.write_number(r, col, value)
                elif value is not None and value != "":
                    sheet.write_string(r, col, _text(value, book.style.dates))
            if book.photos and index < PHOTOS_PER_SHEET:
                image = abstract_image(photo_rng, *_PHOTO_SIZE, label=str(r + 1))
                sheet.set_row(r, 60)
                sheet.insert_image(
                    r, photo_col, f"photo{r + 1}.jpg",
                    {"image_data": io.BytesIO(jpeg_bytes(image)), "object_position": 1},
                )  # fmt: skip
                placed.append((sheet_name, r + 1))
    workbook.close()
    normalize_zip(path, book.when)
    return placed


def _write_xls(path: Path, book: _Book) -> None:
    columns = _columns(book)
    workbook = xlwt.Workbook(encoding="utf-8")
    title_style = xlwt.easyxf("font: bold on, height 280; align: horiz center")
    head_style = xlwt.easyxf("font: bold on")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for sheet_name, rows in book.sheets:
        sheet = workbook.add_sheet(sheet_name)
        top = 0
        if book.style.title:
            sheet.write_merge(0, 0, 0, len(columns) - 1, book.style.title, title_style)
            top = 1
        for col, (header, _) in enumerate(columns):
            sheet.write(top, col, header, head_style)
        for index, row in enumerate(rows):
            for col, (_, get) in enumerate(columns):
                value = get(index + 1, row)
                if isinstance(value, date) and book.style.dates == "excel":
                    sheet.write(top + 1 + index, col, value, date_style)
                elif value is not None and value != "":
                    cell = value if isinstance(value, int) else _text(value, book.style.dates)
                    sheet.write(top + 1 + index, col, cell)
    workbook.save(str(path))


def _write_csv(path: Path, book: _Book) -> None:
    columns = _columns(book)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([header for header, _ in columns])
    for _, rows in book.sheets:
        for index, row in enumerate(rows):
            writer.writerow([_text(get(index + 1, row), book.style.dates) for _, get in columns])
    path.write_bytes(buf.getvalue().encode("gb18030"))


# --- planning: which files, which rows, which clerk habits --------------------------------


class _Planner:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names = {n.uly: n for n in load_names()}

    def style(self, fmt: Format, title: str | None) -> _Style:
        rng = self.rng
        dates: tuple[DateStyle, ...] = ("dotted", "compact", "dashed")
        if fmt != "csv":
            dates = ("excel", "excel", "dotted", "compact")
        return _Style(
            name_header=rng.choice(("姓名", "姓名", "名字")),
            id_header=rng.choice(("公民身份号码", "身份证号", "身份证号码")),
            dates=rng.choice(dates),
            title=title if fmt != "csv" else None,
            serial=rng.random() < 0.7,
            detail=rng.random() < 0.3,
            split_cell=rng.random() < 0.5,
            short_ethnicity=rng.random() < 0.2,
        )

    def row(self, person: Person, variant: bool) -> _Row:
        """A row; `variant`: a second listing, where a clerk may transcribe the name anew."""
        given, father = person.given_name_zh, person.father_name_zh
        if variant:
            given = self._other(given, person.given_name_latin, 0.6)
            father = self._other(father, person.father_name_latin, 0.4)
        name = f"{given}·{father}"
        return _Row(person, name, person.id_number, person.sex, person.birth_date)

    def _other(self, written: str, uly: str, chance: float) -> str:
        """Another transcription, by `chance`: one the name table lists, or (a third of the
        time, or when the table lists no other) homophone characters it does not."""
        if self.rng.random() >= chance:
            return written
        options = [zh for zh in self.names[uly].chinese if zh != written]
        if not options or self.rng.random() < 1 / 3:
            return homophone_variant(self.rng, written)
        return self.rng.choice(options)

    def when(self, latest: date) -> datetime:
        day = latest - timedelta(days=self.rng.randrange(0, 120))
        return datetime(
            day.year, day.month, day.day, self.rng.randrange(9, 19), self.rng.randrange(60)
        )


def _plan(rng: random.Random, people: Sequence[Person]) -> list[_Book]:
    planner = _Planner(rng)
    books: list[_Book] = []
    for county in COUNTIES:
        residents = [p for p in people if county_of(p) == county]
        villages: dict[str, list[Person]] = {}
        for person in residents:
            villages.setdefault(person.village, []).append(person)
        books += _village_books(planner, county.name_zh, villages)
        detained = [p for p in residents if p.is_detained]
        if detained:
            books.append(_detainee_book(planner, county.name_zh, detained))
        others = [p for p in residents if not p.is_detained and rng.random() < 0.09]
        if others:
            rows = [planner.row(p, variant=True) for p in others]
            rel = f"registers/{county.name_zh}/{CHECK_LIST}.xls"
            when = planner.when(date(2018, 6, 30))
            style = planner.style("xls", None)
            books.append(_Book(rel, "check", "xls", style, [("Sheet1", rows)], when))
    return books


def _village_books(
    planner: _Planner, county: str, villages: dict[str, list[Person]]
) -> list[_Book]:
    rng = planner.rng
    names = list(villages)
    csv_at = rng.randrange(len(names)) if names else -1  # one CSV export per county
    fmts: list[Format] = [
        "csv" if i == csv_at else ("xls" if rng.random() < 0.15 else "xlsx")
        for i in range(len(names))
    ]
    with_photos = [i for i, fmt in enumerate(fmts) if fmt == "xlsx"]
    photo_at = rng.choice(with_photos) if with_photos else -1
    books = []
    for index, (village, fmt) in enumerate(zip(names, fmts, strict=True)):
        title = f"{village}人员信息表" if rng.random() < 0.5 else None
        style = planner.style(fmt, title)
        rows = [planner.row(p, variant=False) for p in villages[village]]
        sheets = [("Sheet1", rows)]
        if fmt != "csv" and len(rows) >= 4 and rng.random() < 0.25:
            half = len(rows) // 2
            sheets = [("一组", rows[:half]), ("二组", rows[half:])]
        rel = f"registers/{county}/{village}.{fmt}"
        when = planner.when(date(2018, 7, 31))
        if style.detail:
            when = _saved_after(when, [r.person for _, part in sheets for r in part])
        books.append(_Book(rel, "village", fmt, style, sheets, when, index == photo_at))
    return books


def _detainee_book(planner: _Planner, county: str, detained: list[Person]) -> _Book:
    trained = [planner.row(p, variant=True) for p in detained if p.status == "教培"]
    held = [planner.row(p, variant=True) for p in detained if p.status != "教培"]
    sheets = [(name, rows) for name, rows in (("教培人员", trained), ("在押人员", held)) if rows]
    style = planner.style("xlsx", f"{county}{DETAINEE_LIST}")
    rel = f"registers/{county}/{DETAINEE_LIST}.xlsx"
    when = _saved_after(planner.when(date(2018, 8, 10)), detained)
    return _Book(rel, "detainees", "xlsx", style, sheets, when, photos=True)


def _saved_after(when: datetime, people: Sequence[Person]) -> datetime:
    """A list is saved no earlier than the last detention it records (a real one cannot list
    what had not happened yet, and the figures leave such dates out)."""
    starts = [p.detention_start for p in people if p.detention_start]
    last = max(starts, default=None)
    return datetime.combine(last, when.time()) if last and when.date() < last else when


# --- planted defects ----------------------------------------------------------------------


def _bad_check(rng: random.Random, row: _Row) -> dict[str, Any]:
    right = row.id_number[17]
    wrong = rng.choice([c for c in "0123456789X" if c != right])
    row.id_number = row.id_number[:17] + wrong
    return {"expected": right, "written": wrong}


def _bad_birth(rng: random.Random, row: _Row) -> dict[str, Any]:
    row.birth += timedelta(days=rng.choice((-730, -365, -31, 31, 365, 730)))
    return {
        "id_birth_date": row.person.birth_date.isoformat(),
        "column_birth_date": row.birth.isoformat(),
    }


def _bad_sex(rng: random.Random, row: _Row) -> dict[str, Any]:
    row.sex = "女" if row.person.sex == "男" else "男"
    return {"id_sex": row.person.sex, "column_sex": row.sex}


def _bad_region(rng: random.Random, row: _Row) -> dict[str, Any]:
    code = rng.choice(UNKNOWN_REGIONS)
    first17 = code + row.id_number[6:17]
    row.id_number = first17 + check_character(first17)
    return {"region_code": code}


_MUTATIONS = (
    ("id_check_character", _bad_check),
    ("id_birth_date_mismatch", _bad_birth),
    ("id_sex_mismatch", _bad_sex),
    ("id_region_unknown", _bad_region),
)


def _plant(rng: random.Random, rows: list[_Row]) -> None:
    """A few defects of each kind, each on its own row, so every other row stays clean."""
    pool = rows[:]
    rng.shuffle(pool)
    per_kind = 3 if len(rows) < 1000 else 5
    for kind, mutate in _MUTATIONS:
        for row in [pool.pop() for _ in range(min(per_kind, len(pool)))]:
            row.details[kind] = mutate(rng, row)
            row.anomalies.append(kind)
    for _ in range(1 if len(rows) < 1000 else 2):
        first = pool.pop() if pool else None
        second = next((r for r in pool if first and r.person.sex == first.person.sex), None)
        if first is None or second is None:
            return
        pool.remove(second)
        # a clerk copied the ID from another row; the birth and sex columns follow the ID
        second.id_number, second.birth, second.sex = first.id_number, first.birth, first.sex
        for row, other in ((first, second), (second, first)):
            row.anomalies.append("id_shared")
            row.details["id_shared"] = {"id_number": first.id_number}
            row.partner = other


# --- the part's entry point ---------------------------------------------------------------


def write_registers(
    out: Path, people: Sequence[Person], config: SynthConfig, truth: Truth
) -> list[Path]:
    """Write every register under `out/registers/` and record rows, defects and photos.

    Truth sections: "records" (every person row: path, locator, person_key, id_as_written,
    name_as_written, anomalies), "sheets" (every sheet: path, sheet, kind, rows) and
    "embedded_photos" (path, locator, id_number); each defect also goes to `truth.anomalies`.
    """
    books = _plan(stream(config.seed, "registers"), people)
    village_rows = [r for b in books if b.kind == "village" for _, rows in b.sheets for r in rows]
    _plant(stream(config.seed, "registers", "anomalies"), village_rows)
    photo_rng = stream(config.seed, "registers", "photos")
    where: dict[int, tuple[str, dict[str, Any]]] = {}
    for book in books:
        for sheet, rows in book.sheets:
            label = Path(book.rel).name if book.fmt == "csv" else sheet
            for index, row in enumerate(rows):
                where[id(row)] = (book.rel, {"sheet": label, "row": book.first_row + index})
    written: list[Path] = []
    photos = truth.sections.setdefault("embedded_photos", [])
    for book in books:
        path = out / book.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if book.fmt == "xlsx":
            by_cell = {
                (s, book.first_row + i): r for s, rows in book.sheets for i, r in enumerate(rows)
            }
            for sheet, number in _write_xlsx(path, book, photo_rng):
                person = by_cell[(sheet, number)].person
                locator = {"sheet": sheet, "row": number}
                photos.append({"path": book.rel, "locator": locator, "id_number": person.id_number})
        elif book.fmt == "xls":
            _write_xls(path, book)
        else:
            _write_csv(path, book)
        set_times(path, book.when)
        written.append(path)
    _record(truth, books, where)
    return written


#: What each register is, in the truth's "sheets" vocabulary (synth/workbooks.py SHEET_KINDS).
_SHEET_KIND = {"village": "residents", "check": "residents", "detainees": "detainees"}


def _record(truth: Truth, books: list[_Book], where: dict[int, tuple[str, dict[str, Any]]]) -> None:
    records = truth.sections.setdefault("records", [])
    sheets = truth.sections.setdefault("sheets", [])
    for book in books:
        for sheet, rows in book.sheets[: 1 if book.fmt == "csv" else None]:
            label = Path(book.rel).name if book.fmt == "csv" else sheet
            count = sum(len(r) for _, r in book.sheets) if book.fmt == "csv" else len(rows)
            sheets.append(
                {"path": book.rel, "sheet": label, "kind": _SHEET_KIND[book.kind], "rows": count}
            )
        for _, rows in book.sheets:
            for row in rows:
                rel, locator = where[id(row)]
                records.append({
                    "path": rel,
                    "locator": locator,
                    "person_key": row.person.key,
                    "id_as_written": row.id_number,
                    "name_as_written": row.name,
                    "anomalies": list(row.anomalies),
                })  # fmt: skip
                for kind in row.anomalies:
                    detail = dict(row.details[kind], person_key=row.person.key)
                    if row.partner is not None and kind == "id_shared":
                        other_path, other_locator = where[id(row.partner)]
                        detail.update(other_path=other_path, other_locator=other_locator)
                    truth.add(rel, locator, kind, **detail)
