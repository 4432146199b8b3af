"""From raw tag groups to the contract's normalised photo fields, and ExifTool's composites.

ExifTool derives a few values from several tags (signed GPS coordinates from the unsigned ones
and their Ref tags, GPS date-time from the date and time stamps, sub-second date-times); the
`Composite` group here does the same so raw output compares with ExifTool's, and `normalise()`
turns the groups into design.md's fields (`camera_make`, `taken_at`, `gps`, …), which checks
and reports read. Values from a hostile file can have any type, so every field is type-checked
and dates are validated before they are trusted.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

_DATE = re.compile(r"^\s*(\d{4})[:-](\d{2})[:-](\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?$")
_OFFSET = re.compile(r"^[+-]\d{2}:\d{2}$")


def _text(value: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.strip().strip("\0").strip()
    return value or None


def iso_date(value: Any) -> str | None:
    """'2018:05:03 10:25:31' (EXIF) or an ISO string -> '2018-05-03T10:25:31'; None if invalid."""
    if not isinstance(value, str):
        return None
    match = _DATE.match(value)
    if match is None:
        return None
    y, mo, d, h, mi, s = (int(p) if p else 0 for p in match.groups())
    try:
        return datetime(y, mo, d, h, mi, s).strftime("%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def signed_gps(gps: dict[str, Any]) -> dict[str, float | None] | None:
    """{lat, lon, alt} in decimal degrees, south, west and below sea level negative."""
    lat, lon = _number(gps.get("GPSLatitude")), _number(gps.get("GPSLongitude"))
    if lat is None or lon is None:
        return None
    if str(gps.get("GPSLatitudeRef", "")).strip().upper().startswith("S"):
        lat = -lat
    if str(gps.get("GPSLongitudeRef", "")).strip().upper().startswith("W"):
        lon = -lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    alt = _number(gps.get("GPSAltitude"))
    if alt is not None and gps.get("GPSAltitudeRef") == 1:
        alt = -alt
    return {"lat": lat, "lon": lon, "alt": alt}


def gps_time(gps: dict[str, Any]) -> str | None:
    """GPSDateStamp + GPSTimeStamp as UTC ISO 8601 ('2018-05-03T02:25:31Z')."""
    day = iso_date(f"{gps.get('GPSDateStamp')} 00:00:00")
    match = _CLOCK.match(str(gps.get("GPSTimeStamp", "")))
    if day is None or match is None:
        return None
    hours, minutes, seconds = (int(match.group(i)) for i in (1, 2, 3))
    if hours > 23 or minutes > 59 or seconds > 60:
        return None
    fraction = (match.group(4) or "").rstrip("0").rstrip(".")
    return f"{day[:10]}T{hours:02d}:{minutes:02d}:{seconds:02d}{fraction}Z"


def _subsec(date: Any, subsec: Any, offset: Any) -> str | None:
    if not isinstance(date, str) or iso_date(date) is None:
        return None
    text = date.strip()
    if isinstance(subsec, int | str) and str(subsec).strip().isdigit():
        text += "." + str(subsec).strip()
    if isinstance(offset, str) and _OFFSET.match(offset.strip()):
        text += offset.strip()
    return text


def composite(
    raw: dict[str, dict[str, Any]], width: int | None, height: int | None
) -> dict[str, Any]:
    """ExifTool's Composite tags that veracity has the parts for."""
    ifd0, exif, gps = raw.get("IFD0", {}), raw.get("ExifIFD", {}), raw.get("GPS", {})
    out: dict[str, Any] = {}
    if width is not None and height is not None:
        out["ImageSize"] = f"{width} {height}"
        out["Megapixels"] = width * height / 1e6
    position = signed_gps(gps)
    if position is not None:
        out["GPSLatitude"], out["GPSLongitude"] = position["lat"], position["lon"]
        out["GPSPosition"] = f"{position['lat']} {position['lon']}"
        if position["alt"] is not None:
            out["GPSAltitude"] = position["alt"]
    stamp = gps_time(gps)
    if stamp is not None:
        out["GPSDateTime"] = stamp.replace("-", ":", 2).replace("T", " ")
    for name, date, sub, offset in (
        ("SubSecDateTimeOriginal", exif.get("DateTimeOriginal"), exif.get("SubSecTimeOriginal"),
         exif.get("OffsetTimeOriginal")),
        ("SubSecCreateDate", exif.get("CreateDate"), exif.get("SubSecTimeDigitized"),
         exif.get("OffsetTimeDigitized")),
        ("SubSecModifyDate", ifd0.get("ModifyDate"), exif.get("SubSecTime"),
         exif.get("OffsetTime")),
    ):  # fmt: skip
        stamp = _subsec(date, sub, offset)
        if stamp is not None and (sub is not None or offset is not None):
            out[name] = stamp
    return out


