"""EXIF: the TIFF structure of IFDs that cameras write, read into ExifTool-like groups.

Why a reader of our own rather than Pillow's `getexif()`: verification compares what we read
with what ExifTool prints, so tags are named and grouped as `exiftool -G1 -n` shows them
(IFD0, ExifIFD, GPS, InteropIFD, IFD1, SubIFD); every offset in a hostile file is checked
against the buffer before it is read and every IFD is visited once, so an offset beyond the file
or an IFD chain that loops ends in a warning, not a crash or a hang; and the IFD1 thumbnail is
located without decoding anything. The buffer is the EXIF block of a JPEG, HEIC or WebP, or a
whole TIFF file mapped with `mmap`, so only the bytes the IFDs point at are touched.

Values are ExifTool's `-n` ones: rationals as decimals, several numbers joined by spaces, GPS
coordinates as unsigned decimal degrees (the sign is in the Ref tags), GPS time as `H:M:S`, and
large binary values as ExifTool's "(Binary data N bytes, …)" placeholder.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veracity.errors import DataFileError, Malformed

Buffer = bytes | mmap.mmap

TAGS_FILE = Path(__file__).parent / "data" / "exif_tags.csv"
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
_NUMBER_FORMATS = {1: "B", 3: "H", 4: "I", 6: "b", 8: "h", 9: "i", 11: "f", 12: "d", 13: "I"}
MAX_ENTRIES = 2048  # entries read from one IFD; real ones hold a few hundred at most
MAX_IFDS = 64  # IFDs read from one file (pages of a TIFF, SubIFDs, the EXIF pointers)
MAX_LISTED = 64  # numbers joined into one value; longer arrays become a binary placeholder
_POINTERS = {0x8769: "ExifIFD", 0x8825: "GPS", 0xA005: "InteropIFD"}
_SUBIFDS = 0x014A
_THUMB_OFFSET, _THUMB_LENGTH = 0x0201, 0x0202
#: UNDEFINED tags that hold text (version numbers such as "0230").
_TEXT_UNDEFINED = frozenset({0x9000, 0xA000, 0x0002, 0xA420})
_UCS2_TAGS = frozenset(range(0x9C9B, 0x9CA0))  # XPTitle … XPSubject, UTF-16LE in BYTE arrays
#: UserComment, and GPSProcessingMethod and GPSAreaInformation: a character code, then text
_CODED_TEXT = frozenset({0x9286, 0x001B, 0x001C})
_DEGREES = frozenset({"GPSLatitude", "GPSLongitude", "GPSDestLatitude", "GPSDestLongitude"})
_OFFSET_ARRAYS = frozenset({0x0111, 0x0117, 0x0144, 0x0145})  # strip and tile offsets, sizes
#: Blocks kept as bytes for their own readers: XMP, IPTC, ICC, Photoshop resources (shown as
#: their own groups, as ExifTool does, so not as tags here), and the maker note.
BLOB_TAGS = frozenset({0x02BC, 0x83BB, 0x8773, 0x8649, 0x927C})
_PARSED_ELSEWHERE = BLOB_TAGS - {0x927C}
#: APEX values ExifTool converts even with -n: ShutterSpeedValue, ApertureValue, MaxAperture
_APEX = {0x9201: lambda v: 2.0**-v, 0x9202: lambda v: 2.0 ** (v / 2),
         0x9205: lambda v: 2.0 ** (v / 2)}  # fmt: skip
#: ASCII tags whose trailing blanks ExifTool removes (cameras pad them to a fixed width):
#: Make, Model, Software, Artist, Copyright
_TRIMMED = frozenset({0x010F, 0x0110, 0x0131, 0x013B, 0x8298})
MAX_BLOB_BYTES = 16 * 1024**2


def binary(size: int) -> str:
    """ExifTool's placeholder for a value too large or too opaque to print."""
    return f"(Binary data {size} bytes, use -b option to extract)"


def _load_names() -> tuple[dict[int, str], dict[int, str]]:
    tables: dict[str, dict[int, str]] = {"exif": {}, "gps": {}}
    with TAGS_FILE.open(encoding="utf-8") as handle:
        lines = [line.strip() for line in handle if line.strip() and not line.startswith("#")]
    if not lines or lines[0] != "table,id,name":
        raise DataFileError(TAGS_FILE.name, "header", "expected columns table,id,name")
    for line in lines[1:]:
        table, tag_id, name = line.split(",")
        if table not in tables or not name.isascii():
            raise DataFileError(TAGS_FILE.name, tag_id, f"bad row {line!r}")
        tables[table][int(tag_id, 16)] = name
    return tables["exif"], tables["gps"]


EXIF_NAMES, GPS_NAMES = _load_names()


