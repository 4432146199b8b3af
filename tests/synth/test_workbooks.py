"""The leak's non-register workbooks: present, readable, and every sheet's kind in the truth."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlrd

from veracity.people.idcard import check_character
from veracity.synth import SynthConfig, generate, truth_path
from veracity.synth.population import population_stats
from veracity.synth.workbooks import SHEET_KINDS

SMALL = SynthConfig(seed=11, people=240, photos=10, documents=4, workers=1)
SPREADSHEETS = (".xlsx", ".xls", ".csv")


@pytest.fixture(scope="module")
def leak(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("workbooks") / "leak"
    generate(out, SMALL)
    return out, json.loads(truth_path(out).read_text(encoding="utf-8"))


def _sheets(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's rows, read with the libraries a reporter would use."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}
    if path.suffix == ".xls":
        xls = xlrd.open_workbook(str(path))
        return {s.name: [s.row_values(i) for i in range(s.nrows)] for s in xls.sheets()}
    text = path.read_bytes().decode("gb18030")
    return {path.name: list(csv.reader(io.StringIO(text)))}


def test_the_truth_lists_every_sheet_of_every_spreadsheet_with_a_kind(
    leak: tuple[Path, dict[str, Any]],
) -> None:
    out, truth = leak
    on_disk = {
        (p.relative_to(out).as_posix(), sheet)
        for p in out.rglob("*")
        if p.suffix in SPREADSHEETS
        for sheet in _sheets(p)
    }
    listed = {(s["path"], s["sheet"]): s["kind"] for s in truth["sheets"]}
    assert len(listed) == len(truth["sheets"]), "each sheet listed once"
    assert set(listed) == on_disk
    assert set(listed.values()) <= set(SHEET_KINDS)
    assert set(listed.values()) >= {"residents", "detainees", "staff", "students", "not_people"}


def test_registers_keep_their_kinds(leak: tuple[Path, dict[str, Any]]) -> None:
    _, truth = leak
    kinds = {(s["path"], s["sheet"]): s["kind"] for s in truth["sheets"]}
    for record in truth["records"]:
        key = (record["path"], record["locator"]["sheet"])
        assert kinds[key] in ("residents", "detainees"), key
    assert all(kind == "detainees" for (path, _), kind in kinds.items() if "在押人员名单" in path)


def test_staff_rosters_name_new_people_hired_recently(leak: tuple[Path, dict[str, Any]]) -> None:
    out, truth = leak
    staff = {s["name_zh"]: s for s in truth["staff"]}
    residents = truth["people"]
    assert len(staff) == len(truth["staff"]) >= 12
    assert not {s["id_number"] for s in staff.values()} & {p["id_number"] for p in residents}
    assert not {(s["name_zh"], s["birth_date"]) for s in staff.values()} & {
        (p["name_zh"], p["birth_date"]) for p in residents
    }
    for member in staff.values():
        ident = member["id_number"]
        assert check_character(ident[:17]) == ident[17]
        assert ident[6:14] == member["birth_date"].replace("-", "")
        adult = f"{int(member['birth_date'][:4]) + 18}{member['birth_date'][4:]}"
        assert adult <= member["hired"] <= "2018-08-15"
    hired = sorted(s["hired"] for s in staff.values())
    assert hired[len(hired) // 2] >= "2010", "most were hired recently"
    staff_sheets = [s for s in truth["sheets"] if s["kind"] == "staff"]
    names_seen: set[str] = set()
    for entry in staff_sheets:
        rows = _sheets(out / entry["path"])[entry["sheet"]]
        assert len(rows) > 1
        cells = {str(c) for row in rows for c in row if c}
        names_seen |= {n for c in cells for n in c.split("、") if n in staff}
        if "值班" in entry["path"]:  # duty rosters name staff only, spelt as in the rosters
            uyghur = {n for c in cells for n in c.split("、") if "·" in n}
            assert uyghur <= set(staff)
    assert names_seen == set(staff)


def test_inventories_and_budgets_hold_dates_but_no_people_list(
    leak: tuple[Path, dict[str, Any]],
) -> None:
    out, truth = leak
    ledgers = [s for s in truth["sheets"] if s["kind"] == "not_people"]
    assert {Path(s["path"]).suffix for s in ledgers} == set(SPREADSHEETS)
    dated = 0
    for entry in ledgers:
        rows = _sheets(out / entry["path"])[entry["sheet"]]
        dated += any(isinstance(c, datetime | date) or "2017" in str(c) for r in rows for c in r)
    assert dated >= len(ledgers) // 2


def test_school_lists_name_residents(leak: tuple[Path, dict[str, Any]]) -> None:
    _, truth = leak
    keys = {p["key"] for p in truth["people"]}
    assert truth["students"] and {s["person_key"] for s in truth["students"]} <= keys
    kinds = {(s["path"], s["sheet"]): s["kind"] for s in truth["sheets"]}
    assert {kinds[(s["path"], s["locator"]["sheet"])] for s in truth["students"]} == {"students"}


def test_stats_count_staff_apart_and_never_as_detained(
    leak: tuple[Path, dict[str, Any]],
) -> None:
    _, truth = leak
    stats = truth["stats"]
    assert stats["people"] == len(truth["people"]) and stats["staff"] == len(truth["staff"])
    detained = [p for p in truth["people"] if p["detention_start"]]
    assert stats["detained"]["total"] == len(detained)
    assert set(population_stats([]).keys()) == set(stats.keys()) - {"staff"}
