"""The photos of the synthetic leak: detainee photos, camp photos and their published copies.

The real leak holds thousands of intake photos named `<date>_<time>_<ID number>.jpg`, so a
photo can be tied to a register row by its name alone; the camp photos carry full camera EXIF
(serials, GPS, thumbnails), which is what photo checks read. Images are abstract (gradients,
blocks, noise, a label) and never depict a person. Only camp photos carry planted anomalies;
every other photo tells a consistent story, so a check firing on one of them is a false positive.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import piexif
from PIL import Image, ImageDraw, ImageFilter, ImageOps

from veracity.synth._common import (
    FIXED_NOW,
    SynthConfig,
    Truth,
    abstract_image,
    jpeg_bytes,
    reference_path,
    relpath,
    set_times,
    stream,
)
from veracity.synth._exif import (
    BEIJING_OFFSET,
    OUTLIER_POINT,
    SITES,
    Camera,
    Shot,
    Site,
    distance_m,
    exif_bytes,
    file_name,
    make_cameras,
    near,
    thumbnail_jpeg,
)
from veracity.synth.population import Person, county_of

DETAINEE_SIZE = (480, 640)  # portrait, as intake photos are
CAMP_SIZE = (1600, 1200)
FIRST_PHOTO_DAY = date(2018, 1, 1)
LAST_PHOTO_DAY = date(2018, 7, 31)
EDITOR = "Adobe Photoshop CC 2017 (Windows)"
EDITOR_QUALITY = 80  # no camera uses it, so the edited file's quantization tables stand out
GPS_OFFSET_HOURS = 9
SITE_RADIUS_M = 250.0
#: Planted on one camp photo each, in this order.
CAMP_ANOMALIES = (
    "photo_edited_software",
    "photo_thumbnail_mismatch",
    "photo_gps_time_offset",
    "photo_gps_outlier",
)
#: "Earlier published" copies carry a later, unrelated file date.
PUBLISHED_AT = datetime(2022, 5, 24, 12, 0, 0)


def camp_photo_count(config: SynthConfig) -> int:
    """The camp share of `config.photos`; enough for two cameras and four anomalies."""
    return max(12, config.photos // 8)


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S")


# --- detainee photos ------------------------------------------------------------------------


def write_detainee_photos(
    out: Path, people: Sequence[Person], config: SynthConfig, truth: Truth
) -> list[Path]:
    """One intake photo per chosen person in `OUT/photos/<yyyy-mm>/<timestamp>_<ID>.jpg`.

    Most detained people are photographed (those detained before 2018 at some time in
    Jan–Jul 2018, the others within a month of detention); a few who are not detained are too,
    as stations photographed visitors. All photos of a county come from its one or two bodies.
    """
    rng = stream(config.seed, "photos", "detainee")
    budget = max(0, config.photos - camp_photo_count(config))
    stations: dict[str, list[Camera]] = {}
    paths: list[Path] = []
    records = []
    for seq, (person, taken_at) in enumerate(_choose_subjects(rng, people, budget), 1):
        county = county_of(person).code  # where they are held, not where the ID was issued
        if county not in stations:
            station_rng = stream(config.seed, "photos", "station", county)
            count = station_rng.choice((1, 2))
            stations[county] = make_cameras(station_rng, count, station=True)
        camera = rng.choice(stations[county])
        shot = Shot(taken_at, *DETAINEE_SIZE, subsec=f"{rng.randrange(100):02d}")
        img_rng = stream(config.seed, "photos", "detainee", person.key)
        img = _scene(img_rng, *DETAINEE_SIZE, label=f"{seq:05d}")
        name = f"{taken_at:%Y%m%d_%H%M%S}_{person.id_number}.jpg"
        path = out / "photos" / f"{taken_at:%Y-%m}" / name
        _write(path, _encode(img, camera, shot), taken_at)
        paths.append(path)
        records.append(
            {"path": relpath(out, path), "id_number": person.id_number,
             "person_key": person.key, "taken_at": _iso(taken_at), "make": camera.make,
             "model": camera.model, "serial": camera.serial, "county_code": county}
        )  # fmt: skip
    truth.sections["detainee_photos"] = records
    return paths


def _choose_subjects(
    rng: random.Random, people: Sequence[Person], budget: int
) -> list[tuple[Person, datetime]]:
    eligible = [p for p in people if p.detention_start and p.detention_start <= LAST_PHOTO_DAY]
    others = [p for p in people if not p.is_detained]
    n_others = min(len(others), budget // 20)
    n_detained = min(len(eligible), budget - n_others)
    picked = rng.sample(eligible, n_detained) + rng.sample(others, n_others)
    timed = [(p, _photo_time(rng, p)) for p in picked]
    return sorted(timed, key=lambda pair: (pair[1], pair[0].key))


def _photo_time(rng: random.Random, person: Person) -> datetime:
    start = person.detention_start
    if start is not None and start >= FIRST_PHOTO_DAY:
        day = min(start + timedelta(days=rng.randrange(31)), LAST_PHOTO_DAY)
    else:
        day = FIRST_PHOTO_DAY + timedelta(
            days=rng.randrange((LAST_PHOTO_DAY - FIRST_PHOTO_DAY).days)
        )
    return datetime.combine(day, time(9)) + timedelta(seconds=rng.randrange(10 * 3600))


# --- camp photos ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _CampPlan:
    """One camp photo before it is drawn: who took it, where, when, and what is wrong with it."""

    camera: Camera
    site: Site
    number: int
    shot: Shot
    anomaly: str | None = None


def write_camp_photos(out: Path, config: SynthConfig, truth: Truth) -> list[Path]:
    """Series from 2–3 cameras at the facility sites, in `OUT/camp/<site folder>/`.

    Also writes the sites to `OUT.reference/sites.geojson` and plants one photo of each kind in
    `CAMP_ANOMALIES`.
    """
    rng = stream(config.seed, "photos", "camp")
    count = camp_photo_count(config)
    cameras = make_cameras(rng, 3 if count >= 15 else 2)
    plans = _plan_series(rng, cameras, count)
    plans = _plant_anomalies(rng, plans)
    paths: list[Path] = []
    records = []
    for index, plan in enumerate(plans):
        img_rng = stream(config.seed, "photos", "camp", str(index))
        path = out / "camp" / plan.site.folder / file_name(plan.camera, plan.number)
        _write(path, _render_camp(img_rng, plan), plan.shot.modified_at or plan.shot.taken_at)
        paths.append(path)
        records.append(_camp_record(out, path, plan))
        if plan.anomaly is not None:
            truth.add(relpath(out, path), None, plan.anomaly, **_anomaly_detail(plan))
    truth.sections["camp_photos"] = records
    _write_sites(out, truth)
    return paths


def _plan_series(rng: random.Random, cameras: Sequence[Camera], count: int) -> list[_CampPlan]:
    """Each camera shoots at one site over a few days: names and times both increase."""
    plans = []
    for c, camera in enumerate(cameras):
        site = SITES[c % len(SITES)]
        n = count // len(cameras) + (1 if c < count % len(cameras) else 0)
        first_day = date(2018, rng.randint(3, 6), rng.randint(1, 28))
        days = rng.randint(2, 5)
        seconds = sorted(
            rng.randrange(days) * 86400 + rng.randrange(int(8.5 * 3600), 19 * 3600)
            for _ in range(n)
        )
        number = camera.first_number
        for k, offset in enumerate(seconds):
            taken_at = datetime.combine(first_day, time()) + timedelta(seconds=offset + k)
            number += 1 if rng.random() < 0.85 else rng.randint(2, 4)  # deleted frames
            gps_time = taken_at - BEIJING_OFFSET + timedelta(seconds=rng.randint(-2, 2))
            shot = Shot(
                taken_at, *CAMP_SIZE, subsec=f"{rng.randrange(100):02d}",
                orientation=6 if rng.random() < 0.1 else 1,
                gps=near(rng, site, SITE_RADIUS_M), gps_time=gps_time,
            )  # fmt: skip
            plans.append(_CampPlan(camera, site, number, shot))
    return plans


def _plant_anomalies(rng: random.Random, plans: list[_CampPlan]) -> list[_CampPlan]:
    """One photo per anomaly kind, never a camera's first photo (its series must look normal)."""
    candidates = [i for i in range(1, len(plans)) if plans[i - 1].camera == plans[i].camera]
    planted = list(plans)
    for index, kind in zip(
        rng.sample(candidates, len(CAMP_ANOMALIES)), CAMP_ANOMALIES, strict=True
    ):
        shot = plans[index].shot
        if kind == "photo_edited_software":
            days = rng.randint(3, 30)  # saved again at an office hour, days later
            later = datetime.combine(shot.taken_at.date() + timedelta(days=days), time(9))
            later += timedelta(seconds=rng.randrange(12 * 3600))
            shot = replace(shot, software=EDITOR, modified_at=min(later, FIXED_NOW))
        elif kind == "photo_gps_time_offset":
            assert shot.gps_time is not None
            skew = timedelta(hours=rng.choice((-1, 1)) * GPS_OFFSET_HOURS)
            shot = replace(shot, gps_time=shot.gps_time + skew)
        elif kind == "photo_gps_outlier":
            shot = replace(shot, gps=near(rng, OUTLIER_POINT, SITE_RADIUS_M))
        planted[index] = replace(plans[index], shot=shot, anomaly=kind)
    return planted


