"""id_birth_date: a birth-date column a year off the ID trips it; an agreeing or empty one not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from tests.verify.checks._registers import run_on_rows
from veracity.case import Case
from veracity.people.idcard import make_id
from veracity.verify.checks.id_birth_date import IdBirthDate

ID = make_id("653121", date(1985, 3, 12), 4, "男")


def test_a_column_that_differs_from_the_id_is_a_warning(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    rows = [("艾山·吐尔逊", ID, "男", "1986-03-12")]
    findings = run_on_rows(make_case, tmp_path / "leak", rows, IdBirthDate())
    assert [f.severity for f in findings] == ["warning"]
    assert findings[0].evidence == {
        "id_number": ID,
        "id_birth_date": "1985-03-12",
        "column_birth_date": "1986-03-12",
    }


def test_the_same_date_in_another_form_or_no_date_is_no_finding(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    other = make_id("653121", date(1990, 1, 2), 4, "女")
    rows = [("艾山·吐尔逊", ID, "男", "1985年3月12日"), ("阿依古丽·买买提", other, "女", "")]
    assert run_on_rows(make_case, tmp_path / "leak", rows, IdBirthDate()) == []
