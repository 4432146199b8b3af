"""photo_gps_time: a GPS clock 9 h off trips it; Beijing or Xinjiang time does not; a camera
whose every photo is off by the same amount is only `info`."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.verify.checks._media import CAMERA, TAKEN, run_check, shot, write_photo
from veracity.case import Case
from veracity.synth._exif import GeoPoint
from veracity.verify.checks.photo_gps_time import PhotoGpsTime


def test_a_gps_time_off_by_hours_trips_it(make_case: Callable[..., Case], tmp_path: Path) -> None:
    src = tmp_path / "src"
    write_photo(src / "DSC_0101.JPG", shot())
    write_photo(src / "DSC_0102.JPG", shot(TAKEN, gps_time=TAKEN - timedelta(hours=6)))  # UTC+6
    write_photo(src / "DSC_0103.JPG", shot(TAKEN, gps_time=TAKEN + timedelta(hours=1)))
    write_photo(src / "DSC_0104.JPG", shot(TAKEN, gps_time=TAKEN - timedelta(hours=7)))  # drift
    found = run_check(make_case, src, PhotoGpsTime)
    assert list(found) == ["DSC_0103.JPG"]
    assert found["DSC_0103.JPG"].severity == "warning"
    assert found["DSC_0103.JPG"].evidence["offset_hours"] == 9.0


def test_a_constant_offset_across_a_camera_is_info(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    for k in range(3):
        taken = TAKEN + timedelta(minutes=10 * k)
        write_photo(src / f"DSC_02{k}.JPG", shot(taken, gps_time=taken + timedelta(hours=4)))
    other = replace(CAMERA, serial="999")
    write_photo(src / "other.JPG", shot(), other)
    found = run_check(make_case, src, PhotoGpsTime)
    assert sorted(found) == ["DSC_020.JPG", "DSC_021.JPG", "DSC_022.JPG"]
    assert {f.severity for f in found.values()} == {"info"}


BERLIN = GeoPoint(52.5163, 13.3777, 34.0)
SANTA_MONICA = GeoPoint(34.0094, -118.4973, 5.0)


def test_the_time_zone_at_the_position_explains_the_clock(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    """Summer and winter time in Berlin, Pacific time in California: nothing. Beijing time
    on a camera in Berlin is no zone of that place: a warning."""
    src = tmp_path / "src"
    summer, winter = datetime(2019, 6, 9, 12, 57), datetime(2020, 1, 1, 17, 28)
    # cameras that state no zone (many do not write OffsetTimeOriginal)
    berlin_summer = shot(summer, gps=BERLIN, gps_time=summer - timedelta(hours=2), offset=None)
    write_photo(src / "summer.jpg", berlin_summer)
    berlin_winter = shot(winter, gps=BERLIN, gps_time=winter - timedelta(hours=1), offset=None)
    write_photo(src / "winter.jpg", berlin_winter)
    pier = datetime(2015, 2, 11, 17, 10)
    la = replace(CAMERA, serial="7")
    pacific = shot(pier, gps=SANTA_MONICA, gps_time=pier + timedelta(hours=8), offset=None)
    write_photo(src / "pier.jpg", pacific, la)
    beijing = shot(summer, gps=BERLIN, gps_time=summer - timedelta(hours=8), offset=None)
    write_photo(src / "odd.jpg", beijing, replace(CAMERA, serial="8"))
    found = run_check(make_case, src, PhotoGpsTime)
    assert list(found) == ["odd.jpg"] and found["odd.jpg"].severity == "warning"
    assert found["odd.jpg"].evidence["position_zone"] == "Europe/Berlin"


def test_a_stale_gps_fix_is_info(make_case: Callable[..., Case], tmp_path: Path) -> None:
    src = tmp_path / "src"
    fix = TAKEN - timedelta(hours=13)  # an old fix the receiver kept
    for k in range(2):
        taken = TAKEN + timedelta(minutes=7 * k)
        write_photo(src / f"DSC_03{k}.JPG", shot(taken, gps_time=fix))
    write_photo(src / "DSC_040.JPG", shot())
    found = run_check(make_case, src, PhotoGpsTime)
    assert sorted(found) == ["DSC_030.JPG", "DSC_031.JPG"]
    assert all(f.severity == "info" and f.evidence["stale_gps_fix"] for f in found.values())


CORPORA = Path(__file__).parents[3].parent / "shared" / "corpora"


@pytest.mark.skipif(not CORPORA.exists(), reason=f"real corpora not present at {CORPORA}")
def test_real_photos_from_europe_raise_no_warning(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    """Real photos with GPS (Italy, Spain, Finland: phones and cameras, exif-samples): their
    local times are explained by the zone at their position; the one Nikon series whose GPS
    date runs a day ahead of its clock is a constant offset (info), not a warning."""
    src = tmp_path / "src"
    shutil.copytree(CORPORA / "exif-samples" / "jpg", src / "jpg")
    found = run_check(make_case, src, PhotoGpsTime)
    assert [p for p, f in found.items() if f.severity != "info"] == []
    assert {f.evidence["position_zone"] for f in found.values()} <= {"Europe/Rome"}
