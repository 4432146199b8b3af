"""E-mail: .eml built with the standard library, .msg built with extract-msg's OLE writer."""

from __future__ import annotations

import base64
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import magic
from extract_msg import OleWriter

from tests.conftest import paths_of, run_ingest
from veracity.case import Case, Limits
from veracity.extract.base import Extraction, Item
from veracity.extract.email import EmlExtractor, MsgExtractor, received_hops
from veracity.extract.registry import choose

LIMITS = Limits.from_settings()
RECEIVED = (
    "from mail.a.cn (mail.a.cn [10.1.2.3]) by mx.b.cn with ESMTP id 42; "
    "Fri, 2 Mar 2018 10:05:04 +0800"
)


def notice_eml() -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "张三 <zhang@example.cn>"
    msg["To"] = "li@example.cn, wang@example.cn"
    msg["Subject"] = "关于报送名单的通知"
    msg["Date"] = "Fri, 2 Mar 2018 10:05:03 +0800"
    msg["Message-ID"] = "<abc@example.cn>"
    msg["Received"] = RECEIVED
    msg["Received"] = "from [192.168.1.5] by mail.a.cn; Fri, 2 Mar 2018 10:05:03 +0800"
    msg["X-Mailer"] = "Foxmail 7.2"
    msg.set_content("各单位：请于周五前报送名单。")
    msg.add_alternative("<p>各单位：请于<b>周五</b>前报送名单。</p>", subtype="html")
    msg.add_attachment(
        b"\xff\xd8\xff\xe0 not really", maintype="image", subtype="jpeg", filename="照片.jpg"
    )
    msg.add_attachment(
        "名单".encode(), maintype="application", subtype="octet-stream", filename="..\\..\\名单.txt"
    )
    inner = EmailMessage()
    inner["Subject"] = "转发"
    inner.set_content("原件")
    msg.add_attachment(inner)
    return msg


def utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def build_msg(path: Path, attachments: dict[str, bytes | None]) -> Path:
    """A minimal Outlook message ([MS-OXMSG]); an attachment given None has no data stream."""
    writer = OleWriter()
    writer.addEntry("__properties_version1.0", bytes(32))
    for stream in ("00020102", "00030102", "00040102"):
        writer.addEntry(f"__nameid_version1.0/__substg1.0_{stream}", b"")
    headers = (
        f"Received: {RECEIVED}\r\nFrom: zhang@example.cn\r\nTo: li@example.cn\r\n"
        "Date: Fri, 2 Mar 2018 10:05:03 +0800\r\nX-Mailer: Microsoft Outlook 15.0\r\n\r\n"
    )
    for prop, value in (
        ("001A001F", "IPM.Note"),
        ("0037001F", "关于报送名单的通知"),
        ("1000001F", "请各单位于周五前报送。"),
        ("007D001F", headers),
    ):
        writer.addEntry(f"__substg1.0_{prop}", utf16(value))
    for n, (name, data) in enumerate(attachments.items()):
        folder = f"__attach_version1.0_#{n:08X}"
        writer.addEntry(f"{folder}/__properties_version1.0", bytes(8))
        writer.addEntry(f"{folder}/__substg1.0_3707001F", utf16(name))
        if data is not None:
            writer.addEntry(f"{folder}/__substg1.0_37010102", data)
    writer.write(str(path))
    return path


def item_for(path: Path) -> Item:
    mime = magic.from_file(str(path), mime=True)
    ext = path.suffix.lstrip(".")
    return Item(path, path.name, "0" * 64, path.stat().st_size, mime, ext, 0, path.parent / "s")


def test_eml_headers_body_and_attachments(tmp_path: Path) -> None:
    path = tmp_path / "notice.eml"
    path.write_bytes(notice_eml().as_bytes())
    item = item_for(path)
    extractor = choose(item)
    assert isinstance(extractor, EmlExtractor)
    result: Extraction = extractor.extract(item, LIMITS)
    assert result.text == "各单位：请于周五前报送名单。"
    meta = result.metadata
    assert meta["title"] == meta["subject"] == "关于报送名单的通知"
    assert meta["author"] == "张三 <zhang@example.cn>"
    assert meta["created"] == "2018-03-02T10:05:03+08:00"
    assert meta["to"] == "li@example.cn, wang@example.cn"
    assert meta["message_id"] == "<abc@example.cn>"
    assert meta["application"] == "Foxmail 7.2"
    assert meta["received_hops"] == 2
    assert meta["received"][0] == {
        "from": "mail.a.cn",
        "by": "mx.b.cn",
        "ip": "10.1.2.3",
        "date": "Fri, 2 Mar 2018 10:05:04 +0800",
    }
    assert meta["received"][1]["ip"] == "192.168.1.5"
    names = [c.name for c in result.children]
    assert names == ["照片.jpg", "名单.txt", "attachment-3.eml"]  # no path survives in a name
    assert result.children[1].disk_path is not None
    assert result.children[1].disk_path.read_bytes() == "名单".encode()
    assert result.language == "zh"


def test_an_html_only_mail_in_gb2312_with_an_encoded_subject(tmp_path: Path) -> None:
    subject = base64.b64encode("通知".encode("gb2312")).decode()
    head = (
        f"Subject: =?gb2312?B?{subject}?=\r\nContent-Type: text/html; charset=gb2312\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    path = tmp_path / "html.eml"
    path.write_bytes(head.encode() + "<p>朱镕基</p>".encode("gb18030"))  # 镕 is GBK, not GB2312
    result = EmlExtractor().extract(item_for(path), LIMITS)
    assert result.metadata["subject"] == "通知"
    assert result.text == "朱镕基"


def test_received_hops_are_capped_and_tolerate_junk() -> None:
    hops = received_hops(["junk without fields"] + [RECEIVED] * 500)
    assert len(hops) == 50 and hops[0] == {} and hops[1]["by"] == "mx.b.cn"


def test_msg_headers_body_and_attachments(tmp_path: Path) -> None:
    path = build_msg(tmp_path / "notice.msg", {"名单.txt": "名单内容".encode()})
    item = item_for(path)
    assert item.mime == "application/vnd.ms-outlook"
    extractor = choose(item)
    assert isinstance(extractor, MsgExtractor)
    result = extractor.extract(item, LIMITS)
    assert result.text == "请各单位于周五前报送。"
    meta = result.metadata
    assert meta["subject"] == "关于报送名单的通知"
    assert meta["from"] == "zhang@example.cn"
    assert meta["created"] == "2018-03-02T10:05:03+08:00"
    assert meta["application"] == "Microsoft Outlook 15.0"
    assert meta["received"][0]["ip"] == "10.1.2.3"
    (child,) = result.children
    assert child.name == "名单.txt" and child.disk_path is not None
    assert child.disk_path.read_bytes() == "名单内容".encode()


def test_attachments_are_ingested_as_files(make_case: Callable[..., Case], tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "notice.eml").write_bytes(notice_eml().as_bytes())
    build_msg(src / "notice.msg", {"名单.txt": "名单内容".encode()})
    case = make_case()
    run_ingest(case, src, workers=1)
    rows = paths_of(case)
    assert rows["notice.eml"]["status"] == "done"
    assert rows["notice.eml!/名单.txt"]["status"] == "done"
    assert rows["notice.eml!/attachment-3.eml"]["extractor"] == "eml"
    assert rows["notice.msg!/名单.txt"]["parent"] == "notice.msg"
