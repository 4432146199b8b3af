"""ISO base media files (HEIC/HEIF photos, MP4 and QuickTime videos): the boxes that say what
the file is, read without touching the media data.

A HEIC keeps its EXIF and XMP as *items* located by the `iloc` box, its size in the `ispe`
property of the primary item and its rotation in `irot`; a phone video keeps its creation time
in `mvhd` and its place in `udta/©xyz` or in the `meta` keys (`com.apple.quicktime.location.
ISO6709`). Every box length is checked against its parent, nesting and box counts are capped, and
an item's bytes are read only when they lie inside the file and under `MAX_ITEM_BYTES`.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import BinaryIO

MAX_BOXES = 10_000  # boxes read from one container box
MAX_ITEM_BYTES = 16 * 1024**2
MAX_HEADER_BOX = 64 * 1024**2  # largest non-media box read into memory (moov, meta)
_MAC_EPOCH = datetime(1904, 1, 1)


@dataclass(frozen=True)
class Box:
    kind: str
    start: int  # where its payload begins in the file
    end: int


def boxes(fh: BinaryIO, start: int, end: int) -> Iterator[Box]:
    """The boxes between `start` and `end` of the file; stops at the first impossible length."""
    pos = start
    for _ in range(MAX_BOXES):
        if pos + 8 > end:
            return
        fh.seek(pos)
        head = fh.read(8)
        if len(head) < 8:
            return
        size, kind = struct.unpack(">I4s", head)
        header = 8
        if size == 1:
            large = fh.read(8)
            if len(large) < 8:
                return
            size, header = struct.unpack(">Q", large)[0], 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return
        yield Box(kind.decode("latin-1"), pos + header, pos + size)
        pos += size


def children(data: bytes, start: int = 0) -> Iterator[tuple[str, bytes]]:
    """The boxes inside an in-memory box payload."""
    pos = start
    for _ in range(MAX_BOXES):
        if pos + 8 > len(data):
            return
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1 and pos + 16 <= len(data):
            size, header = struct.unpack(">Q", data[pos + 8 : pos + 16])[0], 16
        if size < header or pos + size > len(data):
            return
        yield kind.decode("latin-1"), data[pos + header : pos + size]
        pos += size


def brands(fh: BinaryIO) -> tuple[str, list[str]] | None:
    """(major brand, compatible brands) of the `ftyp` box at the start, or None."""
    fh.seek(0)
    head = fh.read(64)
    if len(head) < 16 or head[4:8] != b"ftyp":
        return None
    size = min(struct.unpack(">I", head[:4])[0], len(head))
    compatible = [head[i : i + 4].decode("latin-1") for i in range(16, size - 3, 4)]
    return head[8:12].decode("latin-1"), compatible


# --- HEIF ------------------------------------------------------------------------------------


@dataclass
class Heif:
    width: int | None = None
    height: int | None = None
    rotation: int = 0  # degrees counter-clockwise, from `irot`
    exif: bytes | None = None  # the TIFF structure
    xmp: bytes | None = None
    icc: bytes | None = None
    warnings: list[str] = field(default_factory=list)


def read_heif(fh: BinaryIO, size: int) -> Heif:
    out = Heif()
    meta = next((b for b in boxes(fh, 0, size) if b.kind == "meta"), None)
    if meta is None or meta.end - meta.start > MAX_HEADER_BOX:
        out.warnings.append("no readable meta box")
        return out
    fh.seek(meta.start)
    data = fh.read(meta.end - meta.start)
    parts = dict(children(data, 4))  # a full box: version and flags first
    primary = _primary(parts.get("pitm", b""))
    items = _item_types(parts.get("iinf", b""))
    locations = _locations(parts.get("iloc", b""))
    _properties(out, parts.get("iprp", b""), primary)
    for item_id, (kind, content_type) in items.items():
        if kind == "Exif" and out.exif is None:
            payload = _item_bytes(fh, size, locations.get(item_id), parts.get("idat", b""))
            if payload is not None and len(payload) > 4:
                skip = struct.unpack(">I", payload[:4])[0]
                out.exif = payload[4 + skip :] if 4 + skip < len(payload) else None
        elif kind == "mime" and "rdf+xml" in content_type and out.xmp is None:
            out.xmp = _item_bytes(fh, size, locations.get(item_id), parts.get("idat", b""))
    return out


def _primary(pitm: bytes) -> int | None:
    if len(pitm) < 6:
        return None
    return int.from_bytes(pitm[4:6] if pitm[0] == 0 else pitm[4:8], "big")


def _item_types(iinf: bytes) -> dict[int, tuple[str, str]]:
    """item id -> (item type, content type) from the `infe` boxes (versions 2 and 3)."""
    if len(iinf) < 6:
        return {}
    start = 6 if iinf[0] == 0 else 8
    out: dict[int, tuple[str, str]] = {}
    for kind, infe in children(iinf, start):
        if kind != "infe" or len(infe) < 12 or infe[0] < 2:
            continue
        if infe[0] == 2:
            item_id, rest = struct.unpack(">H", infe[4:6])[0], infe[8:]
        else:
            item_id, rest = struct.unpack(">I", infe[4:8])[0], infe[10:]
        item_type = rest[:4].decode("latin-1")
        strings = rest[4:].split(b"\0")
        content_type = (
            strings[1].decode("latin-1") if item_type == "mime" and len(strings) > 1 else ""
        )
        out[item_id] = (item_type, content_type)
    return out


def _locations(iloc: bytes) -> dict[int, tuple[int, list[tuple[int, int]]]]:
    """item id -> (construction method, [(offset, length), …]) from the `iloc` box."""
    if len(iloc) < 8:
        return {}
    version = iloc[0]
    offset_size, length_size = iloc[4] >> 4, iloc[4] & 0x0F
    base_size, index_size = iloc[5] >> 4, (iloc[5] & 0x0F) if version in (1, 2) else 0
    pos = 6
    count, pos = _uint(iloc, pos, 4 if version == 2 else 2)
    out: dict[int, tuple[int, list[tuple[int, int]]]] = {}
    try:
        for _ in range(min(count, MAX_BOXES)):
            item_id, pos = _uint(iloc, pos, 4 if version == 2 else 2)
            method = 0
            if version in (1, 2):
                method, pos = _uint(iloc, pos, 2)
                method &= 0x0F
            pos += 2  # data reference index
            base, pos = _uint(iloc, pos, base_size)
            extent_count, pos = _uint(iloc, pos, 2)
            extents = []
            for _ in range(min(extent_count, 64)):
                pos += index_size
                offset, pos = _uint(iloc, pos, offset_size)
                length, pos = _uint(iloc, pos, length_size)
                extents.append((base + offset, length))
            out[item_id] = (method, extents)
    except (struct.error, IndexError):
        pass  # a truncated table: the items read so far stand
    return out


def _uint(data: bytes, pos: int, size: int) -> tuple[int, int]:
    if size == 0:
        return 0, pos
    if pos + size > len(data):
        raise IndexError("past the end of the box")
    return int.from_bytes(data[pos : pos + size], "big"), pos + size


def _item_bytes(
    fh: BinaryIO, size: int, location: tuple[int, list[tuple[int, int]]] | None, idat: bytes
) -> bytes | None:
    if location is None:
        return None
    method, extents = location
    if sum(length for _, length in extents) > MAX_ITEM_BYTES:
        return None
    pieces = []
    for offset, length in extents:
        if method == 1:
            pieces.append(idat[offset : offset + length])
        elif method == 0 and offset + length <= size:
            fh.seek(offset)
            pieces.append(fh.read(length))
        else:
            return None
    return b"".join(pieces)


def _properties(out: Heif, iprp: bytes, primary: int | None) -> None:
    parts = dict(children(iprp))
    properties = list(children(parts.get("ipco", b"")))
    ipma = parts.get("ipma", b"")
    if len(ipma) < 8 or primary is None:
        return
    version, flags = ipma[0], int.from_bytes(ipma[1:4], "big")
    count, pos = struct.unpack(">I", ipma[4:8])[0], 8
    try:
        for _ in range(min(count, MAX_BOXES)):
            item_id, pos = _uint(ipma, pos, 2 if version < 1 else 4)
            n, pos = _uint(ipma, pos, 1)
            for _ in range(n):
                index, pos = _uint(ipma, pos, 2 if flags & 1 else 1)
                index &= 0x7FFF if flags & 1 else 0x7F
                if item_id == primary and 0 < index <= len(properties):
                    _property(out, *properties[index - 1])
    except IndexError:
        out.warnings.append("truncated ipma box")


def _property(out: Heif, kind: str, body: bytes) -> None:
    if kind == "ispe" and len(body) >= 12:
        out.width, out.height = struct.unpack(">II", body[4:12])
    elif kind == "irot" and body:
        out.rotation = (body[0] & 3) * 90
    elif kind == "colr" and body[:4] in (b"prof", b"rICC") and out.icc is None:
        out.icc = body[4:]


# --- QuickTime / MP4 movies ------------------------------------------------------------------


def read_movie(fh: BinaryIO, size: int) -> dict[str, object]:
    """Creation and modification time (UTC), duration and location of a movie's `moov` box."""
    moov = next((b for b in boxes(fh, 0, size) if b.kind == "moov"), None)
    if moov is None or moov.end - moov.start > MAX_HEADER_BOX:
        return {}
    fh.seek(moov.start)
    data = fh.read(moov.end - moov.start)
    out: dict[str, object] = {}
    for kind, body in children(data):
        if kind == "mvhd" and len(body) >= 20:
            if body[0] == 1 and len(body) >= 32:
                created, modified, scale, duration = struct.unpack(">QQIQ", body[4:32])
            else:
                created, modified, scale, duration = struct.unpack(">IIII", body[4:20])
            out["CreateDate"] = _mac_time(created)
            out["ModifyDate"] = _mac_time(modified)
            out["Duration"] = round(duration / scale, 3) if scale else None
        elif kind == "udta":
            for inner, value in children(body):
                if inner == "\xa9xyz" and len(value) > 4:
                    out["GPSCoordinates"] = value[4:].decode("latin-1").strip("\0/")
        elif kind == "meta":
            out.update(_keys(body))
    return {k: v for k, v in out.items() if v is not None}