@dataclass
class Exif:
    """What one EXIF/TIFF structure holds."""

    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    byte_order: str = "II"  # as ExifTool's File:ExifByteOrder
    #: (absolute offset in the buffer, length) of the IFD1 JPEG thumbnail, when it is inside
    thumbnail: tuple[int, int] | None = None
    #: the first value of each of `BLOB_TAGS`, by tag id (not part of `groups`)
    blobs: dict[int, bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def decode_text(raw: bytes) -> str:
    """Text as cameras write it: UTF-8 mostly, GB18030 from Chinese devices, else Latin-1."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _number(value: float) -> float | int:
    """A rational as ExifTool's -n prints it: 10 significant digits, integers without '.0'."""
    if value != value or value in (float("inf"), float("-inf")):
        return 0
    rounded = float(f"{value:.10g}")
    return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded


class _Reader:
    def __init__(self, buf: Buffer, start: int, end: int) -> None:
        self.buf, self.start, self.end = buf, start, end
        order = bytes(buf[start : start + 2])
        if order not in (b"II", b"MM") or end - start < 8:
            raise Malformed("no TIFF header in the EXIF data")
        self.e = "<" if order == b"II" else ">"
        self.entry = struct.Struct(self.e + "HHI")
        self.u16 = struct.Struct(self.e + "H")
        self.u32 = struct.Struct(self.e + "I")
        self.exif = Exif(byte_order=order.decode())
        self.visited: set[int] = set()
        magic = self.u16.unpack_from(buf, start + 2)[0]
        if magic != 42:
            raise Malformed(f"not a TIFF structure (magic {magic})")

    def warn(self, message: str) -> None:
        if len(self.exif.warnings) < 20:
            self.exif.warnings.append(message)

    def walk(self) -> Exif:
        offset = self.u32.unpack_from(self.buf, self.start + 4)[0]
        index = 0
        while offset and index < MAX_IFDS:
            group = f"IFD{index}"
            offset = self.ifd(offset, group)
            index += 1
        return self.exif

    def ifd(self, offset: int, group: str) -> int:
        """Read the IFD at `offset` (from the TIFF header) into `group`; the next IFD's offset."""
        pos = self.start + offset
        if offset in self.visited:
            self.warn(f"{group}: IFD loop at offset {offset}")
            return 0
        if len(self.visited) >= MAX_IFDS:
            self.warn(f"{group}: more than {MAX_IFDS} IFDs")
            return 0
        if offset < 8 or pos + 2 > self.end:
            self.warn(f"{group}: offset {offset} is outside the data")
            return 0
        self.visited.add(offset)
        count = self.u16.unpack_from(self.buf, pos)[0]
        fits = (self.end - pos - 2) // 12
        if count > min(fits, MAX_ENTRIES):
            self.warn(f"{group}: {count} entries, {min(fits, MAX_ENTRIES)} read")
            count = min(fits, MAX_ENTRIES)
        tags = self.exif.groups.setdefault(group, {})
        names = GPS_NAMES if group == "GPS" else EXIF_NAMES
        for i in range(count):
            self.entry_at(pos + 2 + 12 * i, group, tags, names)
        after = pos + 2 + 12 * count
        if after + 4 > self.end:
            return 0
        next_offset: int = self.u32.unpack_from(self.buf, after)[0]
        return next_offset

    def entry_at(self, p: int, group: str, tags: dict[str, Any], names: dict[int, str]) -> None:
        tag, typ, count = self.entry.unpack_from(self.buf, p)
        size = _TYPE_SIZES.get(typ)
        prefix = "GPS" if group == "GPS" else "Exif"
        name = names.get(tag) or f"{prefix}_0x{tag:04x}"
        if size is None:
            self.warn(f"{group}:{name}: unknown type {typ}")
            return
        nbytes = size * count
        if nbytes <= 4:
            vpos = p + 8
        else:
            vpos = self.start + self.u32.unpack_from(self.buf, p + 8)[0]
            if vpos + nbytes > self.end:
                self.warn(f"{group}:{name}: value points outside the data")
                return
        if name in tags:
            return  # ExifTool keeps the first of duplicated tags too
        if tag in _POINTERS or tag == _SUBIFDS:
            self.follow(tag, typ, count, vpos, group, name)
            return
        value = self.value(tag, name, typ, count, vpos, nbytes)
        if tag not in _PARSED_ELSEWHERE:
            tags[name] = value
        if group == "IFD1" and tag == _THUMB_LENGTH:
            self.thumbnail(tags)

    def follow(self, tag: int, typ: int, count: int, vpos: int, group: str, name: str) -> None:
        """Read the IFD a pointer tag points at (ExifTool ignores a pointer of the wrong type)."""
        if typ not in (4, 13) or count < 1:
            self.warn(f"Wrong format for {group} {name}")
            return
        if tag == _SUBIFDS:
            offsets = struct.unpack_from(f"{self.e}{min(count, 8)}I", self.buf, vpos)
            for n, offset in enumerate(offsets):
                self.ifd(offset, "SubIFD" if n == 0 else f"SubIFD{n}")
            return
        target = _POINTERS[tag]
        if target != "InteropIFD" or group == "ExifIFD":
            self.ifd(self.u32.unpack_from(self.buf, vpos)[0], target)

    def value(self, tag: int, name: str, typ: int, count: int, vpos: int, nbytes: int) -> Any:
        buf = self.buf
        if typ == 2:
            text = decode_text(bytes(buf[vpos : vpos + count]).split(b"\0", 1)[0])
            return text.rstrip() if tag in _TRIMMED else text
        if tag in BLOB_TAGS and tag not in self.exif.blobs and nbytes <= MAX_BLOB_BYTES:
            self.exif.blobs[tag] = bytes(buf[vpos : vpos + nbytes])
        if typ in (1, 7):
            return self.opaque(tag, bytes(buf[vpos : vpos + nbytes]))
        if count > MAX_LISTED:
            return binary(nbytes)
        if typ in (5, 10):
            return self.rationals(tag, name, typ == 10, count, vpos)
        values = list(struct.unpack_from(f"{self.e}{count}{_NUMBER_FORMATS[typ]}", buf, vpos))
        if tag in _OFFSET_ARRAYS and count > 4:  # ExifTool sizes these by their printed text
            return binary(len(" ".join(map(str, values))))
        return _joined(values)

    def rationals(self, tag: int, name: str, signed: bool, count: int, vpos: int) -> Any:
        pairs = struct.unpack_from(f"{self.e}{2 * count}{'i' if signed else 'I'}", self.buf, vpos)
        fractions = list(zip(pairs[::2], pairs[1::2], strict=True))
        if any(d == 0 for _, d in fractions):  # ExifTool's words for n/0
            return _joined([n / d if d else ("inf" if n else "undef") for n, d in fractions])
        numbers = [n / d for n, d in fractions]
        if name in _DEGREES and count == 3:
            return numbers[0] + numbers[1] / 60 + numbers[2] / 3600
        if name == "GPSTimeStamp" and count == 3:
            return _clock(numbers)
        if tag in _APEX and count == 1:
            try:
                return _number(_APEX[tag](numbers[0]))
            except OverflowError:
                return "inf"
        return _joined([_number(n) for n in numbers])

    def opaque(self, tag: int, raw: bytes) -> Any:
        """BYTE and UNDEFINED values: text where the tag says so, small arrays as numbers."""
        if tag in _TEXT_UNDEFINED:
            return decode_text(raw.rstrip(b"\0"))
        if tag in _UCS2_TAGS:
            return raw.decode("utf-16-le", "replace").rstrip("\0")
        if tag in _CODED_TEXT:
            return user_comment(raw, self.e)
        if tag in BLOB_TAGS or len(raw) > 16:
            return binary(len(raw))
        return _joined(list(raw))

    def thumbnail(self, tags: dict[str, Any]) -> None:
        offset, length = tags.get("ThumbnailOffset"), tags.get("ThumbnailLength")
        if not isinstance(offset, int) or not isinstance(length, int) or length <= 0:
            return
        absolute = self.start + offset
        if absolute + length > self.end:
            self.warn("IFD1:ThumbnailImage points outside the data")
            return
        self.exif.thumbnail = (absolute, length)
        tags["ThumbnailImage"] = binary(length)


def _joined(values: list[Any]) -> Any:
    if len(values) == 1:
        return values[0]
    return " ".join(str(v) for v in values)


def _clock(parts: list[float | int]) -> str:
    """GPSTimeStamp as ExifTool prints it with -n: '14:27:07.24'."""
    hours, minutes, seconds = (float(p) for p in parts)
    whole = int(seconds)
    fraction = f"{seconds - whole:.6f}".rstrip("0").rstrip(".")[1:] if seconds != whole else ""
    return f"{int(hours):02d}:{int(minutes):02d}:{whole:02d}{fraction}"


def user_comment(raw: bytes, endian: str = ">") -> str:
    """UserComment: an 8-byte character code, then the text."""
    code, body = raw[:8], raw[8:]
    if code.startswith(b"UNICODE"):
        text = body.decode("utf-16-le" if endian == "<" else "utf-16-be", "replace")
    elif code.startswith(b"JIS"):
        text = body.decode("shift_jis", "replace")
    else:
        text = decode_text(body if len(raw) >= 8 else raw)
    return text.rstrip("\0 ")


def read_exif(buf: Buffer, start: int = 0, end: int | None = None) -> Exif:
    """The groups of the TIFF structure at `buf[start:end]`; offsets count from `start`.

    Raises `Malformed` when there is no TIFF header there; problems past the header (offsets
    outside the data, loops, bad types) are skipped and listed in `warnings`.
    """
    limit = len(buf) if end is None else min(end, len(buf))
    try:
        return _Reader(buf, start, limit).walk()
    except struct.error as exc:  # every read is bounds-checked first; this is a last resort
        raise Malformed(f"unreadable EXIF: {exc}") from exc


def tiff_start(data: bytes) -> int:
    """Where the TIFF header starts in an EXIF payload ('Exif\\0\\0' prefix or not), or -1."""
    for index in (0, 6, 4, 10):
        if data[index : index + 4] in (b"II*\0", b"MM\0*"):
            return index
    return -1
