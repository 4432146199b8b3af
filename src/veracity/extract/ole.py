"""Legacy Office files (.doc, .ppt, .wps, .dps and other OLE compound files): properties and text.

Properties come from the OLE property streams (`_ole.ole_properties`). Text comes from the
Debian tools `antiword` (.doc, .wps) and `catppt` (.ppt, .dps), run as subprocesses — they are
GPL, so they are called, never linked — with standard input closed, a deadline below the
file's time limit and a cap on the bytes read back. When a tool is missing the properties are
still recorded, with a note saying why there is no text.

An OLE file that holds an `EncryptedPackage` is a password-protected docx/xlsx/pptx: it and
password-protected .doc/.ppt files are reported as `encrypted`. Excel's .xls is read by the
spreadsheet extractor; an .xls that reaches this one gets its properties only.
"""

from __future__ import annotations

import os
import selectors
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any, ClassVar

from veracity.case import Limits
from veracity.errors import EncryptedFile, Malformed, UnsupportedFormat
from veracity.extract._language import detect_language
from veracity.extract._ole import OLE_MAGIC, encryption, missing_bytes, ole_properties, open_ole
from veracity.extract.base import Extraction, Extractor, Item, Page

#: Streams that say which program wrote the file, and the tool that reads its text.
_PROGRAMS = (
    ("WordDocument", "word"),
    ("PowerPoint Document", "powerpoint"),
    ("Workbook", "excel"),
    ("Book", "excel"),
    ("__properties_version1.0", "outlook"),
    ("EncryptedPackage", "ooxml"),
)
_TOOLS = {
    "word": ("antiword", ["-m", "UTF-8.txt", "-w", "0"]),
    "powerpoint": ("catppt", ["-d", "utf-8"]),
}
_CHUNK = 1 << 16


def run_tool(argv: list[str], timeout_s: float, max_bytes: int) -> tuple[int | None, bytes]:
    """(exit code, stdout) of a command; stopped at the deadline or after `max_bytes`.

    The exit code is None when the command was stopped. Standard input is closed and the
    environment minimal, so a tool cannot wait for a terminal or read a user's settings.
    """
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "HOME": "/"}
    proc = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    assert proc.stdout is not None
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + timeout_s
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(proc.stdout, selectors.EVENT_READ)
            while size <= max_bytes:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    return None, b"".join(chunks)
                chunk = os.read(proc.stdout.fileno(), _CHUNK)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        if size > max_bytes:
            return None, b"".join(chunks)[:max_bytes]
        return proc.wait(max(deadline - time.monotonic(), 0.1)), b"".join(chunks)
    except subprocess.TimeoutExpired:
        return None, b"".join(chunks)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stdout.close()


def program_of(streams: set[str]) -> str | None:
    """Which Office program wrote an OLE file, from the streams at its root."""
    return next((p for stream, p in _PROGRAMS if stream in streams), None)


def tool_text(program: str | None, path: Path, limits: Limits) -> tuple[str | None, str | None]:
    """(text, note): the text a Debian tool reads, or None and the reason there is none."""
    if program not in _TOOLS:
        return None, None
    name, options = _TOOLS[program]
    exe = shutil.which(name)
    if exe is None:
        return None, f"{name} is not installed: no text read from this {program} file"
    timeout_s = max(limits.file_timeout_s * 0.8, 1.0)
    code, out = run_tool([exe, *options, str(path)], timeout_s, limits.max_text_chars * 4)
    text = out.decode("utf-8", "replace").replace("\x00", "").strip()
    if code is None:
        note = f"{name} stopped (time or size limit): text may be incomplete"
    elif code != 0 and not text:
        note = f"{name} could not read the text (exit code {code})"
    else:
        note = None
    return text[: limits.max_text_chars] or None, note


class OleExtractor(Extractor):
    NAME = "ole"
    MIME_TYPES = frozenset(
        {
            "application/msword",
            "application/vnd.ms-powerpoint",
            "application/vnd.ms-office",
            "application/vnd.ms-works",
            "application/x-ole-storage",
            "application/cdfv2",
            "application/cdfv2-corrupt",
            "application/encrypted",
        }
    )
    EXTENSIONS = frozenset({"doc", "dot", "wps", "ppt", "pps", "pot", "dps"})
    SCORE = 5
    #: OLE files of formats other extractors read (Excel, Outlook): claimed only as a fallback
    _OTHERS: ClassVar[frozenset[str]] = frozenset({"xls", "xlt", "xla", "et", "msg"})

    @classmethod
    def match(cls, item: Item) -> int:
        # libmagic's names vary in case ("application/CDFV2") between versions
        if item.mime.lower() in cls.MIME_TYPES:
            return 1 if item.extension in cls._OTHERS else cls.SCORE
        return super().match(item)

    def extract(self, item: Item, limits: Limits) -> Extraction:
        with open(item.disk_path, "rb") as fh:
            is_ole = fh.read(8) == OLE_MAGIC
        if not is_ole:
            return self._not_ole(item, limits)
        with open_ole(item.disk_path) as ole:
            reason = encryption(ole)
            if reason:
                raise EncryptedFile(reason)
            streams = {entry[0] for entry in ole.listdir(streams=True, storages=True)}
            metadata, raw = ole_properties(ole)
            program = program_of(streams)
            main = next((s for s, p in _PROGRAMS if p == program and s in streams), None)
            if main and (missing := missing_bytes(ole, main)):
                raise Malformed(f"truncated: {missing} bytes of the {main!r} stream are missing")
        text, note = tool_text(program, item.disk_path, limits)
        metadata["program"] = program or "unknown"
        if note:
            metadata["note"] = note
        elif program == "excel":
            metadata["note"] = "an Excel workbook: its rows are read by the spreadsheet extractor"
        raw["OLE"] = {"streams": sorted(streams)[:200]}
        pages: tuple[Page, ...] = ()
        if program == "powerpoint" and text:  # catppt ends each slide with a form feed
            slides = text.rstrip("\f").split("\f")
            pages = tuple(Page("slide", n, s.strip()) for n, s in enumerate(slides, 1))
            text = "\n\n".join(p.text for p in pages if p.text)
        return Extraction(
            text=text,
            metadata=metadata,
            raw=raw,
            pages=pages,
            language=detect_language(text or ""),
        )

    def _not_ole(self, item: Item, limits: Limits) -> Extraction:
        """Word for DOS/Windows 2 files are not OLE; antiword still reads some of them."""
        if item.mime.lower() != "application/msword":
            raise UnsupportedFormat(f"not an OLE compound file ({item.mime})")
        text, note = tool_text("word", item.disk_path, limits)
        if text is None:
            raise UnsupportedFormat(note or "a pre-OLE Word file that antiword cannot read")
        metadata: dict[str, Any] = {"program": "word", "format": "pre-OLE Word"}
        if note:
            metadata["note"] = note
        return Extraction(text=text, metadata=metadata)
