"""photo_thumbnail_mismatch: a thumbnail of another picture trips it; its own does not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.verify.checks._media import run_check, shot, write_photo
from veracity.case import Case
from veracity.verify.checks.photo_thumbnail_mismatch import PhotoThumbnailMismatch, hamming


def test_a_thumbnail_of_another_picture_trips_it(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    write_photo(tmp_path / "src" / "swapped.jpg", shot(), other_thumbnail=True)
    write_photo(tmp_path / "src" / "own.jpg", shot())
    found = run_check(make_case, tmp_path / "src", PhotoThumbnailMismatch)
    assert list(found) == ["swapped.jpg"]
    assert found["swapped.jpg"].evidence["distance"] >= 12


def test_hamming_ignores_unusable_hashes() -> None:
    assert hamming("ff00", "0f00") == 4
    assert hamming("ff00", None) is None
    assert hamming("zz00", "0000") is None
