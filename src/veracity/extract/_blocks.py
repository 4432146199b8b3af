"""Metadata blocks that several image formats embed alike: XMP, IPTC-IIM, Photoshop, ICC.

A JPEG carries them in APP segments, a TIFF in IFD0 tags, a PNG in chunks, a WebP or HEIC in
its own boxes; once taken out they read the same, so each has one reader here. Groups and tag
names follow ExifTool's `-G1` output (XMP-xmp, XMP-xmpMM, IPTC, ICC-header, ICC_Profile) so a
reporter can set our raw tags beside ExifTool's. Every reader is bounded by the length of the
block it is given; XML goes through defusedxml (no entities, no external references).
"""

from __future__ import annotations

import re
import struct
from typing import Any
from xml.etree.ElementTree import Element

from veracity.errors import Malformed
from veracity.extract._exif import binary, decode_text
from veracity.extract._ooxml import parse_xml

MAX_XMP_TAGS = 2000

_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CONTAINERS = frozenset({_RDF + "Seq", _RDF + "Bag", _RDF + "Alt"})
#: ExifTool's prefix for the usual namespaces (a document may bind other prefixes to them)
_PREFIXES = {
    "adobe:ns:meta/": "x",
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://ns.adobe.com/xap/1.0/mm/": "xmpMM",
    "http://ns.adobe.com/xap/1.0/rights/": "xmpRights",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://ns.adobe.com/photoshop/1.0/": "photoshop",
    "http://ns.adobe.com/tiff/1.0/": "tiff",
    "http://ns.adobe.com/exif/1.0/": "exif",
    "http://cipa.jp/exif/1.0/": "exifEX",
    "http://ns.adobe.com/exif/1.0/aux/": "aux",
    "http://ns.adobe.com/camera-raw-settings/1.0/": "crs",
    "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/": "iptcCore",
    "http://iptc.org/std/Iptc4xmpExt/2008-02-29/": "iptcExt",
    "http://ns.microsoft.com/photo/1.0/": "microsoft",
    "http://ns.google.com/photos/1.0/camera/": "GCamera",
    "http://ns.google.com/photos/1.0/container/": "GContainer",
    "http://ns.useplus.org/ldf/xmp/1.0/": "plus",
}
_XMLNS = re.compile(rb'xmlns:([\w.-]+)\s*=\s*["\']([^"\']+)["\']')
_ISO_DATE = re.compile(
    r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(.*))?$"
)
_RATIONAL = re.compile(r"^(-?\d+)/(-?\d+)$")
#: XMP properties ExifTool shows under its EXIF name
_RENAMED = {
    ("exif", "PixelXDimension"): "ExifImageWidth",
    ("exif", "PixelYDimension"): "ExifImageHeight",
    ("exif", "ExposureBiasValue"): "ExposureCompensation",
    ("exif", "ISOSpeedRatings"): "ISO",
    ("exif", "FocalLengthIn35mmFilm"): "FocalLengthIn35mmFormat",
    ("tiff", "ImageLength"): "ImageHeight",
    ("tiff", "DateTime"): "ModifyDate",
    ("photoshop", "ICCProfile"): "ICCProfileName",
}
_APEX = {"ShutterSpeedValue": lambda v: 2.0**-v, "ApertureValue": lambda v: 2.0 ** (v / 2),
         "MaxApertureValue": lambda v: 2.0 ** (v / 2)}  # fmt: skip


def _capital(name: str) -> str:
    return name[:1].upper() + name[1:]


def _split(tag: str) -> tuple[str, str]:
    uri, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return uri, local


def _value(node: Element) -> Any:
    """A property as plain data: text, a list (Seq/Bag/Alt) or a dict (a structure)."""
    resource = node.get(_RDF + "resource")
    if resource is not None:
        return resource
    children = list(node)
    if not children:
        fields = {k: v for k, v in node.attrib.items() if not k.startswith(_RDF) and k != _XML_LANG}
        return {_split(k)[1]: v for k, v in fields.items()} if fields else (node.text or "")
    first = children[0]
    if first.tag in _CONTAINERS:
        return [_value(li) for li in first if li.tag == _RDF + "li"]
    if first.tag == _RDF + "Description":
        return _structure(first)
    return _structure(node)


