"""Rich Text Format: the text (striprtf) and the `\\info` group's properties.

RTF keeps what docx keeps in docProps: author, operator (who saved it last), creation and
revision times, version (the revision count), editing minutes, page and word counts, and the
`\\*\\generator` that wrote it. Times in RTF are local and carry no zone, so they are kept as
written. Chinese RTF escapes its characters as `\\'xx` bytes of the code page named by
`\\ansicpg` (936), or as `\\uN`; striprtf decodes both.
"""

from __future__ import annotations

import re
from typing import Any

from striprtf import striprtf

from veracity.case import Limits
from veracity.errors import LimitExceeded, Malformed
from veracity.extract._language import detect_language
from veracity.extract.base import Extraction, Extractor, Item
from veracity.extract.text import detect_encoding

#: Larger RTF files are refused: their size is pictures, and striprtf reads in pure Python.
MAX_RTF_BYTES = 512 * 1024 * 1024
_STRINGS = {
    "title": "title",
    "subject": "subject",
    "author": "author",
    "operator": "last_modified_by",
    "manager": "manager",
    "company": "company",
    "category": "category",
    "keywords": "keywords",
    "doccomm": "description",
    "comment": "comment",
    "hlinkbase": "hyperlink_base",
}
_DATES = {"creatim": "created", "revtim": "modified", "printim": "last_printed", "buptim": "backup"}
_NUMBERS = {
    "version": "revisions",
    "vern": "internal_version",
    "edmins": "total_time",
    "nofpages": "pages",
    "nofwords": "words",
    "nofchars": "characters",
    "nofcharsws": "characters_with_spaces",
}
# possessive quantifiers: an unclosed hostile group must not make the regex backtrack
_STRING_RE = re.compile(r"\{\\(" + "|".join(_STRINGS) + r")\b ?((?:[^{}\\]++|\\.)*+)\}")
_DATE_RE = re.compile(r"\{\\(" + "|".join(_DATES) + r")((?:\\[a-z]++-?\d++ ?)++)\}")
_NUMBER_RE = re.compile(r"\\(" + "|".join(_NUMBERS) + r")(-?\d{1,9})\b")
_GENERATOR_RE = re.compile(r"\{\\\*\\generator ?([^;{}]{0,200})")
_CODEPAGE_RE = re.compile(r"\\ansicpg(\d{3,5})")
_DATE_PART_RE = re.compile(r"\\(yr|mo|dy|hr|min|sec)(\d+)")
#: what striprtf raises on hostile control words (\u99999999999, an unknown code page)
_RTF_ERRORS = (ValueError, OverflowError, LookupError, IndexError, KeyError)


def rtf_to_text(rtf: str) -> str:
    """Plain text of RTF source; bytes that do not fit its code page become U+FFFD."""
    text: str = striprtf.rtf_to_text(rtf)  # type: ignore[no-untyped-call]
    return text


def info_group(rtf: str) -> str:
    """The `{\\info …}` group, found by counting braces from its start; "" when absent."""
    start = rtf.find("{\\info")
    if start < 0:
        return ""
    depth, at, end = 0, start, min(len(rtf), start + 1_000_000)
    while at < end:
        char = rtf[at]
        if char == "\\":  # an escaped brace or backslash is not a group boundary
            at += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return rtf[start : at + 1]
        at += 1
    return rtf[start : start + 1_000_000]


def _date(parts: str) -> str | None:
    found = {k: int(v) for k, v in _DATE_PART_RE.findall(parts)}
    if not 1 <= found.get("mo", 0) <= 12 or not 1 <= found.get("dy", 0) <= 31:
        return None
    y, mo, d = found.get("yr", 0), found["mo"], found["dy"]
    h, mi, s = found.get("hr", 0), found.get("min", 0), found.get("sec", 0)
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}"


def info_properties(rtf: str) -> dict[str, Any]:
    """The document properties of an RTF file, in design.md's names."""
    info = info_group(rtf)
    codepage = _CODEPAGE_RE.search(rtf[:4096])
    prefix = "{\\rtf1\\ansi" + (f"\\ansicpg{codepage.group(1)} " if codepage else " ")
    out: dict[str, Any] = {}
    for word, value in _STRING_RE.findall(info):
        try:
            text = rtf_to_text(prefix + value + "}").strip()
        except _RTF_ERRORS:
            text = ""
        if text:
            out[_STRINGS[word]] = text
    for word, parts in _DATE_RE.findall(info):
        if (when := _date(parts)) is not None:
            out[_DATES[word]] = when
    for word, number in _NUMBER_RE.findall(info):
        out[_NUMBERS[word]] = int(number)
    if "revisions" in out:
        out["revision"] = str(out["revisions"])
    generator = _GENERATOR_RE.search(rtf[:1_000_000])
    if generator and generator.group(1).strip():
        out["application"] = generator.group(1).strip()
    if codepage:
        out["codepage"] = int(codepage.group(1))
    return out


class RtfExtractor(Extractor):
    NAME = "rtf"
    MIME_TYPES = frozenset({"text/rtf", "application/rtf"})
    EXTENSIONS = frozenset({"rtf"})
    SCORE = 5

    def extract(self, item: Item, limits: Limits) -> Extraction:
        if item.size > MAX_RTF_BYTES:
            raise LimitExceeded("rtf_bytes", item.size, MAX_RTF_BYTES)
        data = item.disk_path.read_bytes()
        if not data.lstrip()[:5] == b"{\\rtf":
            raise Malformed("not an RTF file: it does not start with {\\rtf")
        # RTF is 7-bit; some Chinese tools write raw GBK bytes into it all the same
        rtf = data.decode(detect_encoding(data[: 1 << 16]), "replace")
        try:
            text = rtf_to_text(rtf)
        except _RTF_ERRORS as exc:
            raise Malformed(f"unreadable RTF: {type(exc).__name__}: {exc}") from exc
        metadata = info_properties(rtf)
        text = text.replace("\x00", "").strip()
        metadata["truncated"] = len(text) > limits.max_text_chars
        metadata["has_pictures"] = "\\pict" in rtf
        metadata["has_objects"] = "\\objdata" in rtf
        raw = {"RTF": {k: v for k, v in metadata.items() if k not in ("truncated",)}}
        text = text[: limits.max_text_chars]
        return Extraction(text=text, metadata=metadata, raw=raw, language=detect_language(text))
