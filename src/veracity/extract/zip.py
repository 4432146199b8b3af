"""Zip archives, including the Chinese ones whose member names are GBK, not UTF-8.

Windows in China writes zip member names in the local code page (GBK) without the UTF-8 flag;
Python then decodes them as CP437 and every Chinese file name becomes noise. The raw bytes are
recovered and decoded as UTF-8 or GB18030, whichever is valid.
"""

from __future__ import annotations

import lzma
import stat
import zipfile
import zlib

from veracity.case import Limits
from veracity.errors import EncryptedFile, Malformed, Refused
from veracity.extract._members import Unpacker, unpack
from veracity.extract.base import Extraction, Extractor, Item

_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _modified(info: zipfile.ZipInfo) -> str | None:
    y, mo, d, h, mi, s = info.date_time
    if not (1980 <= y <= 2107 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}"


class ZipExtractor(Extractor):
    NAME = "zip"
    MIME_TYPES = frozenset({"application/zip", "application/x-zip-compressed"})
    EXTENSIONS = frozenset({"zip"})
    SCORE = 5
    IS_CONTAINER = True

    def extract(self, item: Item, limits: Limits) -> Extraction:
        try:
            archive = zipfile.ZipFile(item.disk_path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise Malformed(f"not a readable zip: {exc}") from exc
        with archive:
            return unpack(item, limits, lambda u: self._walk(archive, u))

    def _walk(self, archive: zipfile.ZipFile, unpacker: Unpacker) -> dict[str, object]:
        encrypted = 0
        for info in archive.infolist():
            name = member_name(info)
            if info.is_dir():
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                unpacker.refuse(name, Refused(f"symbolic link member refused: {name!r}"))
                continue
            if info.flag_bits & _ENCRYPTED_FLAG:
                encrypted += 1
                unpacker.refuse(name, EncryptedFile(f"encrypted member: {name!r}"))
                continue
            try:
                with archive.open(info) as source:
                    unpacker.copy(name, source, _modified(info))
            except Refused as exc:
                unpacker.refuse(name, exc)
            except (
                zipfile.BadZipFile,
                zlib.error,
                lzma.LZMAError,
                OSError,
                ValueError,
                EOFError,
                NotImplementedError,
            ) as exc:
                unpacker.refuse(name, Malformed(f"unreadable member {name!r}: {exc}"))
        return {
            "format": "zip",
            "comment": archive.comment.decode("utf-8", "replace"),
            "encrypted_members": encrypted,
        }