def _structure(node: Element) -> dict[str, Any]:
    out: dict[str, Any] = {
        _split(k)[1]: v for k, v in node.attrib.items() if not k.startswith(_RDF)
    }
    for child in node:
        out[_split(child.tag)[1]] = _value(child)
    return out


def _scalar(name: str, value: str) -> Any:
    """An XMP text as ExifTool's -n shows it: EXIF-style dates, rationals as decimals."""
    date = _ISO_DATE.match(value)
    if date is not None:
        year, month, day, clock, zone = date.groups()
        text = f"{year}:{month}" + (f":{day}" if day else "")
        return text + (f" {clock}{zone}" if clock else "")
    ratio = _RATIONAL.match(value)
    if ratio is not None:
        numerator, denominator = int(ratio.group(1)), int(ratio.group(2))
        if denominator == 0:
            return "inf" if numerator else "undef"
        number = numerator / denominator
        try:
            number = _APEX[name](number) if name in _APEX else number
        except OverflowError:
            return "inf"
        return float(f"{number:.10g}") if not number.is_integer() else int(number)
    return value


def _flatten(name: str, value: Any, out: dict[str, Any]) -> None:
    """ExifTool's flattening: structure fields join their parent's name (HistoryAction), lists
    of one item are shown as the item."""
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(name + _capital(key), item, out)
    elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
        columns: dict[str, list[Any]] = {}
        for item in value:
            flat: dict[str, Any] = {}
            _flatten(name, item, flat)
            for key, field_value in flat.items():
                columns.setdefault(key, []).append(field_value)
        out.update((k, v[0] if len(v) == 1 else v) for k, v in columns.items())
    elif isinstance(value, list):
        items = [_scalar(name, v) if isinstance(v, str) else v for v in value]
        out[name] = items[0] if len(items) == 1 else items
    else:
        out[name] = _scalar(name, value) if isinstance(value, str) else value


def read_xmp(data: bytes) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """(raw groups "XMP-<prefix>", the structured properties by "prefix:Name")."""
    start = data.find(b"<")
    end = data.rfind(b">")
    if start < 0 or end < start:
        raise Malformed("XMP packet holds no XML")
    root = parse_xml(data[start : end + 1], "XMP")
    prefixes = {uri.decode("utf-8", "replace"): p.decode() for p, uri in _XMLNS.findall(data)}
    prefixes.update(_PREFIXES)
    groups: dict[str, dict[str, Any]] = {}
    properties: dict[str, Any] = {}
    count = 0
    for description in root.iter(_RDF + "Description"):
        items = [(k, v) for k, v in description.attrib.items() if not k.startswith(_RDF)]
        items += [(child.tag, _value(child)) for child in description]
        for tag, value in items:
            uri, local = _split(tag)
            prefix = prefixes.get(uri, "unknown")
            properties.setdefault(f"{prefix}:{local}", value)
            name = _RENAMED.get((prefix, local)) or _capital(local)
            _flatten(name, value, groups.setdefault(f"XMP-{prefix}", {}))
            count += 1
            if count >= MAX_XMP_TAGS:
                return groups, properties
    toolkit = root.get("{adobe:ns:meta/}xmptk")
    if toolkit:
        groups.setdefault("XMP-x", {})["XMPToolkit"] = toolkit
    return groups, properties


# --- IPTC-IIM and Photoshop image resources -------------------------------------------------

