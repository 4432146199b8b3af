"""id_region: unknown and abolished codes are warnings, a code newer than the birth only info."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from tests.verify.checks._registers import row_of, run_on_rows
from veracity.case import Case
from veracity.people.idcard import make_id
from veracity.verify.checks.id_region import IdRegion


def test_unknown_and_abolished_codes_are_warnings_a_later_code_is_info(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    rows = [
        ("艾山·吐尔逊", make_id("659999", date(1985, 3, 12), 1, "男"), "男"),  # no such code
        ("努尔·艾山", make_id("650108", date(2010, 5, 1), 1, "男"), "男"),  # 东山区, gone 2007
        ("热依拉·艾山", make_id("650109", date(1985, 3, 12), 1, "女"), "女"),  # 米东区, from 2007
        ("古丽·艾山", make_id("650109", date(1986, 3, 12), 1, "女"), "女"),  # noted with row 4
    ]
    findings = run_on_rows(make_case, tmp_path / "leak", rows, IdRegion())
    got = {row_of(f): (f.severity, f.evidence["timing"]) for f in findings}
    assert got == {
        2: ("warning", "unknown"),
        3: ("warning", "retired_before"),
        4: ("info", "introduced_later"),
    }
    assert findings[0].evidence["region_code"] == "659999"
    assert findings[-1].evidence["count"] == 2


def test_other_provinces_are_judged_too(make_case: Callable[..., Case], tmp_path: Path) -> None:
    rows = [
        ("测试一", make_id("990426", date(1991, 12, 1), 1, "男"), "男"),  # no province 99
        ("测试二", make_id("110199", date(1991, 12, 1), 1, "男"), "男"),  # no such Beijing county
        ("测试三", make_id("110201", date(1993, 12, 1), 1, "男"), "男"),  # 昌平县, gone 1982
        ("测试四", make_id("110111", date(1980, 12, 1), 1, "男"), "男"),  # 房山区 from 1986: info
    ]
    findings = run_on_rows(make_case, tmp_path / "leak", rows, IdRegion())
    got = {row_of(f): f for f in findings}
    assert {row: f.severity for row, f in got.items()} == {
        2: "warning",
        3: "warning",
        4: "warning",
        5: "info",
    }
    assert "names no province (99" in got[2].message
    assert "names no county of 市辖区" in got[3].message
    assert got[4].evidence["timing"] == "retired_before"


def test_codes_in_use_and_other_provinces_are_no_finding(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    rows = [
        ("艾山·吐尔逊", make_id("650109", date(2010, 3, 12), 1, "男"), "男"),
        ("努尔·艾山", make_id("110101", date(1985, 5, 1), 1, "男"), "男"),  # Beijing
    ]
    assert run_on_rows(make_case, tmp_path / "leak", rows, IdRegion()) == []
