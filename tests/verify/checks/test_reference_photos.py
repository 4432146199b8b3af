"""reference_photos: a published, resized copy trips it; an unrelated photo does not."""

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


def test_published_copy_is_matched_and_unrelated_photo_is_not(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    leak, reference = tmp_path / "leak", tmp_path / "reference"
    leak.mkdir()
    reference.mkdir()
    picture = abstract_image(random.Random(1), 640, 480, "A")
    picture.save(leak / "camp.jpg", quality=92)
    abstract_image(random.Random(2), 640, 480, "B").save(leak / "other.jpg", quality=92)
    small = picture.resize((320, 240), Image.Resampling.LANCZOS)
    small.save(reference / "published.jpg", quality=60)
    case = make_case()
    run_ingest(case, leak)
    run_checks(case, ["reference_photos"], {"reference": reference})
    store = open_store(case, migrate=False)
    try:
        found = list(store.iter_findings("reference_photos"))
    finally:
        store.close()
    assert [(f["path"], f["evidence"]["reference_path"]) for f in found] == [
        ("camp.jpg", "published.jpg")
    ]
    assert found[0]["severity"] == "info" and found[0]["evidence"]["distance"] <= 6
