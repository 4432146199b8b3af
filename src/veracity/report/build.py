"""Gathering the report's figures from the case: counts, findings per check, cameras, GPS points.

Everything is read through the store's typed methods and `CaseView`, never SQL, so the report
shows exactly what `veracity verify` stored. When the case holds no findings at all, the
checks are run first (a report of an unverified case would say nothing); otherwise the stored
findings are read as they are and the report says so.
"""

from __future__ import annotations

import inspect
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from veracity.analyze.stats import compute_stats
from veracity.case import Case
from veracity.kinds import COUNT_KEYS, DOCUMENT, KINDS, PHOTO
from veracity.store import Store, open_store
from veracity.verify import CaseView, run_checks
from veracity.verify.consistency import SERIOUS, consistency
from veracity.verify.registry import CHECKS

EXAMPLES_PER_CHECK = 10


@dataclass(frozen=True)
class Headline:
    """The figures an editor reads first."""

    files: int
    paths: int
    #: distinct contents of each kind (kinds.py), as `veracity stats` counts them
    kinds: dict[str, int]
    register_rows: int
    records: int
    persons: int
    consistent_records: int
    findings: dict[str, int]  # by severity: critical, warning, info
    #: why the other records are not consistent: reason -> records (a record may have several)
    inconsistent_reasons: dict[str, int] = field(default_factory=dict)

    @property
    def photos(self) -> int:
        return self.kinds[PHOTO]

    @property
    def documents(self) -> int:
        return self.kinds[DOCUMENT]

    @property
    def consistent_percent(self) -> float:
        return 100.0 * self.consistent_records / self.records if self.records else 0.0


@dataclass(frozen=True)
class CheckSection:
    """One check: its counts, how it works in plain words, and its worst examples."""

    name: str
    explanation: str
    counts: dict[str, int]  # by severity
    total: int
    note: str | None  # skipped or failed, when the checks ran for this report
    examples: list[dict[str, Any]]


@dataclass(frozen=True)
class Camera:
    """One camera (make, model, serial) and what its photos say."""

    label: str
    make: str | None
    model: str | None
    serial: str | None
    photos: int
    first_shot: str | None
    last_shot: str | None
    quantization: list[str]  # "quality 93 · e1c815ce825f" per distinct table set


@dataclass(frozen=True)
class ReportData:
    """Everything the template shows; `chart` and `points` are inlined as JSON."""

    case_root: str
    ran_checks: bool
    headline: Headline
    checks: list[CheckSection]
    cameras: list[Camera]
    timeline: dict[str, Any] = field(default_factory=dict)  # {days, series: [{label, counts}]}
    points: list[dict[str, Any]] = field(default_factory=list)  # {lat, lon, path, camera, flagged}
    #: photo_gps_clusters' stored places: {"clusters": [{lat, lon, ...}], "sites": [...]}
    places: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: `compute_stats`, exactly what `veracity stats --json` prints (inlined as JSON)
    stats: dict[str, Any] = field(default_factory=dict)


def gather(case: Case, *, rerun: bool = False) -> ReportData:
    """The report's figures; runs the checks first when `rerun` or when none were ever stored."""
    store = open_store(case)  # a case never verified may predate the findings table
    try:
        ran = rerun or next(store.iter_findings(), None) is None
    finally:
        store.close()
    summary = run_checks(case) if ran else {}
    stats = compute_stats(case)
    store = open_store(case, migrate=False)
    try:
        return _gather(case, store, ran, summary, stats)
    finally:
        store.close()


def _gather(
    case: Case, store: Store, ran: bool, summary: dict[str, Any], stats: dict[str, Any]
) -> ReportData:
    view = CaseView(case, store)
    findings = list(store.iter_findings())
    images = list(view.images())
    flagged_paths = {str(f["path"]) for f in findings if f["severity"] in SERIOUS}
    counts = store.counts()
    rows = consistency(view, findings)
    headline = Headline(
        files=int(counts["files"]),
        paths=int(counts["paths"]),
        kinds={kind: int(stats[COUNT_KEYS[kind]]) for kind in KINDS},
        register_rows=int(counts["extraction"]["rows"]),
        records=store.count_records(),
        persons=sum(1 for _ in store.iter_person_rows()),
        consistent_records=rows.consistent,
        findings=_by_severity(findings),
        inconsistent_reasons=dict(sorted(rows.reasons.items(), key=lambda kv: -kv[1])),
    )
    cameras, timeline = _cameras(images)
    return ReportData(
        case_root=str(case.root),
        ran_checks=ran,
        headline=headline,
        checks=_sections(findings, summary),
        cameras=cameras,
        timeline=timeline,
        points=_points(images, flagged_paths),
        places=_places(findings),
        stats=stats,
    )


