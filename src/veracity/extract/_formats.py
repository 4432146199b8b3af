"""Which image format a file is, and its header: size and the metadata blocks it embeds.

One function per container (JPEG segments, PNG chunks, RIFF/WebP chunks, GIF blocks, HEIF
boxes; a TIFF *is* its EXIF structure) hands back the same `Header`, so the rest of the image
extractor reads EXIF, XMP, IPTC and ICC alike whatever carried them. The format comes from the
file's first bytes, never from its name: a `.jpg` that is not a JPEG is reported as such. Each
walk is bounded (chunk and block counts, decompressed sizes) and stops at the first impossible
length, keeping what it read and saying why it stopped.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from veracity.errors import Malformed
from veracity.extract._exif import decode_text, tiff_start
from veracity.extract._isobmff import brands, read_heif
from veracity.extract._jpeg import JpegInfo, read_jpeg

MAX_CHUNKS = 200_000
MAX_TEXT_BYTES = 16 * 1024**2  # a PNG text or profile chunk, compressed or not
_PNG = b"\x89PNG\r\n\x1a\n"
_HEIF_BRANDS = frozenset({"heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"})
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "TIFF": "image/tiff",
              "HEIC": "image/heic", "HEIF": "image/heif", "WEBP": "image/webp",
              "GIF": "image/gif"}  # fmt: skip
EXTENSIONS = {"JPEG": "JPG", "TIFF": "TIF"}  # ExifTool's FileTypeExtension, where not the type


@dataclass
class Header:
    file_type: str  # ExifTool's File:FileType
    width: int | None = None
    height: int | None = None
    exif: bytes | None = None  # a TIFF structure; None for TIFF files, which are one
    xmp: bytes | None = None
    icc: bytes | None = None
    photoshop: bytes | None = None  # Photoshop image resources (IPTC inside)
    iptc: bytes | None = None
    jpeg: JpegInfo | None = None
    rotation: int = 0  # HEIF `irot`: the decoder turns the picture; EXIF orientation is moot
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    error: str | None = None  # why the walk stopped early
    warnings: list[str] = field(default_factory=list)


def sniff(head: bytes) -> str | None:
    """ExifTool's FileType for the first bytes of a file, or None when not an image we read."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(_PNG):
        return "PNG"
    if head[:4] in (b"II*\0", b"MM\0*"):
        return "TIFF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[4:8] == b"ftyp":
        major, compatible = head[8:12].decode("latin-1"), head[16:32]
        if major in _HEIF_BRANDS or any(b.encode() in compatible for b in ("heic", "mif1")):
            return "HEIC" if major.startswith("he") or b"heic" in compatible else "HEIF"
    return None


def read_header(fh: BinaryIO, size: int, file_type: str) -> Header:
    """The header of a file already sniffed as `file_type`."""
    fh.seek(0)
    if file_type == "JPEG":
        return _jpeg(read_jpeg(fh))
    if file_type == "PNG":
        return _png(fh)
    if file_type == "WEBP":
        return _webp(fh, size)
    if file_type == "GIF":
        return _gif(fh)
    if file_type in ("HEIC", "HEIF"):
        return _heif(fh, size, file_type)
    return Header(file_type)  # TIFF: read as EXIF by the caller


def _jpeg(info: JpegInfo) -> Header:
    file_group: dict[str, Any] = {}
    if info.width is not None:
        file_group = {"ImageWidth": info.width, "ImageHeight": info.height,
                      "EncodingProcess": info.process, "BitsPerSample": info.bits,
                      "ColorComponents": info.components}  # fmt: skip
        if info.subsampling:
            file_group["YCbCrSubSampling"] = info.subsampling
    if info.comments:
        file_group["Comment"] = info.comments[0] if len(info.comments) == 1 else info.comments
    groups: dict[str, dict[str, Any]] = {"File": file_group}
    if info.jfif:
        groups["JFIF"] = {
            "JFIFVersion": " ".join(str(int(p)) for p in str(info.jfif["version"]).split(".")),
            "ResolutionUnit": info.jfif["units"],
            "XResolution": info.jfif["x_density"],
            "YResolution": info.jfif["y_density"],
        }
    if info.adobe:
        groups["Adobe"] = {"DCTEncodeVersion": info.adobe["version"],
                           "APP14Flags0": info.adobe["flags0"],
                           "APP14Flags1": info.adobe["flags1"],
                           "ColorTransform": info.adobe["transform"]}  # fmt: skip
    xmp = info.xmp
    if xmp is not None and info.xmp_extended:
        groups.setdefault("XMP", {})["HasExtendedXMP"] = len(info.xmp_extended)
    return Header("JPEG", info.width, info.height, info.exif, xmp, info.icc, info.photoshop,
                  jpeg=info, groups=groups, error=info.error)  # fmt: skip


# --- PNG -------------------------------------------------------------------------------------


