"""photo_outside_span: a future date and a reset clock trip it as warnings, a photo years away
from the others as info; photos within the collection's span do not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.verify.checks._media import run_check
from tests.verify.checks.test_photo_time_travel import _photo
from veracity.case import Case
from veracity.verify.checks.photo_outside_span import PhotoOutsideSpan


def test_dates_outside_the_span(make_case: Callable[..., Case], tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for day in range(1, 25):
        _photo(src / f"IMG_{day:04d}.JPG", f"2018:03:{day:02d} 10:00:00")
    _photo(src / "future.jpg", "2031:01:01 10:00:00")
    _photo(src / "reset.jpg", "1980:01:01 00:00:00")
    _photo(src / "old.jpg", "2012:06:01 10:00:00")
    found = run_check(make_case, src, PhotoOutsideSpan)
    assert {p: f.severity for p, f in found.items()} == {
        "future.jpg": "warning",
        "reset.jpg": "warning",
        "old.jpg": "info",
    }
