"""id_shared: one ID under two wholly different names trips it; transcriptions do not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from tests.verify.checks._registers import row_of, run_on_rows
from veracity.case import Case
from veracity.people.idcard import make_id
from veracity.verify.checks.id_shared import IdShared

ID = make_id("654027", date(1991, 5, 21), 5, "女")


def test_two_different_people_on_one_id_are_both_warnings(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    rows = [
        ("古丽娜尔·阿不都卡德尔", ID, "女"),
        ("阿依夏·艾山", ID, "女"),
        ("古力娜尔·阿布都卡德尔", ID, "女"),  # the first name, transcribed another way
    ]
    findings = run_on_rows(make_case, tmp_path / "leak", rows, IdShared())
    assert sorted((row_of(f), f.severity) for f in findings) == [
        (2, "warning"),
        (3, "warning"),
        (4, "warning"),
    ]
    second = next(f for f in findings if row_of(f) == 3)
    assert second.evidence["other_count"] == 2
    assert {o["locator"]["row"] for o in second.evidence["others"]} == {2, 4}


def test_transcriptions_and_swapped_order_of_one_name_are_no_finding(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    other = make_id("654027", date(1960, 5, 3), 5, "女")
    rows = [
        ("麦尔耶姆·依力亚斯", other, "女"),
        ("玛丽亚木·伊力亚斯", other, "女"),
        ("依力亚斯·麦尔耶姆", other, "女"),  # father's name first
        ("艾力·买买提", ID, "女"),
        ("阿里·麦麦提", ID, "女"),
        ("艾力", ID, "女"),  # no father's name
    ]
    assert run_on_rows(make_case, tmp_path / "leak", rows, IdShared()) == []


def test_names_sharing_only_a_common_opening_are_two_people(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    rows = [("阿不都赛买提·迪力夏提", ID, "男"), ("阿不都热扎克·吾甫尔", ID, "男")]
    findings = run_on_rows(make_case, tmp_path / "leak", rows, IdShared())
    assert [f.severity for f in findings] == ["warning", "warning"]


def test_homophone_transcriptions_no_table_lists_are_no_finding(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    """Clerks' homophones (热依木/热衣木, 波拉提/坡拉提) are one name, listed or not."""
    rows = [
        ("热依木·波拉提", ID, "女"),
        ("热衣木·坡拉提", ID, "女"),
        ("惹依木·波垃提", ID, "女"),
    ]
    assert run_on_rows(make_case, tmp_path / "leak", rows, IdShared()) == []


def test_a_row_contradicting_the_shared_id_is_a_warning_whatever_the_names(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    rows = [
        ("古丽娜尔·阿不都卡德尔", ID, "女", "1991-05-21"),
        ("古丽娜尔·阿不都卡德尔", ID, "男", "1991-05-21"),  # the ID says 女
        ("古力娜尔·阿布都卡德尔", ID, "女", "1985-02-02"),  # the ID says 1991-05-21
    ]
    findings = run_on_rows(make_case, tmp_path / "leak", rows, IdShared())
    assert sorted(row_of(f) for f in findings) == [3, 4]
    assert all(f.severity == "warning" and f.evidence["contradicts_id"] for f in findings)
    assert "the ID says" in findings[0].message
