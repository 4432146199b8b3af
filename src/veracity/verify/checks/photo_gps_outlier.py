"""photo_gps_outlier: a photo far from every other place its camera was."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterator

from veracity.verify.base import Check, Finding
from veracity.verify.checks.photo_gps_time import camera_key
from veracity.verify.view import CaseView, FileView

#: A camera needs this many photos with GPS before one of them can stand out.
MIN_PHOTOS = 3
#: Kilometres from the camera's median position and from its nearest other photo.
MAX_DISTANCE_KM = 50.0
EARTH_RADIUS_KM = 6371.0088

Point = tuple[float, float]


class PhotoGpsOutlier(Check):
    """Per camera (make, model, serial), a photo over 50 km from the camera's median position
    and from each of its other photos.

    A series shot at one facility that contains one photo from elsewhere suggests a photo
    slipped into the series, or GPS data copied in. False positives: a camera that really
    travelled and took a single picture on the way.
    """

    NAME = "photo_gps_outlier"
    SCOPE = "collection"
    NEEDS = frozenset({"images"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        cameras: dict[tuple[str, ...], list[tuple[FileView, Point]]] = defaultdict(list)
        for item in view.images():
            point = _point(item.metadata.get("gps"))
            if point is not None:
                cameras[camera_key(item)].append((item, point))
        for key, photos in cameras.items():
            if len(photos) < MIN_PHOTOS:
                continue
            median = (
                statistics.median(p[0] for _, p in photos),
                statistics.median(p[1] for _, p in photos),
            )
            for i, (item, point) in enumerate(photos):
                from_median = distance_km(point, median)
                nearest = min(distance_km(point, p) for j, (_, p) in enumerate(photos) if j != i)
                if min(from_median, nearest) <= MAX_DISTANCE_KM:
                    continue
                yield self.finding(
                    "warning",
                    item.path,
                    None,
                    f"{from_median:.0f} km from where its camera took its other photos",
                    distance_km=round(from_median, 1),
                    nearest_other_km=round(nearest, 1),
                    camera=dict(zip(("make", "model", "serial"), key, strict=True)),
                    camera_photos=len(photos),
                    gps={"lat": point[0], "lon": point[1]},
                    camera_median={"lat": round(median[0], 6), "lon": round(median[1], 6)},
                )


def distance_km(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def _point(gps: object) -> Point | None:
    if not isinstance(gps, dict):
        return None
    lat, lon = gps.get("lat"), gps.get("lon")
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return float(lat), float(lon)
