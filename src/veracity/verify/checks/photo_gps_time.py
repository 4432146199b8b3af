"""photo_gps_time: the camera clock (DateTimeOriginal) disagrees with the GPS clock (UTC)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from veracity.verify.base import Check, Finding
from veracity.verify.checks.office_created_after_modified import parse_when
from veracity.verify.view import CaseView, FileView

#: Zones a camera in Xinjiang is plausibly set to: Beijing time and Xinjiang (Ürümqi) time.
ZONES = (timedelta(hours=8), timedelta(hours=6))
#: Allowed disagreement beyond the nearest plausible zone (clock drift, a slow GPS fix).
TOLERANCE = timedelta(hours=2)
#: A camera whose every photo is off by the same amount (within this) has a wrongly set clock.
CONSTANT_SPREAD = timedelta(minutes=30)


@dataclass(frozen=True)
class _Skew:
    item: FileView
    offset: timedelta  # gps_time - taken_at as UTC, in the stated (or assumed) zone
    residual: timedelta  # what is left over after the nearest plausible zone


class PhotoGpsTime(Check):
    """DateTimeOriginal, turned to UTC with its zone, more than 2 h from the GPS time stamp.

    The camera and the GPS receiver keep separate clocks; a photo whose times disagree by
    hours may have had its date rewritten, or its GPS block copied from another photo. A camera
    whose whole series is off by the same amount just has its clock set wrong: `info`.
    False positives: a GPS fix cached from long before the shot.
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
            for skew in off:
                yield self._finding(skew, constant)

    def _finding(self, skew: _Skew, constant: bool) -> Finding:
        meta = skew.item.metadata
        hours = round(skew.offset.total_seconds() / 3600, 2)
        message = (
            f"camera clock off by {hours} h from GPS time, as on all this camera's photos"
            if constant
            else f"GPS time is {hours} h from the shot's time in UTC (no plausible time zone)"
        )
        return self.finding(
            "info" if constant else "warning",
            skew.item.path,
            None,
            message,
            taken_at=meta.get("taken_at"),
            offset_time_original=meta.get("offset_time_original"),
            gps_time=meta.get("gps_time"),
            offset_hours=hours,
            constant_across_camera=constant,
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
    zones = ZONES if stated is None else (stated, *ZONES)
    residual = min((clock_zone - zone for zone in zones), key=abs)
    offset = (stated if stated is not None else ZONES[0]) - clock_zone
    return _Skew(item, offset, residual)


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
