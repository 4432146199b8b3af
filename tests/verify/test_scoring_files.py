"""Recall and precision of the photo and Office checks on a synthetic leak's planted anomalies.

A planted anomaly counts as found when its check reports its path at `warning` or above;
every other `warning`/`critical` finding of those checks is a false positive.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from tests.conftest import run_ingest
from veracity.case import open_case
from veracity.store import open_store
from veracity.synth import SynthConfig, generate, truth_path
from veracity.verify import CaseView
from veracity.verify.checks.office_created_after_modified import OfficeCreatedAfterModified
from veracity.verify.checks.office_version_anachronism import OfficeVersionAnachronism
from veracity.verify.checks.photo_editing_software import PhotoEditingSoftware
from veracity.verify.checks.photo_gps_outlier import PhotoGpsOutlier
from veracity.verify.checks.photo_gps_time import PhotoGpsTime
from veracity.verify.checks.photo_modify_before_original import PhotoModifyBeforeOriginal
from veracity.verify.checks.photo_thumbnail_mismatch import PhotoThumbnailMismatch

#: truth kind -> the check that must find it (None: a check with nothing planted for it)
KINDS = {
    "photo_edited_software": PhotoEditingSoftware,
    "photo_thumbnail_mismatch": PhotoThumbnailMismatch,
    "photo_gps_time_offset": PhotoGpsTime,
    "photo_gps_outlier": PhotoGpsOutlier,
    "office_created_after_modified": OfficeCreatedAfterModified,
    "office_version_anachronism": OfficeVersionAnachronism,
}
CHECKS = (*KINDS.values(), PhotoModifyBeforeOriginal)


@pytest.fixture(scope="module", params=[5, 23])
def scored(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(planted paths by check, warning-or-worse paths by check) for one synthetic leak."""
    root = tmp_path_factory.mktemp(f"scoring{request.param}")
    out = root / "leak"
    generate(out, SynthConfig(seed=request.param, people=200, photos=160, documents=20))
    case = open_case(root / "case", create=True)
    run_ingest(case, out)
    planted: dict[str, set[str]] = defaultdict(set)
    for anomaly in json.loads(truth_path(out).read_text())["anomalies"]:
        if anomaly["kind"] in KINDS:
            planted[KINDS[anomaly["kind"]].NAME].add(anomaly["path"])
    store = open_store(case)
    try:
        view = CaseView(case, store)
        found = {
            check.NAME: {f.path or "" for f in check().run(view) if f.severity != "info"}
            for check in CHECKS
        }
    finally:
        store.close()
    return planted, found


def test_recall_and_precision(scored: tuple[dict[str, set[str]], dict[str, set[str]]]) -> None:
    planted, found = scored
    hits = sum(len(planted[name] & paths) for name, paths in found.items())
    total_planted = sum(len(p) for p in planted.values())
    total_found = sum(len(p) for p in found.values())
    for name, paths in found.items():
        missed, extra = planted[name] - paths, paths - planted[name]
        print(f"{name}: planted {len(planted[name])} found {len(paths)} "
              f"missed {sorted(missed)} false {sorted(extra)}")  # fmt: skip
    recall, precision = hits / total_planted, hits / max(total_found, 1)
    print(f"photo/office files: recall {recall:.3f} precision {precision:.3f}")
    assert total_planted == len(KINDS)
    assert recall >= 0.95
    assert precision >= 0.9
