"""Audio and video container metadata: a phone-style QuickTime movie built box by box, a WAV."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import pytest

from veracity.case import Limits
from veracity.errors import Malformed
from veracity.extract import Extraction, Item, choose
from veracity.extract.media import MediaExtractor, location

#: 2018-05-14 03:28:41 UTC in QuickTime's seconds since 1904
CREATED = 3609113321


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def movie() -> bytes:
    """ftyp + moov (mvhd, udta/©xyz, Apple's meta keys) + a token mdat."""
    mvhd = struct.pack(">B3xIIII", 0, CREATED, CREATED + 60, 600, 600 * 12) + bytes(80)
    xyz = box(b"\xa9xyz", struct.pack(">HH", 27, 0) + b"+39.3812+075.8623+1288.000/")
    names = [b"com.apple.quicktime.make", b"com.apple.quicktime.model",
             b"com.apple.quicktime.creationdate"]  # fmt: skip
    keys = box(b"keys", struct.pack(">II", 0, len(names))
               + b"".join(struct.pack(">I", 8 + len(n)) + b"mdta" + n for n in names))  # fmt: skip
    values = [b"Apple", b"iPhone XR", b"2018-05-14T11:28:41+0800"]
    ilst = box(b"ilst", b"".join(
        box(struct.pack(">I", i), box(b"data", struct.pack(">II", 1, 0) + v))
        for i, v in enumerate(values, 1)
    ))  # fmt: skip
    meta = box(b"meta", box(b"hdlr", bytes(8) + b"mdta" + bytes(13)) + keys + ilst)
    moov = box(b"moov", box(b"mvhd", mvhd) + box(b"udta", xyz) + meta)
    return box(b"ftyp", b"qt  " + bytes(4) + b"qt  ") + moov + box(b"mdat", bytes(16))


def extract(path: Path, mime: str) -> Extraction:
    item = Item(path, path.name, "0" * 64, path.stat().st_size, mime, path.suffix[1:], 0,
                path.parent / "scratch")  # fmt: skip
    extractor = choose(item)
    assert isinstance(extractor, MediaExtractor)
    return extractor.extract(item, Limits.from_settings())


def test_phone_movie_gives_time_place_and_device(tmp_path: Path) -> None:
    path = tmp_path / "IMG_0001.MOV"
    path.write_bytes(movie())
    meta = extract(path, "video/quicktime").metadata
    assert meta["created"] == "2018-05-14T03:28:41Z"
    assert meta["modified"] == "2018-05-14T03:29:41Z"
    assert meta["duration_s"] == 12
    assert meta["gps"] == {"lat": 39.3812, "lon": 75.8623, "alt": 1288.0}
    assert (meta["camera_make"], meta["camera_model"]) == ("Apple", "iPhone XR")
    assert meta["taken_at"] == "2018-05-14T11:28:41"


def test_wav_recording_has_a_duration(tmp_path: Path) -> None:
    path = tmp_path / "call.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(bytes(2 * 4000))
    result = extract(path, "audio/x-wav")
    assert result.metadata["duration_s"] == pytest.approx(0.5)
    assert result.raw["Audio"]["sample_rate"] == 8000


def test_unreadable_media_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "broken.mp3"
    path.write_bytes(b"ID3" + bytes(64))
    with pytest.raises(Malformed):
        extract(path, "audio/mpeg")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+39.3812+075.8623+1288.000/", {"lat": 39.3812, "lon": 75.8623, "alt": 1288.0}),
        ("-33.8688+151.2093/", {"lat": -33.8688, "lon": 151.2093, "alt": None}),
        ("+99.0+010.0/", None),
        ("nowhere", None),
    ],
)
def test_iso6709_points(text: str, expected: dict[str, float | None] | None) -> None:
    assert location(text) == expected
