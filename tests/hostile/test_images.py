"""Broken and malicious images: truncation, EXIF offsets beyond the file or looping, pixel bombs,
garbage under an image name, empty files.

Each must give a recorded error kind other than `internal`, or a partial result, quickly and in
bounded memory; nothing here decodes a bomb's pixels.
"""

from __future__ import annotations

import io
import random
import resource
import struct
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import piexif
import pytest
from PIL import Image

from tests.conftest import paths_of, run_ingest
from veracity.case import Case, Limits
from veracity.errors import LimitExceeded, Malformed
from veracity.extract import Extraction, Item
from veracity.extract.image import _pillow_guard, read_image

LIMITS = Limits.from_settings()


def read(path: Path, limits: Limits = LIMITS) -> Extraction:
    """read_image, required to finish within 2 s and to grow the peak RSS by < 100 MB."""
    item = Item(path, path.name, "0" * 64, path.stat().st_size, "image/jpeg", "jpg", 0,
                path.parent / "scratch")  # fmt: skip
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        return read_image(item, limits)
    finally:
        assert time.perf_counter() - started < 2.0
        assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss < 100 * 1024  # KiB


def camera_jpeg(size: tuple[int, int] = (800, 600), exif: bytes | None = None) -> bytes:
    rng = random.Random(3)
    img = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    if exif is None:
        thumb = io.BytesIO()
        img.resize((160, 120)).save(thumb, "JPEG")
        exif = piexif.dump({
            "0th": {piexif.ImageIFD.Make: "Canon", piexif.ImageIFD.Model: "Canon EOS 6D"},
            "Exif": {piexif.ExifIFD.DateTimeOriginal: "2018:05:14 11:28:42"},
            "1st": {piexif.ImageIFD.Compression: 6}, "thumbnail": thumb.getvalue(),
        })  # fmt: skip
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def tiff(entries: list[tuple[int, int, int, bytes]], next_ifd: int = 0) -> bytes:
    """A big-endian TIFF structure with one IFD at offset 8: (tag, type, count, 4 value bytes)."""
    body = struct.pack(">H", len(entries))
    body += b"".join(struct.pack(">HHI", t, k, c) + v for t, k, c, v in entries)
    return b"MM\0*" + struct.pack(">I", 8) + body + struct.pack(">I", next_ifd)


def with_exif(tiff_data: bytes) -> bytes:
    """A small JPEG whose APP1 EXIF block is `tiff_data`."""
    data = camera_jpeg((64, 48), exif=b"")
    segment = b"Exif\0\0" + tiff_data
    return data[:2] + struct.pack(">BBH", 0xFF, 0xE1, len(segment) + 2) + segment + data[2:]


