"""photo_modify_before_original: ModifyDate a day before the shot trips it; later does not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from tests.verify.checks._media import TAKEN, run_check, shot, write_photo
from veracity.case import Case
from veracity.verify.checks.photo_modify_before_original import PhotoModifyBeforeOriginal


def test_modified_before_taken_trips_it(make_case: Callable[..., Case], tmp_path: Path) -> None:
    src = tmp_path / "src"
    write_photo(src / "backdated.jpg", shot(modified_at=TAKEN - timedelta(days=1)))
    write_photo(src / "later.jpg", shot(modified_at=TAKEN + timedelta(days=3)))
    write_photo(src / "same.jpg", shot())
    found = run_check(make_case, src, PhotoModifyBeforeOriginal)
    assert list(found) == ["backdated.jpg"]
    assert found["backdated.jpg"].severity == "warning"
