"""Tar archives, plain or compressed (gzip, bzip2, xz), read as a stream.

Links and device nodes are refused rather than recreated: a leak has no business creating them
on a reporter's machine, and a link is how a tar escapes the folder it is unpacked into.
"""

from __future__ import annotations

import tarfile
from datetime import UTC, datetime

from veracity.case import Limits
from veracity.errors import Malformed, Refused
from veracity.extract._members import Unpacker, unpack
from veracity.extract.base import Extraction, Extractor, Item


def _modified(member: tarfile.TarInfo) -> str | None:
    try:
        return datetime.fromtimestamp(member.mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return None


class TarExtractor(Extractor):
    NAME = "tar"
    MIME_TYPES = frozenset(
        {"application/x-tar", "application/gzip", "application/x-gzip", "application/x-bzip2", "application/x-xz"}
    )
    EXTENSIONS = frozenset({"tar", "tgz", "tbz2", "txz"})
    SCORE = 5
    IS_CONTAINER = True

    def extract(self, item: Item, limits: Limits) -> Extraction:
        try:
            archive = tarfile.open(item.disk_path, "r:*")
        except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
            # a lone .gz of something else is not a tar: nothing to unpack, and no error either
            if item.mime != "application/x-tar":
                return Extraction(metadata={"format": "compressed", "note": f"not a tar archive: {exc}"})
            raise Malformed(f"not a readable tar: {exc}") from exc
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
        except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
            return {"format": "tar", "truncated": str(exc)}
        return {"format": "tar"}
