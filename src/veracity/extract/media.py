"""Audio and video files: container metadata (when, how long, where, which device), no decoding.

A phone video or a voice recording in a leak is checked like a photo: its creation time, the
device and encoder that wrote it and, for QuickTime/MP4 from phones, the place it was recorded
(`©xyz` or `com.apple.quicktime.location.ISO6709`, "+39.3812+075.8623+1288.000/"). mutagen
reads the tags and stream information of MP3, MP4/M4A, FLAC, Ogg, WAV, AIFF and ASF; the
movie header (`mvhd`) and QuickTime keys, which mutagen leaves out, come from `_isobmff`.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any

from veracity.case import Limits
from veracity.errors import Malformed
from veracity.extract._isobmff import brands, read_movie
from veracity.extract._photo import iso_date
from veracity.extract.base import Extraction, Extractor, Item

MAX_TAG_CHARS = 2000  # a tag value longer than this (lyrics, embedded art) is shortened
_ISO6709 = re.compile(r"^([+-]\d{1,2}(?:\.\d+)?)([+-]\d{1,3}(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?")
_MOVIE_MIMES = frozenset({"video/mp4", "video/quicktime", "video/3gpp", "audio/mp4",
                          "audio/x-m4a", "video/x-m4v"})  # fmt: skip
#: tag names (mutagen's keys for ID3, MP4 and Vorbis comments) -> normalised field
_FIELDS = {
    "TIT2": "title", "\xa9nam": "title", "title": "title",
    "TPE1": "artist", "\xa9ART": "artist", "artist": "artist",
    "TDRC": "recorded", "\xa9day": "recorded", "date": "recorded",
    "TSSE": "encoder", "TENC": "encoder", "\xa9too": "encoder", "encoder": "encoder",
    "COMM": "comment", "\xa9cmt": "comment", "comment": "comment",
}  # fmt: skip


class MediaExtractor(Extractor):
    NAME = "media"
    MIME_TYPES = frozenset({*_MOVIE_MIMES, "audio/mpeg", "audio/flac", "audio/x-flac",
                            "audio/ogg", "video/ogg", "audio/x-wav", "audio/wav", "audio/vnd.wave",
                            "audio/x-aiff", "audio/aiff", "video/x-ms-asf", "audio/x-ms-wma",
                            "video/x-ms-wmv"})  # fmt: skip
    EXTENSIONS = frozenset({"mp3", "mp4", "m4a", "m4v", "mov", "3gp", "flac", "ogg", "oga",
                            "opus", "wav", "aif", "aiff", "wma", "wmv", "asf"})  # fmt: skip
    SCORE = 5

    def extract(self, item: Item, limits: Limits) -> Extraction:
        raw: dict[str, dict[str, Any]] = {}
        with open(item.disk_path, "rb") as fh:
            if brands(fh) is not None:
                raw["QuickTime"] = read_movie(fh, item.size)
        tags, info = _mutagen(item.disk_path)
        if tags:
            raw["Tags"] = tags
        if info:
            raw["Audio"] = info
        if not any(raw.values()):
            raise Malformed("no readable audio or video metadata")
        return Extraction(metadata=_normalise(raw), raw=raw)


def _mutagen(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(tags, stream info) as plain values; empty when mutagen cannot read the file."""
    import mutagen

    try:
        media = mutagen.File(path)
    except (mutagen.MutagenError, ValueError, EOFError, IndexError, OverflowError, struct.error):
        return {}, {}  # the caller reports the file when nothing else was read either
    if media is None:
        return {}, {}
    tags: dict[str, Any] = {}
    for key, value in (media.tags or {}).items():
        name = str(key).split(":", 1)[0]
        text = _text(value)
        if text is not None and name not in tags:
            tags[name] = text
    info = {}
    for attribute in ("length", "bitrate", "sample_rate", "channels", "codec"):
        value = getattr(media.info, attribute, None)
        if isinstance(value, int | float | str) and value:
            info[attribute] = round(value, 3) if isinstance(value, float) else value
    return tags, info


def _text(value: Any) -> str | None:
    """A tag value as text: ID3 frames and lists joined, binary (cover art) left out."""
    items = getattr(value, "text", value)
    if isinstance(items, list | tuple):
        items = "; ".join(str(v) for v in items if not isinstance(v, bytes))
    if isinstance(items, bytes) or not str(items).strip():
        return None
    return str(items)[:MAX_TAG_CHARS]


def location(text: Any) -> dict[str, float | None] | None:
    """An ISO 6709 point ("+39.3812+075.8623+1288.000/") as {lat, lon, alt}."""
    match = _ISO6709.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return {"lat": lat, "lon": lon, "alt": float(match.group(3)) if match.group(3) else None}


def _normalise(raw: dict[str, dict[str, Any]]) -> dict[str, Any]:
    movie, tags, info = raw.get("QuickTime", {}), raw.get("Tags", {}), raw.get("Audio", {})
    out: dict[str, Any] = {}
    for key, field in _FIELDS.items():
        if key in tags and field not in out:
            out[field] = tags[key]
    for field, name in (("created", "CreateDate"), ("modified", "ModifyDate")):
        stamp = iso_date(movie.get(name))
        if stamp is not None:
            out[field] = stamp + "Z"  # QuickTime times are UTC
    for field, name in (("camera_make", "Make"), ("camera_model", "Model"),
                        ("software", "Software")):  # fmt: skip
        if isinstance(movie.get(name), str):
            out[field] = movie[name]
    taken = iso_date(movie.get("CreationDate"))  # the device's local time, as in EXIF
    if taken is not None:
        out["taken_at"] = taken
    point = location(movie.get("GPSCoordinates") or tags.get("\xa9xyz"))
    if point is not None:
        out["gps"] = point
    duration = movie.get("Duration") or info.get("length")
    if isinstance(duration, int | float):
        out["duration_s"] = duration
    return out
