"""RTF: Chinese text in its code page and in \\u escapes, the \\info properties, hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPORA
from veracity.case import Limits
from veracity.errors import Malformed
from veracity.extract.base import Extraction, Item
from veracity.extract.rtf import RtfExtractor

LIMITS = Limits.from_settings()
CORPUS_RTF = CORPORA / "format-corpus" / "office" / "wordprocessing" / "rtf" / "testRTF.rtf"
CHINESE_RTF = (
    r"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 \'cb\'ce\'cc\'e5;}}"
    r"{\*\generator Riched20 10.0.19041}{\info{\title \'cd\'a8\'d6\'aa}{\author \u24352?\u19977?}"
    r"{\operator admin}{\creatim\yr2018\mo3\dy2\hr10\min5}{\revtim\yr2018\mo3\dy4\hr11\min7\sec9}"
    r"{\version3}{\edmins42}{\nofpages2}}"
    "\n"
    r"\pard\f0\fs24 \'b8\'f7\'b5\'a5\'ce\'bb\'d2\'aa\'bc\'d3\'c7\'bf\'b9\'dc\'c0\'ed\par"
    "\n"
    r"{\pict\pngblip 89504e470d0a1a0a}Hello \u19990?\u30028?\par}"
)


def extract(path: Path, data: str | bytes) -> Extraction:
    path.write_bytes(data.encode("ascii") if isinstance(data, str) else data)
    item = Item(path, path.name, "0" * 64, path.stat().st_size, "text/rtf", "rtf", 0, path.parent)
    return RtfExtractor().extract(item, LIMITS)


def test_chinese_text_and_properties(tmp_path: Path) -> None:
    result = extract(tmp_path / "notice.rtf", CHINESE_RTF)
    assert result.text == "各单位要加强管理\nHello 世界"
    meta = result.metadata
    assert meta["title"] == "通知"
    assert meta["author"] == "张三"
    assert meta["last_modified_by"] == "admin"
    assert meta["created"] == "2018-03-02T10:05:00"
    assert meta["modified"] == "2018-03-04T11:07:09"
    assert meta["revisions"] == 3 and meta["total_time"] == 42 and meta["pages"] == 2
    assert meta["application"] == "Riched20 10.0.19041"
    assert meta["has_pictures"] is True
    assert result.language == "zh"


@pytest.mark.skipif(not CORPUS_RTF.exists(), reason=f"format corpus not found at {CORPUS_RTF}")
def test_corpus_rtf(tmp_path: Path) -> None:
    result = extract(tmp_path / "c.rtf", CORPUS_RTF.read_bytes())
    assert result.text is not None and "Sluwe Sjaantje sloeg de slome slager." in result.text


@pytest.mark.parametrize(
    "data",
    [
        r"{\rtf1\ansi \u99999999999999999999? x}",  # a code point past Unicode
        r"{\rtf1\ansi\ansicpg99999 \'c4\'e3}",  # an unknown code page
        r"{\rtf1{\info{\title " + "\\abc def" * 20000,  # an info group never closed
        "{\\rtf1" + "{" * 50000 + "deep" + "}" * 50000 + "}",
    ],
    ids=["huge-codepoint", "unknown-codepage", "unclosed-info", "deep-groups"],
)
def test_hostile_rtf_is_read_or_reported_malformed(tmp_path: Path, data: str) -> None:
    try:
        result = extract(tmp_path / "h.rtf", data)
    except Malformed:
        return
    assert result.text is not None


def test_a_file_that_is_not_rtf_is_malformed(tmp_path: Path) -> None:
    with pytest.raises(Malformed):
        extract(tmp_path / "fake.rtf", b"\x00\x01binary")
