"""Every registered check at once, as `veracity verify --reference --sites` runs them, scored
against the planted anomalies: the issue's recall (≥ 0.95) and precision (≥ 0.9), by place.

A planted anomaly is found when some check flags its path and locator at `warning` or worse;
every other place flagged at `warning` or worse is a false positive.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_ingest
from veracity.case import open_case
from veracity.store import open_store
from veracity.synth import SynthConfig, generate, reference_path, truth_path
from veracity.verify import run_checks
from veracity.verify.registry import CHECKS


@pytest.mark.parametrize("seed", [7])
def test_all_checks_recall_and_precision(
    seed: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp(f"all{seed}")
    leak = root / "leak"
    generate(leak, SynthConfig(seed=seed, people=400, photos=160, documents=20))
    case = open_case(root / "case", create=True)
    run_ingest(case, leak)
    reference = reference_path(leak)
    summary = run_checks(case, (), {"reference": reference, "sites": reference / "sites.geojson"})
    assert not [name for name, result in summary.items() if "error" in result]
    assert set(summary) == {c.NAME for c in CHECKS}
    store = open_store(case, migrate=False)
    try:
        flagged = {
            (f["path"], json.dumps(f["locator"], sort_keys=True))
            for f in store.iter_findings()
            if f["severity"] in ("warning", "critical")
        }
    finally:
        store.close()
    planted = {
        (a["path"], json.dumps(a["locator"], sort_keys=True))
        for a in json.loads(truth_path(leak).read_text())["anomalies"]
    }
    recall = len(planted & flagged) / len(planted)
    precision = len(planted & flagged) / max(len(flagged), 1)
    print(f"all checks: recall {recall:.3f} precision {precision:.3f}; missed "
          f"{sorted(planted - flagged)}; false {sorted(flagged - planted)}")  # fmt: skip
    assert recall >= 0.95
    assert precision >= 0.9
