"""HTML pages (and Word/WPS files saved as HTML): visible text, title and `<meta>` properties.

Read with the standard library's tolerant `html.parser`: no network, no entity files, no
scripts; `<script>`, `<style>` and other invisible content are dropped. The encoding comes from
a byte-order mark, then the page's own `<meta charset>`/`http-equiv` declaration, then the
detection shared with plain text (GB18030 and Big5 pages are common in leaks from China). A page
labelled gb2312 is decoded as GB18030, its superset, as browsers do.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from typing import Any

from veracity.case import Limits
from veracity.extract._language import detect_language
from veracity.extract.base import Extraction, Extractor, Item
from veracity.extract.text import detect_encoding

#: Past this many bytes a page is read only in part (html.parser is pure Python).
MAX_HTML_BYTES = 64 * 1024 * 1024
_HIDDEN = frozenset({"script", "style", "noscript", "template", "object", "svg"})
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "tr",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "hr",
        "dt",
        "dd",
        "form",
        "address",
        "figcaption",
    ]
)
_META_NAMES = {
    "author": "author",
    "generator": "application",
    "description": "description",
    "keywords": "keywords",
    "date": "date",
    "created": "created",
    "dcterms.created": "created",
    "dc.date": "date",
    "dc.creator": "author",
    "dcterms.modified": "modified",
    "last-modified": "modified",
    "progid": "program_id",
    "originator": "originator",
}
_CHARSET_RE = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.I
)
#: A "<" that no ">" closes before the next "<": html.parser rescans from each such one to the
#: end (quadratic: a megabyte of "</" took 80 s), so it is escaped to the text it really is.
_STRAY_LT = re.compile(r"<(?=[^<>]*(?:<|\Z))")
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}


class _TextParser(HTMLParser):
    def __init__(self, max_chars: int) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.size = 0
        self.max_chars = max_chars
        self.hidden = 0
        self.in_title = False
        self.title: list[str] = []
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            values = {k.lower(): (v or "") for k, v in attrs}
            name = (values.get("name") or values.get("http-equiv") or "").lower()
            if name in _META_NAMES and values.get("content"):
                self.meta.setdefault(_META_NAMES[name], values["content"].strip()[:1000])
        elif tag == "title":
            self.in_title = True
        elif tag in _HIDDEN:
            self.hidden += 1
        if tag in _BLOCKS:
            self._add("\n")
        elif tag in ("td", "th"):
            self._add("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in _HIDDEN and self.hidden:
            self.hidden -= 1
        if tag in _BLOCKS:
            self._add("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.hidden:
            self._add(data)

    def _add(self, text: str) -> None:
        if text in ("\n", "\t") and self.parts and self.parts[-1] in ("\n", "\t"):
            return  # runs of empty blocks must not eat the text budget
        if self.size < self.max_chars:
            self.parts.append(text)
            self.size += len(text)


def html_encoding(data: bytes) -> str:
    """The encoding of an HTML page: BOM, then its declaration, then detection."""
    head = data[: 1 << 16]
    if head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return detect_encoding(head)
    declared = _CHARSET_RE.search(head[:8192])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = _ALIASES.get(name, name)
        try:
            return codecs.lookup(name).name
        except LookupError:
            pass
    return detect_encoding(head)


def _tidy(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(markup: str, max_chars: int) -> tuple[str, dict[str, str]]:
    """(visible text, properties: title and the `<meta>` fields in design.md's names)."""
    parser = _TextParser(max_chars)
    parser.feed(_STRAY_LT.sub("&lt;", markup))
    parser.close()
    meta = dict(parser.meta)
    title = " ".join("".join(parser.title).split())
    if title:
        meta["title"] = title[:1000]
    return _tidy("".join(parser.parts))[:max_chars], meta


class HtmlExtractor(Extractor):
    NAME = "html"
    MIME_TYPES = frozenset({"text/html", "application/xhtml+xml"})
    EXTENSIONS = frozenset({"html", "htm", "xhtml", "shtml"})
    SCORE = 5

    def extract(self, item: Item, limits: Limits) -> Extraction:
        with open(item.disk_path, "rb") as fh:
            data = fh.read(MAX_HTML_BYTES + 1)
        is_partial = len(data) > MAX_HTML_BYTES
        encoding = html_encoding(data)
        markup = data[:MAX_HTML_BYTES].decode(encoding, "replace")
        text, meta = html_to_text(markup, limits.max_text_chars)
        metadata: dict[str, Any] = {**meta, "encoding": encoding}
        metadata["truncated"] = is_partial or len(text) >= limits.max_text_chars
        raw = {"HTML": {"meta": meta}}
        return Extraction(text=text, metadata=metadata, raw=raw, language=detect_language(text))