def _render_camp(rng: random.Random, plan: _CampPlan) -> bytes:
    shot, camera = plan.shot, plan.camera
    img = _scene(rng, shot.width, shot.height, label=file_name(camera, plan.number))
    thumb_source = img
    quality, subsampling = camera.quality, camera.subsampling
    if plan.anomaly == "photo_edited_software":
        _retouch(rng, img)
        quality, subsampling = EDITOR_QUALITY, 0
    elif plan.anomaly == "photo_thumbnail_mismatch":
        thumb_source = _different_scene(rng, img)
    exif = exif_bytes(camera, shot, thumbnail_jpeg(thumb_source))
    return jpeg_bytes(img, quality, subsampling=subsampling, exif=exif)


def _scene(rng: random.Random, width: int, height: int, label: str = "") -> Image.Image:
    """Colour blotches, noise and a few blocks: distinct from any other scene to a perceptual
    hash, so the only near-duplicates in a synthetic leak are the ones the truth lists."""
    blotches = Image.frombytes("L", (8, 8), rng.randbytes(8 * 8))
    dark, light = (tuple(rng.randrange(a, a + 90) for _ in range(3)) for a in (20, 140))
    field = ImageOps.colorize(
        blotches.resize((width, height), Image.Resampling.BICUBIC), dark, light
    )
    img = Image.blend(abstract_image(rng, width, height), field, 0.6)
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(2, 5)):
        x0, y0 = rng.randrange(width - width // 8), rng.randrange(height - height // 8)
        x1 = min(width, x0 + rng.randrange(width // 10, width // 3))
        y1 = min(height, y0 + rng.randrange(height // 10, height // 2))
        draw.rectangle((x0, y0, x1, y1), fill=tuple(rng.randrange(30, 230) for _ in range(3)))
    if label:
        draw.text((width // 40, height // 40), label, fill=(255, 255, 255), font_size=height // 20)
    return img


def _retouch(rng: random.Random, img: Image.Image) -> None:
    """What the 'editor' did: a soft patch painted over part of the picture."""
    w, h = img.size
    box = (
        rng.randrange(w // 2),
        rng.randrange(h // 2),
        rng.randrange(w // 2, w),
        rng.randrange(h // 2, h),
    )
    patch = img.crop(box).filter(ImageFilter.GaussianBlur(12))
    img.paste(patch, box[:2])


def _different_scene(rng: random.Random, img: Image.Image) -> Image.Image:
    """Another picture whose 8x8 average hash differs from `img`'s in at least 20 bits."""
    target = _average_hash(img)
    for _ in range(100):
        other = _scene(rng, *img.size)
        if bin(_average_hash(other) ^ target).count("1") >= 20:
            return other
    return img.rotate(180)  # never reached in practice; still a different picture to a hash


def _average_hash(img: Image.Image) -> int:
    small = img.convert("L").resize((8, 8), Image.Resampling.BOX)
    values = list(small.getdata())
    mean = sum(values) / len(values)
    return sum(1 << i for i, v in enumerate(values) if v > mean)


def _camp_record(out: Path, path: Path, plan: _CampPlan) -> dict[str, object]:
    shot, camera = plan.shot, plan.camera
    assert shot.gps is not None and shot.gps_time is not None
    return {
        "path": relpath(out, path), "make": camera.make, "model": camera.model,
        "serial": camera.serial, "taken_at": _iso(shot.taken_at), "site": plan.site.key,
        "gps": {"lat": shot.gps.lat, "lon": shot.gps.lon, "alt": shot.gps.alt},
        "gps_time": _iso(shot.gps_time) + "Z", "software": shot.software or camera.firmware,
        "orientation": shot.orientation, "width": shot.width, "height": shot.height,
    }  # fmt: skip


def _anomaly_detail(plan: _CampPlan) -> dict[str, object]:
    shot = plan.shot
    assert shot.gps is not None and shot.gps_time is not None
    if plan.anomaly == "photo_edited_software":
        assert shot.modified_at is not None
        return {
            "software": EDITOR,
            "modified": _iso(shot.modified_at),
            "taken_at": _iso(shot.taken_at),
        }
    if plan.anomaly == "photo_gps_time_offset":
        local_as_utc = shot.taken_at - BEIJING_OFFSET
        hours = round((shot.gps_time - local_as_utc).total_seconds() / 3600, 2)
        return {"offset_hours": hours, "gps_time": _iso(shot.gps_time) + "Z"}
    if plan.anomaly == "photo_gps_outlier":
        return {
            "distance_km": round(distance_m(shot.gps, plan.site) / 1000, 1),
            "site": plan.site.key,
        }
    return {"thumbnail": "of a different picture"}


def _write_sites(out: Path, truth: Truth) -> None:
    """The facility points, in the truth and as GeoJSON for `veracity verify --sites`."""
    sites = [
        {"key": s.key, "name": s.name, "folder": f"camp/{s.folder}", "county_code": s.county_code,
         "lat": s.lat, "lon": s.lon, "alt": s.alt}
        for s in SITES
    ]  # fmt: skip
    truth.sections["sites"] = sites
    features = [
        {"type": "Feature",
         "geometry": {"type": "Point", "coordinates": [s["lon"], s["lat"], s["alt"]]},
         "properties": {k: s[k] for k in ("key", "name", "county_code")} | {"synthetic": True}}
        for s in sites
    ]  # fmt: skip
    target = reference_path(out) / "sites.geojson"
    target.parent.mkdir(parents=True, exist_ok=True)
    body = {"type": "FeatureCollection", "features": features}
    target.write_text(json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    set_times(target, PUBLISHED_AT)


# --- reference copies -----------------------------------------------------------------------


def write_reference_photos(
    out: Path, leak_photos: Sequence[Path], config: SynthConfig, truth: Truth
) -> list[Path]:
    """Near-duplicates of a few leak photos, as a news site would have published them.

    Written to `OUT.reference/photos/`; `reference_path` in the truth is relative to
    `OUT.reference/`. Transforms: `strip_metadata` (EXIF segment removed, pixels identical),
    `reencode_q<Q>` and `resize_<W>x<H>_q<Q>` (decoded and saved again, which drops EXIF too).
    Photos stored rotated (Orientation ≠ 1) are not used, so pixels line up without rotating.
    """
    rng = stream(config.seed, "photos", "reference")
    candidates = sorted(
        (p for p in leak_photos if _orientation(p) == 1), key=lambda p: relpath(out, p)
    )
    chosen = rng.sample(candidates, min(len(candidates), max(3, min(12, len(candidates) // 40))))
    root = reference_path(out)
    paths, records = [], []
    for i, source in enumerate(chosen):
        data, transform = _near_duplicate(rng, source.read_bytes(), i % 3)
        target = root / "photos" / f"published_{i + 1:02d}.jpg"
        _write(target, data, PUBLISHED_AT)
        paths.append(target)
        records.append(
            {"leak_path": relpath(out, source), "reference_path": relpath(root, target),
             "transform": transform}
        )  # fmt: skip
    truth.sections["near_duplicates"] = records
    return paths


def _near_duplicate(rng: random.Random, data: bytes, variant: int) -> tuple[bytes, str]:
    if variant == 0:
        stripped = io.BytesIO()
        piexif.remove(data, stripped)
        return stripped.getvalue(), "strip_metadata"
    img = Image.open(io.BytesIO(data))
    quality = rng.randrange(60, 80)
    if variant == 1:
        return jpeg_bytes(img, quality), f"reencode_q{quality}"
    scale = rng.choice((0.5, 0.6, 0.75))
    size = (round(img.width * scale), round(img.height * scale))
    resized = img.resize(size, Image.Resampling.LANCZOS)
    return jpeg_bytes(resized, quality), f"resize_{size[0]}x{size[1]}_q{quality}"


def _orientation(path: Path) -> int:
    with Image.open(path) as img:
        return int(img.getexif().get(0x0112, 1))


# --- shared ---------------------------------------------------------------------------------


def _encode(img: Image.Image, camera: Camera, shot: Shot) -> bytes:
    exif = exif_bytes(camera, shot)
    return jpeg_bytes(img, camera.quality, subsampling=camera.subsampling, exif=exif)


def _write(path: Path, data: bytes, when: datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    set_times(path, when)
