"""Figures only from evidence: lists that are not registers, impossible rows, broken user files.

The synthetic leak is joined by workbooks written here, not by the generator: a police staff
roster with hire dates one character from a detention header, an equipment list with purchase
dates and custodians, a school roll, and a detainee list with impossible rows. The detention
figures must still be those of the truth, and the impossible rows listed as excluded.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.analyze.conftest import Leak, build_leak
from tests.conftest import Cli, run_ingest
from veracity.analyze.explain import explain
from veracity.analyze.stats import compute_stats
from veracity.case import open_case
from veracity.people.idcard import make_id


def _veracity(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command, as a user runs it: errors are one line on stderr and exit 2."""
    return subprocess.run(
        [sys.executable, "-m", "veracity", *args], capture_output=True, text=True, check=False
    )


def _book(path: Path, title: str | None, header: list[str], rows: list[list[Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def _others(root: Path) -> None:
    """Lists that are not registers, and a detainee list with three impossible rows."""
    staff = [
        [n, f"员工{n}", "男" if n % 2 else "女", make_id("650102", date(1985, 1, n), n, "男"),
         f"0{n:04d}", "民警", date(2017, 3, n)]
        for n in range(1, 25)
    ]  # fmt: skip
    _book(root / "人事/民警花名册.xlsx", "某派出所民警花名册",
          ["序号", "姓名", "性别", "身份证号", "警号", "职务", "入职时间"], staff)  # fmt: skip
    gear = [[f"装备{n}", "型号A", 2, 350.0, date(2017, 5, n), f"员工{n}"] for n in range(1, 20)]
    _book(root / "装备/装备登记表.xlsx", None,
          ["品名", "规格型号", "数量", "单价", "购置日期", "保管人"], gear)  # fmt: skip
    roll = [[f"2016{n:03d}", f"学生{n}", "一班", date(2016, 9, 1), date(2017, 6, 30)]
            for n in range(1, 20)]  # fmt: skip
    _book(root / "学校/学生名册.xlsx", None, ["学号", "姓名", "班级", "进校日期", "成绩日期"], roll)
    impossible = [
        ["甲", make_id("653121", date(1990, 5, 1), 401, "男"), "1988-02-01", "看守所"],
        ["乙", make_id("653121", date(1991, 5, 1), 402, "男"), "2031-01-01", "看守所"],
        ["丙", make_id("653121", date(1992, 5, 1), 403, "男"), "2017-04-01", "看守所"],
    ]
    _book(root / "registers/补充在押人员名单.xlsx", "补充在押人员名单",
          ["姓名", "身份证号", "收押日期", "关押场所"], impossible)  # fmt: skip


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Leak:
    """The synthetic leak (whose own staff rosters, inventories and school lists the generator
    wrote apart from the reader), then the lists written here; the figures before are kept in
    the truth under `before`."""
    leak = build_leak(tmp_path_factory.mktemp("mixed"))
    before = compute_stats(leak.case)
    extra = tmp_path_factory.mktemp("others")
    _others(extra)
    run_ingest(leak.case, extra, workers=1)
    return Leak(leak.case, {**leak.truth, "before": before})


def test_lists_that_are_not_registers_add_no_detention(mixed: Leak) -> None:
    stats, before = compute_stats(mixed.case), mixed.truth["before"]
    truth = mixed.truth["stats"]
    # the generator's own non-registers add nothing: the leak's figures are the truth's
    assert before["detained"] == {**before["detained"], **truth["detained"]}
    # the one possible row of the extra detainee list is the only detention added
    assert stats["detained"]["total"] == truth["detained"]["total"] + 1
    assert stats["adults"] == pytest.approx(truth["adults"], rel=0.02)
    assert stats["detained_adult_share"] == pytest.approx(truth["detained_adult_share"], rel=0.02)
    kinds = {(e["path"], e["kind"]) for e in stats["basis"]["registers"]}
    assert ("人事/民警花名册.xlsx", "staff") in kinds
    assert ("装备/装备登记表.xlsx", "not_people") in kinds
    assert ("学校/学生名册.xlsx", "students") in kinds
    rows = {e["path"]: e["records"] for e in stats["basis"]["registers"]}
    assert rows["人事/民警花名册.xlsx"] == 24 and rows["学校/学生名册.xlsx"] == 19
    left, left_before = stats["basis"]["left_out"], before["basis"]["left_out"]
    assert left["staff"]["records"] == left_before["staff"]["records"] + 24
    assert stats["people"] == before["people"] + 3  # the registers' people
    assert stats["people_in_any_list"] == before["people_in_any_list"] + 24 + 19 + 3
    assert stats["people_by_kind"]["staff"] == before["people_by_kind"]["staff"] + 24


def test_impossible_rows_are_excluded_and_listed(mixed: Leak) -> None:
    stats = compute_stats(mixed.case)
    assert stats["excluded"]["detention_before_birth"] == 1
    assert stats["excluded"]["detention_after_newest_file"] == 1
    assert stats["age_at_detention"]["min"] >= 0
    rows = list(explain(mixed.case, "excluded.detention_before_birth").rows)
    assert [(r["row_detention_start"], r["row_birth_date"]) for r in rows] == [
        ("1988-02-01", "1990-05-01")
    ]
    later = list(explain(mixed.case, "excluded.detention_after_newest_file").rows)
    assert [r["row_detention_start"] for r in later] == ["2031-01-01"]
    assert later[0]["detention_start"] is None  # the person is not counted as detained


def test_stats_say_what_they_rest_on(mixed: Leak, tmp_path: Path) -> None:
    cli = Cli(mixed.case.root)
    result = cli("stats")
    assert result.exit_code == 0
    assert "detained rests on" in result.output and "never counted" in result.output
    assert "never counted (not residents' or detainee lists): " in result.output
    assert "left out as impossible" in result.output
    columns = cli("people", "columns", "--json")
    assert '"kind": "staff"' in columns.output and '"kind_reasons"' in columns.output


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("sheets: [{path: '*.xlsx', columns: {B: name, C: name}}]", "given to two columns"),
        ("sheets: [{path: '*.xlsx', columns: {B: nom}}]", "unknown field"),
        ("sheets: [{path: '*.xlsx', kind: prisoners}]", "unknown kind"),
        ("sheets: [{path: '*.xlsx', columns: {B: name, B: id_number}}]", "given twice"),
        ("sheets: [{path: 'registers/*.xlsx', sheet: NoSuchSheet}]", "no sheet 'NoSuchSheet'"),
    ],
)
def test_a_broken_columns_file_changes_nothing(
    mixed: Leak, tmp_path: Path, text: str, problem: str
) -> None:
    root = tmp_path / "case"
    shutil.copytree(mixed.case.root, root)
    case = open_case(root)
    before = compute_stats(case)
    (root / "columns.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "nothing").mkdir()
    result = _veracity("ingest", str(tmp_path / "nothing"), "--case", str(root))
    assert result.returncode == 2 and not result.stdout
    assert problem in result.stderr and result.stderr.count("\n") == 1
    (root / "columns.yaml").unlink()
    assert compute_stats(case) == before


def test_a_status_table_listing_a_word_twice_is_refused(mixed: Leak, tmp_path: Path) -> None:
    root = tmp_path / "case"
    shutil.copytree(mixed.case.root, root)
    for text, problem in (
        ("categories:\n  custody: [收押]\n  custody: [拘留]\n", "given twice"),
        ("categories:\n  custody: [收押, 收押]\n", "listed twice"),
        ("categories:\n  prison: [收押]\n", "unknown category"),
    ):
        (root / "status_categories.yaml").write_text(text, encoding="utf-8")
        result = _veracity("stats", "--case", str(root))
        assert result.returncode == 2 and not result.stdout, text
        assert problem in result.stderr and result.stderr.count("\n") == 1


def test_a_case_read_by_an_older_veracity_is_not_counted(mixed: Leak, tmp_path: Path) -> None:
    """Records without a kind of list (read before kinds existed) would silently drop out of
    every figure: the figures are refused until an ingest brings the case up to date."""
    root = tmp_path / "case"
    shutil.copytree(mixed.case.root, root)
    with sqlite3.connect(root / "case.db") as con:
        con.execute(
            "update records set register_kind = null where rowid = (select min(rowid) from records)"
        )
    result = _veracity("stats", "--case", str(root))
    assert result.returncode == 2 and "run `veracity ingest`" in result.stderr
    assert result.stderr.count("\n") == 1