_IPTC_NAMES = {
    (1, 90): "CodedCharacterSet", (2, 0): "ApplicationRecordVersion", (2, 5): "ObjectName",
    (2, 7): "EditStatus", (2, 10): "Urgency", (2, 12): "SubjectReference", (2, 15): "Category",
    (2, 20): "SupplementalCategories", (2, 25): "Keywords", (2, 26): "ContentLocationCode",
    (2, 27): "ContentLocationName", (2, 30): "ReleaseDate", (2, 35): "ReleaseTime",
    (2, 40): "SpecialInstructions", (2, 55): "DateCreated", (2, 60): "TimeCreated",
    (2, 62): "DigitalCreationDate", (2, 63): "DigitalCreationTime",
    (2, 65): "OriginatingProgram", (2, 70): "ProgramVersion", (2, 80): "By-line",
    (2, 85): "By-lineTitle", (2, 90): "City", (2, 92): "Sub-location",
    (2, 95): "Province-State", (2, 100): "Country-PrimaryLocationCode",
    (2, 101): "Country-PrimaryLocationName", (2, 103): "OriginalTransmissionReference",
    (2, 105): "Headline", (2, 110): "Credit", (2, 115): "Source", (2, 116): "CopyrightNotice",
    (2, 118): "Contact", (2, 120): "Caption-Abstract", (2, 122): "Writer-Editor",
}  # fmt: skip
_IPTC_LISTS = frozenset({"SupplementalCategories", "Keywords", "By-line", "By-lineTitle",
                         "Contact", "Writer-Editor", "SubjectReference"})  # fmt: skip


def read_iptc(data: bytes) -> dict[str, Any]:
    """IPTC-IIM datasets (0x1C, record, dataset, length, value) as ExifTool's IPTC group."""
    out: dict[str, Any] = {}
    pos = 0
    while pos + 5 <= len(data) and data[pos] == 0x1C:
        record, dataset, size = (
            data[pos + 1],
            data[pos + 2],
            struct.unpack(">H", data[pos + 3 : pos + 5])[0],
        )
        pos += 5
        if size & 0x8000:  # extended length: a huge dataset no photo needs; stop here
            break
        raw = data[pos : pos + size]
        pos += size
        name = _IPTC_NAMES.get((record, dataset), f"IPTC_{record}_{dataset}")
        value: Any = decode_text(raw) if record == 2 and dataset != 0 else _short(raw)
        if name in _IPTC_LISTS:
            out.setdefault(name, []).append(value)
        else:
            out.setdefault(name, _iptc_time(name, value))
    return {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in out.items()}


_IPTC_DATES = frozenset({"DateCreated", "DigitalCreationDate", "ReleaseDate", "ExpirationDate"})
_IPTC_TIMES = frozenset({"TimeCreated", "DigitalCreationTime", "ReleaseTime", "ExpirationTime"})


def _iptc_time(name: str, value: Any) -> Any:
    """IPTC dates and times as ExifTool prints them: 'YYYY:MM:DD', 'HH:MM:SS+hh:mm'."""
    if not isinstance(value, str) or not value[:6].isdigit():
        return value
    if name in _IPTC_DATES and len(value) == 8:
        return f"{value[:4]}:{value[4:6]}:{value[6:]}"
    if name in _IPTC_TIMES and len(value) in (6, 11):
        zone = f"{value[6:9]}:{value[9:]}" if len(value) == 11 else ""
        return f"{value[:2]}:{value[2:4]}:{value[4:6]}{zone}"
    return value


def _short(raw: bytes) -> Any:
    if len(raw) in (1, 2):
        return int.from_bytes(raw, "big")
    return decode_text(raw)


def photoshop_iptc(data: bytes) -> bytes | None:
    """The IPTC block (resource 0x0404) among Photoshop image resources ('8BIM' records)."""
    pos = 0
    while pos + 12 <= len(data) and data[pos : pos + 4] == b"8BIM":
        resource = struct.unpack(">H", data[pos + 4 : pos + 6])[0]
        name_length = data[pos + 6]
        pos += 6 + ((name_length + 2) & ~1)  # Pascal name padded to an even length
        if pos + 4 > len(data):
            break
        size = struct.unpack(">I", data[pos : pos + 4])[0]
        pos += 4
        if resource == 0x0404:
            return data[pos : pos + size]
        pos += size + (size & 1)
    return None


# --- ICC profiles ---------------------------------------------------------------------------