def png(width: int, height: int) -> bytes:
    """A PNG header claiming `width` x `height` pixels, with one tiny IDAT: nothing allocated."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))  # fmt: skip


def test_truncated_jpeg_keeps_its_metadata(tmp_path: Path) -> None:
    data = camera_jpeg()
    path = tmp_path / "truncated.jpg"
    path.write_bytes(data[: len(data) // 2])
    result = read(path)
    assert result.error_kind == "malformed" and "truncated" in (result.error or "")
    assert result.metadata["camera_make"] == "Canon"
    assert result.metadata["taken_at"] == "2018-05-14T11:28:42"
    assert result.metadata["thumbnail"]["width"] == 160  # the thumbnail sits before the cut


def test_jpeg_cut_inside_its_header(tmp_path: Path) -> None:
    path = tmp_path / "stub.jpg"
    path.write_bytes(camera_jpeg()[:200])
    result = read(path)
    assert result.error_kind == "malformed" and "truncated" in (result.error or "")
    assert result.metadata["format"] == "JPEG"


def test_exif_offsets_beyond_the_file(tmp_path: Path) -> None:
    far = struct.pack(">I", 0x7FFFFFF0)
    entries = [
        (0x010F, 2, 6, b"Sony\0\0"[:4]),  # Make, 6 bytes: stored at an offset… "Sony" read
        (0x0110, 2, 4000, far),  # Model: 4000 characters somewhere past the end
        (0x0112, 3, 0xFFFFFFFF, far),  # Orientation with a count of four billion
        (0x8769, 4, 1, far),  # ExifIFD pointer past the end
        (0x8825, 4, 1, struct.pack(">I", 3)),  # GPS pointer into the header
    ]
    path = tmp_path / "far.jpg"
    path.write_bytes(with_exif(tiff(entries, next_ifd=0x7FFFFF00)))
    result = read(path)
    assert result.error_kind is None
    warnings = " ".join(result.raw["Warnings"]["Warning"])
    assert "outside the data" in warnings
    assert "camera_model" not in result.metadata and "orientation" not in result.metadata


def test_exif_ifd_loops_end(tmp_path: Path) -> None:
    to_self = struct.pack(">I", 8)
    entries = [
        (0x010F, 2, 4, b"Leak"),
        (0x8769, 4, 1, to_self),  # ExifIFD is IFD0 again
        (0x8825, 4, 1, to_self),  # and so is GPS
        (0x014A, 4, 1, to_self),  # and the SubIFD
    ]
    path = tmp_path / "loop.jpg"
    path.write_bytes(with_exif(tiff(entries, next_ifd=8)))  # IFD1 is IFD0 too
    result = read(path)
    assert result.metadata["camera_make"] == "Leak"
    assert "loop" in " ".join(result.raw["Warnings"]["Warning"])


def test_looping_tiff_file(tmp_path: Path) -> None:
    path = tmp_path / "loop.tiff"
    path.write_bytes(tiff([(0x0100, 3, 1, b"\0\x10\0\0"), (0x8769, 4, 1, b"\0\0\0\x08")], 8))
    result = read(path)
    assert result.error_kind not in (None, "internal")  # no pixels to hash: malformed
    assert result.metadata["format"] == "TIFF"


def test_xmp_entity_bomb_is_refused_and_the_rest_read(tmp_path: Path) -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            b'<x:xmpmeta xmlns:x="adobe:ns:meta/">&c;</x:xmpmeta>')  # fmt: skip
    data = camera_jpeg((64, 48))
    segment = b"http://ns.adobe.com/xap/1.0/\0" + bomb
    path = tmp_path / "bomb-xmp.jpg"
    path.write_bytes(data[:2] + struct.pack(">BBH", 0xFF, 0xE1, len(segment) + 2) + segment
                     + data[2:])  # fmt: skip
    result = read(path)
    assert result.error_kind is None and result.metadata["camera_make"] == "Canon"
    assert "forbidden XML" in " ".join(result.raw["Warnings"]["Warning"])


def test_png_claiming_fifty_thousand_squared(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(png(50_000, 50_000))
    result = read(path)
    assert result.error_kind == "limit" and "max_image_pixels" in (result.error or "")
    assert (result.metadata["width"], result.metadata["height"]) == (50_000, 50_000)
    assert "phash" not in result.metadata


def test_jpeg_frame_claiming_four_gigapixels(tmp_path: Path) -> None:
    data = bytearray(camera_jpeg((64, 48), exif=b""))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 65535, 65535)
    path = tmp_path / "huge.jpg"
    path.write_bytes(bytes(data))
    assert read(path).error_kind == "limit"


def test_pillow_bomb_warning_and_error_become_limits(tmp_path: Path) -> None:
    """Where Pillow, not our header reader, sees the bomb (pytest makes its warning an error)."""
    path = tmp_path / "small.png"
    path.write_bytes(png(120, 100))
    saved = Image.MAX_IMAGE_PIXELS
    try:
        for limit in (10_000, 1_000):  # 12,000 pixels: a warning, then past twice the limit
            Image.MAX_IMAGE_PIXELS = limit
            with pytest.raises(LimitExceeded, match="max_image_pixels"), _pillow_guard():
                Image.open(path)
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def test_garbage_and_empty_files(tmp_path: Path) -> None:
    garbage = tmp_path / "photo.jpg"
    garbage.write_bytes(random.Random(5).randbytes(4096))
    with pytest.raises(Malformed, match="not an image"):
        read(garbage)
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(Malformed, match="empty"):
        read(empty)


def test_ingest_records_every_hostile_image(make_case: Callable[..., Case], tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    data = camera_jpeg()
    (src / "truncated.jpg").write_bytes(data[: len(data) // 2])
    (src / "bomb.png").write_bytes(png(50_000, 50_000))
    (src / "loop.jpg").write_bytes(with_exif(tiff([(0x8769, 4, 1, b"\0\0\0\x08")], 8)))
    (src / "garbage.jpg").write_bytes(random.Random(5).randbytes(4096))
    (src / "empty.jpg").write_bytes(b"")
    case = make_case()
    run_ingest(case, src)
    rows = paths_of(case)
    kinds = {path: row["x_error_kind"] for path, row in rows.items()}
    assert kinds["truncated.jpg"] == "malformed" and rows["truncated.jpg"]["metadata"]
    assert kinds["bomb.png"] == "limit"
    assert kinds["garbage.jpg"] == "malformed"
    assert rows["loop.jpg"]["status"] == "done"
    assert rows["empty.jpg"]["status"] in ("unsupported", "failed")
    assert "internal" not in kinds.values()
