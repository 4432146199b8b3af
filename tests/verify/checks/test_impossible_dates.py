"""impossible_dates: detention before birth, future dates and pre-1900 births trip it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from tests.verify.checks._registers import row_of, run_on_rows
from veracity.case import Case
from veracity.people.idcard import make_id
from veracity.verify.checks.impossible_dates import ImpossibleDates


def test_each_impossible_date_is_a_warning(make_case: Callable[..., Case], tmp_path: Path) -> None:
    rows = [
        ("艾山·吐尔逊", make_id("653121", date(1985, 3, 12), 1, "男"), "男", "1985-03-12",
         "1984-06-01"),
        ("努尔·艾山", "", "男", "2099-01-01"),
        ("热依拉·艾山", "", "女", "1890-01-01"),
        ("阿依古丽·买买提", "", "女", "1970-01-01", "2099-05-01"),
    ]  # fmt: skip
    findings = run_on_rows(make_case, tmp_path / "leak", rows, ImpossibleDates())
    got = sorted((row_of(f), f.message) for f in findings)
    assert [row for row, _ in got] == [2, 3, 4, 5]
    assert "before the birth" in got[0][1]
    assert "future" in got[1][1] and "before 1900" in got[2][1] and "future" in got[3][1]
    assert {f.severity for f in findings} == {"warning"}


def test_ordinary_dates_are_no_finding(make_case: Callable[..., Case], tmp_path: Path) -> None:
    rows = [
        ("艾山·吐尔逊", make_id("653121", date(1985, 3, 12), 1, "男"), "男", "1985-03-12",
         "2017-06-01"),
        ("努尔·艾山", "", "男", "1900-01-01"),
        ("热依拉·艾山", "", "女", "", "2018-01-01"),
    ]  # fmt: skip
    assert run_on_rows(make_case, tmp_path / "leak", rows, ImpossibleDates()) == []