def _mac_time(seconds: int) -> str | None:
    """QuickTime counts seconds since 1904 (UTC); 0 means unset."""
    if seconds == 0:
        return None
    try:
        return (_MAC_EPOCH + timedelta(seconds=seconds)).strftime("%Y:%m:%d %H:%M:%S")
    except OverflowError:
        return None


#: Apple's QuickTime keys under the names ExifTool gives them
_APPLE_KEYS = {"creationdate": "CreationDate", "location.ISO6709": "GPSCoordinates",
               "make": "Make", "model": "Model", "software": "Software"}  # fmt: skip


def _keys(meta: bytes) -> dict[str, object]:
    """The `keys`/`ilst` pairs of a QuickTime meta box (com.apple.quicktime.* values)."""
    parts = dict(children(meta)) or dict(children(meta, 4))  # QuickTime's or ISO's (full box)
    keys_box = parts.get("keys", b"")
    names: list[str] = []
    pos = 8
    while pos + 8 <= len(keys_box) and len(names) < 1000:
        size = struct.unpack(">I", keys_box[pos : pos + 4])[0]
        if size < 8:
            break
        names.append(keys_box[pos + 8 : pos + size].decode("utf-8", "replace"))
        pos += size
    out: dict[str, object] = {}
    for kind, item in children(parts.get("ilst", b"")):
        index = int.from_bytes(kind.encode("latin-1"), "big")
        data = dict(children(item)).get("data", b"")
        if 1 <= index <= len(names) and len(data) > 8:
            key = names[index - 1].removeprefix("com.apple.quicktime.")
            name = _APPLE_KEYS.get(key) or key[:1].upper() + key[1:]
            out.setdefault(name, data[8:].decode("utf-8", "replace"))
    return out
