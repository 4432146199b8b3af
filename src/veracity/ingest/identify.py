"""What a file is: its SHA-256 (streamed) and its type from its content, beside its name's claim.

The two types are kept apart on purpose: a `.jpg` that is really a Word file is evidence for
verification, not something to correct.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import threading
from dataclasses import dataclass

import magic

_CHUNK = 1 << 20
#: libmagic needs the start of a file only; OOXML detection looks a few KB into the zip
_HEAD = 1 << 16

# The extension table is the standard library's own list, never the machine's /etc/mime.types,
# so the claimed type of a name is the same on every machine; plus the types a leak is made of.
_NAMES = mimetypes.MimeTypes(filenames=())
for _mime, _ext in (
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
    ("application/msword", ".doc"),
    ("application/vnd.ms-excel", ".xls"),
    ("application/vnd.ms-powerpoint", ".ppt"),
    ("application/x-7z-compressed", ".7z"),
    ("application/vnd.rar", ".rar"),
    ("image/heic", ".heic"),
    ("image/heif", ".heif"),
    ("image/webp", ".webp"),
    ("application/vnd.wps-office.doc", ".wps"),
    ("application/vnd.wps-office.et", ".et"),
    ("message/rfc822", ".eml"),
    ("application/vnd.ms-outlook", ".msg"),
):
    _NAMES.add_type(_mime, _ext)

_local = threading.local()


@dataclass(frozen=True)
class Identity:
    sha256: str
    size: int
    mime: str
    magic: str


def _magics() -> tuple[magic.Magic, magic.Magic]:
    # libmagic handles are not thread-safe: one pair per thread (and so per worker process)
    pair = getattr(_local, "pair", None)
    if pair is None:
        pair = (magic.Magic(mime=True), magic.Magic())
        _local.pair = pair
    return pair


def content_type(head: bytes) -> tuple[str, str]:
    """(MIME type, libmagic's description) of content starting with `head`."""
    if not head:
        return "application/x-empty", "empty"
    by_mime, by_text = _magics()
    try:
        return str(by_mime.from_buffer(head)), str(by_text.from_buffer(head))[:300]
    except magic.MagicException as exc:  # libmagic gives up on some hostile input
        return "application/octet-stream", f"unidentified: {exc}"[:300]


def claimed_type(name: str) -> str | None:
    """The MIME type the file's name claims, from its extension."""
    mime, _ = _NAMES.guess_type(name.rsplit("/", 1)[-1], strict=False)
    return mime


def open_readonly(path: str, *, no_follow: bool) -> int:
    """A read-only descriptor; `no_follow` refuses a link swapped in after the walk saw a file."""
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
    if no_follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    return os.open(path, flags)


def identify(path: str, *, no_follow: bool = True) -> Identity:
    """Hash the whole file in one streamed pass and type it from its first bytes."""
    digest = hashlib.sha256()
    buf = bytearray(_CHUNK)
    view = memoryview(buf)
    size = 0
    head = b""
    with os.fdopen(open_readonly(path, no_follow=no_follow), "rb", buffering=0) as fh:
        while n := fh.readinto(buf):
            if size < _HEAD:
                head += bytes(view[: min(n, _HEAD - size)])
            digest.update(view[:n])
            size += n
    mime, description = content_type(head)
    return Identity(digest.hexdigest(), size, mime, description)
