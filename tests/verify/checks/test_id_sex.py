"""id_sex: a woman's row with a man's ID number trips it; agreeing rows do not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from tests.verify.checks._registers import run_on_rows
from veracity.case import Case
from veracity.people.idcard import make_id
from veracity.verify.checks.id_sex import IdSex

BORN = date(1985, 3, 12)


def test_a_male_number_on_a_woman_is_a_warning(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    male = make_id("653121", BORN, 4, "男")
    rows = [
        ("阿依古丽·买买提", male, "女", "1985-03-12"),
        ("艾山·吐尔逊", make_id("653121", BORN, 5, "男"), "男", "1985-03-12"),
    ]
    findings = run_on_rows(make_case, tmp_path / "leak", rows, IdSex())
    assert [(f.severity, f.locator) for f in findings] == [
        ("warning", {"sheet": "名单.csv", "row": 2})
    ]
    assert findings[0].evidence == {"id_number": male, "id_sex": "男", "column_sex": "女"}


def test_agreeing_or_unreadable_sex_is_no_finding(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    rows = [
        ("阿依古丽·买买提", make_id("653121", BORN, 4, "女"), "女", "1985-03-12"),
        ("艾山·吐尔逊", make_id("653121", BORN, 5, "男"), "M", "1985-03-12"),
        ("努尔·艾山", make_id("653121", BORN, 6, "男"), "?", "1985-03-12"),
        ("热依拉·艾山", make_id("653121", BORN, 7, "女"), "", "1985-03-12"),
    ]
    assert run_on_rows(make_case, tmp_path / "leak", rows, IdSex()) == []
