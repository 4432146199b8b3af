"""E-mail: .eml/.mht (standard library `email`) and Outlook .msg (`extract-msg`).

Both give the same metadata — `from`, `to`, `cc`, `subject`, `date`, `message_id`, the mailer,
and a summary of the `Received:` chain (which servers, which addresses, when), which is what
dates and places a message when its other headers may be forged — plus the contract's `title`
(subject), `author` (sender), `created` (date) and `application` (mailer). The body is the
text/plain part, or the HTML part turned into text. Attachments and attached messages become
child files under their own names (`mail.eml!/名单.xlsx`), so they are read like any file.

A message is parsed whole in memory, so files past `MAX_EMAIL_BYTES` are refused; header
counts, Received hops and MIME parts are capped, and a bomb of nested parts is a `limit` error.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime
from email import policy
from email.errors import MessageError
from email.message import Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from typing import Any

from veracity.case import Limits
from veracity.errors import ExtractError, LimitExceeded, Malformed, Refused
from veracity.extract._language import detect_language
from veracity.extract._members import Unpacker
from veracity.extract._ole import OLE_ERRORS
from veracity.extract.base import Child, Extraction, Extractor, Item
from veracity.extract.html import html_to_text

MAX_EMAIL_BYTES = 512 * 1024 * 1024
MAX_PARTS = 10_000
MAX_RECEIVED = 50
_MAX_HEADER_CHARS = 10_000
_HEADER_ERRORS = (MessageError, ValueError, IndexError, TypeError, LookupError)
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}
_RECEIVED_RE = {
    "from": re.compile(r"\bfrom\s+([^\s;()]+)", re.IGNORECASE),
    "by": re.compile(r"\bby\s+([^\s;()]+)", re.IGNORECASE),
    "ip": re.compile(r"\[((?:\d{1,3}\.){3}\d{1,3}|[0-9a-fA-F:]{3,39})\]"),
}

Blob = tuple[str, bytes | None, str | None]  # (file name, bytes or None, why there are none)


def received_hops(values: Iterable[str]) -> list[dict[str, str]]:
    """The Received chain, newest first as written: from/by host, sender IP, time stamp."""
    hops = []
    for value in list(values)[:MAX_RECEIVED]:
        flat = " ".join(str(value)[:_MAX_HEADER_CHARS].split())
        hop = {k: m.group(1) for k, rx in _RECEIVED_RE.items() if (m := rx.search(flat))}
        if ";" in flat:
            hop["date"] = flat.rsplit(";", 1)[1].strip()
        hops.append(hop)
    return hops


def mail_metadata(fields: dict[str, Any], received: list[dict[str, str]]) -> dict[str, Any]:
    """The normalised metadata of a message from its header fields (None values dropped)."""
    metadata = {k: v for k, v in fields.items() if v not in (None, "", [])}
    for contract, name in (("title", "subject"), ("author", "from"), ("created", "date")):
        if name in metadata:
            metadata[contract] = metadata[name]
    if "mailer" in metadata:
        metadata["application"] = metadata["mailer"]
    metadata["received"] = received
    metadata["received_hops"] = len(received)
    return metadata


def attachment_name(raw: str | None, n: int, suffix: str = "") -> str:
    """A flat, safe file name for an attachment: its own when usable, else attachment-N."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1].replace("\x00", "").strip()
    if name in ("", ".", ".."):
        return f"attachment-{n}{suffix}"
    return name[:255]


def unpack_blobs(
    item: Item, limits: Limits, blobs: Iterable[Blob]
) -> tuple[tuple[Child, ...], ExtractError | None]:
    """Write attachments as children within the case's limits; keep what fit before a limit."""
    try:
        unpacker = Unpacker(item, limits)
    except LimitExceeded as exc:
        return (), exc
    try:
        for name, data, problem in blobs:
            if data is None:
                unpacker.refuse(name, Malformed(problem or "attachment without data"))
                continue
            try:
                unpacker.copy(name, io.BytesIO(data), None)
            except Refused as exc:
                unpacker.refuse(name, exc)
    except LimitExceeded as exc:
        return tuple(unpacker.children), exc
    return tuple(unpacker.children), None


def _result(
    text: str,
    metadata: dict[str, Any],
    raw: dict[str, Any],
    item: Item,
    limits: Limits,
    blobs: list[Blob],
) -> Extraction:
    children, error = unpack_blobs(item, limits, blobs)
    metadata["attachments"] = len(blobs)
    metadata["truncated"] = len(text) > limits.max_text_chars
    text = text[: limits.max_text_chars]
    return Extraction(
        text=text,
        language=detect_language(text),
        metadata=metadata,
        raw=raw,
        children=children,
        error_kind=error.kind if error else None,
        error=str(error) if error else None,
    )


