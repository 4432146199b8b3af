"""Cameras, sites and EXIF blocks for the synthetic photos.

Photo checks compare what a camera *would* write with what a file holds: one make, model and
serial per body, its firmware string, its own JPEG quality (so its quantization tables are its
fingerprint), local Beijing time in DateTimeOriginal and UTC in the GPS time stamp. Keeping the
cameras and the EXIF writer in one place makes every synthetic photo tell the same story, so
that only the planted anomalies break it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import piexif
from PIL import Image

from veracity.synth._common import jpeg_bytes

#: Chinese cameras are set to Beijing time; GPS receivers stamp UTC.
BEIJING_OFFSET = timedelta(hours=8)
THUMBNAIL_SIZE = (160, 120)
EARTH_RADIUS_M = 6_371_000.0


@dataclass(frozen=True)
class Camera:
    """One camera body: what it writes into every photo it takes."""

    make: str
    model: str
    serial: str
    firmware: str  # the Software tag as the camera writes it
    quality: int  # JPEG quality: different per body, so quantization tables differ
    subsampling: int  # Pillow's code: 0 = 4:4:4, 1 = 4:2:2, 2 = 4:2:0
    prefix: str  # file-name prefix the body uses: IMG_, DSC_, DSC0
    first_number: int  # the shutter counter's file number before this series


@dataclass(frozen=True)
class Site:
    """A facility point (synthetic, placed near a real town) that photos are taken at."""

    key: str
    name: str
    folder: str  # folder under OUT/camp/ holding the site's photos
    county_code: str
    lat: float
    lon: float
    alt: float


@dataclass(frozen=True)
class GeoPoint:
    lat: float
    lon: float
    alt: float


@dataclass(frozen=True)
class Shot:
    """What varies from one photo to the next for the same camera."""

    taken_at: datetime  # camera clock, Beijing time
    width: int
    height: int
    subsec: str = "00"
    orientation: int = 1
    gps: GeoPoint | None = None
    gps_time: datetime | None = None  # UTC
    software: str | None = None  # None: the camera's firmware string
    modified_at: datetime | None = None  # None: same as taken_at (straight from camera)
    offset: str | None = "+08:00"  # OffsetTime*; None: the camera states no zone


SITES = (
    Site("shufu_vtc", "疏附县职业技能教育培训中心", "shufu_jiaopei_zhongxin", "653121",
         39.3812, 75.8623, 1288.0),
    Site("shufu_kss", "疏附县看守所", "shufu_kanshousuo", "653121", 39.4035, 75.8147, 1275.0),
)  # fmt: skip

#: Where the GPS-outlier photo claims to be: near Aksu, about 420 km from Shufu.
OUTLIER_POINT = GeoPoint(41.1687, 80.2601, 1105.0)

# make, model, firmware, file prefix, serial digits
_MODELS = (
    ("Canon", "Canon EOS 5D Mark III", "Firmware Version 1.3.5", "IMG_", 12),
    ("Canon", "Canon EOS 6D", "Firmware Version 1.1.8", "IMG_", 12),
    ("NIKON CORPORATION", "NIKON D7200", "Ver.1.02", "DSC_", 7),
    ("SONY", "ILCE-6000", "ILCE-6000 v3.20", "DSC0", 7),
)
_QUALITIES = (97, 95, 93, 91, 89)


def make_cameras(rng: random.Random, count: int, *, station: bool = False) -> list[Camera]:
    """`count` bodies, each with its own JPEG quality.

    Station cameras (detainee photos) are Canon bodies, as one county buys one kind. Other sets
    use one model per file-name prefix, so bodies sharing a folder never share file names.
    """
    if station:
        models = [rng.choice(_MODELS[:2]) for _ in range(count)]
    else:
        by_prefix: dict[str, list[tuple[str, str, str, str, int]]] = {}
        for entry in _MODELS:
            by_prefix.setdefault(entry[3], []).append(entry)
        if count > len(by_prefix):
            raise ValueError(f"at most {len(by_prefix)} cameras can share a folder")
        models = [rng.choice(group) for group in by_prefix.values()]
        rng.shuffle(models)
    qualities = rng.sample(_QUALITIES, k=count)
    cameras = []
    for (make, model, firmware, prefix, digits), quality in zip(models, qualities, strict=False):
        serial = str(rng.randrange(10 ** (digits - 1), 10**digits))
        subsampling = 1 if make == "Canon" else 2
        first = rng.randrange(100, 8000)
        cameras.append(Camera(make, model, serial, firmware, quality, subsampling, prefix, first))
    return cameras


def file_name(camera: Camera, number: int) -> str:
    """The name the body gives its `number`-th file (counters wrap after 9999, as cameras do)."""
    return f"{camera.prefix}{(number - 1) % 9999 + 1:04d}.JPG"


def near(rng: random.Random, point: Site | GeoPoint, radius_m: float) -> GeoPoint:
    """A point uniformly within `radius_m` of `point`, rounded as a phone would store it."""
    r = radius_m * math.sqrt(rng.random())
    theta = rng.uniform(0, 2 * math.pi)
    dlat = math.degrees(r * math.cos(theta) / EARTH_RADIUS_M)
    dlon = math.degrees(r * math.sin(theta) / (EARTH_RADIUS_M * math.cos(math.radians(point.lat))))
    alt = point.alt + rng.uniform(-5, 5)
    return GeoPoint(round(point.lat + dlat, 6), round(point.lon + dlon, 6), round(alt, 1))


def distance_m(a: GeoPoint | Site, b: GeoPoint | Site) -> float:
    """Great-circle (haversine) distance in metres."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def thumbnail_jpeg(img: Image.Image) -> bytes:
    """The IFD1 thumbnail a camera embeds: the picture itself, 160x120."""
    return jpeg_bytes(img.resize(THUMBNAIL_SIZE, Image.Resampling.BOX), quality=75)


