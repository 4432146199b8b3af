"""register_distributions: a fabricated register is a warning, a realistic one only described."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import run_ingest
from tests.verify.checks._registers import run_on_rows
from veracity.case import Case
from veracity.people.idcard import make_id
from veracity.store import open_store
from veracity.verify.checks.register_distributions import (
    RegisterDistributions,
    binomial_two_sided,
    chi2_sf,
)
from veracity.verify.view import CaseView


def test_sequential_numbers_of_one_sex_are_a_warning(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    rows = [
        ("艾山·吐尔逊", make_id("653121", date(1960 + i, 3, 12), i, "男"), "男") for i in range(30)
    ]
    [finding] = run_on_rows(make_case, tmp_path / "leak", rows, RegisterDistributions())
    assert finding.severity == "warning"
    assert finding.locator is None
    evidence = finding.evidence
    assert evidence["sexes"] == {"男": 30}
    assert evidence["sequence_bins"][0] == 30
    assert evidence["sequence_p"] < 1e-6
    assert evidence["consecutive_pairs"] == 29
    assert len(evidence["problems"]) == 2  # sequence numbers and sex


def test_a_realistic_register_is_only_described(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    rng = random.Random(7)
    rows = []
    for i in range(40):
        sex = rng.choice("男女")
        born = date(rng.randrange(1945, 2010), rng.randrange(1, 13), rng.randrange(1, 28))
        code = "653121" if i % 10 else "654027"
        rows.append(("艾山·吐尔逊", make_id(code, born, rng.randrange(500), sex), sex))
    [finding] = run_on_rows(make_case, tmp_path / "leak", rows, RegisterDistributions())
    assert finding.severity == "info", finding.message
    assert finding.evidence["rows"] == 40
    assert finding.evidence["own_county_share"] == 0.9
    assert sum(finding.evidence["birth_years"].values()) == 40


@pytest.mark.parametrize(
    ("x", "df", "expected"),
    [(3.0, 9, 0.964295), (90.0, 9, 1.62807e-15), (5.0, 4, 0.287297), (2.0, 1, 0.157299)],
)
def test_chi2_tail_matches_published_values(x: float, df: int, expected: float) -> None:
    assert chi2_sf(x, df) == pytest.approx(expected, rel=1e-5)


def test_binomial_tail() -> None:
    assert binomial_two_sided(0, 30) == pytest.approx(2 * 0.5**30)
    assert binomial_two_sided(40, 100) == pytest.approx(0.056888, rel=1e-4)


def test_a_staff_roster_is_judged_on_its_sequence_numbers_only(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    """Police are mostly men from elsewhere: on a staff roster that is no sign of forgery."""
    rng = random.Random(3)
    leak = tmp_path / "leak"
    leak.mkdir()
    lines = ["姓名,身份证号,性别,警号,职务"]
    for i in range(30):
        born = date(rng.randrange(1965, 1995), rng.randrange(1, 13), rng.randrange(1, 28))
        lines.append(f"员工,{make_id('110101', born, rng.randrange(500), '男')},男,0{i},民警")
    (leak / "民警花名册.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    case = make_case()
    run_ingest(case, leak)
    store = open_store(case, migrate=False)
    try:
        [finding] = RegisterDistributions().run(CaseView(case, store))
    finally:
        store.close()
    assert finding.evidence["register_kind"] == "staff"
    assert finding.evidence["sexes"] == {"男": 30}
    assert finding.severity == "info", finding.message