def _png(fh: BinaryIO) -> Header:
    fh.seek(8)
    header = Header("PNG")
    group = header.groups.setdefault("PNG", {})
    for _ in range(MAX_CHUNKS):
        head = fh.read(8)
        if len(head) < 8:
            header.error = "truncated: no IEND chunk"
            return header
        length, kind = struct.unpack(">I4s", head)
        if kind in (b"IDAT", b"fdAT") or length > MAX_TEXT_BYTES:
            if length > MAX_TEXT_BYTES and kind not in (b"IDAT", b"fdAT"):
                header.warnings.append(f"{kind!r} chunk of {length} bytes skipped")
            fh.seek(length + 4, 1)
            continue
        if kind == b"IEND":
            return header
        data = fh.read(length)
        fh.seek(4, 1)  # CRC
        if len(data) < length:
            header.error = f"truncated inside a {kind.decode('latin-1')} chunk"
            return header
        _png_chunk(header, group, kind, data)
    header.error = f"more than {MAX_CHUNKS} chunks"
    return header


def _png_chunk(header: Header, group: dict[str, Any], kind: bytes, data: bytes) -> None:
    if kind == b"IHDR" and len(data) >= 13:
        width, height, depth, color, compression, filt, interlace = struct.unpack(
            ">IIBBBBB", data[:13]
        )
        header.width, header.height = width, height
        group.update({"ImageWidth": width, "ImageHeight": height, "BitDepth": depth,
                      "ColorType": color, "Compression": compression, "Filter": filt,
                      "Interlace": interlace})  # fmt: skip
    elif kind == b"eXIf":
        start = tiff_start(data)
        header.exif = data[start:] if start >= 0 else None
    elif kind == b"iCCP":
        name, _, rest = data.partition(b"\0")
        header.icc = _inflate(rest[1:], header)
        group["ProfileName"] = name.decode("latin-1")
    elif kind == b"tIME" and len(data) >= 7:
        y, mo, d, h, mi, s = struct.unpack(">HBBBBB", data[:7])
        group["ModifyDate"] = f"{y:04d}:{mo:02d}:{d:02d} {h:02d}:{mi:02d}:{s:02d}"
    elif kind == b"pHYs" and len(data) >= 9:
        x, y_ppu, unit = struct.unpack(">IIB", data[:9])
        group.update({"PixelsPerUnitX": x, "PixelsPerUnitY": y_ppu, "PixelUnits": unit})
    elif kind in (b"tEXt", b"zTXt", b"iTXt"):
        _png_text(header, group, kind, data)


def _png_text(header: Header, group: dict[str, Any], kind: bytes, data: bytes) -> None:
    keyword_raw, _, rest = data.partition(b"\0")
    keyword = keyword_raw.decode("latin-1")
    if kind == b"tEXt":
        raw: bytes | None = rest
    elif kind == b"zTXt":
        raw = _inflate(rest[1:], header)
    else:
        compressed = rest[:1] == b"\x01"
        _lang, _, rest = rest[2:].partition(b"\0")
        _translated, _, body = rest.partition(b"\0")
        raw = _inflate(body, header) if compressed else body
    if raw is None:
        return
    if keyword == "XML:com.adobe.xmp":
        header.xmp = raw
    elif keyword.startswith("Raw profile type "):
        _raw_profile(header, keyword[17:].lower(), raw)
    else:
        text = raw.decode("utf-8", "replace") if kind == b"iTXt" else decode_text(raw)
        group.setdefault(keyword.replace(" ", ""), text)


def _raw_profile(header: Header, name: str, raw: bytes) -> None:
    """ImageMagick's 'Raw profile type exif/xmp/iptc/icc': a header line, a size, then hex."""
    lines = raw.split(b"\n", 3)
    if len(lines) < 4:
        return
    try:
        data = bytes.fromhex(lines[3].decode("ascii").replace("\n", ""))
    except ValueError:
        header.warnings.append(f"unreadable raw {name} profile")
        return
    if name in ("exif", "app1") and header.exif is None:
        start = tiff_start(data)
        header.exif = data[start:] if start >= 0 else None
    elif name == "xmp" and header.xmp is None:
        header.xmp = data
    elif name in ("icc", "icm") and header.icc is None:
        header.icc = data
    elif name in ("iptc", "8bim"):
        header.photoshop = data


