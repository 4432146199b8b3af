"""register_region: foreign ID codes are counted once per register and code, as info."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from tests.verify.checks._registers import run_on_rows
from veracity.case import Case
from veracity.people.idcard import make_id
from veracity.verify.checks.register_region import RegisterRegion, county_in


def _rows(codes: list[str]) -> list[tuple[str, str, str]]:
    return [
        ("艾山·吐尔逊", make_id(code, date(1970 + i, 3, 12), i, "男"), "男")
        for i, code in enumerate(codes)
    ]


def test_foreign_codes_are_grouped_per_register_and_code(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    codes = ["653121"] * 12 + ["654027", "654027", "110101"]  # 疏附县, 2 × 特克斯县, Beijing
    findings = run_on_rows(make_case, tmp_path / "leak", _rows(codes), RegisterRegion())
    got = {f.evidence["region_code"]: f for f in findings}
    assert set(got) == {"654027", "110101"}
    assert {f.severity for f in findings} == {"info"}
    tekes = got["654027"].evidence
    assert tekes["count"] == 2
    assert tekes["register_county"] == "疏附县"
    assert tekes["county_from"] == "id_codes"
    assert [r["row"] for r in tekes["rows"]] == [14, 15]
    assert got["110101"].evidence["region"] == "东城区"  # the region table is national


def test_a_register_of_its_own_county_is_no_finding(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    rows = _rows(["653121"] * 5)
    assert run_on_rows(make_case, tmp_path / "leak", rows, RegisterRegion()) == []


def test_county_is_read_from_an_address_or_path() -> None:
    county = county_in("新疆维吾尔自治区喀什地区疏附县乌帕尔乡喀拉墩村5组46号")
    assert county is not None and county.name == "疏附县" and county.prefecture == "喀什地区"
    found = county_in("registers/特克斯县/名单.xlsx")
    assert found is not None and found.name == "特克斯县"
    assert county_in("名单.xlsx") is None
