"""Shared reading of OLE compound files (.doc, .ppt, .xls, .msg): properties and encryption.

Legacy Office files keep their author, dates, revision number, editing time and program in two
property streams (SummaryInformation, DocumentSummaryInformation). `ole_properties()` returns
them in design.md's field names, the same as `_ooxml.office_metadata()` gives for docx/xlsx/pptx,
so a check compares a .doc with a .docx without knowing which it read. Strings are decoded with
the file's own code page (936 in a Chinese Office), which olefile leaves to the caller.

`encryption()` tells a password-protected file apart from a broken one for each program: an
encrypted docx/xlsx/pptx is an OLE file holding an `EncryptedPackage` stream, a .doc says so in
its FIB, a .ppt in its CurrentUser atom, an .xls by a FILEPASS record after its first BOF.
"""

from __future__ import annotations

import codecs
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from os import PathLike
from typing import Any

import olefile

from veracity.errors import Malformed

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: What olefile raises on a damaged file; it is mapped to `Malformed` at this boundary.
OLE_ERRORS = (OSError, ValueError, struct.error, IndexError, KeyError, TypeError, OverflowError)

SUMMARY = "\x05SummaryInformation"
DOC_SUMMARY = "\x05DocumentSummaryInformation"
_SUMMARY_FIELDS = {
    2: "title",
    3: "subject",
    4: "author",
    5: "keywords",
    6: "description",
    7: "template",
    8: "last_modified_by",
    9: "revision",
    10: "total_time",
    11: "last_printed",
    12: "created",
    13: "modified",
    14: "pages",
    15: "words",
    16: "characters",
    17: "thumbnail",
    18: "application",
    19: "doc_security",
}
_DOC_SUMMARY_FIELDS = {
    2: "category",
    3: "presentation_format",
    4: "bytes",
    5: "lines",
    6: "paragraphs",
    7: "slides",
    8: "notes",
    9: "hidden_slides",
    10: "mm_clips",
    11: "scale_crop",
    12: "heading_pairs",
    13: "titles_of_parts",
    14: "manager",
    15: "company",
    16: "links_up_to_date",
    17: "characters_with_spaces",
    19: "shared_doc",
    22: "hyperlinks_changed",
    23: "app_version",
    26: "content_type",
    27: "content_status",
    28: "language",
    29: "doc_version",
}
#: Lists and counts that describe the file's parts: kept in raw, not in the normalised fields.
_RAW_ONLY = frozenset(
    {
        "heading_pairs",
        "titles_of_parts",
        "bytes",
        "mm_clips",
        "doc_security",
        "scale_crop",
        "links_up_to_date",
        "shared_doc",
        "hyperlinks_changed",
        "codepage",
        "thumbnail_bytes",
    }
)
_CODEPAGES = {1200: "utf-16-le", 1201: "utf-16-be", 65001: "utf-8", 10000: "mac_roman"}
_MAX_LIST = 200


@contextmanager
def open_ole(source: str | PathLike[str]) -> Iterator[Any]:
    """An `olefile.OleFileIO`, closed afterwards; a damaged file becomes `Malformed`."""
    try:
        ole = olefile.OleFileIO(source)
    except OLE_ERRORS as exc:
        raise Malformed(f"unreadable OLE compound file: {exc}") from exc
    try:
        yield ole
    finally:
        ole.close()


def _codec(codepage: object) -> str:
    if isinstance(codepage, int):
        name = _CODEPAGES.get(codepage, f"cp{codepage}")
        try:
            return codecs.lookup(name).name
        except LookupError:
            pass
    return "cp1252"


def _value(value: object, codec: str) -> Any:
    """A property value as JSON can hold it; None for what carries no information."""
    if isinstance(value, bytes):
        text = value.decode(codec, "replace").replace("\x00", "").strip()
        return text or None
    if isinstance(value, datetime):
        # a zero FILETIME (1601) means "never"; Office writes its times in UTC
        return None if value.year < 1980 else f"{value:%Y-%m-%dT%H:%M:%S}Z"
    if isinstance(value, list):
        return [v for v in (_value(x, codec) for x in value[:_MAX_LIST]) if v is not None]
    if isinstance(value, str):
        return value.replace("\x00", "").strip() or None
    if isinstance(value, bool | int | float):
        return value
    return None  # thumbnails, CLSIDs and other binary values


