"""Plain text: decoded from the encodings leaks from China actually use.

Government exports are often GB18030/GBK rather than UTF-8, and Windows tools write UTF-16 with a
byte-order mark; decoding with the wrong one turns every Chinese name into noise, so the
encoding is detected (BOM, then strict UTF-8, then the Chinese national encodings) and recorded.
"""

from __future__ import annotations

import codecs

from veracity.case import Limits
from veracity.errors import Malformed
from veracity.extract.base import Extraction, Extractor, Item

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_FALLBACKS = ("utf-8", "gb18030", "big5")


def _oddness(text: str) -> int:
    """How many characters no real text would hold: private-use code points and controls."""
    return sum(1 for c in text if "\ue000" <= c <= "\uf8ff" or (c < " " and c not in "\t\r\n\f"))


def detect_encoding(head: bytes) -> str:
    """The encoding of a text from its first bytes; latin-1 when nothing else fits.

    GB18030 decodes almost any byte string without error (Big5 text turns into private-use
    characters), so among the Chinese encodings that decode cleanly the least odd result wins.
    """
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    candidates: list[tuple[int, int, str]] = []
    for rank, name in enumerate(_FALLBACKS):
        decoded = _decode_prefix(head, name)
        if decoded is None:
            continue
        if name == "utf-8":
            return name
        candidates.append((_oddness(decoded), rank, name))
    return min(candidates)[2] if candidates else "latin-1"


def _decode_prefix(head: bytes, encoding: str) -> str | None:
    """`head` decoded, allowing a multi-byte character cut off at its end (a sample's edge)."""
    try:
        return head.decode(encoding)
    except UnicodeDecodeError as exc:
        # only an incomplete sequence in the last 3 bytes may be a cut character
        if exc.start < len(head) - 3 or exc.start == 0:
            return None
        try:
            return head[: exc.start].decode(encoding)
        except UnicodeDecodeError:
            return None


class TextExtractor(Extractor):
    NAME = "text"
    MIME_TYPES = frozenset({"text/plain", "text/csv", "text/tab-separated-values", "text/markdown"})
    EXTENSIONS = frozenset({"txt", "text", "log", "md", "csv", "tsv"})
    SCORE = 3

    @classmethod
    def match(cls, item: Item) -> int:
        # every text/* type is text to us until a more specific extractor claims it
        if item.mime.startswith("text/"):
            return cls.SCORE
        return super().match(item)

    def extract(self, item: Item, limits: Limits) -> Extraction:
        with open(item.disk_path, "rb") as fh:
            head = fh.read(1 << 16)
            encoding = detect_encoding(head)
            fh.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
            parts: list[str] = []
            kept = 0
            truncated = False
            while chunk := fh.read(1 << 20):
                part = decoder.decode(chunk)
                if kept + len(part) > limits.max_text_chars:
                    parts.append(part[: limits.max_text_chars - kept])
                    truncated = True
                    break
                parts.append(part)
                kept += len(part)
            else:
                parts.append(decoder.decode(b"", final=True))
        text = "".join(parts)
        if "\x00" in text[:4096] and encoding not in ("utf-16", "utf-32"):
            raise Malformed(f"binary content in a text file (encoding guess {encoding})")
        metadata = {"encoding": encoding, "chars": len(text), "truncated": truncated}
        return Extraction(text=text, metadata=metadata)
