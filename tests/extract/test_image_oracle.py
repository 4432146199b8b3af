"""ExifTool as the oracle: our photo metadata must agree with what forensic reporters trust.

The Debian `exiftool -j -n -G1` reads the real camera photos of the shared corpus (JPEG, TIFF,
HEIC from some fifty cameras and phones, GPS, odd and broken files) and the synthetic leak's
photos; for every (file, field) pair where ExifTool has a value, ours must match: make, model,
DateTimeOriginal, GPS latitude, longitude and altitude (to 1e-6; with -n the GPS group is
unsigned, so the signed Composite values are compared), Software, orientation, width and height.
At least 99% must agree, and every disagreement must be one of the known ones below, each with
the reason it is not a fault of ours.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPORA
from veracity.case import Limits
from veracity.errors import ExtractError
from veracity.extract import Item
from veracity.extract.image import read_image
from veracity.synth import SynthConfig, generate

PHOTOS = frozenset({".jpg", ".jpeg", ".tif", ".tiff", ".heic", ".heif", ".png", ".webp", ".gif"})
#: (file relative to its folder, field) -> why ExifTool and veracity differ there
KNOWN_DIFFERENCES: dict[tuple[str, str], str] = {
    # None in the current corpus: ExifTool's -j prints the Software "1.00" of
    # jpg/tests/35-empty.jpg as the number 1.00, which `_same` compares as a number.
}
FIELDS = ("make", "model", "taken_at", "lat", "lon", "alt", "software", "orientation",
          "width", "height")  # fmt: skip

pytestmark = pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool not installed")


def exiftool(folder: Path) -> dict[str, dict[str, Any]]:
    done = subprocess.run(
        ["exiftool", "-j", "-n", "-G1", "-r", "."],
        cwd=folder, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    return {r["SourceFile"].removeprefix("./"): r for r in json.loads(done.stdout or "[]")}


def theirs(tags: dict[str, Any]) -> dict[str, Any]:
    """ExifTool's values of the compared fields (None where it has none)."""
    size = tags.get("Composite:ImageSize")
    width, height = (int(v) for v in size.split()) if isinstance(size, str) else (None, None)
    original = tags.get("ExifIFD:DateTimeOriginal")
    return {
        "make": tags.get("IFD0:Make"),
        "model": tags.get("IFD0:Model"),
        "taken_at": original[:19].replace(":", "-", 2).replace(" ", "T")
        if isinstance(original, str) else original,
        "lat": tags.get("Composite:GPSLatitude"),
        "lon": tags.get("Composite:GPSLongitude"),
        "alt": tags.get("Composite:GPSAltitude"),
        "software": tags.get("IFD0:Software"),
        "orientation": tags.get("IFD0:Orientation"),
        "width": width,
        "height": height,
    }  # fmt: skip


def ours(metadata: dict[str, Any]) -> dict[str, Any]:
    gps = metadata.get("gps") or {}
    return {
        "make": metadata.get("camera_make"),
        "model": metadata.get("camera_model"),
        "taken_at": metadata.get("taken_at"),
        "lat": gps.get("lat"),
        "lon": gps.get("lon"),
        "alt": gps.get("alt"),
        "software": metadata.get("software"),
        "orientation": metadata.get("orientation"),
        "width": metadata.get("width"),
        "height": metadata.get("height"),
    }


def _same(expected: Any, got: Any) -> bool:
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        try:
            return abs(float(expected) - float(got)) <= 1e-6
        except (TypeError, ValueError):
            return False
    return isinstance(got, str) and str(expected).strip() == got.strip()


def compare(folder: Path, scratch: Path) -> tuple[int, int, dict[tuple[str, str], str]]:
    """(pairs compared, pairs agreeing, {(file, field): 'exiftool=… ours=…'})."""
    reference = exiftool(folder)
    limits = Limits.from_settings()
    compared = agreed = 0
    differences: dict[tuple[str, str], str] = {}
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in PHOTOS):
        name = path.relative_to(folder).as_posix()
        item = Item(path, name, "0" * 64, path.stat().st_size, "image/jpeg", "jpg", 0, scratch)
        try:
            metadata = read_image(item, limits, perceptual_hash=False).metadata
        except ExtractError:
            metadata = {}
        got = ours(metadata)
        for field, expected in theirs(reference.get(name, {})).items():
            if expected is None:
                continue
            compared += 1
            if _same(expected, got[field]):
                agreed += 1
            else:
                differences[(name, field)] = f"exiftool={expected!r} ours={got[field]!r}"
    return compared, agreed, differences


def check(label: str, folder: Path, scratch: Path) -> None:
    compared, agreed, differences = compare(folder, scratch)
    print(f"\n{label}: {agreed}/{compared} (file, field) pairs agree with ExifTool "
          f"({agreed / compared:.2%})")  # fmt: skip
    for key, text in sorted(differences.items()):
        print(f"  {key[0]} {key[1]}: {text} — {KNOWN_DIFFERENCES.get(key, 'UNEXPLAINED')}")
    assert compared > 0
    assert agreed / compared >= 0.99
    assert set(differences) <= set(KNOWN_DIFFERENCES), "a difference nobody explained"


@pytest.mark.skipif(not (CORPORA / "exif-samples").is_dir(), reason="shared corpora absent")
def test_real_camera_photos_agree_with_exiftool(tmp_path: Path) -> None:
    check("exif-samples", CORPORA / "exif-samples", tmp_path)


def test_synthetic_leak_photos_agree_with_exiftool(tmp_path: Path) -> None:
    leak = tmp_path / "leak"
    generate(leak, SynthConfig(seed=7, people=200, photos=40, documents=10))
    check("synthetic leak", leak, tmp_path / "scratch")
