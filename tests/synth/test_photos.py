"""The synthetic photos, read back with ExifTool (the oracle) and Pillow.

One small leak is generated per module: every camp photo must carry what the truth says, the
planted anomalies must really be in the files, and everything else must be clean.
"""

from __future__ import annotations

import base64
import io
import json
import math
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PIL.JpegImagePlugin import JpegImageFile

from veracity.synth._common import SynthConfig, Truth, reference_path
from veracity.synth.photos import (
    CAMP_ANOMALIES,
    EDITOR,
    camp_photo_count,
    write_camp_photos,
    write_detainee_photos,
    write_reference_photos,
)
from veracity.synth.population import Person

CONFIG = SynthConfig(seed=11, photos=40)
NAME = re.compile(r"^(\d{8})_(\d{6})_(\d{17}[\dX])\.jpg$")


def check_character(body: str) -> str:
    """GB 11643-1999: weights 2^(17-i) mod 11 over the first 17 digits."""
    return "10X98765432"[sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(body)) % 11]


def id_number(county: str, born: date, sequence: int, male: bool) -> str:
    """A valid ID number (odd sequence digit for men)."""
    body = f"{county}{born:%Y%m%d}{sequence:02d}{1 if male else 2}"
    return body + check_character(body)


def is_valid_id(number: str) -> bool:
    return len(number) == 18 and check_character(number[:17]) == number[17]


def make_people() -> list[Person]:
    """50 residents in two counties: detained in 2017, in early 2018, after July 2018, or not."""
    people = []
    for i in range(50):
        kind = i % 5
        start = {0: date(2017, 4 + i % 8, 9), 1: date(2018, 1 + i % 7, 20), 2: date(2018, 8, 5)}
        detained = start.get(kind)
        county = "653121" if i % 2 else "654027"
        born = date(1960 + i, 1 + i % 12, 1 + i % 28)
        people.append(
            Person(
                key=f"P{i:06d}",
                id_number=id_number(county, born, i, i % 2 == 0),
                given_name_zh="阿卜杜",
                father_name_zh="艾山",
                given_name_latin="Abdu",
                father_name_latin="Hesen",
                sex="男" if i % 2 == 0 else "女",
                ethnicity="维吾尔族",
                birth_date=born,
                county_code=county,
                village="一村",
                address=f"{'疏附县' if county == '653121' else '特克斯县'}一村{i}号",
                status="教培" if detained else "正常",
                detention_start=detained,
                facility="疏附县职业技能教育培训中心" if detained else None,
                building=None,
                cell=None,
                sentence_months=None,
                reason=None,
            )
        )
    return people


@dataclass
class Leak:
    out: Path
    truth: Truth
    detainee: list[Path]
    camp: list[Path]
    reference: list[Path]


def generate(root: Path, config: SynthConfig = CONFIG) -> Leak:
    out = root / "leak"
    truth = Truth(seed=config.seed)
    detainee = write_detainee_photos(out, make_people(), config, truth)
    camp = write_camp_photos(out, config, truth)
    reference = write_reference_photos(out, detainee + camp, config, truth)
    return Leak(out, truth, detainee, camp, reference)


@pytest.fixture(scope="module")
def leak(tmp_path_factory: pytest.TempPathFactory) -> Leak:
    return generate(tmp_path_factory.mktemp("photos"))


def run_exiftool(*args: str) -> list[dict[str, Any]]:
    if shutil.which("exiftool") is None:
        pytest.skip("exiftool is not installed (Debian package libimage-exiftool-perl)")
    result = subprocess.run(["exiftool", "-j", *args], capture_output=True, check=True, text=True)
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


@pytest.fixture(scope="module")
def tags(leak: Leak) -> dict[str, dict[str, Any]]:
    """ExifTool's numeric, grouped tags of every leak photo, by path relative to the leak."""
    files = [str(p) for p in leak.detainee + leak.camp]
    return {
        Path(r["SourceFile"]).relative_to(leak.out).as_posix(): r
        for r in run_exiftool("-n", "-G1", *files)
    }


@pytest.fixture(scope="module")
def thumbnails(leak: Leak) -> dict[str, Image.Image]:
    """The IFD1 thumbnail of every camp photo, extracted by ExifTool."""
    rows = run_exiftool("-b", "-ThumbnailImage", *(str(p) for p in leak.camp))
    return {
        Path(r["SourceFile"]).relative_to(leak.out).as_posix(): Image.open(
            io.BytesIO(base64.b64decode(r["ThumbnailImage"].removeprefix("base64:")))
        )
        for r in rows
    }


