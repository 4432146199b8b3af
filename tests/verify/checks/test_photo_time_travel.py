"""photo_time_travel: a numbered shot dated before an earlier number trips it; an ordered
series, a burst and a second camera do not."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import piexif

from tests.conftest import run_ingest
from veracity.case import Case
from veracity.store import open_store
from veracity.synth._common import abstract_image
from veracity.verify import run_checks


def _photo(path: Path, taken: str, model: str = "EOS 5D") -> None:
    exif = piexif.dump(
        {
            "0th": {piexif.ImageIFD.Make: b"Canon", piexif.ImageIFD.Model: model.encode()},
            "Exif": {piexif.ExifIFD.DateTimeOriginal: taken.encode()},
        }
    )
    abstract_image(random.Random(path.name), 160, 120).save(path, quality=80, exif=exif)


def test_a_shot_dated_before_its_predecessor_is_reported(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    _photo(src / "IMG_0001.JPG", "2018:03:01 10:00:00")
    _photo(src / "IMG_0002.JPG", "2018:03:01 10:05:00")
    _photo(src / "IMG_0003.JPG", "2018:03:01 10:04:30")  # a burst: 30 s back is noise
    _photo(src / "IMG_0004.JPG", "2018:02:11 09:00:00")  # weeks back: time travel
    _photo(src / "IMG_0005.JPG", "2018:03:01 10:20:00")
    _photo(src / "DSC_0001.JPG", "2017:01:01 08:00:00", model="D750")  # another camera
    case = make_case()
    run_ingest(case, src)
    run_checks(case, ["photo_time_travel"])
    store = open_store(case, migrate=False)
    try:
        found = list(store.iter_findings("photo_time_travel"))
    finally:
        store.close()
    assert [(f["path"], f["evidence"]["other_path"]) for f in found] == [
        ("IMG_0004.JPG", "IMG_0002.JPG")
    ]
    assert found[0]["severity"] == "warning"
