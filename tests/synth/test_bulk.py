"""The bulk filler: reaches its byte budget, looks like camera photos, same bytes on any pool."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from veracity.synth._common import SynthConfig, Truth
from veracity.synth.bulk import FOLDER, write_bulk_photos

BUDGET = 9_000_000


def fill(root: Path, workers: int, budget: int = BUDGET) -> tuple[int, Truth, dict[str, bytes]]:
    truth = Truth(seed=5)
    written = write_bulk_photos(root / "leak", SynthConfig(seed=5, workers=workers), truth, budget)
    files = {
        p.relative_to(root / "leak").as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
    return written, truth, files


@pytest.fixture(scope="module")
def bulk(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Truth, dict[str, bytes]]:
    return fill(tmp_path_factory.mktemp("bulk"), workers=2)


def test_reaches_the_budget_and_stops_after_one_photo(
    bulk: tuple[int, Truth, dict[str, bytes]],
) -> None:
    written, truth, files = bulk
    sizes = [len(data) for data in files.values()]
    assert written == sum(sizes) == truth.sections["bulk"]["bytes"]
    assert len(files) == truth.sections["bulk"]["count"] >= 2
    assert written >= BUDGET > written - max(sizes)
    assert all(name.startswith(FOLDER + "/") for name in files)
    assert truth.anomalies == []


def test_photos_are_large_decodable_camera_jpegs(
    bulk: tuple[int, Truth, dict[str, bytes]], tmp_path: Path
) -> None:
    _, _, files = bulk
    for name, data in files.items():
        path = tmp_path / Path(name).name
        path.write_bytes(data)
        with Image.open(path) as img:
            img.load()
            assert img.width >= 2000 and img.height >= 1500
    if shutil.which("exiftool") is None:
        pytest.skip("exiftool is not installed (Debian package libimage-exiftool-perl)")
    out = subprocess.run(
        ["exiftool", "-j", "-n", "-G1", str(tmp_path)], capture_output=True, check=True, text=True
    )
    for row in json.loads(out.stdout):
        assert row["IFD0:Make"] and row["ExifIFD:SerialNumber"] and row["ExifIFD:DateTimeOriginal"]
        assert 39.3 < row["GPS:GPSLatitude"] < 39.5 and 75.7 < row["GPS:GPSLongitude"] < 76.0
        assert row["IFD1:ThumbnailLength"] > 0


def test_output_does_not_depend_on_the_number_of_workers(
    bulk: tuple[int, Truth, dict[str, bytes]], tmp_path: Path
) -> None:
    assert fill(tmp_path, workers=1)[2] == bulk[2]


def test_zero_budget_writes_nothing(tmp_path: Path) -> None:
    written, truth, files = fill(tmp_path, workers=1, budget=0)
    assert written == 0 and files == {} and truth.sections["bulk"]["count"] == 0