def load(path: Path) -> Image.Image:
    """A decoded copy, with the file closed (warnings are errors here)."""
    with Image.open(path) as img:
        img.load()
        copy: Image.Image = img.copy()
        return copy


def quantization(path: Path) -> str:
    with Image.open(path) as img:
        assert isinstance(img, JpegImageFile)
        return json.dumps(img.quantization, default=list)


def average_hash(img: Image.Image) -> int:
    small = img.convert("L").resize((8, 8), Image.Resampling.BOX)
    values = list(small.getdata())
    mean = sum(values) / 64
    return sum(1 << i for i, v in enumerate(values) if v > mean)


def hash_distance(a: Image.Image, b: Image.Image) -> int:
    return bin(average_hash(a) ^ average_hash(b)).count("1")


def exif_time(value: str) -> datetime:
    return datetime.strptime(value, "%Y:%m:%d %H:%M:%S")


def gps_time(row: dict[str, Any]) -> datetime:
    return datetime.strptime(
        f"{row['GPS:GPSDateStamp']} {row['GPS:GPSTimeStamp']}", "%Y:%m:%d %H:%M:%S"
    )


def km(a: dict[str, float], b: dict[str, float]) -> float:
    p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b["lon"] - a["lon"]) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def planted(leak: Leak, kind: str) -> list[str]:
    return [a.path for a in leak.truth.anomalies if a.kind == kind]


def camp_records(leak: Leak) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = leak.truth.sections["camp_photos"]
    return records


def all_files(root: Path) -> Iterator[Path]:
    return (p for p in sorted(root.rglob("*")) if p.is_file())


# --- every photo -----------------------------------------------------------------------------


def test_every_jpeg_decodes_with_pillow(leak: Leak) -> None:
    photos = leak.detainee + leak.camp + leak.reference
    assert len(photos) == len(set(photos))
    for path in photos:
        with Image.open(path) as img:
            assert img.format == "JPEG"
            img.load()


def test_photo_budget_is_shared_by_detainee_and_camp_photos(leak: Leak, tmp_path: Path) -> None:
    assert len(leak.camp) == camp_photo_count(CONFIG)
    assert len(leak.detainee) <= CONFIG.photos - camp_photo_count(CONFIG)
    small = SynthConfig(seed=3, photos=20)
    truth = Truth(seed=3)
    photos = write_detainee_photos(tmp_path / "leak", make_people(), small, truth)
    assert len(photos) == 20 - camp_photo_count(small)


def test_no_two_photos_look_alike_except_listed_near_duplicates(leak: Leak) -> None:
    hashes = [average_hash(load(p)) for p in leak.detainee + leak.camp]
    close = [
        (i, j)
        for i in range(len(hashes))
        for j in range(i)
        if bin(hashes[i] ^ hashes[j]).count("1") <= 8
    ]
    assert close == []


# --- detainee photos -------------------------------------------------------------------------


def test_detainee_photo_names_carry_valid_ids_of_the_people(leak: Leak) -> None:
    by_id = {p.id_number: p for p in make_people()}
    for path in leak.detainee:
        match = NAME.match(path.name)
        assert match, path.name
        taken_at = datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S")
        assert is_valid_id(match[3]) and match[3] in by_id
        assert path.parent.name == f"{taken_at:%Y-%m}"
        assert datetime(2018, 1, 1) <= taken_at < datetime(2018, 8, 1)
        start = by_id[match[3]].detention_start
        if start is not None and start >= date(2018, 1, 1):
            assert start <= taken_at.date() <= start + timedelta(days=31)


def test_detainee_photos_cover_the_detained_and_few_others(leak: Leak) -> None:
    people = {p.key: p for p in make_people()}
    records = leak.truth.sections["detainee_photos"]
    keys = [r["person_key"] for r in records]
    assert len(keys) == len(set(keys)) == len(leak.detainee)
    late = {
        k for k, p in people.items() if p.detention_start and p.detention_start > date(2018, 7, 31)
    }
    on_time = {k for k, p in people.items() if p.detention_start and k not in late}
    assert not late & set(keys)
    assert on_time <= set(keys)  # the budget (28) covers all 20 of them
    assert 0 < len(set(keys) - on_time) <= 2
    for record in records:
        assert people[record["person_key"]].id_number == record["id_number"]


