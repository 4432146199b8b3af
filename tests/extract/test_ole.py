"""Legacy Office files: OLE properties (checked against ExifTool), text, encryption.

Real .doc/.ppt files come from the format corpus; files with Chinese properties or encryption
flags are built here with extract-msg's OLE writer (olefile cannot write).
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import magic
import pytest
from extract_msg import OleWriter

from tests.conftest import CORPORA
from veracity.case import Limits
from veracity.errors import EncryptedFile, Malformed
from veracity.extract import ole as ole_module
from veracity.extract._ole import OLE_MAGIC, ole_properties
from veracity.extract.base import Item
from veracity.extract.ole import OleExtractor, run_tool
from veracity.extract.registry import choose

CORPUS = CORPORA / "format-corpus"
TEXT_ONLY_DOC = CORPUS / "pdfCabinetOfHorrors" / "text_only.doc"
PPT_2001 = CORPUS / "office-examples" / "powerpoint4-mac" / "ecdl+paris2001.ppt"
LIMITS = Limits.from_settings()
FMTID_SUMMARY = uuid.UUID("F29F85E0-4FF9-1068-AB91-08002B27B3D9").bytes_le
FMTID_DOC_SUMMARY = uuid.UUID("D5CDD502-2E9C-101B-9397-08002B2CF9AE").bytes_le
VT_I2, VT_I4, VT_LPSTR, VT_FILETIME = 2, 3, 30, 64

needs_corpus = pytest.mark.skipif(
    not TEXT_ONLY_DOC.exists(), reason=f"format corpus not found at {CORPUS}"
)


def item_for(path: Path, scratch: Path, mime: str | None = None) -> Item:
    return Item(
        disk_path=path,
        path=path.name,
        sha256="0" * 64,
        size=path.stat().st_size,
        mime=mime or magic.from_file(str(path), mime=True),
        extension=path.suffix.lstrip(".").lower(),
        depth=0,
        scratch=scratch,
    )


def _filetime(when: datetime) -> int:
    return int((when - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds() * 10_000_000)


def property_set(fmtid: bytes, codepage: int, props: dict[int, tuple[int, Any]]) -> bytes:
    """A one-section OLE property set stream ([MS-OLEPS]) holding `props` (pid → (VT, value))."""
    entries = [(1, VT_I2, codepage), *((pid, vt, v) for pid, (vt, v) in props.items())]
    values = b""
    table = b""
    start = 8 + 8 * len(entries)
    for pid, vt, value in entries:
        table += struct.pack("<II", pid, start + len(values))
        if vt == VT_I2:
            data = struct.pack("<HHhH", vt, 0, value, 0)
        elif vt == VT_I4:
            data = struct.pack("<HHi", vt, 0, value)
        elif vt == VT_FILETIME:
            data = struct.pack("<HHQ", vt, 0, _filetime(value))
        else:  # VT_LPSTR, already encoded in the code page
            raw = value + b"\x00"
            data = struct.pack("<HHI", vt, 0, len(raw)) + raw + b"\x00" * (-len(raw) % 4)
        values += data
    section = struct.pack("<II", start + len(values), len(entries)) + table + values
    header = struct.pack("<HHI16sI", 0xFFFE, 0, 0x00020006, bytes(16), 1)
    return header + fmtid + struct.pack("<I", 48) + section


def word_stream(*, encrypted: bool) -> bytes:
    """The start of a WordDocument stream: a FIB whose flags say whether it is encrypted."""
    flags = 0x0100 if encrypted else 0
    fib = struct.pack("<HHHHHH", 0xA5EC, 0x00C1, 0, 0x0804, 0, flags)
    return fib + bytes(5000 - len(fib))


def compound_file(path: Path, streams: dict[str, bytes]) -> Path:
    writer = OleWriter()
    for name, data in streams.items():
        writer.addEntry(name, data)
    writer.write(str(path))
    return path


def chinese_doc(path: Path, *, encrypted: bool = False) -> Path:
    summary = property_set(
        FMTID_SUMMARY,
        936,
        {
            2: (VT_LPSTR, "关于报送名单的通知".encode("gbk")),
            4: (VT_LPSTR, "张三".encode("gbk")),
            8: (VT_LPSTR, "李四".encode("gbk")),
            9: (VT_LPSTR, b"7"),
            12: (VT_FILETIME, datetime(2017, 6, 1, 2, 3, 4, tzinfo=UTC)),
            13: (VT_FILETIME, datetime(2017, 6, 9, 5, 6, 7, tzinfo=UTC)),
            14: (VT_I4, 3),
            18: (VT_LPSTR, b"Microsoft Office Word"),
        },
    )
    doc_summary = property_set(
        FMTID_DOC_SUMMARY, 936, {15: (VT_LPSTR, "某县公安局".encode("gbk")), 23: (VT_I4, 0xE0000)}
    )
    return compound_file(
        path,
        {
            "WordDocument": word_stream(encrypted=encrypted),
            "\x05SummaryInformation": summary,
            "\x05DocumentSummaryInformation": doc_summary,
        },
    )


def test_chinese_properties_are_decoded_with_the_files_code_page(tmp_path: Path) -> None:
    metadata, raw = ole_properties(chinese_doc(tmp_path / "notice.doc"))
    assert metadata["title"] == "关于报送名单的通知"
    assert metadata["author"] == "张三"
    assert metadata["last_modified_by"] == "李四"
    assert metadata["created"] == "2017-06-01T02:03:04Z"
    assert metadata["modified"] == "2017-06-09T05:06:07Z"
    assert metadata["revisions"] == 7
    assert metadata["pages"] == 3
    assert metadata["company"] == "某县公安局"
    assert metadata["app_version"] == "14.0000"
    assert raw["SummaryInformation"]["codepage"] == 936


def test_encrypted_word_and_ooxml_files_are_reported_encrypted(tmp_path: Path) -> None:
    doc = chinese_doc(tmp_path / "locked.doc", encrypted=True)
    with pytest.raises(EncryptedFile, match="FIB"):
        OleExtractor().extract(item_for(doc, tmp_path / "s1"), LIMITS)
    docx = compound_file(
        tmp_path / "locked.docx",
        {
            "EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"<encryption/>" * 8,
            "EncryptedPackage": struct.pack("<Q", 5000) + bytes(5000),
        },
    )
    item = item_for(docx, tmp_path / "s2")
    assert item.mime == "application/encrypted"
    extractor = choose(item)
    assert extractor is not None and extractor.NAME == "ole"
    with pytest.raises(EncryptedFile, match="EncryptedPackage"):
        extractor.extract(item, LIMITS)


def test_a_damaged_compound_file_is_malformed(tmp_path: Path) -> None:
    good = chinese_doc(tmp_path / "good.doc").read_bytes()
    bad = tmp_path / "bad.doc"
    bad.write_bytes(good[:600])
    with pytest.raises(Malformed):
        OleExtractor().extract(item_for(bad, tmp_path / "s", "application/msword"), LIMITS)


@needs_corpus
def test_word_97_text_and_properties(tmp_path: Path) -> None:
    result = OleExtractor().extract(item_for(TEXT_ONLY_DOC, tmp_path / "s"), LIMITS)
    assert result.text is not None and "This is a test document" in result.text
    meta = result.metadata
    assert meta["program"] == "word"
    assert meta["title"] == "This is a test document"
    assert meta["author"] == meta["last_modified_by"] == "van der Knijff"
    assert meta["created"] == "2012-11-22T12:28:00Z"
    assert meta["total_time"] == 6
    assert meta["app_version"] == "11.9999"
    assert result.language == "en"


@needs_corpus
def test_powerpoint_97_text_is_one_page_per_slide(tmp_path: Path) -> None:
    result = OleExtractor().extract(item_for(PPT_2001, tmp_path / "s"), LIMITS)
    assert result.metadata["program"] == "powerpoint"
    assert len(result.pages) == result.metadata["slides"] == 16
    assert result.pages[0].kind == "slide" and "JISC" in result.pages[0].text


EXIFTOOL_FIELDS = {  # ExifTool's FlashPix tag → our metadata key
    "Title": "title",
    "Author": "author",
    "LastModifiedBy": "last_modified_by",
    "RevisionNumber": "revision",
    "Software": "application",
    "Pages": "pages",
    "Words": "words",
    "Company": "company",
    "AppVersion": "app_version",
}
#: (file name, ExifTool tag) pairs where ExifTool differs, and why.
KNOWN_DIFFERENCES = {
    ("unc- oxford.ppt", "Words"): "ExifTool takes 0 from the embedded Excel chart's own "
    "property set; the presentation's SummaryInformation has no word count",
}


@needs_corpus
@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool is not installed")
def test_properties_agree_with_exiftool() -> None:
    files = [
        p
        for p in sorted(CORPUS.rglob("*"))
        if p.suffix.lower() in (".doc", ".ppt", ".xls") and p.read_bytes()[:8] == OLE_MAGIC
    ]
    out = subprocess.run(
        ["exiftool", "-j", "-G", "-FlashPix:all", *map(str, files)],
        capture_output=True,
        check=True,
        timeout=120,
    )
    compared = 0
    for entry in json.loads(out.stdout):
        metadata, _ = ole_properties(entry["SourceFile"])
        for tag, key in EXIFTOOL_FIELDS.items():
            value = entry.get(f"FlashPix:{tag}")
            known = (Path(entry["SourceFile"]).name, tag) in KNOWN_DIFFERENCES
            if value in (None, "") or known:
                continue
            compared += 1
            assert str(metadata.get(key)) == str(value), (entry["SourceFile"], tag)
    assert compared >= 80


def test_run_tool_stops_at_its_deadline_and_its_byte_cap() -> None:
    started = time.monotonic()
    code, out = run_tool(["sleep", "10"], 0.3, 100)
    assert code is None and out == b"" and time.monotonic() - started < 5
    code, out = run_tool(["yes"], 10, 1000)
    assert code is None and len(out) == 1000


@needs_corpus
def test_a_missing_tool_leaves_properties_and_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ole_module.shutil, "which", lambda name: None)
    result = OleExtractor().extract(item_for(TEXT_ONLY_DOC, tmp_path / "s"), LIMITS)
    assert result.text is None
    assert "antiword is not installed" in result.metadata["note"]
    assert result.metadata["author"] == "van der Knijff"


def test_excel_files_are_left_to_the_spreadsheet_extractor(tmp_path: Path) -> None:
    xls = compound_file(tmp_path / "book.xls", {"Workbook": bytes(5000)})
    item = item_for(xls, tmp_path / "s", "application/vnd.ms-office")
    assert OleExtractor.match(item) == 1
    assert OleExtractor.match(item_for(xls, tmp_path / "s", "application/vnd.ms-excel")) == -1