def exif_bytes(camera: Camera, shot: Shot, thumbnail: bytes | None = None) -> bytes:
    """The APP1 EXIF block (with its `Exif` header) for `shot`, ready for `Image.save(exif=)`."""
    stamp = _exif_time(shot.taken_at)
    modified = _exif_time(shot.modified_at or shot.taken_at)
    zeroth: dict[int, Any] = {
        piexif.ImageIFD.Make: camera.make,
        piexif.ImageIFD.Model: camera.model,
        piexif.ImageIFD.Orientation: shot.orientation,
        piexif.ImageIFD.XResolution: (72, 1),
        piexif.ImageIFD.YResolution: (72, 1),
        piexif.ImageIFD.ResolutionUnit: 2,
        piexif.ImageIFD.Software: shot.software or camera.firmware,
        piexif.ImageIFD.DateTime: modified,
        piexif.ImageIFD.YCbCrPositioning: 2,
    }
    exif: dict[int, Any] = {
        piexif.ExifIFD.ExifVersion: b"0230",
        piexif.ExifIFD.DateTimeOriginal: stamp,
        piexif.ExifIFD.DateTimeDigitized: stamp,
        piexif.ExifIFD.SubSecTimeOriginal: shot.subsec,
        piexif.ExifIFD.SubSecTimeDigitized: shot.subsec,
        piexif.ExifIFD.ColorSpace: 1,
        piexif.ExifIFD.PixelXDimension: shot.width,
        piexif.ExifIFD.PixelYDimension: shot.height,
        piexif.ExifIFD.BodySerialNumber: camera.serial,
    }
    if shot.offset is not None:
        for tag in (
            piexif.ExifIFD.OffsetTime,
            piexif.ExifIFD.OffsetTimeOriginal,
            piexif.ExifIFD.OffsetTimeDigitized,
        ):
            exif[tag] = shot.offset
    body: dict[str, Any] = {"0th": zeroth, "Exif": exif, "GPS": _gps_ifd(shot)}
    if thumbnail is not None:
        body["1st"] = {
            piexif.ImageIFD.Compression: 6,
            piexif.ImageIFD.XResolution: (72, 1),
            piexif.ImageIFD.YResolution: (72, 1),
            piexif.ImageIFD.ResolutionUnit: 2,
        }
        body["thumbnail"] = thumbnail
    dumped: bytes = piexif.dump(body)
    return dumped


def _exif_time(when: datetime) -> str:
    return when.strftime("%Y:%m:%d %H:%M:%S")


def _gps_ifd(shot: Shot) -> dict[int, Any]:
    if shot.gps is None:
        return {}
    gps = shot.gps
    ifd: dict[int, Any] = {
        piexif.GPSIFD.GPSVersionID: (2, 3, 0, 0),
        piexif.GPSIFD.GPSLatitudeRef: "N" if gps.lat >= 0 else "S",
        piexif.GPSIFD.GPSLatitude: _dms(gps.lat),
        piexif.GPSIFD.GPSLongitudeRef: "E" if gps.lon >= 0 else "W",
        piexif.GPSIFD.GPSLongitude: _dms(gps.lon),
        piexif.GPSIFD.GPSAltitudeRef: 0 if gps.alt >= 0 else 1,
        piexif.GPSIFD.GPSAltitude: (round(abs(gps.alt) * 10), 10),
        piexif.GPSIFD.GPSMapDatum: "WGS-84",
    }
    if shot.gps_time is not None:
        t = shot.gps_time
        ifd[piexif.GPSIFD.GPSTimeStamp] = ((t.hour, 1), (t.minute, 1), (t.second, 1))
        ifd[piexif.GPSIFD.GPSDateStamp] = t.strftime("%Y:%m:%d")
    return ifd


def _dms(value: float) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """Degrees, minutes and seconds (to 1/10000 s, ~3 mm) as EXIF rationals."""
    ten_thousandths = round(abs(value) * 3600 * 10_000)
    degrees, rest = divmod(ten_thousandths, 3600 * 10_000)
    minutes, seconds = divmod(rest, 60 * 10_000)
    return ((degrees, 1), (minutes, 1), (seconds, 10_000))