def test_detainee_exif_is_the_station_camera_without_gps(
    leak: Leak, tags: dict[str, dict[str, Any]]
) -> None:
    serials: dict[str, set[str]] = defaultdict(set)
    for record in leak.truth.sections["detainee_photos"]:
        row = tags[record["path"]]
        assert row["IFD0:Make"] == record["make"] == "Canon"
        assert row["IFD0:Model"] == record["model"]
        assert str(row["ExifIFD:SerialNumber"]) == record["serial"]
        assert exif_time(row["ExifIFD:DateTimeOriginal"]).isoformat() == record["taken_at"]
        assert (row["File:ImageWidth"], row["File:ImageHeight"]) == (480, 640)
        assert not any(key.startswith("GPS:") for key in row)
        serials[record["county_code"]].add(record["serial"])
    assert len(serials) == 2 and all(1 <= len(s) <= 2 for s in serials.values())


# --- camp photos ------------------------------------------------------------------------------


def test_camp_exif_matches_the_truth(leak: Leak, tags: dict[str, dict[str, Any]]) -> None:
    for record in camp_records(leak):
        row = tags[record["path"]]
        assert (row["IFD0:Make"], row["IFD0:Model"]) == (record["make"], record["model"])
        assert str(row["ExifIFD:SerialNumber"]) == record["serial"]
        assert exif_time(row["ExifIFD:DateTimeOriginal"]).isoformat() == record["taken_at"]
        assert row["ExifIFD:OffsetTimeOriginal"] == "+08:00"
        assert row["IFD0:Software"] == record["software"]
        assert row["IFD0:Orientation"] == record["orientation"]
        assert row["GPS:GPSLatitude"] == pytest.approx(record["gps"]["lat"], abs=1e-6)
        assert row["GPS:GPSLongitude"] == pytest.approx(record["gps"]["lon"], abs=1e-6)
        assert row["GPS:GPSAltitude"] == pytest.approx(record["gps"]["alt"], abs=0.1)
        assert gps_time(row).isoformat() + "Z" == record["gps_time"]
        assert (row["File:ImageWidth"], row["File:ImageHeight"]) == (
            record["width"],
            record["height"],
        )


def test_each_camera_shoots_a_series_with_its_own_quantization(leak: Leak) -> None:
    by_serial: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in camp_records(leak):
        by_serial[record["serial"]].append(record)
    assert 2 <= len(by_serial) <= 3
    edited = set(planted(leak, "photo_edited_software"))
    tables = {}
    for serial, records in by_serial.items():
        names = [Path(r["path"]).name for r in records]
        times = [r["taken_at"] for r in records]
        assert names == sorted(names) and times == sorted(times) and len(set(times)) == len(times)
        camera_tables = {
            quantization(leak.out / r["path"]) for r in records if r["path"] not in edited
        }
        assert len(camera_tables) == 1, serial
        tables[serial] = camera_tables.pop()
    assert len(set(tables.values())) == len(tables)


def test_thumbnails_show_the_main_image_except_the_planted_one(
    leak: Leak, thumbnails: dict[str, Image.Image]
) -> None:
    mismatched = planted(leak, "photo_thumbnail_mismatch")
    assert len(mismatched) == 1
    for record in camp_records(leak):
        thumb = thumbnails[record["path"]]
        assert thumb.size == (160, 120)
        distance = hash_distance(thumb, load(leak.out / record["path"]))
        if record["path"] in mismatched:
            assert distance >= 16
        else:
            assert distance <= 6, record["path"]


def test_planted_edit_says_photoshop_and_was_saved_later(
    leak: Leak, tags: dict[str, dict[str, Any]]
) -> None:
    edited = planted(leak, "photo_edited_software")
    assert len(edited) == 1
    for record in camp_records(leak):
        row = tags[record["path"]]
        modified = exif_time(row["IFD0:ModifyDate"])
        original = exif_time(row["ExifIFD:DateTimeOriginal"])
        if record["path"] in edited:
            assert row["IFD0:Software"] == EDITOR
            assert modified > original + timedelta(days=1)
            assert modified <= datetime(2018, 8, 15, 9, 30)
        else:
            assert "Adobe" not in row["IFD0:Software"] and modified == original