def _read_set(ole: Any, stream: str, fields: dict[int, str], **options: Any) -> dict[str, Any]:
    if not ole.exists(stream):
        return {}
    try:
        props = ole.getproperties(stream, convert_time=True, **options)
    except OLE_ERRORS:
        return {}  # a damaged property set costs its properties, not the file's text
    codec = _codec(props.get(1))
    out: dict[str, Any] = {}
    for pid, value in sorted(props.items(), key=lambda kv: kv[0]):
        if pid == 1:
            out["codepage"] = value
            continue
        if pid == 17 and fields is _SUMMARY_FIELDS:  # the thumbnail: its size, not its bytes
            out["thumbnail_bytes"] = len(value) if isinstance(value, bytes) else None
            continue
        converted = _value(value, codec)
        if converted is not None:
            out[fields.get(pid, f"pid_{pid}")] = converted
    return out


def ole_properties(source: str | PathLike[str] | Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(normalised metadata, raw groups) of an OLE file's property streams.

    `source` is a path or an open `olefile.OleFileIO`. Metadata holds `title`, `author`,
    `last_modified_by`, `created`, `modified` (ISO 8601, UTC, "Z"), `application`,
    `app_version` ("11.9999", as ExifTool shows it), `revision` and `revisions`, `total_time`
    (minutes, as docProps/app.xml counts it), `pages`, `words`, `company`, …; raw groups them
    as {"SummaryInformation": …, "DocumentSummaryInformation": …}.
    """
    if not isinstance(source, olefile.OleFileIO):
        with open_ole(source) as ole:
            return ole_properties(ole)
    # total edit time is a duration, not a date: olefile then gives it in seconds
    summary = _read_set(source, SUMMARY, _SUMMARY_FIELDS, no_conversion=[10])
    doc_summary = _read_set(source, DOC_SUMMARY, _DOC_SUMMARY_FIELDS)
    metadata: dict[str, Any] = {
        k: v
        for k, v in {**doc_summary, **summary}.items()
        if k not in _RAW_ONLY and not k.startswith("pid_")
    }
    seconds = summary.get("total_time")
    if isinstance(seconds, int):
        metadata["total_time"] = seconds // 60
    version = doc_summary.get("app_version")
    if isinstance(version, int) and version > 0:
        metadata["app_version"] = f"{version >> 16}.{version & 0xFFFF:04d}"
    revision = summary.get("revision")
    if isinstance(revision, str) and revision.isdigit():
        metadata["revisions"] = int(revision)
    raw = {"SummaryInformation": summary, "DocumentSummaryInformation": doc_summary}
    return metadata, raw


def _stream_head(ole: Any, name: str, size: int) -> bytes:
    try:
        with ole.openstream(name) as fh:
            data: bytes = fh.read(size)
            return data
    except OLE_ERRORS:
        return b""


def missing_bytes(ole: Any, name: str) -> int:
    """How many bytes of a stream its file no longer holds (a truncated file): 0 when whole."""
    try:
        with ole.openstream(name) as fh:
            return max(int(ole.get_size(name)) - len(fh.read()), 0)
    except OLE_ERRORS:
        return int(ole.get_size(name))


def _xls_filepass(head: bytes) -> bool:
    """An encrypted workbook's FILEPASS record (0x002F) directly follows its first BOF."""
    if len(head) < 8:
        return False
    (bof_size,) = struct.unpack_from("<H", head, 2)
    at = 4 + bof_size
    return len(head) >= at + 2 and bool(struct.unpack_from("<H", head, at)[0] == 0x002F)


def encryption(ole: Any) -> str | None:
    """Why the file cannot be read without its password, or None when it is not encrypted."""
    if ole.exists("EncryptedPackage"):
        return "password-protected Office Open XML file (an OLE EncryptedPackage)"
    if ole.exists("WordDocument"):
        head = _stream_head(ole, "WordDocument", 12)
        if len(head) >= 12 and struct.unpack_from("<H", head, 10)[0] & 0x0100:
            return "password-protected Word document (fEncrypted set in its FIB)"
    if ole.exists("Current User"):
        head = _stream_head(ole, "Current User", 16)
        if len(head) >= 16 and struct.unpack_from("<I", head, 12)[0] == 0xF3D1C4DF:
            return "password-protected PowerPoint presentation (encrypted CurrentUser token)"
    if ole.exists("EncryptedSummary"):
        return "password-protected PowerPoint presentation (EncryptedSummary stream)"
    for book in ("Workbook", "Book"):
        if ole.exists(book) and _xls_filepass(_stream_head(ole, book, 64)):
            return "password-protected Excel workbook (FILEPASS record)"
    return None