def _by_severity(findings: Iterable[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(str(f["severity"]) for f in findings)
    return {s: counts[s] for s in ("critical", "warning", "info")}


def _sections(findings: list[dict[str, Any]], summary: dict[str, Any]) -> list[CheckSection]:
    """One section per registered check, in registry order; findings come worst first."""
    by_check: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        by_check[str(f["check"])].append(f)
    sections = []
    for cls in CHECKS:
        mine = by_check.get(cls.NAME, [])
        result = summary.get(cls.NAME, {})
        note = result.get("skipped") or result.get("error")
        sections.append(
            CheckSection(
                name=cls.NAME,
                explanation=inspect.getdoc(cls) or "",
                counts=_by_severity(mine),
                total=len(mine),
                note=str(note) if note else None,
                examples=mine[:EXAMPLES_PER_CHECK],  # the store orders them worst first
            )
        )
    return sections


def _camera_key(meta: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    def text(key: str) -> str | None:
        value = meta.get(key)
        return str(value).strip() or None if value is not None else None

    return text("camera_make"), text("camera_model"), text("camera_serial")


def _camera_label(key: tuple[str | None, str | None, str | None]) -> str:
    make, model, serial = key
    name = " ".join(part for part in (make, model) if part) or "unknown camera"
    return f"{name} #{serial}" if serial else name


def _cameras(images: list[Any]) -> tuple[list[Camera], dict[str, Any]]:
    """The camera table and the shots-per-day series of each camera."""
    groups: dict[tuple[str | None, str | None, str | None], list[dict[str, Any]]] = defaultdict(
        list
    )
    for image in images:
        groups[_camera_key(image.metadata)].append(image.metadata)
    cameras: list[Camera] = []
    per_day: dict[str, Counter[str]] = {}
    for key, metas in sorted(groups.items(), key=lambda kv: (-len(kv[1]), _camera_label(kv[0]))):
        label = _camera_label(key)
        shots = sorted(str(m["taken_at"]) for m in metas if m.get("taken_at"))
        tables = Counter(_quantization(m) for m in metas if isinstance(m.get("quantization"), dict))
        cameras.append(
            Camera(
                label=label,
                make=key[0],
                model=key[1],
                serial=key[2],
                photos=len(metas),
                first_shot=shots[0] if shots else None,
                last_shot=shots[-1] if shots else None,
                quantization=[f"{sig} ({n})" for sig, n in tables.most_common()],
            )
        )
        if shots:
            per_day[label] = Counter(shot[:10] for shot in shots)
    days = sorted({day for counts in per_day.values() for day in counts})
    series = [{"label": label, "counts": [c[d] for d in days]} for label, c in per_day.items()]
    return cameras, {"days": days, "series": series}


def _quantization(meta: dict[str, Any]) -> str:
    table = meta["quantization"]
    quality = table.get("quality")
    digest = str(table.get("sha256") or "")[:12]
    return f"quality {quality} · {digest}" if quality is not None else digest


def _points(images: list[Any], flagged_paths: set[str]) -> list[dict[str, Any]]:
    """Every photo with a usable GPS position, flagged when a check warned about it."""
    points = []
    for image in images:
        gps = image.metadata.get("gps")
        if not isinstance(gps, dict):
            continue
        lat, lon = gps.get("lat"), gps.get("lon")
        if not isinstance(lat, int | float) or not isinstance(lon, int | float):
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        points.append(
            {
                "lat": float(lat),
                "lon": float(lon),
                "path": image.path,
                "camera": _camera_label(_camera_key(image.metadata)),
                "taken_at": image.metadata.get("taken_at"),
                "flagged": any(p in flagged_paths for p in image.paths),
            }
        )
    return points


def _places(findings: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Cluster centres and known sites as `photo_gps_clusters` stored them (no recomputing)."""
    clusters: list[dict[str, Any]] = []
    sites: list[dict[str, Any]] = []
    for f in findings:
        evidence = f["evidence"] if f["check"] == "photo_gps_clusters" else None
        if not isinstance(evidence, dict):
            continue
        sites.extend(evidence.get("sites") or ())
        centroid = evidence.get("centroid")
        if isinstance(centroid, dict):
            nearest = evidence.get("nearest_site") or {}
            clusters.append(
                {
                    "lat": centroid.get("lat"),
                    "lon": centroid.get("lon"),
                    "radius_m": evidence.get("radius_m"),
                    "photos": evidence.get("photos"),
                    "camera": " ".join(v for v in (evidence.get("camera") or {}).values() if v),
                    "first_taken": evidence.get("first_taken"),
                    "last_taken": evidence.get("last_taken"),
                    "site": nearest.get("name"),
                    "site_km": nearest.get("distance_km"),
                    "flagged": f["severity"] in SERIOUS,
                }
            )
    return {
        "clusters": [p for p in clusters if _on_earth(p.get("lat"), p.get("lon"))],
        "sites": [
            p for p in sites if isinstance(p, dict) and _on_earth(p.get("lat"), p.get("lon"))
        ],
    }


def _on_earth(lat: Any, lon: Any) -> bool:
    numbers = isinstance(lat, int | float) and isinstance(lon, int | float)
    return numbers and -90 <= lat <= 90 and -180 <= lon <= 180
