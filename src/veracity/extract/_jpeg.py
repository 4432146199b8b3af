"""JPEG structure: the segments before the image data, read without decoding a pixel.

Everything a photo says about itself sits in the segments between the start marker and the
first scan: EXIF (APP1), XMP (APP1), ICC profile (APP2), IPTC (APP13), JFIF (APP0), Adobe
(APP14), comments, the frame header (size, components, sampling) and the quantization tables.
Reading just these is what makes metadata extraction fast, and the walk is bounded: segment
lengths are checked, retained bytes are capped, and a file that ends early yields what was read
before the break plus the reason.

The quantization tables are a signature of the camera body or of the program that last saved
the file (Photoshop's tables differ from any camera's), so they are returned in natural
(row-major) order with an estimate of the libjpeg quality that would produce them.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field
from typing import BinaryIO

from veracity.errors import Malformed

MAX_SEGMENTS = 4096
MAX_KEPT_BYTES = 32 * 1024**2
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
_XMP = b"http://ns.adobe.com/xap/1.0/\0"
_XMP_EXTENSION = b"http://ns.adobe.com/xmp/extension/\0"
_ICC = b"ICC_PROFILE\0"
_PHOTOSHOP = b"Photoshop 3.0\0"
#: position in natural order of each zigzag-ordered DQT entry
ZIGZAG = (
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27,
    20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58,
    59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
)  # fmt: skip
#: libjpeg's standard luminance table (ITU T.81 Annex K), natural order: quality 50
STD_LUMINANCE = (
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69,
    56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104,
    113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
)  # fmt: skip


@dataclass
class JpegInfo:
    """The header segments of one JPEG."""

    width: int | None = None
    height: int | None = None
    bits: int | None = None
    components: int | None = None
    process: int | None = None  # SOF marker - 0xC0, ExifTool's EncodingProcess
    subsampling: str | None = None  # ExifTool's YCbCrSubSampling with -n: "2 1", "2 2", "1 1"
    exif: bytes | None = None  # the TIFF structure (after "Exif\0\0")
    exif_offset: int = 0  # where that structure starts in the file
    xmp: bytes | None = None
    xmp_extended: bytes | None = None
    icc: bytes | None = None
    photoshop: bytes | None = None  # APP13 image resources, where IPTC lives
    jfif: dict[str, int | str] | None = None
    adobe: dict[str, int] | None = None
    comments: list[str] = field(default_factory=list)
    quant: dict[int, tuple[int, ...]] = field(default_factory=dict)  # table id -> 64 values
    scan_offset: int | None = None  # where the entropy-coded data begins
    error: str | None = None  # why the walk stopped early, when it did


def read_jpeg(fh: BinaryIO) -> JpegInfo:
    """Walk the segments from the start marker to the first scan (SOS).

    Raises `Malformed` when the file does not start like a JPEG; a break later is reported in
    `error` with everything read before it.
    """
    if fh.read(3) != b"\xff\xd8\xff":
        raise Malformed("not a JPEG (no start-of-image marker)")
    fh.seek(2)
    info = JpegInfo()
    icc_chunks: dict[int, bytes] = {}
    extended: dict[int, bytes] = {}
    kept = 0
    for _ in range(MAX_SEGMENTS):
        marker = _next_marker(fh)
        if marker is None:
            info.error = "truncated: the file ends before the image data"
            break
        if marker < 0:
            info.error = f"malformed: no segment marker at offset {fh.tell() - 1}"
            break
        if marker in _STANDALONE:
            continue
        if marker == 0xD9:
            info.error = "no image data: end-of-image before any scan"
            break
        head = fh.read(2)
        length = struct.unpack(">H", head)[0] if len(head) == 2 else 0
        if length < 2:
            info.error = f"malformed segment 0xFF{marker:02X} at offset {fh.tell() - 4}"
            break
        if marker == 0xDA:
            info.scan_offset = fh.tell() - 4
            break
        if not _keeps(marker) or kept > MAX_KEPT_BYTES:
            fh.seek(length - 2, 1)
            continue
        payload = fh.read(length - 2)
        kept += len(payload)
        if len(payload) < length - 2:
            info.error = f"truncated inside segment 0xFF{marker:02X}"
            break
        had_exif = info.exif is not None
        _segment(info, marker, payload, icc_chunks, extended)
        if info.exif is not None and not had_exif:
            info.exif_offset = fh.tell() - len(payload) + 6
    else:
        info.error = f"more than {MAX_SEGMENTS} segments before the image data"
    if icc_chunks:
        info.icc = b"".join(icc_chunks[k] for k in sorted(icc_chunks))
    if extended:
        info.xmp_extended = b"".join(extended[k] for k in sorted(extended))
    return info


def _next_marker(fh: BinaryIO) -> int | None:
    """The next marker byte; None at the end of the file, -1 when junk stands in its place."""
    byte = fh.read(1)
    if byte != b"\xff":
        return -1 if byte else None
    while byte == b"\xff":  # fill bytes
        byte = fh.read(1)
    return byte[0] if byte else None


def _keeps(marker: int) -> bool:
    return marker in (0xE0, 0xE1, 0xE2, 0xED, 0xEE, 0xFE, 0xDB) or marker in _SOF


def _segment(
    info: JpegInfo,
    marker: int,
    data: bytes,
    icc_chunks: dict[int, bytes],
    extended: dict[int, bytes],
) -> None:
    if marker in _SOF:
        _frame(info, marker, data)
    elif marker == 0xDB:
        _tables(info, data)
    elif marker == 0xE1:
        if data.startswith(b"Exif\0") and info.exif is None:
            info.exif = data[6:]
        elif data.startswith(_XMP) and info.xmp is None:
            info.xmp = data[len(_XMP) :]
        elif data.startswith(_XMP_EXTENSION) and len(data) > len(_XMP_EXTENSION) + 40:
            body = data[len(_XMP_EXTENSION) :]
            extended[struct.unpack(">I", body[36:40])[0]] = body[40:]
    elif marker == 0xE2 and data.startswith(_ICC) and len(data) > 14:
        icc_chunks.setdefault(data[12], data[14:])
    elif marker == 0xE0 and data.startswith(b"JFIF\0") and len(data) >= 14:
        major, minor, units, xd, yd = struct.unpack(">BBBHH", data[5:12])
        info.jfif = {"version": f"{major}.{minor:02d}", "units": units, "x_density": xd,
                     "y_density": yd}  # fmt: skip
    elif marker == 0xED and data.startswith(_PHOTOSHOP):
        info.photoshop = (info.photoshop or b"") + data[len(_PHOTOSHOP) :]
    elif marker == 0xEE and data.startswith(b"Adobe") and len(data) >= 12:
        version, flags0, flags1, transform = struct.unpack(">HHHB", data[5:12])
        info.adobe = {"version": version, "flags0": flags0, "flags1": flags1,
                      "transform": transform}  # fmt: skip
    elif marker == 0xFE:
        info.comments.append(data.rstrip(b"\0").decode("utf-8", "replace"))


def _frame(info: JpegInfo, marker: int, data: bytes) -> None:
    if info.width is not None or len(data) < 6:
        return  # the first frame header is the image's (a second one is malformed anyway)
    info.bits, info.height, info.width, info.components = struct.unpack(">BHHB", data[:6])
    info.process = marker - 0xC0
    factors = [data[7 + 3 * i] for i in range(info.components) if 9 + 3 * i <= len(data)]
    if len(factors) == 3 and factors[1] == factors[2] == 0x11:
        info.subsampling = f"{factors[0] >> 4} {factors[0] & 0x0F}"


def _tables(info: JpegInfo, data: bytes) -> None:
    pos = 0
    while pos < len(data):
        precision, table_id = data[pos] >> 4, data[pos] & 0x0F
        size = 128 if precision else 64
        body = data[pos + 1 : pos + 1 + size]
        if len(body) < size:
            return
        zigzag = struct.unpack(">64H" if precision else "64B", body)
        natural = [0] * 64
        for index, value in zip(ZIGZAG, zigzag, strict=True):
            natural[index] = value
        info.quant[table_id] = tuple(natural)
        pos += 1 + size


def quant_sha256(tables: dict[int, tuple[int, ...]]) -> str:
    """A stable hash of the tables in id order: equal for photos saved by the same settings."""
    text = ";".join(f"{k}:" + ",".join(map(str, tables[k])) for k in sorted(tables))
    return hashlib.sha256(text.encode()).hexdigest()


def _libjpeg_table(quality: int) -> tuple[int, ...]:
    scale = 5000 // quality if quality < 50 else 200 - quality * 2
    return tuple(min(255, max(1, (q * scale + 50) // 100)) for q in STD_LUMINANCE)


def estimate_quality(luminance: tuple[int, ...]) -> tuple[int, bool]:
    """The libjpeg quality (1-100) closest to this luminance table, and whether it is exact.

    Cameras and editors that scale the standard table (libjpeg, Pillow, most phones) give an
    exact match; others (Photoshop, many camera bodies) get the nearest equivalent quality.
    """
    ratio = sum(luminance) * 100 / sum(STD_LUMINANCE)
    guess = round((200 - ratio) / 2) if ratio <= 100 else round(5000 / ratio)
    guess = min(100, max(1, guess))
    for quality in (guess, guess - 1, guess + 1, guess - 2, guess + 2):
        if 1 <= quality <= 100 and _libjpeg_table(quality) == luminance:
            return quality, True
    return guess, False
