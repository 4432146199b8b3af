"""near_duplicate_photos: a re-encoded, resized copy trips it; an unrelated photo does not."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from tests.conftest import run_ingest
from veracity.case import Case
from veracity.store import open_store
from veracity.synth._common import abstract_image
from veracity.verify import run_checks


def test_copies_are_paired_and_unrelated_photos_are_not(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    picture = abstract_image(random.Random(1), 640, 480, "A")
    picture.save(src / "original.jpg", quality=92)
    picture.resize((320, 240), Image.Resampling.LANCZOS).save(src / "copy.jpg", quality=60)
    abstract_image(random.Random(2), 640, 480, "B").save(src / "other.jpg", quality=92)
    case = make_case()
    run_ingest(case, src)
    run_checks(case, ["near_duplicate_photos"])
    store = open_store(case, migrate=False)
    try:
        found = list(store.iter_findings("near_duplicate_photos"))
    finally:
        store.close()
    assert [(f["path"], f["evidence"]["other_path"]) for f in found] == [
        ("copy.jpg", "original.jpg")
    ]
    assert found[0]["severity"] == "info" and found[0]["evidence"]["distance"] <= 6
