"""photo_gps_clusters: where each camera was, as clusters of GPS points, and how far from
known sites (`--sites FILE.geojson`) each cluster lies."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veracity.errors import UsageError
from veracity.types import Severity
from veracity.verify._geo import Point, distance_km, point_of
from veracity.verify.base import Check, Finding
from veracity.verify.checks.office_created_after_modified import parse_when
from veracity.verify.checks.photo_gps_time import camera_key
from veracity.verify.view import CaseView, FileView

#: Two photos of one camera less than this far apart are in the same cluster (single link).
LINK_M = 500.0
#: A cluster farther than this from every known site is one an editor must place (warning).
FAR_FROM_SITES_KM = 5.0
#: Paths listed in a cluster's evidence; the count is always complete.
MAX_LISTED_PATHS = 20
_CELL_DEG = LINK_M / 2 / 111_320.0  # grid cell: half the link distance, in degrees of latitude


@dataclass(frozen=True, order=True)
class Site:
    """One known facility from the `--sites` GeoJSON."""

    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class _Photo:
    path: str
    point: Point
    taken_at: str | None


class PhotoGpsClusters(Check):
    """Groups each camera's GPS positions into places (photos less than 500 m apart join one
    cluster) and describes each: photo count, centre, spread, first and last shot (info).

    With `--sites` (GeoJSON points of known facilities), each cluster gets its nearest site and
    distance; a cluster over 5 km from every site is a warning, since photos said to come from
    the facilities were taken somewhere no listed facility is. False positives: a sites list
    that misses a facility, and cameras that also photograph homes, roads or offices.
    """

    NAME = "photo_gps_clusters"
    SCOPE = "collection"
    NEEDS = frozenset({"images"})  # --sites is optional: it only adds distances

    def run(self, view: CaseView) -> Iterator[Finding]:
        sites_file = view.options.get("sites")
        sites = load_sites(Path(sites_file)) if sites_file is not None else None
        if sites is not None:
            yield self.finding(
                "info",
                None,
                None,
                f"{len(sites)} known sites read from {Path(str(sites_file)).name}",
                sites=[{"name": s.name, "lat": s.lat, "lon": s.lon} for s in sites],
            )
        cameras: dict[tuple[str, ...], list[_Photo]] = defaultdict(list)
        for item in view.images():
            photo = _photo(item)
            if photo is not None:
                cameras[camera_key(item)].append(photo)
        for key in sorted(cameras):
            groups = clusters([p.point for p in cameras[key]])
            for number, members in enumerate(groups, 1):
                yield self._describe(key, number, [cameras[key][i] for i in members], sites)

    def _describe(
        self, key: tuple[str, ...], number: int, photos: list[_Photo], sites: list[Site] | None
    ) -> Finding:
        lat = sum(p.point[0] for p in photos) / len(photos)
        lon = sum(p.point[1] for p in photos) / len(photos)
        radius_m = max(distance_km(p.point, (lat, lon)) for p in photos) * 1000
        times = sorted(t for p in photos if (t := p.taken_at))
        label = " ".join(k for k in key if k) or "photos without camera EXIF"
        evidence: dict[str, Any] = {
            "camera": dict(zip(("make", "model", "serial"), key, strict=True)),
            "cluster": number,
            "photos": len(photos),
            "centroid": {"lat": round(lat, 6), "lon": round(lon, 6)},
            "radius_m": round(radius_m),
            "first_taken": times[0] if times else None,
            "last_taken": times[-1] if times else None,
            "paths": sorted(p.path for p in photos)[:MAX_LISTED_PATHS],
        }
        count = f"{len(photos)} photos" if len(photos) > 1 else "1 photo"
        where = f"{lat:.5f}, {lon:.5f}"
        message = f"{label}, place {number}: {count} within {radius_m:.0f} m of {where}"
        severity: Severity = "info"
        if sites:
            km, site = min((distance_km((lat, lon), (s.lat, s.lon)), s) for s in sites)
            evidence["nearest_site"] = {
                "name": site.name,
                "lat": site.lat,
                "lon": site.lon,
                "distance_km": round(km, 2),
            }
            message += f"; {km:.1f} km from {site.name}"
            if km > FAR_FROM_SITES_KM:
                severity = "warning"
                message += f", over {FAR_FROM_SITES_KM:g} km from every known site"
        # one photo: its own path, so the editor can open it; several: the list is in evidence
        path = photos[0].path if len(photos) == 1 else None
        return self.finding(severity, path, None, message, **evidence)


def clusters(points: list[Point], link_m: float = LINK_M) -> list[list[int]]:
    """Single-link clusters: indices of points joined by chains of hops under `link_m`.

    Points go into grid cells half the link distance wide, so points sharing a cell are always
    linked and only neighbouring cells are compared (stopping at the first close pair): a
    camera's thousand photos at one site cost a few comparisons, not a million. Clusters come
    largest first, then by their first point, so the numbering is deterministic.
    """
    cell_deg = _CELL_DEG * link_m / LINK_M
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (lat, lon) in enumerate(points):
        scale = max(math.cos(math.radians(lat)), 0.01)  # a degree of longitude shrinks
        cells[(math.floor(lat / cell_deg), math.floor(lon * scale / cell_deg))].append(i)
    parent = {cell: cell for cell in cells}

    def root(cell: tuple[int, int]) -> tuple[int, int]:
        while parent[cell] != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    for (y, x), members in cells.items():
        for dy in range(-2, 3):
            for dx in range(-2, 3):
                other = (y + dy, x + dx)
                if other <= (y, x) or other not in cells or root(other) == root((y, x)):
                    continue
                if _any_close(points, members, cells[other], link_m / 1000):
                    parent[root(other)] = root((y, x))
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for cell, members in cells.items():
        groups[root(cell)].extend(members)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))


def _any_close(points: list[Point], a: list[int], b: list[int], limit_km: float) -> bool:
    return any(distance_km(points[i], points[j]) < limit_km for i in a for j in b)


def _photo(item: FileView) -> _Photo | None:
    point = point_of(item.metadata.get("gps"))
    if point is None:
        return None
    taken = parse_when(item.metadata.get("taken_at"))
    return _Photo(item.path, point, taken.isoformat() if taken else None)


def load_sites(path: Path) -> list[Site]:
    """The Point features of a GeoJSON FeatureCollection, each named by its properties.

    Raises `UsageError` naming the file and the feature when the file is not what `--sites`
    needs, rather than letting a bad file pass as "far from everything".
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"--sites {path}: not a readable GeoJSON file ({exc})") from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise UsageError(f"--sites {path}: not a GeoJSON FeatureCollection (no 'features' list)")
    sites = [_site(path, n, feature) for n, feature in enumerate(features)]
    if not sites:
        raise UsageError(f"--sites {path}: the FeatureCollection has no features")
    return sites


def _site(path: Path, number: int, feature: object) -> Site:
    where = f"--sites {path}: feature {number}"
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        raise UsageError(f"{where}: only Point geometries are supported")
    coordinates = geometry.get("coordinates")
    if (
        not isinstance(coordinates, list)
        or len(coordinates) < 2
        or not all(isinstance(c, int | float) and math.isfinite(c) for c in coordinates[:2])
    ):
        raise UsageError(f"{where}: coordinates must be [longitude, latitude] numbers")
    lon, lat = float(coordinates[0]), float(coordinates[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise UsageError(f"{where}: [{lon}, {lat}] is not a [longitude, latitude] on Earth")
    properties = feature.get("properties") if isinstance(feature, dict) else None
    name = _name(properties) or f"site {number}"
    return Site(name, lat, lon)


def _name(properties: object) -> str | None:
    if not isinstance(properties, dict):
        return None
    for key in ("name", "Name", "NAME", "title", "key", "id"):
        value = properties.get(key)
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()
    return None
