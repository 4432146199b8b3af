"""HTML: declared and detected encodings, invisible content dropped, title and meta fields."""

from __future__ import annotations

import codecs
import time
from pathlib import Path

from veracity.case import Limits
from veracity.extract.base import Extraction, Item
from veracity.extract.html import HtmlExtractor, html_encoding, html_to_text

LIMITS = Limits.from_settings()
PAGE = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    "<title>关于加强管理的通知</title>"
    '<meta name="Generator" content="Microsoft Word 15"><meta name="author" content="张三">'
    "<style>p {{color: red}}</style><script>var secret = '不该出现';</script></head>"
    "<body><h1>通知</h1><p>各单位：</p><table><tr><td>姓名</td><td>人数</td></tr></table>"
    "<p>请于周五前报送&amp;核实。{extra}</p></body></html>"
)


def extract(path: Path, data: bytes, limits: Limits = LIMITS) -> Extraction:
    path.write_bytes(data)
    item = Item(path, path.name, "0" * 64, len(data), "text/html", "html", 0, path.parent)
    return HtmlExtractor().extract(item, limits)


def test_a_gb2312_page_saved_by_word(tmp_path: Path) -> None:
    # "gb2312" pages hold GBK-only characters (镕): they are decoded as GB18030
    result = extract(tmp_path / "p.html", PAGE.format(extra="朱镕基").encode("gb18030"))
    text = result.text or ""
    assert text.splitlines()[0] == "通知"
    assert "姓名 人数" in text and "请于周五前报送&核实。朱镕基" in text
    assert "不该出现" not in text and "color" not in text and "关于加强管理" not in text
    meta = result.metadata
    assert meta["title"] == "关于加强管理的通知"
    assert meta["author"] == "张三" and meta["application"] == "Microsoft Word 15"
    assert meta["encoding"] == "gb18030"
    assert result.language == "zh"


def test_encodings_without_a_declaration() -> None:
    body = "<p>各单位要加强管理</p>"
    assert html_encoding(body.encode("utf-8")) == "utf-8"
    assert html_encoding(body.encode("gb18030")) == "gb18030"
    assert html_encoding(codecs.BOM_UTF16_LE + body.encode("utf-16-le")) == "utf-16"
    assert html_encoding(b'<meta charset="no-such-codec"><p>x</p>') == "utf-8"


def test_text_is_cut_at_the_limit(tmp_path: Path) -> None:
    limits = Limits.from_settings({"max_text_chars": 50})
    result = extract(tmp_path / "long.html", ("<p>" + "字" * 500 + "</p>").encode(), limits)
    assert result.text == "字" * 50 and result.metadata["truncated"] is True


def test_broken_and_deeply_nested_markup_is_read() -> None:
    text, _ = html_to_text("<div>" * 100_000 + "深处" + "<p>未闭合<b>标签", 1000)
    assert "深处" in text and "未闭合标签" in text


def test_stray_angle_brackets_cost_linear_time() -> None:
    started = time.monotonic()
    text, _ = html_to_text("</" * 300_000 + "<p>a < b</p>", 1_000_000)
    assert time.monotonic() - started < 10
    assert text.endswith("a < b")
