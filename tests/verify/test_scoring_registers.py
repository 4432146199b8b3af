"""The register-row checks scored against the synthetic leak's planted defects.

Recall: the share of planted id_* anomalies that a check reports, at the same path and row,
as a warning or worse. Precision: the share of those warnings that fall on a planted anomaly of
the check's kind, so a warning on a clean row (or on another kind's row) counts against it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import run_ingest
from veracity.case import open_case
from veracity.store import open_store
from veracity.synth import SynthConfig, generate, truth_path
from veracity.verify import Check
from veracity.verify.checks.id_birth_date import IdBirthDate
from veracity.verify.checks.id_check_character import IdCheckCharacter
from veracity.verify.checks.id_region import IdRegion
from veracity.verify.checks.id_sex import IdSex
from veracity.verify.checks.id_shared import IdShared
from veracity.verify.checks.impossible_dates import ImpossibleDates
from veracity.verify.view import CaseView

#: planted kind -> the check that must report it
KINDS: dict[str, type[Check]] = {
    "id_check_character": IdCheckCharacter,
    "id_birth_date_mismatch": IdBirthDate,
    "id_sex_mismatch": IdSex,
    "id_region_unknown": IdRegion,
    "id_shared": IdShared,
}
RECALL, PRECISION = 0.95, 0.9

Spot = tuple[str, str, int]


def _spot(path: str | None, locator: Any) -> Spot:
    return (path or "", str(locator["sheet"]), int(locator["row"]))


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[set[Spot], set[Spot]]]:
    """Per check: (spots planted for it, spots it warned about), plus `impossible_dates`."""
    root = tmp_path_factory.mktemp("score_registers")
    generate(root / "leak", SynthConfig(seed=11, people=1200, photos=4, documents=2))
    truth = json.loads(truth_path(root / "leak").read_text(encoding="utf-8"))
    case = open_case(root / "case", create=True)
    run_ingest(case, root / "leak")
    store = open_store(case, migrate=False)
    out: dict[str, tuple[set[Spot], set[Spot]]] = {}
    try:
        view = CaseView(case, store)
        shared = _rows_of_shared_ids(view)
        checks: tuple[type[Check], ...] = (*KINDS.values(), ImpossibleDates)
        for cls in checks:
            kinds = [k for k, c in KINDS.items() if c is cls]
            planted = {
                _spot(a["path"], a["locator"]) for a in truth["anomalies"] if a["kind"] in kinds
            }
            if cls is IdShared:  # a row contradicting the ID it shares: whatever the names
                planted |= {
                    spot
                    for a in truth["anomalies"]
                    if a["kind"] in ("id_birth_date_mismatch", "id_sex_mismatch")
                    and (spot := _spot(a["path"], a["locator"])) in shared
                }
            warned = {
                _spot(f.path, f.locator)
                for f in cls().run(view)
                if f.severity in ("warning", "critical")
            }
            out[cls.NAME] = (planted, warned)
    finally:
        store.close()
    return out


def _rows_of_shared_ids(view: CaseView) -> set[Spot]:
    """The rows whose valid ID is written on at least one other row."""
    by_id: dict[str, set[Spot]] = {}
    for item in view.records():
        if item.record.id_status == "valid" and item.record.id_number:
            by_id.setdefault(item.record.id_number, set()).add(_spot(item.path, item.locator))
    return {spot for spots in by_id.values() if len(spots) > 1 for spot in spots}


@pytest.mark.parametrize("name", [c.NAME for c in KINDS.values()])
def test_recall_and_precision(scored: dict[str, tuple[set[Spot], set[Spot]]], name: str) -> None:
    planted, warned = scored[name]
    hits = planted & warned
    recall = len(hits) / len(planted)
    precision = len(hits) / len(warned) if warned else 1.0
    print(f"{name}: planted {len(planted)}, warned {len(warned)}, "
          f"recall {recall:.2f}, precision {precision:.2f}")  # fmt: skip
    assert planted, "the synthetic leak planted none of this kind"
    assert recall >= RECALL, sorted(planted - warned)
    assert precision >= PRECISION, sorted(warned - planted)


def test_no_impossible_dates_in_the_synthetic_leak(
    scored: dict[str, tuple[set[Spot], set[Spot]]],
) -> None:
    assert scored["impossible_dates"][1] == set()
