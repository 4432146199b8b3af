"""photo_gps_time: a GPS clock 9 h off trips it; Beijing or Xinjiang time does not; a camera
whose every photo is off by the same amount is only `info`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from tests.verify.checks._media import CAMERA, TAKEN, run_check, shot, write_photo
from veracity.case import Case
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
