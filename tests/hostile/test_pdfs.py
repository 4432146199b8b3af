"""Hostile PDFs: each gets a clear error kind or a partial result, quickly, in bounded memory.

Built by hand (`pdf()` writes the objects and a correct xref, then a test breaks what it
needs), so every attack is a few hundred bytes to a megabyte on disk.
"""

from __future__ import annotations

import functools
import io
import json
import resource
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfWriter

from tests.conftest import paths_of, run_ingest
from veracity.case import Case, Limits
from veracity.errors import Malformed
from veracity.extract import Item
from veracity.extract.pdf import PdfExtractor

LIMITS = Limits.from_settings()


def pdf(objects: list[bytes], *, trailer: bytes = b"", xref_shift: int = 0) -> bytes:
    """A PDF of `objects` (numbered from 1, the first the catalog) with its xref table."""
    body = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{o + xref_shift:010d} 00000 n \n".encode() for o in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R ".encode() + trailer + b">>\n"
    return bytes(body + f"startxref\n{xref}\n%%EOF\n".encode())


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def one_page(text: bytes = b"(Hello world) Tj") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        stream(b"BT /F1 12 Tf 72 720 Td " + text + b" ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


@functools.cache
def gigabyte_of_zeros() -> bytes:
    """1 GiB of zeros, deflated to about a megabyte."""
    packer = zlib.compressobj(9)
    block = bytes(1 << 20)
    return b"".join(packer.compress(block) for _ in range(1024)) + packer.flush()


def hostile_pdfs(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    good = pdf(one_page())
    files: dict[str, bytes] = {
        "truncated.pdf": good[: len(good) // 2],
        "xref-outside.pdf": pdf(one_page(), xref_shift=10_000_000),
        "header-only.pdf": b"%PDF-1.7\n",
    }
    objs = one_page()
    objs[1] = b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>"
    files["billion-pages.pdf"] = pdf(objs)
    objs = one_page()
    objs[1] = b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"  # the tree contains itself
    files["pages-loop.pdf"] = pdf(objs)
    objs = one_page()
    objs[0] = b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * 100_000 + b"]" * 100_000 + b">>"
    files["nested-arrays.pdf"] = pdf(objs)
    loop = [*one_page(), b"<< /Title 7 0 R /Metadata 6 0 R >>", b"8 0 R", b"7 0 R"]
    files["reference-loop.pdf"] = pdf(loop, trailer=b"/Info 6 0 R ")
    bomb = gigabyte_of_zeros()
    objs = one_page()
    objs[3] = stream(bomb, b"/Filter /FlateDecode ")
    files["content-bomb.pdf"] = pdf(objs)
    objs = one_page()
    objs[0] = (
        b"<< /Type /Catalog /Pages 2 0 R"
        b" /Names << /EmbeddedFiles << /Names [(zeros.bin) 6 0 R] >> >> >>"
    )
    objs += [b"<< /Type /Filespec /F (zeros.bin) /EF << /F 7 0 R >> >>"]
    objs += [stream(bomb, b"/Type /EmbeddedFile /Filter /FlateDecode ")]
    files["attachment-bomb.pdf"] = pdf(objs)
    objs = one_page(b"")
    objs[2] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /XObject << /Im1 6 0 R >> >> >>"
    )
    objs[3] = stream(b"q 612 0 0 792 0 0 cm /Im1 Do Q")
    objs += [
        stream(
            zlib.compress(bytes(1000)),
            b"/Type /XObject /Subtype /Image /Width 100000 /Height 100000"
            b" /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode ",
        )
    ]
    files["image-claiming-10-gigapixels.pdf"] = pdf(objs)
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt(user_password="hunter2", owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    files["encrypted-password-hunter2.pdf"] = out.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("notes.txt", "not a PDF at all")
    files["zip-posing-as.pdf"] = out.getvalue()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in files}


def test_hostile_pdfs_get_a_clear_error_or_a_partial_result(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    hostile_pdfs(tmp_path / "src")
    case = make_case()
    started = time.monotonic()
    run_ingest(case, tmp_path / "src")
    assert time.monotonic() - started < 60
    rows = paths_of(case)
    kinds = {p: (r["status"], r["x_error_kind"]) for p, r in rows.items() if "!/" not in p}
    assert kinds["truncated.pdf"] == ("failed", "malformed")
    assert kinds["header-only.pdf"] == ("failed", "malformed")
    assert kinds["encrypted-password-hunter2.pdf"] == ("failed", "encrypted")
    assert kinds["content-bomb.pdf"] == ("failed", "limit")
    assert kinds["attachment-bomb.pdf"] == ("failed", "limit")
    for name in (
        "xref-outside.pdf",
        "billion-pages.pdf",
        "nested-arrays.pdf",
        "reference-loop.pdf",
    ):
        assert kinds[name] == ("done", None), name
        assert json.loads(rows[name]["metadata"])["pages"] == 1  # a /Count of 10^9 is not believed
    assert kinds["pages-loop.pdf"] == ("done", None)
    assert json.loads(rows["pages-loop.pdf"]["metadata"])["unreadable_pages"] == 1
    assert kinds["image-claiming-10-gigapixels.pdf"] == ("done", None)
    # a zip is read as the zip it is, whatever its name says
    assert rows["zip-posing-as.pdf"]["extractor"] == "zip"
    assert all(kind != "internal" for _, kind in kinds.values())


@pytest.mark.parametrize("name", ["content-bomb.pdf", "attachment-bomb.pdf"])
def test_a_stream_bomb_is_refused_before_it_is_inflated(tmp_path: Path, name: str) -> None:
    path = hostile_pdfs(tmp_path / "src")[name]
    item = Item(path, name, "0" * 64, path.stat().st_size, "application/pdf", "pdf", 0, tmp_path)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = PdfExtractor().extract(item, LIMITS)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert result.error_kind == "limit" and "max_archive_ratio" in (result.error or "")
    assert result.metadata["pdf_version"] == "1.7"  # what could be read is kept
    assert grown_mb < 200


def test_a_zip_handed_to_the_pdf_reader_is_malformed(tmp_path: Path) -> None:
    path = hostile_pdfs(tmp_path / "src")["zip-posing-as.pdf"]
    item = Item(
        path, path.name, "0" * 64, path.stat().st_size, "application/pdf", "pdf", 0, tmp_path
    )
    with pytest.raises(Malformed, match="no %PDF- header"):
        PdfExtractor().extract(item, LIMITS)
