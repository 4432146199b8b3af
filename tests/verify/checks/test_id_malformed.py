"""id_malformed: a row whose ID has no ID's shape or no real date gets a warning saying why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from tests.verify.checks._registers import row_of, run_on_rows
from veracity.case import Case
from veracity.people.idcard import check_character, make_id
from veracity.verify.checks.id_malformed import IdMalformed


def _with_check(first17: str) -> str:
    return first17 + check_character(first17)


def test_malformed_and_impossible_dates_are_warnings_saying_why(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    rows = [
        ("测试一", "65312X19850312001", "男"),  # a letter inside, 17 characters
        ("测试二", _with_check("65312119851332001"), "男"),  # month 13
        ("测试三", _with_check("65312119910230002"), "女"),  # 30 February
        ("测试四", "6531211985031200", "男"),  # 16 digits
        ("测试五", make_id("653121", date(1985, 3, 12), 1, "男"), "男"),  # fine: no finding
        ("测试六", "653121850312011", "男"),  # a good 15-digit ID: no finding
    ]
    findings = run_on_rows(make_case, tmp_path / "leak", rows, IdMalformed())
    got = {row_of(f): f for f in findings}
    assert set(got) == {2, 3, 4, 5} and all(f.severity == "warning" for f in findings)
    assert "has 17 characters, not 18" in got[2].message and "'X' at position 6" in got[2].message
    assert got[3].message.startswith("birth date 19851332 in ID")
    assert "there is no month 13" in got[3].message
    assert "February 1991 has no day 30" in got[4].message
    assert "has 16 characters, not 18" in got[5].message
    assert got[3].evidence["id_status"] == "bad_date"


def test_excel_rounded_cells_are_one_note_per_register(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    rows = [("测试一", "6.53121E+17", "男"), ("测试二", "6.53122E+17", "女")]
    findings = run_on_rows(make_case, tmp_path / "leak", rows, IdMalformed())
    assert len(findings) == 1 and findings[0].severity == "info"
    assert findings[0].evidence["count"] == 2 and "Excel" in findings[0].message
