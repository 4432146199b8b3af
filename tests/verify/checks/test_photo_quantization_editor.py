"""photo_quantization_editor: a camera's photo re-saved with Photoshop's or libjpeg's tables
trips it; the camera's own photos, a camera that only ever writes libjpeg tables and a photo
without camera EXIF do not."""

from __future__ import annotations

import io
import json
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PIL import Image, JpegPresets

from tests.verify.checks._media import CAMERA, run_check, shot
from veracity.case import Case
from veracity.synth._common import abstract_image
from veracity.synth._exif import exif_bytes, thumbnail_jpeg
from veracity.verify.checks.photo_quantization_editor import (
    EDITORS_FILE,
    IJG,
    PhotoQuantizationEditor,
    identify,
    ijg_tables,
)

#: a camera body's own tables: scaled like no editor scales them
OWN_TABLES = [[1 + (i * 7) % 23 for i in range(64)], [2 + (i * 5) % 31 for i in range(64)]]


def _photo(path: Path, camera: Any = CAMERA, **save: Any) -> None:
    img = abstract_image(random.Random(path.name), 160, 120, label=path.stem)
    exif = exif_bytes(camera, shot(), thumbnail_jpeg(img)) if camera else b""
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif, **save)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())


def test_editor_tables_on_a_cameras_photo_trip_it(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    for k in range(3):
        _photo(src / f"DSC_00{k}.JPG", qtables=OWN_TABLES)
    _photo(src / "DSC_010.JPG", qtables="high")  # Photoshop "Save As: High"
    _photo(src / "DSC_011.JPG", quality=80)  # Pillow: libjpeg's tables at quality 80
    phone = replace(CAMERA, make="HUAWEI", model="P20", serial="")
    for k in range(2):  # a phone app built on libjpeg: every photo has IJG tables
        _photo(src / f"IMG_00{k}.JPG", phone, quality=90 + k)
    _photo(src / "scan.jpg", None, quality=75)  # no camera EXIF: nothing to compare with
    found = run_check(make_case, src, PhotoQuantizationEditor)
    assert sorted(found) == ["DSC_010.JPG", "DSC_011.JPG"]
    assert all(f.severity == "warning" for f in found.values())
    photoshop, libjpeg = found["DSC_010.JPG"].evidence, found["DSC_011.JPG"].evidence
    assert (photoshop["editor"], photoshop["setting"]) == ("Adobe Photoshop", "Save As: High")
    assert (libjpeg["editor"], libjpeg["setting"]) == (IJG, "quality 80")
    assert libjpeg["camera_photos_with_own_tables"] == 3


def test_tables_a_camera_writes_itself_are_not_an_editors(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    for k in range(3):
        _photo(src / f"DSC_00{k}.JPG", qtables=OWN_TABLES)
    _photo(src / "DSC_010.JPG", quality=91)  # Pillow q91 ...
    phone = replace(CAMERA, make="HUAWEI", model="P20", serial="")
    _photo(src / "IMG_000.JPG", phone, quality=91)  # ... is also what this phone writes
    assert run_check(make_case, src, PhotoQuantizationEditor) == {}


def test_ijg_tables_are_libjpegs_and_the_shipped_ones_are_pillows_photoshop_presets() -> None:
    for quality in (10, 50, 75, 95):
        buf = io.BytesIO()
        Image.new("RGB", (16, 16), (90, 40, 200)).save(buf, "JPEG", quality=quality)
        with Image.open(buf) as img:
            read = tuple(tuple(img.quantization[k]) for k in sorted(img.quantization))
        assert read == ijg_tables(quality)
        assert identify(read) is not None and identify(read[:1]) is not None
    shipped = json.loads(EDITORS_FILE.read_text(encoding="utf-8"))["editors"]
    assert len(shipped) == len(JpegPresets.presets)
    for entry in shipped:
        assert entry["tables"] == JpegPresets.presets[entry["pillow_preset"]]["quantization"]
    assert identify(tuple(tuple(t) for t in OWN_TABLES)) is None
