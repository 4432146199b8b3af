"""Positions of photos: a point from EXIF GPS metadata, and distances on the Earth."""

from __future__ import annotations

import math

__all__ = ["EARTH_RADIUS_KM", "Point", "distance_km", "point_of"]

EARTH_RADIUS_KM = 6371.0088

Point = tuple[float, float]


def distance_km(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def point_of(gps: object) -> Point | None:
    """(lat, lon) of a photo's `gps` metadata; None when absent, impossible or 0, 0 (an
    unset receiver writes that)."""
    if not isinstance(gps, dict):
        return None
    lat, lon = gps.get("lat"), gps.get("lon")
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return float(lat), float(lon)
