"""7-Zip archives through py7zr, with every member's bytes counted as they are written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import py7zr
import py7zr.exceptions
import py7zr.io

from veracity.case import Limits
from veracity.errors import EncryptedFile, ExtractError, LimitExceeded, Malformed, Refused
from veracity.extract._members import Unpacker, safe_member_name, unpack
from veracity.extract.base import Extraction, Extractor, Item


class _CountingFile(py7zr.io.Py7zIO):
    """A scratch file that reports each write to the unpacker, so limits stop a bomb mid-way."""

    def __init__(self, unpacker: Unpacker, path: Path) -> None:
        self._unpacker = unpacker
        self._fh = open(path, "wb")  # noqa: SIM115 - closed by the factory after extraction
        self._size = 0
        self.path = path

    def write(self, s: bytes | bytearray) -> int:
        self._size += len(s)
        self._unpacker._count(len(s), self._size)
        return self._fh.write(s)

    def read(self, size: int | None = None) -> bytes:
        return b""

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._fh.seek(offset, whence)

    def flush(self) -> None:
        self._fh.flush()

    def size(self) -> int:
        return self._size

    def close(self) -> None:
        self._fh.close()


class _Factory(py7zr.io.WriterFactory):
    def __init__(self, unpacker: Unpacker) -> None:
        self.unpacker = unpacker
        self.products: list[tuple[str, _CountingFile]] = []

    def create(self, filename: str) -> py7zr.io.Py7zIO:
        target = self.unpacker.item.scratch / f"7z-{len(self.products):07d}"
        product = _CountingFile(self.unpacker, target)
        self.products.append((filename, product))
        return product


class SevenZipExtractor(Extractor):
    NAME = "sevenzip"
    MIME_TYPES = frozenset({"application/x-7z-compressed"})
    EXTENSIONS = frozenset({"7z"})
    SCORE = 5
    IS_CONTAINER = True

    def extract(self, item: Item, limits: Limits) -> Extraction:
        try:
            archive = py7zr.SevenZipFile(item.disk_path, mode="r")
        except py7zr.exceptions.PasswordRequired as exc:
            raise EncryptedFile("password-protected 7z archive") from exc
        except (py7zr.exceptions.ArchiveError, OSError, ValueError, EOFError, KeyError) as exc:
            raise Malformed(f"not a readable 7z: {exc}") from exc
        with archive:
            return unpack(item, limits, lambda u: self._walk(archive, u))

    @staticmethod
    def _keep(unpacker: Unpacker, products: list[tuple[str, _CountingFile]]) -> None:
        for filename, product in products:
            product.close()
            unpacker.add(safe_member_name(filename), product.path, product.size(), None)

    def _walk(self, archive: Any, unpacker: Unpacker) -> dict[str, object]:
        if archive.needs_password():
            raise EncryptedFile("password-protected 7z archive")
        wanted: list[str] = []
        for info in archive.list():
            if info.is_directory:
                continue
            try:
                safe_member_name(info.filename)
            except Refused as exc:
                unpacker.refuse(info.filename, exc)
                continue
            if getattr(info, "is_symlink", False):
                unpacker.refuse(
                    info.filename, Refused(f"symbolic link member refused: {info.filename!r}")
                )
                continue
            wanted.append(info.filename)
        factory = _Factory(unpacker)
        error: ExtractError | None = None
        try:
            archive.extract(targets=wanted, factory=factory)
        except LimitExceeded:
            # keep the members completed before the limit; the one being written is partial
            self._keep(unpacker, factory.products[:-1])
            factory.products[-1][1].close()
            factory.products[-1][1].path.unlink(missing_ok=True)
            raise
        except (py7zr.exceptions.ArchiveError, OSError, ValueError, EOFError, KeyError) as exc:
            error = Malformed(f"7z members unreadable: {exc}")
        self._keep(unpacker, factory.products)
        return {"format": "7z", **({"error": str(error)} if error else {})}
