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


def test_codes_in_use_and_other_provinces_are_no_finding(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    rows = [
        ("艾山·吐尔逊", make_id("650109", date(2010, 3, 12), 1, "男"), "男"),
        ("努尔·艾山", make_id("110101", date(1985, 5, 1), 1, "男"), "男"),  # Beijing
    ]
    assert run_on_rows(make_case, tmp_path / "leak", rows, IdRegion()) == []