def _fourcc(raw: bytes) -> str:
    return raw.rstrip(b"\0").decode("latin-1")


_ICC_TAGS = {
    b"desc": "ProfileDescription", b"cprt": "ProfileCopyright", b"dmnd": "DeviceMfgDesc",
    b"dmdd": "DeviceModelDesc", b"wtpt": "MediaWhitePoint", b"bkpt": "MediaBlackPoint",
    b"rXYZ": "RedMatrixColumn", b"gXYZ": "GreenMatrixColumn", b"bXYZ": "BlueMatrixColumn",
    b"chad": "ChromaticAdaptation", b"lumi": "Luminance", b"rTRC": "RedTRC",
    b"gTRC": "GreenTRC", b"bTRC": "BlueTRC", b"kTRC": "GrayTRC",
}  # fmt: skip


def read_icc(data: bytes) -> dict[str, dict[str, Any]]:
    """The ICC header and its tags (description, copyright, colorants) as ExifTool's groups."""
    if len(data) < 132 or data[36:40] != b"acsp":
        return {}
    y, mo, d, h, mi, s = struct.unpack(">6H", data[24:36])
    header = {
        "ProfileCMMType": _fourcc(data[4:8]),
        "ProfileVersion": struct.unpack(">H", data[8:10])[0],
        "ProfileClass": _fourcc(data[12:16]),
        "ColorSpaceData": data[16:20].decode("latin-1"),
        "ProfileConnectionSpace": data[20:24].decode("latin-1"),
        "ProfileDateTime": f"{y:04d}:{mo:02d}:{d:02d} {h:02d}:{mi:02d}:{s:02d}",
        "ProfileFileSignature": "acsp",
        "PrimaryPlatform": _fourcc(data[40:44]),
        "CMMFlags": struct.unpack(">I", data[44:48])[0],
        "DeviceManufacturer": _fourcc(data[48:52]),
        "DeviceModel": _fourcc(data[52:56]),
        "DeviceAttributes": "{} {}".format(*struct.unpack(">II", data[56:64])),
        "RenderingIntent": struct.unpack(">I", data[64:68])[0],
        "ConnectionSpaceIlluminant": _fixed(data[68:80]),
        "ProfileCreator": _fourcc(data[80:84]),
        "ProfileID": " ".join(str(b) for b in data[84:100]),
    }
    profile: dict[str, Any] = {}
    count = min(struct.unpack(">I", data[128:132])[0], (len(data) - 132) // 12)
    for i in range(count):
        signature, offset, size = struct.unpack(">4sII", data[132 + 12 * i : 144 + 12 * i])
        if signature in _ICC_TAGS and offset + size <= len(data):
            value = _icc_value(data[offset : offset + size])
            if value is not None:
                profile[_ICC_TAGS[signature]] = value
    return {"ICC-header": header, "ICC_Profile": profile}


def _fixed(raw: bytes) -> str:
    """s15Fixed16 numbers as ExifTool prints them: five decimals, trailing zeros dropped."""
    numbers = struct.unpack(f">{len(raw) // 4}i", raw[: len(raw) // 4 * 4])
    return " ".join(f"{n / 65536:.5f}".rstrip("0").rstrip(".") for n in numbers)


def _icc_value(tag: bytes) -> str | None:
    kind = tag[:4]
    if kind == b"desc" and len(tag) >= 12:
        length = struct.unpack(">I", tag[8:12])[0]
        return tag[12 : 12 + length].split(b"\0", 1)[0].decode("latin-1")
    if kind == b"text":
        return tag[8:].split(b"\0", 1)[0].decode("latin-1")
    if kind == b"mluc" and len(tag) >= 28:
        length, offset = struct.unpack(">II", tag[20:28])
        return tag[offset : offset + length].decode("utf-16-be", "replace").rstrip("\0")
    if kind in (b"XYZ ", b"sf32"):
        return _fixed(tag[8:])
    if kind in (b"curv", b"para"):
        return binary(len(tag))
    return None