def _inflate(data: bytes, header: Header) -> bytes | None:
    """zlib data, refusing to expand past MAX_TEXT_BYTES (a compressed text chunk bomb)."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_TEXT_BYTES)
    except zlib.error:
        header.warnings.append("a compressed chunk is corrupt")
        return None
    if inflater.unconsumed_tail:
        header.warnings.append(f"a compressed chunk expands past {MAX_TEXT_BYTES} bytes")
        return None
    return out


# --- WebP ------------------------------------------------------------------------------------


def _webp(fh: BinaryIO, size: int) -> Header:
    header = Header("WEBP")
    fh.seek(12)
    end = min(size, 8 + struct.unpack("<I", _read(fh, 0, 8)[4:8])[0])
    pos = 12
    frames = 0
    for _ in range(MAX_CHUNKS):
        if pos + 8 > end:
            break
        fh.seek(pos)
        kind, length = struct.unpack("<4sI", fh.read(8))
        if pos + 8 + length > end:
            header.error = f"truncated inside a {kind.decode('latin-1')} chunk"
            break
        if kind in (b"VP8X", b"VP8 ", b"VP8L", b"EXIF", b"XMP ", b"ICCP"):
            _webp_chunk(header, kind, fh.read(min(length, MAX_TEXT_BYTES)))
        frames += kind == b"ANMF"
        pos += 8 + length + (length & 1)
    if frames:
        header.groups.setdefault("RIFF", {})["FrameCount"] = frames
    return header


def _webp_chunk(header: Header, kind: bytes, data: bytes) -> None:
    group = header.groups.setdefault("RIFF", {})
    if kind == b"VP8X" and len(data) >= 10:
        header.width = int.from_bytes(data[4:7], "little") + 1
        header.height = int.from_bytes(data[7:10], "little") + 1
    elif kind == b"VP8 " and len(data) >= 10 and header.width is None:
        header.width = struct.unpack("<H", data[6:8])[0] & 0x3FFF
        header.height = struct.unpack("<H", data[8:10])[0] & 0x3FFF
    elif kind == b"VP8L" and len(data) >= 5 and header.width is None:
        bits = struct.unpack("<I", data[1:5])[0]
        header.width, header.height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    elif kind == b"EXIF":
        start = tiff_start(data)
        header.exif = data[start:] if start >= 0 else None
    elif kind == b"XMP ":
        header.xmp = data
    elif kind == b"ICCP":
        header.icc = data
    if header.width is not None:
        group.update({"ImageWidth": header.width, "ImageHeight": header.height})


def _read(fh: BinaryIO, offset: int, length: int) -> bytes:
    fh.seek(offset)
    data = fh.read(length)
    if len(data) < length:
        raise Malformed("truncated header")
    return data


# --- GIF -------------------------------------------------------------------------------------


def _gif(fh: BinaryIO) -> Header:
    head = _read(fh, 0, 13)
    width, height, packed = struct.unpack("<HHB", head[6:11])
    header = Header("GIF", width, height)
    version = head[3:6].decode("latin-1")
    group = {"GIFVersion": version, "ImageWidth": width, "ImageHeight": height}
    header.groups["GIF"] = group
    if packed & 0x80:
        fh.seek(3 * (2 << (packed & 7)), 1)
    frames = 0
    for _ in range(MAX_CHUNKS):
        block = fh.read(1)
        if block == b"!":
            label = fh.read(1)
            body = _sub_blocks(fh, keep=label in (b"\xfe", b"\xff"))
            if label == b"\xfe":  # ExifTool files a GIF comment under File
                comment = _unblock(body).decode("utf-8", "replace")
                header.groups.setdefault("File", {}).setdefault("Comment", comment)
            elif label == b"\xff" and body[1:12] == b"XMP DataXMP":
                # the packet is stored raw, its bytes doubling as sub-block lengths
                close = body.find(b"?>", body.rfind(b"<?xpacket end"))
                header.xmp = body[12 : close + 2] if close > 0 else None
        elif block == b",":
            frames += 1
            descriptor = fh.read(9)
            if len(descriptor) == 9 and descriptor[8] & 0x80:
                fh.seek(3 * (2 << (descriptor[8] & 7)), 1)
            fh.read(1)  # LZW minimum code size
            _sub_blocks(fh, keep=False)
        else:  # the trailer (';'), the end of the file or junk: frames counted so far stand
            if block != b";":
                header.error = "truncated: no GIF trailer"
            break
    group["FrameCount"] = frames
    return header


def _unblock(raw: bytes) -> bytes:
    """The data of raw sub-blocks, without their length bytes."""
    out, pos = bytearray(), 0
    while pos < len(raw):
        out += raw[pos + 1 : pos + 1 + raw[pos]]
        pos += 1 + raw[pos]
    return bytes(out)


def _sub_blocks(fh: BinaryIO, *, keep: bool) -> bytes:
    """Data sub-blocks up to the terminator; with `keep`, their raw bytes (lengths included)."""
    kept = bytearray()
    for _ in range(1 << 20):
        size = fh.read(1)
        if not size or size == b"\0":
            break
        if keep and len(kept) < MAX_TEXT_BYTES:
            kept += size + fh.read(size[0])
        else:
            fh.seek(size[0], 1)
    return bytes(kept)


# --- HEIF ------------------------------------------------------------------------------------


def _heif(fh: BinaryIO, size: int, file_type: str) -> Header:
    heif = read_heif(fh, size)
    header = Header(file_type, heif.width, heif.height, heif.exif, heif.xmp, heif.icc,
                    rotation=heif.rotation, warnings=heif.warnings)  # fmt: skip
    found = brands(fh)
    group: dict[str, Any] = {}
    if found is not None:
        group = {"MajorBrand": found[0], "CompatibleBrands": found[1]}
    if heif.width is not None:
        group["ImageSpatialExtent"] = f"{heif.width} {heif.height}"
    group["Rotation"] = heif.rotation
    header.groups["QuickTime"] = group
    if heif.exif is not None:
        start = tiff_start(heif.exif)
        header.exif = heif.exif[start:] if start >= 0 else None
    return header
