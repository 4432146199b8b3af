"""Tar archives, plain or compressed (gzip, bzip2, xz), read as a stream.

Links and device nodes are refused rather than recreated: a leak has no business creating them
on a reporter's machine, and a link is how a tar escapes the folder it is unpacked into.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import tarfile
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from io import BufferedIOBase
from pathlib import Path

from veracity.case import Limits
from veracity.errors import Malformed, Refused
from veracity.extract._members import Unpacker, unpack
from veracity.extract.base import Extraction, Extractor, Item

_SINGLE: dict[str, Callable[[Path], BufferedIOBase]] = {
    "application/gzip": gzip.GzipFile,
    "application/x-gzip": gzip.GzipFile,
    "application/x-bzip2": bz2.BZ2File,
    "application/x-xz": lzma.LZMAFile,
}


def _single(
    item: Item, opener: Callable[[Path], BufferedIOBase], unpacker: Unpacker
) -> dict[str, object]:
    name = item.path.rsplit("/", 1)[-1].rsplit("!/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name + ".out"
    try:
        with opener(item.disk_path) as source:
            unpacker.copy(stem, source, None)
    except (OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
        raise Malformed(f"compressed stream unreadable: {exc}") from exc
    return {"format": "compressed"}


def _modified(member: tarfile.TarInfo) -> str | None:
    try:
        return datetime.fromtimestamp(member.mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return None


class TarExtractor(Extractor):
    NAME = "tar"
    MIME_TYPES = frozenset(
        {
            "application/x-tar",
            "application/gzip",
            "application/x-gzip",
            "application/x-bzip2",
            "application/x-xz",
        }
    )
    EXTENSIONS = frozenset({"tar", "tgz", "tbz2", "txz"})
    SCORE = 5
    IS_CONTAINER = True

    def extract(self, item: Item, limits: Limits) -> Extraction:
        try:
            archive = tarfile.open(item.disk_path, "r:*")  # noqa: SIM115 - closed below
        except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
            opener = _SINGLE.get(item.mime)
            if opener is None:
                raise Malformed(f"not a readable tar: {exc}") from exc
            # a lone compressed file (report.docx.gz): its one member is the file inside
            return unpack(item, limits, lambda u: _single(item, opener, u))
        with archive:
            return unpack(item, limits, lambda u: self._walk(archive, u))

    def _walk(self, archive: tarfile.TarFile, unpacker: Unpacker) -> dict[str, object]:
        try:
            for member in archive:
                if member.isdir():
                    continue
                if not member.isfile():
                    kind = "link" if (member.issym() or member.islnk()) else "special file"
                    unpacker.refuse(member.name, Refused(f"{kind} member refused: {member.name!r}"))
                    continue
                source = archive.extractfile(member)
                if source is None:
                    continue
                try:
                    with source:
                        unpacker.copy(member.name, source, _modified(member))
                except Refused as exc:
                    unpacker.refuse(member.name, exc)
        except (tarfile.TarError, zlib.error, lzma.LZMAError, OSError, EOFError, ValueError) as exc:
            return {"format": "tar", "truncated": str(exc)}
        return {"format": "tar"}