def test_planted_gps_time_offset_is_hours_off_beijing_time(
    leak: Leak, tags: dict[str, dict[str, Any]]
) -> None:
    offset = planted(leak, "photo_gps_time_offset")
    assert len(offset) == 1
    for record in camp_records(leak):
        row = tags[record["path"]]
        utc_of_clock = exif_time(row["ExifIFD:DateTimeOriginal"]) - timedelta(hours=8)
        skew = abs((gps_time(row) - utc_of_clock).total_seconds())
        if record["path"] in offset:
            assert skew >= 6 * 3600
        else:
            assert skew <= 60


def test_planted_gps_outlier_is_far_from_the_camera_s_other_photos(leak: Leak) -> None:
    outlier = planted(leak, "photo_gps_outlier")
    assert len(outlier) == 1
    sites = {s["key"]: s for s in leak.truth.sections["sites"]}
    for record in camp_records(leak):
        distance = km(record["gps"], sites[record["site"]])
        if record["path"] in outlier:
            others = [
                r for r in camp_records(leak) if r["serial"] == record["serial"] and r is not record
            ]
            assert min(km(record["gps"], r["gps"]) for r in others) > 100
        else:
            assert distance <= 0.3


def test_each_anomaly_kind_is_planted_once_on_a_distinct_camp_photo(leak: Leak) -> None:
    camp = {r["path"] for r in camp_records(leak)}
    assert sorted(a.kind for a in leak.truth.anomalies) == sorted(CAMP_ANOMALIES)
    paths = [a.path for a in leak.truth.anomalies]
    assert len(set(paths)) == len(paths) and set(paths) <= camp
    assert all(a.locator is None for a in leak.truth.anomalies)


def test_sites_geojson_matches_the_truth(leak: Leak) -> None:
    geojson = json.loads((reference_path(leak.out) / "sites.geojson").read_text())
    points = {f["properties"]["key"]: f["geometry"]["coordinates"] for f in geojson["features"]}
    sites = leak.truth.sections["sites"]
    assert {s["key"]: [s["lon"], s["lat"], s["alt"]] for s in sites} == points
    assert all(38 < s["lat"] < 41 and 74 < s["lon"] < 77 for s in sites)  # Kashgar prefecture


# --- reference near-duplicates ---------------------------------------------------------------


def test_reference_copies_are_near_duplicates_without_metadata(leak: Leak) -> None:
    pairs = leak.truth.sections["near_duplicates"]
    assert len(pairs) == len(leak.reference) >= 3
    assert {p["transform"].split("_")[0] for p in pairs} == {"strip", "reencode", "resize"}
    for pair in pairs:
        original = load(leak.out / pair["leak_path"])
        copy = load(reference_path(leak.out) / pair["reference_path"])
        assert original.getexif() and not copy.getexif()
        assert hash_distance(original, copy) <= 4
        if pair["transform"] == "strip_metadata":
            assert copy.tobytes() == original.tobytes()
        elif pair["transform"].startswith("resize_"):
            width, height = map(int, pair["transform"].split("_")[1].split("x"))
            assert copy.size == (width, height) and width < original.width


# --- determinism -------------------------------------------------------------------------------


def test_same_seed_gives_identical_bytes(leak: Leak, tmp_path: Path) -> None:
    again = generate(tmp_path)
    assert again.truth.to_json() == leak.truth.to_json()
    for root_a, root_b in (
        (leak.out, again.out),
        (reference_path(leak.out), reference_path(again.out)),
    ):
        files_a = [p.relative_to(root_a) for p in all_files(root_a)]
        assert files_a == [p.relative_to(root_b) for p in all_files(root_b)]
        for relative in files_a:
            assert (root_a / relative).read_bytes() == (root_b / relative).read_bytes(), relative


def test_another_seed_gives_other_photos(leak: Leak, tmp_path: Path) -> None:
    other = Truth(seed=12)
    paths = write_camp_photos(tmp_path / "leak", SynthConfig(seed=12, photos=40), other)
    assert other.sections["camp_photos"] != leak.truth.sections["camp_photos"]
    assert {p.read_bytes() for p in paths}.isdisjoint(p.read_bytes() for p in leak.camp)
