"""The registers, re-read with real readers: every recorded row is where the truth says, the
planted defects are really there, clean rows are clean, photos sit on their rows, and the
output is byte-identical for a seed."""

from __future__ import annotations

import csv
import hashlib
import io
import time
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlrd
from stdnum.cn import ric

from veracity.people.idcard import check_character, parse
from veracity.people.names import load_names
from veracity.synth._common import FIXED_NOW, SynthConfig, Truth
from veracity.synth.homophones import homophones
from veracity.synth.population import Person, generate_population
from veracity.synth.registers import UNKNOWN_REGIONS, format_sentence, write_registers

ID_HEADERS = ("公民身份号码", "身份证号", "身份证号码")
NAME_HEADERS = ("姓名", "名字")
NAMES = {n.uly: n for n in load_names()}

Leak = tuple[Path, list[Person], Truth, list[Path]]


def make_leak(out: Path, seed: int, people: int = 150) -> Leak:
    truth = Truth(seed=seed)
    config = SynthConfig(seed=seed, people=people)
    population = generate_population(config, truth)
    return out, population, truth, write_registers(out, population, config, truth)


@pytest.fixture(scope="module")
def leak(tmp_path_factory: pytest.TempPathFactory) -> Leak:
    return make_leak(tmp_path_factory.mktemp("leak"), seed=7)


# --- reading back with the real readers ----------------------------------------------------