# --- .eml -------------------------------------------------------------------------------


def _header(msg: Message, name: str) -> str | None:
    """One header as text; a header the parser chokes on is kept as written."""
    try:
        value = msg.get(name)
    except _HEADER_ERRORS:
        value = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), None)
    return None if value is None else " ".join(str(value)[:_MAX_HEADER_CHARS].split())


def _date(msg: Message) -> str | None:
    """The Date header as ISO 8601 with its offset; as written when it does not parse."""
    written = _header(msg, "Date")
    try:
        when = parsedate_to_datetime(written) if written else None
    except (ValueError, TypeError, IndexError):
        when = None
    return when.isoformat() if when is not None else written


def leaves(msg: Message) -> Iterator[Message]:
    """The message's leaf parts in order; an attached message is a leaf (its own file)."""
    stack: list[Iterator[Message]] = [iter([msg])]
    count = 0
    while stack:
        part = next(stack[-1], None)
        if part is None:
            stack.pop()
            continue
        count += 1
        if count > MAX_PARTS:
            raise LimitExceeded("email_parts", count, MAX_PARTS)
        payload = part.get_payload()
        if part.is_multipart() and part.get_content_type() != "message/rfc822":
            parts = (
                [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []
            )
            stack.append(iter(parts))
        else:
            yield part


def part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = (part.get_content_charset() or "utf-8").lower()
    try:
        return payload.decode(_CHARSET_ALIASES.get(charset, charset), "replace")
    except LookupError:
        return payload.decode("utf-8", "replace")


def _part_bytes(part: Message) -> bytes | None:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        message = inner[0] if isinstance(inner, list) and inner else inner
        try:
            return message.as_bytes() if isinstance(message, Message) else None
        except _HEADER_ERRORS:
            return None
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else None


def _is_attachment(part: Message) -> bool:
    if part.get_filename() or part.get_content_disposition() == "attachment":
        return True
    return part.get_content_maintype() not in ("text", "multipart")


def read_eml(msg: Message, limits: Limits) -> tuple[str, dict[str, Any], list[Blob], Counter[str]]:
    """(body text, header fields, attachments, defect counts) of a parsed message."""
    body_plain: str | None = None
    body_html: str | None = None
    blobs: list[Blob] = []
    defects: Counter[str] = Counter(type(d).__name__ for d in msg.defects)
    for part in leaves(msg):
        defects.update(type(d).__name__ for d in part.defects)
        if _is_attachment(part):
            suffix = ".eml" if part.get_content_type() == "message/rfc822" else ""
            name = attachment_name(part.get_filename(), len(blobs) + 1, suffix)
            data = _part_bytes(part)
            blobs.append((name, data, None if data is not None else "undecodable attachment"))
        elif part.get_content_type() == "text/plain" and body_plain is None:
            body_plain = part_text(part)
        elif part.get_content_type() == "text/html" and body_html is None:
            body_html = part_text(part)
    if body_plain is not None and body_plain.strip():
        text = body_plain.strip()
    elif body_html is not None:
        text = html_to_text(body_html, limits.max_text_chars)[0]
    else:
        text = ""
    fields = {
        "from": _header(msg, "From"),
        "to": _header(msg, "To"),
        "cc": _header(msg, "Cc"),
        "subject": _header(msg, "Subject"),
        "date": _date(msg),
        "message_id": _header(msg, "Message-ID"),
        "in_reply_to": _header(msg, "In-Reply-To"),
        "mailer": _header(msg, "X-Mailer") or _header(msg, "User-Agent"),
    }
    return text, fields, blobs, defects


class EmlExtractor(Extractor):
    NAME = "eml"
    MIME_TYPES = frozenset({"message/rfc822", "message/news", "multipart/related"})
    EXTENSIONS = frozenset({"eml", "mht", "mhtml"})
    SCORE = 5
    IS_CONTAINER = True  # attachments are recorded under every copy, like an archive's members

    def extract(self, item: Item, limits: Limits) -> Extraction:
        if item.size > MAX_EMAIL_BYTES:
            raise LimitExceeded("email_bytes", item.size, MAX_EMAIL_BYTES)
        try:
            with open(item.disk_path, "rb") as fh:
                msg = BytesParser(policy=policy.default).parse(fh)
            text, fields, blobs, defects = read_eml(msg, limits)
        except RecursionError as exc:
            raise LimitExceeded("email_nesting", 1000, 1000) from exc
        raw_headers = Counter(k.lower() for k, _ in msg.raw_items())
        received = received_hops(v for k, v in msg.raw_items() if k.lower() == "received")
        metadata = mail_metadata(fields, received)
        if defects:
            metadata["defects"] = dict(defects)
        raw = {"Email": {"header_counts": dict(raw_headers.most_common(200))}}
        return _result(text, metadata, raw, item, limits, blobs)


# --- .msg -------------------------------------------------------------------------------


def _msg_errors() -> tuple[type[Exception], ...]:
    """What extract-msg (and the olefile below it) raise on a damaged message."""
    from extract_msg.exceptions import ExMsgBaseException

    return (ExMsgBaseException, NotImplementedError, *OLE_ERRORS)


def _msg_blobs(msg: Any) -> list[Blob]:
    blobs: list[Blob] = []
    for att in getattr(msg, "attachments", None) or []:
        n = len(blobs) + 1
        raw_name = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None)
        data = getattr(att, "data", None)
        if isinstance(data, bytes):
            blobs.append((attachment_name(raw_name, n), data, None))
        elif data is not None and hasattr(data, "exportBytes"):  # an attached Outlook message
            name = attachment_name(raw_name or getattr(data, "subject", None), n, ".msg")
            name = name if name.endswith(".msg") else f"{name}.msg"
            try:
                blobs.append((name, data.exportBytes(), None))
            except _msg_errors() as exc:
                blobs.append((name, None, f"attached message not exportable: {exc}"))
        else:
            problem = f"unreadable attachment ({type(att).__name__})"
            blobs.append((attachment_name(raw_name, n), None, problem))
    return blobs


