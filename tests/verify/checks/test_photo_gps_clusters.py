"""photo_gps_clusters: a camera's photos at two places give two clusters; with --sites, the
place far from every site is a warning and the one at a site is not; a bad sites file is a
one-line usage error."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import run_ingest
from tests.verify.checks._media import SHUFU, TAKEN, shot, write_photo
from veracity.case import Case
from veracity.errors import UsageError
from veracity.store import open_store
from veracity.synth._exif import OUTLIER_POINT, GeoPoint
from veracity.verify import Finding
from veracity.verify.checks.photo_gps_clusters import PhotoGpsClusters, clusters, load_sites
from veracity.verify.view import CaseView


def _sites(path: Path, *points: tuple[str, float, float]) -> Path:
    features = [
        {"type": "Feature", "properties": {"name": name},
         "geometry": {"type": "Point", "coordinates": [lon, lat]}}
        for name, lat, lon in points
    ]  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _run(case: Case, sites: Path | None) -> list[Finding]:
    store = open_store(case)
    try:
        return list(PhotoGpsClusters().run(CaseView(case, store, {"sites": sites})))
    finally:
        store.close()


@pytest.fixture
def two_places(make_case: Callable[..., Case], tmp_path: Path) -> Case:
    src = tmp_path / "src"
    for k in range(4):  # 4 photos along a 330 m line: one cluster
        near = GeoPoint(SHUFU.lat + k * 0.001, SHUFU.lon, SHUFU.alt)
        write_photo(src / f"DSC_01{k}.JPG", shot(TAKEN + timedelta(minutes=k), gps=near))
    write_photo(src / "DSC_019.JPG", shot(TAKEN + timedelta(days=2), gps=OUTLIER_POINT))
    case = make_case()
    run_ingest(case, src)
    return case


def test_clusters_without_sites_are_info(two_places: Case) -> None:
    found = _run(two_places, None)
    assert [f.severity for f in found] == ["info", "info"]
    main, lone = found
    assert main.path is None and main.evidence["photos"] == 4
    assert main.evidence["first_taken"] == TAKEN.isoformat()
    assert 100 < main.evidence["radius_m"] < 250
    assert lone.path == "DSC_019.JPG" and lone.evidence["photos"] == 1


def test_a_place_far_from_every_site_trips_it(two_places: Case, tmp_path: Path) -> None:
    sites = _sites(tmp_path / "sites.geojson", ("kss", SHUFU.lat, SHUFU.lon))
    listing, main, lone = _run(two_places, sites)
    assert listing.evidence["sites"] == [{"name": "kss", "lat": SHUFU.lat, "lon": SHUFU.lon}]
    assert main.severity == "info" and main.evidence["nearest_site"]["distance_km"] < 0.5
    assert lone.severity == "warning" and lone.path == "DSC_019.JPG"
    assert 400 < lone.evidence["nearest_site"]["distance_km"] < 450


def test_chains_join_and_gaps_split() -> None:
    chain = [(39.0 + k * 0.004, 75.0) for k in range(10)]  # 445 m hops over 4 km
    assert clusters(chain) == [list(range(10))]
    apart = [(39.0, 75.0), (39.0, 75.0065), (39.0, 75.02)]  # 561 m, then 1.2 km
    assert clusters(apart) == [[0], [1], [2]]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{not json", "not a readable GeoJSON"),
        ('{"type": "Feature"}', "FeatureCollection"),
        ('{"features": [{"geometry": {"type": "Point", "coordinates": [75, 95]}}]}', "on Earth"),
        ('{"features": [{"geometry": {"type": "Point", "coordinates": ["a", 1]}}]}', "numbers"),
        ('{"features": [{"geometry": {"type": "Polygon", "coordinates": []}}]}', "Point"),
    ],
)
def test_a_bad_sites_file_is_a_usage_error(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(text)
    with pytest.raises(UsageError, match=says):
        load_sites(path)
