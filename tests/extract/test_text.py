"""Plain text in the encodings Chinese leaks use."""

from __future__ import annotations

from pathlib import Path

import pytest

from veracity.case import Limits
from veracity.errors import Malformed
from veracity.extract import Item
from veracity.extract.text import TextExtractor, detect_encoding

SAMPLE = "关于进一步加强教培学员管理工作的通知\nAbdurehim Hesen\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5"])
def test_encodings_are_detected_and_decoded(tmp_path: Path, encoding: str) -> None:
    text = SAMPLE if encoding != "big5" else "關於進一步加強管理工作的通知\n"
    path = tmp_path / "t.txt"
    path.write_bytes(text.encode(encoding))
    item = Item(
        path, "t.txt", "0" * 64, path.stat().st_size, "text/plain", "txt", 0, tmp_path / "s"
    )
    result = TextExtractor().extract(item, Limits.from_settings())
    assert result.text == text
    assert result.metadata["encoding"] in {
        encoding,
        "utf-8-sig" if encoding == "utf-8" else encoding,
    }


def test_text_is_cut_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("字" * 5000, encoding="utf-8")
    item = Item(path, "big.txt", "0" * 64, path.stat().st_size, "text/plain", "txt", 0, tmp_path)
    result = TextExtractor().extract(item, Limits.from_settings({"max_text_chars": 100}))
    assert result.text == "字" * 100 and result.metadata["truncated"] is True


def test_binary_posing_as_text_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"abc\x00\x00\x00def")
    item = Item(path, "x.txt", "0" * 64, 9, "text/plain", "txt", 0, tmp_path)
    with pytest.raises(Malformed):
        TextExtractor().extract(item, Limits.from_settings())


def test_detect_encoding_falls_back_to_latin1() -> None:
    assert detect_encoding(bytes([0xFF, 0xFE, 0x41])) == "utf-16"
    assert detect_encoding(b"\xff" * 10 + b"abcdef") == "latin-1"


def test_a_sample_cut_inside_a_character_is_still_recognised() -> None:
    data = ("姓名,公民身份号码\n" * 50).encode("gb18030")
    for cut in range(1, 4):
        assert detect_encoding(data[: len(data) - cut]) == "gb18030"
    assert detect_encoding("短".encode("gb18030")) == "gb18030"
