"""What a PDF says about itself: Info dictionary, XMP packet (read by `_blocks.read_xmp`, as
in photos), and its revisions.

A PDF edited after its first save (Acrobat's "save", a stamp, a filled form) keeps the original
bytes and appends the changes, each update closed by `startxref N %%EOF`. Counting those from
the raw bytes tells how often a document was changed after it was made, which no PDF library
reports; the bytes before the first marker are the document as first saved, so the text of the
two can be compared. Linearized ("fast web view") files open with a first-page section closed
by `startxref 0 %%EOF`: that one is layout, not an edit, and is not counted.
"""

from __future__ import annotations

import mmap
import re
import struct
import warnings
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, BinaryIO, TypeAlias

from pypdf import PasswordType, PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import DictionaryObject, StreamObject

from veracity.errors import ExtractError
from veracity.extract._blocks import read_xmp

_SLICE = 256 * 1024
# no look-behinds: a pattern that starts with a literal is searched for at C speed (50× here)
_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
_EOF = re.compile(rb"startxref[\s\x00]{1,32}(\d{1,20})[\s\x00]{1,32}%%EOF")
_XREF_TABLE = re.compile(rb"xref\s{1,32}\d{1,20} \d{1,20}")  # `startxref N` has no 2nd number
_XREF_STREAM = re.compile(rb"/Type\s{0,8}/XRef\b")
#: Offsets recorded at most: enough for any real history, bounded for a hostile file.
MAX_OFFSETS = 1000

#: The raw bytes of a PDF: an mmap of the file, so that scanning it never loads it.
Buffer: TypeAlias = bytes | mmap.mmap

_DATE = re.compile(
    r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"\s*(?:(Z)|([+-])(\d{2})'?(\d{2})?'?)?"
)


def pdf_date(value: object) -> str | None:
    """A PDF date (`D:20170122103317+08'00'`) as ISO 8601, with its offset when it has one.

    Writers get this wrong in many ways (`Z07'46'`, a missing `D:`, trailing junk): what can be
    read is kept, an impossible date gives None.
    """
    if not isinstance(value, str):
        return None
    m = _DATE.match(value.strip())
    if m is None:
        return None
    year, month, day, hour, minute, second = (int(g) if g else None for g in m.groups()[:6])
    try:
        when = datetime(year or 0, month or 1, day or 1, hour or 0, minute or 0, second or 0)
    except ValueError:
        return None
    text = when.isoformat()
    if m.group(7) and not m.group(9):
        return text + "+00:00"
    if m.group(8):
        hours, minutes = int(m.group(9)), int(m.group(10) or 0)
        if hours > 14 or minutes > 59:
            return text
        offset = timedelta(hours=hours, minutes=minutes)
        zone = timezone(-offset if m.group(8) == "-" else offset)
        return when.replace(tzinfo=zone).isoformat()
    return text


@dataclass
class Revisions:
    """Markers found in the raw bytes. `ends`: where each counted revision's `%%EOF` ends."""

    ends: list[int] = field(default_factory=list)
    startxref: list[int] = field(default_factory=list)
    eof_markers: int = 0
    xref_tables: int = 0
    xref_streams: int = 0

    @property
    def count(self) -> int:
        """Revisions of the document: 1 when never updated (or when no marker was found)."""
        return max(1, len(self.ends))

    def as_raw(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "eof_markers": self.eof_markers,
            "revision_ends": self.ends[:MAX_OFFSETS],
            "startxref": self.startxref[:MAX_OFFSETS],
            "xref_tables": self.xref_tables,
            "xref_streams": self.xref_streams,
        }


def scan_revisions(data: Buffer) -> Revisions:
    """Count `%%EOF` sections and xref tables/streams in the raw bytes (an mmap: not loaded)."""
    found = Revisions()
    for m in _EOF.finditer(data):
        found.eof_markers += 1
        if int(m.group(1)) > 0:
            found.ends.append(m.end())
            if len(found.startxref) < MAX_OFFSETS:
                found.startxref.append(int(m.group(1)))
    found.xref_tables = sum(1 for _ in _XREF_TABLE.finditer(data))
    found.xref_streams = sum(1 for _ in _XREF_STREAM.finditer(data))
    return found


def inflated_bytes(data: Buffer, stop_at: int) -> int:
    """How many bytes the file's Flate streams inflate to, counted and thrown away.

    A PDF can hold a page or attachment of a gigabyte of zeros in one megabyte; PDFium would
    inflate it into memory. Counting first, in slices, costs one extra inflate of the
    compressed streams (milliseconds for a report) and stops as soon as `stop_at` is passed.
    Streams of an encrypted file are ciphertext and go uncounted.
    """
    total = 0
    for m in _STREAM.finditer(data):
        if data[max(m.start() - 3, 0) : m.start()] == b"end":
            continue
        head = data[m.end() : m.end() + 2]
        if len(head) < 2 or head[0] & 0x0F != 8 or (head[0] << 8 | head[1]) % 31:
            continue  # not a zlib header: another filter, or no stream after all
        inflater, pos, pending = zlib.decompressobj(), m.end(), b""
        try:
            while total <= stop_at and not inflater.eof:
                if not pending:
                    pending = data[pos : pos + _SLICE]
                    pos += len(pending)
                    if not pending:
                        break
                total += len(inflater.decompress(pending, _SLICE * 4))
                pending = inflater.unconsumed_tail
        except zlib.error:
            continue  # broken data: PDFium will say so, with less memory than a bomb
        if total > stop_at:
            break
    return total


