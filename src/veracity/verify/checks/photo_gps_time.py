"""photo_gps_time: the camera clock (DateTimeOriginal) disagrees with the GPS clock (UTC)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from veracity.verify.base import Check, Finding
from veracity.verify.checks.office_created_after_modified import parse_when
from veracity.verify.view import CaseView, FileView

#: Zones a camera in Xinjiang is plausibly set to: Beijing time and Xinjiang (Ürümqi) time.
ZONES = (timedelta(hours=8), timedelta(hours=6))
#: The zones whose positions also use ZONES (all of China keeps Beijing time; Xinjiang also
#: keeps its own, two hours behind).
CHINA = frozenset({"Asia/Shanghai", "Asia/Urumqi", "Asia/Kashgar", "Asia/Chongqing",
                   "Asia/Harbin"})  # fmt: skip
#: Two shots this far apart with the very same GPS time stamp: a stale fix, not a clock.
STALE_AFTER = timedelta(minutes=1)
#: Allowed disagreement beyond the nearest plausible zone (clock drift, a slow GPS fix).
TOLERANCE = timedelta(hours=2)
#: A camera whose every photo is off by the same amount (within this) has a wrongly set clock.
CONSTANT_SPREAD = timedelta(minutes=30)


@dataclass(frozen=True)
class _Skew:
    item: FileView
    offset: timedelta  # gps_time - taken_at as UTC, in the stated (or assumed) zone
    residual: timedelta  # what is left over after the nearest plausible zone
    zone: str | None  # the time zone at the GPS position, if there is one
    taken: datetime
    gps: datetime


class PhotoGpsTime(Check):
    """DateTimeOriginal, turned to UTC with its zone, more than 2 h from the GPS time stamp.

    The camera and the GPS receiver keep separate clocks; a photo whose times disagree by
    hours may have had its date rewritten, or its GPS block copied from another photo. The
    zone is the one stated (OffsetTimeOriginal), or the time zone in force at the GPS position
    on that day (an offline table, `timezonefinder`, daylight saving included), and Beijing
    and Xinjiang time for a position in China. A camera whose whole series is off by the same
    amount just has its clock set wrong: `info`; so is a stale GPS fix (the same GPS time on
    shots minutes apart: the receiver kept an old position and time).
    """

    NAME = "photo_gps_time"
    NEEDS = frozenset({"images"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        series: dict[tuple[str, ...], list[_Skew | None]] = defaultdict(list)
        for item in view.images():
            series[camera_key(item)].append(_skew(item))
        for skews in series.values():
            off = [s for s in skews if s is not None and abs(s.residual) > TOLERANCE]
            constant = (
                len(skews) >= 2 and len(off) == len(skews) and _spread(off) <= CONSTANT_SPREAD
            )
            stale = _stale([s for s in skews if s is not None])
            for skew in off:
                yield self._finding(skew, constant, skew.item.sha256 in stale)

    def _finding(self, skew: _Skew, constant: bool, stale: bool) -> Finding:
        meta = skew.item.metadata
        hours = round(skew.offset.total_seconds() / 3600, 2)
        if constant:
            message = f"camera clock off by {hours} h from GPS time, as on all this camera's photos"
        elif stale:
            message = (
                f"GPS time is {hours} h from the shot's time, but other shots minutes apart "
                "carry the same GPS time: a stale GPS fix"
            )
        else:
            message = (
                f"GPS time is {hours} h from the shot's time in UTC (no time zone of the "
                f"position{' ' + skew.zone if skew.zone else ''} explains it)"
            )
        return self.finding(
            "info" if constant or stale else "warning",
            skew.item.path,
            None,
            message,
            taken_at=meta.get("taken_at"),
            offset_time_original=meta.get("offset_time_original"),
            gps_time=meta.get("gps_time"),
            offset_hours=hours,
            position_zone=skew.zone,
            constant_across_camera=constant,
            stale_gps_fix=stale,
        )


def camera_key(item: FileView) -> tuple[str, ...]:
    """Make, model and serial: one physical camera (as far as its EXIF tells)."""
    meta = item.metadata
    return tuple(str(meta.get(k) or "") for k in ("camera_make", "camera_model", "camera_serial"))


def _skew(item: FileView) -> _Skew | None:
    meta = item.metadata
    taken, gps = parse_when(meta.get("taken_at")), parse_when(meta.get("gps_time"))
    if taken is None or gps is None or gps.tzinfo is None:
        return None
    stated = taken.utcoffset() or _parse_offset(meta.get("offset_time_original"))
    clock_zone = taken.replace(tzinfo=None) - gps.replace(tzinfo=None)  # what the clock shows
    name, local = _position_zone(meta.get("gps"), gps)
    zones: tuple[timedelta, ...] = ZONES if name is None or name in CHINA else ()
    zones = (*((local,) if local is not None else ()), *zones)
    zones = zones if stated is None else (stated, *zones)
    residual = min((clock_zone - zone for zone in zones), key=abs)
    assumed = stated if stated is not None else local if local is not None else ZONES[0]
    return _Skew(item, assumed - clock_zone, residual, name, taken, gps)


def _position_zone(point: Any, when: datetime) -> tuple[str | None, timedelta | None]:
    """The IANA zone at a GPS position and its UTC offset at `when` (daylight saving
    included); (None, None) without a usable position."""
    if not isinstance(point, dict):
        return None, None
    lat, lon = point.get("lat"), point.get("lon")
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None  # an impossible position says nothing of a zone
    name = _finder().timezone_at(lng=float(lon), lat=float(lat))
    if name is None:
        return None, None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        offset = when.astimezone(UTC).astimezone(ZoneInfo(name)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return name, None
    return name, offset


@cache
def _finder() -> Any:
    from timezonefinder import TimezoneFinder  # late: loads its tables

    return TimezoneFinder()


def _stale(skews: list[_Skew]) -> set[str]:
    """Contents whose GPS time stamp another shot of the camera repeats, minutes apart."""
    by_gps: dict[datetime, list[_Skew]] = defaultdict(list)
    for skew in skews:
        by_gps[skew.gps].append(skew)
    stale: set[str] = set()
    for same in by_gps.values():
        times = sorted(s.taken.replace(tzinfo=None) for s in same)
        if len(same) >= 2 and times[-1] - times[0] >= STALE_AFTER:
            stale.update(s.item.sha256 for s in same)
    return stale


def _spread(skews: list[_Skew]) -> timedelta:
    offsets = [s.offset for s in skews]
    return max(offsets) - min(offsets)


def _parse_offset(value: object) -> timedelta | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(f"2000-01-01T00:00:00{value.strip()}").utcoffset()
    except ValueError:
        return None
    return parsed