def _grid(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet as a list of rows (index 0 = Excel row 1); dates as `date`."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}
    if path.suffix == ".xls":
        sheets = {}
        workbook = xlrd.open_workbook(str(path))
        for sheet in workbook.sheets():
            rows = []
            for r in range(sheet.nrows):
                row: list[Any] = []
                for c in range(sheet.ncols):
                    cell = sheet.cell(r, c)
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        row.append(
                            xlrd.xldate.xldate_as_datetime(float(cell.value), workbook.datemode)
                        )
                    else:
                        row.append(cell.value)
                rows.append(row)
            sheets[sheet.name] = rows
        return sheets
    text = path.read_bytes().decode("gb18030")
    return {path.name: [list(r) for r in csv.reader(io.StringIO(text, newline=""))]}


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    text = str(value).replace(".", "").replace("-", "")
    return date(int(text[:4]), int(text[4:6]), int(text[6:8])) if len(text) == 8 else None


class Reader:
    """Rows of the leak's registers by locator, as {header: value}."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[str, dict[str, list[list[Any]]]] = {}

    def row(self, path: str, locator: dict[str, Any]) -> dict[str, Any]:
        if path not in self.cache:
            self.cache[path] = _grid(self.root / path)
        rows = self.cache[path][locator["sheet"]]
        header_at = next(i for i, r in enumerate(rows[:3]) if "性别" in r)
        headers = rows[header_at]
        assert locator["row"] - 1 > header_at
        return dict(zip(headers, rows[locator["row"] - 1], strict=False))


def _pick(row: dict[str, Any], headers: tuple[str, ...]) -> Any:
    found = [row[h] for h in headers if h in row]
    assert len(found) == 1, row
    return found[0]


# --- the tests -----------------------------------------------------------------------------


def test_layout_and_formats(leak: Leak) -> None:
    out, _, _, paths = leak
    rels = [p.relative_to(out).as_posix() for p in paths]
    assert all(r.startswith("registers/") and r.count("/") == 2 for r in rels)
    suffixes = Counter(p.suffix for p in paths)
    assert suffixes[".xlsx"] > suffixes[".xls"] >= 1 and 1 <= suffixes[".csv"] <= 4
    lists = {f"registers/{county}/在押人员名单.xlsx" for county in ("疏附县", "特克斯县")}
    assert lists <= set(rels)
    for path in paths:
        assert datetime.fromtimestamp(path.stat().st_mtime) <= FIXED_NOW
        if path.suffix == ".csv":
            with pytest.raises(UnicodeDecodeError):
                path.read_bytes().decode("utf-8")


def test_headers_titles_sheets_and_dates_vary(leak: Leak) -> None:
    paths = leak[3]
    headers: set[str] = set()
    titled = two_sheets = real_dates = text_dates = 0
    for path in paths:
        grids = _grid(path)
        two_sheets += len(grids) == 2
        for rows in grids.values():
            titled += "性别" not in rows[0]
            header_at = next(i for i, r in enumerate(rows[:3]) if "性别" in r)
            headers.update(str(h) for h in rows[header_at])
            column = rows[header_at].index("出生日期")
            for row in rows[header_at + 1 :]:
                real_dates += isinstance(row[column], datetime)
                text_dates += isinstance(row[column], str)
    expected = {"姓名", "名字", "出生日期", "现住址", "人员状态", "收押日期", "关押场所", "刑期"}
    assert expected <= headers
    assert len(headers & set(ID_HEADERS)) >= 2
    assert titled and two_sheets and real_dates and text_dates


def test_every_record_is_at_its_locator(leak: Leak) -> None:
    out, people, truth, _ = leak
    reader = Reader(out)
    by_key = {p.key: p for p in people}
    homophone = 0
    for record in truth.sections["records"]:
        row = reader.row(record["path"], record["locator"])
        assert _pick(row, ID_HEADERS) == record["id_as_written"]
        assert _pick(row, NAME_HEADERS) == record["name_as_written"]
        person = by_key[record["person_key"]]
        given, father = record["name_as_written"].split("·")
        for part, latin in ((given, person.given_name_latin), (father, person.father_name_latin)):
            listed = NAMES[latin].chinese
            if part not in listed:  # a clerk's homophone of a listed transcription
                assert any(_one_homophone_apart(part, zh) for zh in listed), (part, listed)
                homophone += 1
        if "刑期" in row:
            assert (row["刑期"] or "") == format_sentence(person.sentence_months)
    assert homophone > 0


def _one_homophone_apart(written: str, listed: str) -> bool:
    apart = [(a, b) for a, b in zip(written, listed, strict=False) if a != b]
    return (
        len(written) == len(listed) and len(apart) == 1 and apart[0][0] in homophones(apart[0][1])
    )


def test_clean_rows_are_clean(leak: Leak) -> None:
    out, people, truth, _ = leak
    reader = Reader(out)
    by_key = {p.key: p for p in people}
    clean = [r for r in truth.sections["records"] if not r["anomalies"]]
    assert len(clean) > 0.9 * len(truth.sections["records"])
    for record in clean:
        row = reader.row(record["path"], record["locator"])
        parsed = parse(_pick(row, ID_HEADERS))
        person = by_key[record["person_key"]]
        assert parsed.text == person.id_number and parsed.is_valid and parsed.region is not None
        assert parsed.birth_date == _as_date(row["出生日期"]) == person.birth_date
        assert parsed.sex == row["性别"] == person.sex


def test_planted_defects_are_really_there(leak: Leak) -> None:
    out, _, truth, _ = leak
    reader = Reader(out)
    records = truth.sections["records"]
    seen: Counter[str] = Counter()
    for record in (r for r in records if r["anomalies"]):
        (kind,) = record["anomalies"]
        seen[kind] += 1
        row = reader.row(record["path"], record["locator"])
        written = _pick(row, ID_HEADERS)
        parsed = parse(written)
        column_birth, column_sex = _as_date(row["出生日期"]), row["性别"]
        if kind == "id_check_character":
            assert parsed.birth_date and not parsed.is_valid
            assert written[17] != check_character(written[:17])
        else:
            assert parsed.is_valid
        if kind == "id_birth_date_mismatch":
            assert parsed.birth_date != column_birth
        else:
            assert parsed.birth_date == column_birth
        assert (parsed.sex != column_sex) == (kind == "id_sex_mismatch")
        if kind == "id_region_unknown":
            assert written[:6] in UNKNOWN_REGIONS and parsed.region is None
            assert not ric.is_valid(written)
        if kind == "id_shared":
            others = [r for r in records if r["id_as_written"] == written and r is not record]
            assert any(r["person_key"] != record["person_key"] for r in others)
    kinds = ("id_check_character", "id_birth_date_mismatch", "id_sex_mismatch")
    assert all(seen[k] >= 2 for k in (*kinds, "id_region_unknown", "id_shared"))


def test_truth_anomalies_match_the_records(leak: Leak) -> None:
    _, _, truth, _ = leak
    marked = {
        (r["path"], r["locator"]["sheet"], r["locator"]["row"], kind)
        for r in truth.sections["records"]
        for kind in r["anomalies"]
    }
    added = {
        (a.path, a.locator["sheet"], a.locator["row"], a.kind)
        for a in truth.anomalies
        if a.locator is not None
    }
    assert added == marked
    shared = [a for a in truth.anomalies if a.kind == "id_shared"]
    for anomaly in shared:
        other = (anomaly.detail["other_path"], anomaly.detail["other_locator"])
        assert any((b.path, b.locator) == other for b in shared)


def test_people_appear_once_or_twice(leak: Leak) -> None:
    _, people, truth, _ = leak
    appearances = Counter(r["person_key"] for r in truth.sections["records"])
    assert set(appearances) == {p.key for p in people}
    twice = sum(n >= 2 for n in appearances.values()) / len(people)
    assert 0.1 <= twice <= 0.35
    names: dict[str, set[str]] = defaultdict(set)
    for record in truth.sections["records"]:
        names[record["person_key"]].add(record["name_as_written"])
    assert any(len(v) > 1 for v in names.values())  # another transcription somewhere
    detained = {p.key for p in people if p.is_detained}
    in_lists = {r["person_key"] for r in truth.sections["records"] if "在押人员名单" in r["path"]}
    assert in_lists == detained


def test_embedded_photos_sit_on_their_rows(leak: Leak) -> None:
    out, people, truth, _ = leak
    photos = truth.sections["embedded_photos"]
    assert photos
    ids_at = {
        (r["path"], r["locator"]["sheet"], r["locator"]["row"]): r["person_key"]
        for r in truth.sections["records"]
    }
    by_key = {p.key: p for p in people}
    anchored: dict[tuple[str, str], set[int]] = {}
    for entry in photos:
        path, sheet, row = entry["path"], entry["locator"]["sheet"], entry["locator"]["row"]
        if (path, sheet) not in anchored:
            worksheet: Any = openpyxl.load_workbook(out / path)[sheet]
            anchored[(path, sheet)] = set()
            for image in worksheet._images:
                assert image._data()[:3] == b"\xff\xd8\xff"  # a JPEG
                anchored[(path, sheet)].add(image.anchor._from.row + 1)
        assert row in anchored[(path, sheet)]
        assert by_key[ids_at[(path, sheet, row)]].id_number == entry["id_number"]
    assert sum(len(rows) for rows in anchored.values()) == len(photos)


def _digests(paths: list[Path], root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths
    }


def test_same_seed_same_bytes_other_seed_differs(leak: Leak, tmp_path: Path) -> None:
    out, _, truth, paths = leak
    again = make_leak(tmp_path / "again", seed=7)
    assert _digests(again[3], again[0]) == _digests(paths, out)
    assert again[2].to_json() == truth.to_json()
    other = make_leak(tmp_path / "other", seed=8)
    assert set(_digests(other[3], other[0]).values()).isdisjoint(_digests(paths, out).values())


def test_three_thousand_people_in_under_five_seconds(tmp_path: Path) -> None:
    started = time.perf_counter()
    _, people, truth, paths = make_leak(tmp_path, seed=1, people=3000)
    elapsed = time.perf_counter() - started
    assert elapsed < 5, f"{elapsed:.1f} s"
    assert len(people) == 3000 and len(paths) > 20
    assert len(truth.sections["records"]) > 3000
