"""photo_gps_outlier: a camera's photos, one or many, far from where it took most of them."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from veracity.verify._geo import Point, distance_km, point_of
from veracity.verify.base import Check, Finding
from veracity.verify.checks.photo_gps_clusters import (
    FAR_FROM_SITES_KM,
    Site,
    clusters,
    load_sites,
)
from veracity.verify.checks.photo_gps_time import camera_key
from veracity.verify.view import CaseView, FileView

#: A camera needs this many photos with GPS before one of them can stand out.
MIN_PHOTOS = 3
#: Kilometres from the camera's median position and from its nearest other photo.
MAX_DISTANCE_KM = 50.0


class PhotoGpsOutlier(Check):
    """Per camera (make, model, serial), photos over 50 km from where it took most of its
    photos: its positions are grouped (a chain of hops under 50 km is one place), and every
    place but the one holding most photos is reported — a lone photo or a whole group of them.

    A series shot at one facility that contains photos from elsewhere suggests photos slipped
    into the series, or GPS data copied in. With `--sites`, a group at a known site (within
    5 km) is `info`: the camera went there. A camera whose places hold as many photos each
    has no main place and is not judged. False positives: a camera that really travelled.
    """

    NAME = "photo_gps_outlier"
    SCOPE = "collection"
    NEEDS = frozenset({"images"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        cameras: dict[tuple[str, ...], list[tuple[FileView, Point]]] = defaultdict(list)
        for item in view.images():
            point = point_of(item.metadata.get("gps"))
            if point is not None:
                cameras[camera_key(item)].append((item, point))
        sites_file = view.options.get("sites")
        sites = load_sites(Path(sites_file)) if sites_file is not None else []
        for key, photos in cameras.items():
            if len(photos) < MIN_PHOTOS:
                continue
            groups = clusters([p for _, p in photos], link_m=MAX_DISTANCE_KM * 1000)
            if len(groups) < 2 or len(groups[0]) == len(groups[1]):
                continue  # one place, or no place holding most photos
            main = [photos[i][1] for i in groups[0]]
            median = (statistics.median(p[0] for p in main), statistics.median(p[1] for p in main))
            for group in groups[1:]:
                yield from self._group(key, [photos[i] for i in group], median, len(photos), sites)

    def _group(
        self,
        key: tuple[str, ...],
        members: list[tuple[FileView, Point]],
        median: Point,
        total: int,
        sites: list[Site],
    ) -> Iterator[Finding]:
        centre = (
            sum(p[0] for _, p in members) / len(members),
            sum(p[1] for _, p in members) / len(members),
        )
        site = min(((distance_km(centre, (s.lat, s.lon)), s) for s in sites), default=None)
        known = site is not None and site[0] <= FAR_FROM_SITES_KM
        for item, point in members:
            from_median = distance_km(point, median)
            together = f"one of {len(members)} photos together" if len(members) > 1 else "a photo"
            message = f"{together} {from_median:.0f} km from where its camera took most photos"
            if known and site is not None:
                message += f", at the known site {site[1].name}"
            yield self.finding(
                "info" if known else "warning",
                item.path,
                None,
                message,
                distance_km=round(from_median, 1),
                group_photos=len(members),
                camera=dict(zip(("make", "model", "serial"), key, strict=True)),
                camera_photos=total,
                gps={"lat": point[0], "lon": point[1]},
                camera_median={"lat": round(median[0], 6), "lon": round(median[1], 6)},
                known_site=site[1].name if known and site is not None else None,
            )
