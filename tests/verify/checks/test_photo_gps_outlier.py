"""photo_gps_outlier: one photo 420 km from its camera's series trips it; the series, another
camera's photos and a camera with too few photos do not."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from tests.conftest import run_ingest
from tests.verify.checks._media import CAMERA, SHUFU, TAKEN, run_check, shot, write_photo
from veracity.case import Case
from veracity.store import open_store
from veracity.synth._exif import OUTLIER_POINT, GeoPoint
from veracity.verify.checks.photo_gps_outlier import PhotoGpsOutlier
from veracity.verify.view import CaseView


def test_a_photo_far_from_its_series_trips_it(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    for k in range(4):
        near = GeoPoint(SHUFU.lat + k * 0.001, SHUFU.lon, SHUFU.alt)
        write_photo(src / f"DSC_01{k}.JPG", shot(TAKEN + timedelta(minutes=k), gps=near))
    write_photo(src / "DSC_019.JPG", shot(gps=OUTLIER_POINT))
    other = replace(CAMERA, serial="999")  # two photos far apart: too few to call an outlier
    write_photo(src / "B1.JPG", shot(gps=OUTLIER_POINT), other)
    write_photo(src / "B2.JPG", shot(), other)
    found = run_check(make_case, src, PhotoGpsOutlier)
    assert list(found) == ["DSC_019.JPG"]
    assert 400 < found["DSC_019.JPG"].evidence["distance_km"] < 450


def test_a_group_far_from_the_series_trips_it_unless_at_a_known_site(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    """Two photos together 420 km away (each other's nearest neighbour): both warnings; with
    --sites listing that place, info."""
    src = tmp_path / "src"
    for k in range(5):
        near = GeoPoint(SHUFU.lat + k * 0.001, SHUFU.lon, SHUFU.alt)
        write_photo(src / f"DSC_01{k}.JPG", shot(TAKEN + timedelta(minutes=k), gps=near))
    for k in range(2):
        far = GeoPoint(OUTLIER_POINT.lat + k * 0.002, OUTLIER_POINT.lon, OUTLIER_POINT.alt)
        write_photo(src / f"DSC_02{k}.JPG", shot(TAKEN + timedelta(hours=3, minutes=k), gps=far))
    found = run_check(make_case, src, PhotoGpsOutlier)
    assert sorted(found) == ["DSC_020.JPG", "DSC_021.JPG"]
    assert {f.severity for f in found.values()} == {"warning"}
    assert found["DSC_020.JPG"].evidence["group_photos"] == 2

    sites = tmp_path / "sites.geojson"
    sites.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "Aksu depot"},
        "geometry": {"type": "Point", "coordinates": [OUTLIER_POINT.lon, OUTLIER_POINT.lat]},
    }]}), encoding="utf-8")  # fmt: skip
    case = make_case()
    run_ingest(case, src)
    store = open_store(case)
    try:
        view = CaseView(case, store, {"sites": str(sites)})
        placed = {f.path: f for f in PhotoGpsOutlier().run(view)}
    finally:
        store.close()
    assert {f.severity for f in placed.values()} == {"info"} and len(placed) == 2
    assert placed["DSC_020.JPG"].evidence["known_site"] == "Aksu depot"
