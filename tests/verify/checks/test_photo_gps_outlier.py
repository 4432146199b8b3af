"""photo_gps_outlier: one photo 420 km from its camera's series trips it; the series, another
camera's photos and a camera with too few photos do not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from tests.verify.checks._media import CAMERA, SHUFU, TAKEN, run_check, shot, write_photo
from veracity.case import Case
from veracity.synth._exif import OUTLIER_POINT, GeoPoint
from veracity.verify.checks.photo_gps_outlier import PhotoGpsOutlier


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
