"""consistency: rows with a valid ID and no warning at them, counted per reason and register."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from tests.conftest import run_ingest
from tests.verify.checks._registers import write_register
from veracity.case import Case
from veracity.people.idcard import make_id
from veracity.store import open_store
from veracity.verify.consistency import consistency, row_key
from veracity.verify.view import CaseView


def test_reasons_and_registers(make_case: Callable[..., Case], tmp_path: Path) -> None:
    rows = [
        ("艾山", make_id("653121", date(1970, 3, 12), 1, "男"), "男"),
        ("努尔", make_id("653121", date(1971, 3, 12), 1, "男"), "男"),  # warned below
        ("古丽", "653121199007010021", "女"),  # wrong check character
    ]
    write_register(tmp_path / "leak", rows)
    case = make_case()
    run_ingest(case, tmp_path / "leak")
    findings = [
        {"check": "id_sex", "severity": "warning", "path": "名单.csv",
         "locator": {"sheet": "名单.csv", "row": 3}},
        {"check": "id_region", "severity": "info", "path": "名单.csv",
         "locator": {"sheet": "名单.csv", "row": 2}},
    ]  # fmt: skip
    store = open_store(case, migrate=False)
    try:
        result = consistency(CaseView(case, store), findings)
    finally:
        store.close()
    assert (result.total, result.consistent) == (3, 1)
    assert result.reasons == {"id_sex": 1, "id_status:bad_check": 1}
    register = result.registers["名单.csv"]
    assert (register.total, register.consistent) == (3, 1)
    assert round(result.percent, 1) == 33.3


def test_row_key_ignores_findings_without_a_row() -> None:
    assert row_key("a.csv", {"sheet": "S", "row": "4"}) == ("a.csv", "S", 4)
    assert row_key("a.csv", None) is None
    assert row_key("a.csv", {"row": "x"}) is None