_TEXT_FIELDS = (
    ("camera_make", "IFD0", "Make"),
    ("camera_model", "IFD0", "Model"),
    ("camera_serial", "ExifIFD", "SerialNumber"),
    ("camera_serial", "IFD0", "CameraSerialNumber"),
    ("camera_serial", "XMP-aux", "SerialNumber"),
    ("camera_serial", "XMP-exifEX", "BodySerialNumber"),
    ("camera_owner", "ExifIFD", "OwnerName"),
    ("lens", "ExifIFD", "LensModel"),
    ("lens", "XMP-aux", "Lens"),
    ("lens_make", "ExifIFD", "LensMake"),
    ("lens_serial", "ExifIFD", "LensSerialNumber"),
    ("software", "IFD0", "Software"),
    ("software", "PNG", "Software"),
    ("artist", "IFD0", "Artist"),
    ("copyright", "IFD0", "Copyright"),
    ("description", "IFD0", "ImageDescription"),
    ("image_unique_id", "ExifIFD", "ImageUniqueID"),
    ("subsec_time", "ExifIFD", "SubSecTime"),
    ("subsec_time_original", "ExifIFD", "SubSecTimeOriginal"),
    ("subsec_time_digitized", "ExifIFD", "SubSecTimeDigitized"),
    ("offset_time", "ExifIFD", "OffsetTime"),
    ("offset_time_original", "ExifIFD", "OffsetTimeOriginal"),
    ("offset_time_digitized", "ExifIFD", "OffsetTimeDigitized"),
)
_DATE_FIELDS = (
    ("taken_at", "ExifIFD", "DateTimeOriginal"),
    ("taken_at", "XMP-exif", "DateTimeOriginal"),
    ("create_date", "ExifIFD", "CreateDate"),
    ("create_date", "XMP-xmp", "CreateDate"),
    ("modify_date", "IFD0", "ModifyDate"),
    ("modify_date", "XMP-xmp", "ModifyDate"),
    ("modify_date", "PNG", "ModifyDate"),
)


def normalise(
    raw: dict[str, dict[str, Any]], width: int | None, height: int | None
) -> dict[str, Any]:
    """design.md's normalised image fields, plus lens, dates, sub-seconds and offsets.

    The first source listed for a field that holds a usable value wins: EXIF first, then XMP
    (or a PNG text chunk) for files that carry no EXIF.
    """
    out: dict[str, Any] = {}
    for key, group, tag in _TEXT_FIELDS:
        if key not in out:
            value = _text(raw.get(group, {}).get(tag))
            if value is not None:
                out[key] = value
    for key, group, tag in _DATE_FIELDS:
        if key not in out:
            value = iso_date(raw.get(group, {}).get(tag))
            if value is not None:
                out[key] = value
    gps = raw.get("GPS", {})
    position = signed_gps(gps)
    if position is not None:
        out["gps"] = position
    stamp = gps_time(gps)
    if stamp is not None:
        out["gps_time"] = stamp
    if width is not None and height is not None:
        out["width"], out["height"] = width, height
    orientation = raw.get("IFD0", {}).get("Orientation")
    if isinstance(orientation, int) and not isinstance(orientation, bool):
        out["orientation"] = orientation
    return out


def xmp_summary(properties: dict[str, Any]) -> dict[str, Any]:
    """What XMP says about the file's history: the tool, document ids and the edit history."""
    out: dict[str, Any] = {}
    for key, name in (
        ("creator_tool", "xmp:CreatorTool"),
        ("create_date", "xmp:CreateDate"),
        ("modify_date", "xmp:ModifyDate"),
        ("metadata_date", "xmp:MetadataDate"),
        ("document_id", "xmpMM:DocumentID"),
        ("original_document_id", "xmpMM:OriginalDocumentID"),
        ("instance_id", "xmpMM:InstanceID"),
    ):
        value = _text(properties.get(name))
        if value is not None:
            out[key] = value
    history = properties.get("xmpMM:History")
    if isinstance(history, list):
        events = [_event(e) for e in history if isinstance(e, dict)]
        if events:
            out["history"] = events
    return out


def _event(event: dict[str, Any]) -> dict[str, str]:
    """One stEvt entry with snake_case keys (action, when, software_agent, changed, …)."""
    out = {}
    for key, value in event.items():
        if isinstance(value, str):
            snake = re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower()
            out[snake] = value
    return out