def read_msg(path: str, limits: Limits) -> tuple[str, dict[str, Any], list[Blob], list[str]]:
    """(body text, header fields, attachments, Received values) of an Outlook message."""
    import extract_msg  # imported here: it is slow to import and only .msg files need it
    from extract_msg.enums import ErrorBehavior

    # a broken attachment becomes a BrokenAttachment (recorded as such), not a failed message
    tolerate = ErrorBehavior.ATTACH_BROKEN | ErrorBehavior.ATTACH_NOT_IMPLEMENTED
    msg = extract_msg.openMsg(path, errorBehavior=tolerate | ErrorBehavior.STANDARDS_VIOLATION)
    try:
        header = getattr(msg, "header", None)
        received = [str(v) for v in (header.get_all("Received") or [])] if header else []
        body = getattr(msg, "body", None) or ""
        if not body.strip() and isinstance(html := getattr(msg, "htmlBody", None), bytes):
            body = html_to_text(html.decode("utf-8", "replace"), limits.max_text_chars)[0]
        when = getattr(msg, "date", None)
        date = when.isoformat() if isinstance(when, datetime) else None
        if date is None and header is not None:
            date = _date(header)
        fields = {
            "from": getattr(msg, "sender", None),
            "to": getattr(msg, "to", None),
            "cc": getattr(msg, "cc", None),
            "subject": getattr(msg, "subject", None),
            "date": date,
            "message_id": getattr(msg, "messageId", None),
            "mailer": _header(header, "X-Mailer") if header is not None else None,
            "message_class": getattr(msg, "classType", None),
        }
        return body.strip(), fields, _msg_blobs(msg), received
    finally:
        msg.close()


class MsgExtractor(Extractor):
    NAME = "msg"
    MIME_TYPES = frozenset({"application/vnd.ms-outlook"})
    EXTENSIONS = frozenset({"msg"})
    SCORE = 6
    IS_CONTAINER = True

    @classmethod
    def match(cls, item: Item) -> int:
        # an Outlook file that libmagic only knows as a generic OLE compound file
        if item.extension == "msg" and item.mime.lower() in (
            "application/cdfv2",
            "application/x-ole-storage",
            "application/vnd.ms-office",
        ):
            return cls.SCORE
        return super().match(item)

    def extract(self, item: Item, limits: Limits) -> Extraction:
        if item.size > MAX_EMAIL_BYTES:
            raise LimitExceeded("email_bytes", item.size, MAX_EMAIL_BYTES)
        try:
            text, fields, blobs, received = read_msg(str(item.disk_path), limits)
        except _msg_errors() as exc:
            raise Malformed(f"unreadable Outlook message: {type(exc).__name__}: {exc}") from exc
        fields = {
            k: (" ".join(str(v).split()) if v is not None else None) for k, v in fields.items()
        }
        metadata = mail_metadata(fields, received_hops(received))
        return _result(text, metadata, {"Email": {"format": "msg"}}, item, limits, blobs)
