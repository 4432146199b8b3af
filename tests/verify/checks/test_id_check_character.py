"""id_check_character: a wrong last character trips it, with the right one in evidence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from tests.verify.checks._registers import row_of, run_on_rows
from veracity.case import Case
from veracity.people.idcard import make_id
from veracity.verify.checks.id_check_character import IdCheckCharacter

GOOD = make_id("653121", date(1985, 3, 12), 4, "男")
BAD = GOOD[:17] + ("1" if GOOD[17] != "1" else "2")


def test_a_wrong_check_character_is_a_warning(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    rows = [("艾山·吐尔逊", GOOD, "男"), ("阿依古丽·买买提", BAD, "男")]
    findings = run_on_rows(make_case, tmp_path / "leak", rows, IdCheckCharacter())
    assert [(f.severity, row_of(f)) for f in findings] == [("warning", 3)]
    assert findings[0].evidence == {"id_number": BAD, "written": BAD[17], "expected": GOOD[17]}


def test_valid_missing_and_short_numbers_are_no_finding(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    rows = [("艾山·吐尔逊", GOOD, "男"), ("努尔·艾山", "", "男"), ("热依拉·艾山", "6531", "女")]
    assert run_on_rows(make_case, tmp_path / "leak", rows, IdCheckCharacter()) == []