# --- Info dictionary, XMP and header, read with pypdf ----------------------------------------

#: Errors pypdf raises on a broken file, beyond its own: it parses with plain Python.
PYPDF_ERRORS = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    AssertionError,
    RecursionError,
    OverflowError,
    UnicodeError,
    zlib.error,
    struct.error,
    OSError,
    NotImplementedError,
)
MAX_XMP_BYTES = 4 * 1024 * 1024
_MAX_VALUE_CHARS = 10_000
#: Info keys → design.md's names; XMP properties used when the Info dictionary lacks the key.
_FIELDS = (
    ("title", "Title", "dc:title"),
    ("author", "Author", "dc:creator"),
    ("subject", "Subject", "dc:description"),
    ("keywords", "Keywords", "pdf:Keywords"),
    ("application", "Creator", "xmp:CreatorTool"),
    ("producer", "Producer", "pdf:Producer"),
    ("created", "CreationDate", "xmp:CreateDate"),
    ("modified", "ModDate", "xmp:ModifyDate"),
)


def _text(value: object) -> str | None:
    """An Info value as text: strings as decoded by pypdf, names and numbers as written."""
    if isinstance(value, bytes):
        text = value.decode("utf-16") if value[:2] in (b"\xfe\xff", b"\xff\xfe") else None
        text = text or value.decode("latin-1")
    elif isinstance(value, str | int | float | bool):
        text = str(value)
    else:
        return None
    return text.replace("\x00", "").strip()[:_MAX_VALUE_CHARS]


@dataclass
class Structure:
    """What pypdf read; `error` says where it stopped on a broken file."""

    info: dict[str, str] = field(default_factory=dict)
    xmp: dict[str, Any] = field(default_factory=dict)  # "prefix:Name" → value, as written
    xmp_groups: dict[str, dict[str, Any]] = field(default_factory=dict)  # ExifTool's XMP-*
    version: str | None = None
    is_encrypted: bool = False
    needs_password: bool = False
    error: str | None = None


def _read(reader: PdfReader, out: Structure) -> None:
    out.version = reader.pdf_header.removeprefix("%PDF-")[:8] or None
    out.is_encrypted = reader.is_encrypted
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        out.needs_password = True
        return
    root = reader.trailer.get("/Root")
    root = root.get_object() if root is not None else None
    if isinstance(root, DictionaryObject):
        version = root.get("/Version")
        if version is not None:  # the catalog may override the header (PDF 1.4 and later)
            out.version = str(version).lstrip("/")
        xmp = root.get("/Metadata")
        xmp = xmp.get_object() if xmp is not None else None
        if isinstance(xmp, StreamObject) and int(xmp.get("/Length", 0) or 0) <= MAX_XMP_BYTES:
            try:
                out.xmp_groups, out.xmp = read_xmp(xmp.get_data()[:MAX_XMP_BYTES])
            except ExtractError as exc:  # entity tricks, broken XML: the rest still counts
                out.error = f"XMP: {exc}"
    info = reader.trailer.get("/Info")
    info = info.get_object() if info is not None else None
    if isinstance(info, DictionaryObject):
        for key, value in info.items():
            text = _text(value.get_object() if value is not None else None)
            if text is not None and str(key).lstrip("/") not in ("Type", "Kids", "Count"):
                out.info[str(key).lstrip("/")] = text


def read_structure(source: Path | BinaryIO) -> Structure:
    """Header version, encryption, Info and XMP; a broken file gives what was read first.

    A path is opened here and handed over as a file: given a path, pypdf reads the whole
    file into memory first.
    """
    if isinstance(source, Path):
        with open(source, "rb") as fh:
            return read_structure(fh)
    out = Structure()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pypdf warns on every oddity; the error says enough
        try:
            _read(PdfReader(source, strict=False), out)
        except PYPDF_ERRORS as exc:
            out.error = f"{type(exc).__name__}: {exc}"[:500]
    return out


def _first(value: Any) -> str | None:
    """An XMP value as one string: the first item of a list (dc:title is an rdf:Alt)."""
    if isinstance(value, list):
        value = value[0] if value else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def normalised(structure: Structure) -> dict[str, Any]:
    """design.md's fields from Info, falling back to XMP; dates as ISO 8601."""
    out: dict[str, Any] = {}
    for name, info_key, xmp_key in _FIELDS:
        value: str | None = structure.info.get(info_key) or None
        if name in ("created", "modified"):
            value = pdf_date(value) if value else _first(structure.xmp.get(xmp_key))
        elif not value:
            value = _first(structure.xmp.get(xmp_key))
        if value:
            out[name] = value
    return out
