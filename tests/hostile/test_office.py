"""Hostile Office files, RTF and mail: each gets a clear error or a partial result, never an
`internal` error, a crash, a hang or entity expansion."""

from __future__ import annotations

import base64
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import paths_of, run_ingest
from tests.extract.test_docx import build_docx, full_docx, paragraph
from tests.extract.test_email import build_msg
from tests.extract.test_ole import chinese_doc, compound_file
from veracity.case import open_case

XXE = (
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)


def _hostile_source(src: Path) -> None:
    build_docx(src / "xxe.docx", XXE)
    build_docx(src / "billion-laughs.docx", LAUGHS)
    with zipfile.ZipFile(src / "xxe.pptx", "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("ppt/presentation.xml", XXE.replace("w:document", "p:presentation"))
    with zipfile.ZipFile(src / "masquerade.docx", "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        zf.writestr("evil.exe", b"MZ" + bytes(100))
    compound_file(
        src / "encrypted.docx",
        {
            "EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"<encryption/>" * 8,
            "EncryptedPackage": struct.pack("<Q", 5000) + bytes(5000),
        },
    )
    whole = full_docx(src.parent / "whole.docx").read_bytes()
    (src / "truncated.docx").write_bytes(whole[: len(whole) // 2])
    nested = "<w:sdt>" * 50_000 + paragraph("深处") + "</w:sdt>" * 50_000
    build_docx(src / "deep.docx", nested)
    chinese_doc(src / "password.doc", encrypted=True)
    good = chinese_doc(src.parent / "good.doc").read_bytes()
    (src / "truncated.doc").write_bytes(good[:1536])
    broken = (
        "From: a@example.cn\r\nSubject: broken\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        "Content-Type: text/plain; charset=utf-8\r\n\r\n正文\r\n--b\r\n"
        'Content-Type: image/jpeg; name="photo.jpg"\r\nContent-Transfer-Encoding: base64\r\n'
        'Content-Disposition: attachment; filename="photo.jpg"\r\n\r\n'
        + base64.b64encode(b"\xff\xd8\xff\xe0" + bytes(64)).decode()[:-7]
        + "!!!\r\n--b--\r\n"
    )
    (src / "broken-attachment.eml").write_bytes(broken.encode())
    parts = "".join(f"--b\r\nContent-Type: text/plain\r\n\r\n{i}\r\n" for i in range(12_000))
    head = 'Subject: many\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
    (src / "many-parts.eml").write_bytes(f"{head}{parts}--b--\r\n".encode())
    headers = "".join(f"X-H{i}: {'x' * 50}\r\n" for i in range(50_000))
    (src / "header-bomb.eml").write_bytes(f"From: a@b.cn\r\n{headers}\r\nbody\r\n".encode())
    build_msg(src / "broken-attachment.msg", {"ok.txt": b"fine", "lost.xlsx": None})
    msg = build_msg(src.parent / "whole.msg", {"a.txt": b"x"}).read_bytes()
    (src / "truncated.msg").write_bytes(msg[:1200])
    (src / "overflow.rtf").write_bytes(rb"{\rtf1\ansi \u99999999999999999999? x}")


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("hostile")
    src = root / "src"
    src.mkdir()
    _hostile_source(src)
    case = open_case(root / "case", create=True)
    run_ingest(case, src)
    return paths_of(case)


def test_no_hostile_file_is_an_internal_error(rows: dict[str, dict[str, Any]]) -> None:
    bad = {p: (r["x_error_kind"], r["x_error"]) for p, r in rows.items()}
    assert not {p: e for p, e in bad.items() if e[0] in ("internal", "timeout", "crash")}


@pytest.mark.parametrize(
    ("path", "kind", "words"),
    [
        ("xxe.docx", "malformed", "forbidden XML"),
        ("billion-laughs.docx", "malformed", "forbidden XML"),
        ("xxe.pptx", "malformed", "forbidden XML"),
        ("masquerade.docx", "malformed", "Content_Types"),
        ("encrypted.docx", "encrypted", "EncryptedPackage"),
        ("truncated.docx", "malformed", ""),
        ("password.doc", "encrypted", "FIB"),
        ("truncated.doc", "malformed", ""),
        ("truncated.msg", "malformed", ""),
        ("many-parts.eml", "limit", "email_parts"),
    ],
)
def test_hostile_files_get_a_clear_error(
    rows: dict[str, dict[str, Any]], path: str, kind: str, words: str
) -> None:
    assert rows[path]["status"] == "failed"
    assert rows[path]["x_error_kind"] == kind
    assert words in rows[path]["x_error"]


def test_entities_are_never_expanded(rows: dict[str, dict[str, Any]]) -> None:
    for path in ("xxe.docx", "billion-laughs.docx"):
        assert "root:" not in str(rows[path]) and "lollol" not in str(rows[path])


def test_partial_results(rows: dict[str, dict[str, Any]]) -> None:
    assert rows["deep.docx"]["status"] == "done"
    assert rows["header-bomb.eml"]["status"] == "done"
    # a broken attachment is still taken out; the mail itself is read
    assert rows["broken-attachment.eml"]["status"] == "done"
    assert "broken-attachment.eml!/photo.jpg" in rows
    assert rows["broken-attachment.msg"]["status"] == "done"
    assert rows["broken-attachment.msg!/ok.txt"]["status"] == "done"
    lost = rows["broken-attachment.msg!/lost.xlsx"]
    assert lost["error_kind"] == "malformed" and lost["sha256"] is None
    assert rows["overflow.rtf"]["x_error_kind"] == "malformed"
    assert rows["truncated.doc"]["x_error"].startswith("truncated")
