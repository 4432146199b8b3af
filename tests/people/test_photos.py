"""Photos tied to persons by an ID in the name, folder or description, or by the register row."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from PIL import Image

from tests.conftest import run_ingest
from veracity.case import Case
from veracity.people.idcard import make_id, upgrade_15
from veracity.people.photos import ids_in
from veracity.store import open_store
from veracity.synth import SynthConfig, generate

ID_A = "653121198503120010"
ID_B = "65312119900701028X"  # make_id("653121", 1990-07-01, 14, "女"): ends in X


def test_ids_in_takes_only_real_id_numbers() -> None:
    assert ids_in(f"20180312_101010_{ID_A}.jpg") == [ID_A]
    assert ids_in(f"photo {ID_B.lower()}") == [ID_B]
    assert ids_in(f"{ID_A[:-1]}9.jpg") == []  # wrong check character
    assert ids_in("20180312101010123456.jpg") == []  # 20 digits: a time stamp, not an ID
    old = "653121850312001"
    assert ids_in(f"{old}.jpg") == [old, upgrade_15(old)]
    assert ids_in("653121851312001") == []  # month 13


def _photo(path: Path, description: str | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    exif = Image.Exif()
    if description is not None:
        exif[0x010E] = description  # ImageDescription
    Image.new("RGB", (32, 24), (90, 120, 150)).save(path, "JPEG", exif=exif)


def _ties(case: Case) -> dict[str, set[tuple[str, str]]]:
    """photo path -> {(ID number of the person, how)}."""
    store = open_store(case, migrate=False)
    try:
        persons = store.persons_by_id_prefix("", 10_000)
        id_of = {p["person_id"]: p["id_number"] for p in persons}
        ties: dict[str, set[tuple[str, str]]] = {}
        for person_id, photos in store.photos_of_persons(list(id_of)).items():
            for photo in photos:
                ties.setdefault(photo["path"], set()).add((id_of[person_id], photo["how"]))
        return ties
    finally:
        store.close()


def test_name_folder_and_description_tie_a_photo(tmp_path: Path, make_case: Any) -> None:
    src = tmp_path / "src"
    src.mkdir()
    third = make_id("653121", date(1970, 1, 1), 5, "男")
    (src / "名单.csv").write_text(
        f"姓名,身份证号\n艾山·买买提,{ID_A}\n古丽·艾山,{ID_B}\n买买提·吐尔逊,{third}\n",
        encoding="utf-8",
    )
    _photo(src / "photos" / f"20180101_090000_{ID_A}.jpg")
    _photo(src / "photos" / ID_B / "front.jpg")
    _photo(src / "photos" / "scan_0001.jpg", description=f"在押人员 {third}")
    _photo(src / "photos" / f"{ID_A[:-1]}9.jpg")  # a damaged ID ties nothing
    _photo(src / "photos" / "653121199901010000.jpg")  # nobody's ID
    case = make_case()
    run_ingest(case, src)
    assert _ties(case) == {
        f"photos/20180101_090000_{ID_A}.jpg": {(ID_A, "file_name")},
        f"photos/{ID_B}/front.jpg": {(ID_B, "folder")},
        "photos/scan_0001.jpg": {(third, "exif")},
    }


def test_the_leaks_photos_go_to_the_right_persons(tmp_path: Path, make_case: Any) -> None:
    generate(tmp_path / "leak", SynthConfig(seed=4, people=120, photos=40, documents=2))
    truth = json.loads((tmp_path / "leak.truth.json").read_text(encoding="utf-8"))
    case = make_case()
    run_ingest(case, tmp_path / "leak")
    ties = _ties(case)
    assert truth["detainee_photos"]
    for photo in truth["detainee_photos"]:
        assert (photo["id_number"], "file_name") in ties.get(photo["path"], set()), photo
    store = open_store(case, migrate=False)
    try:
        anchored = {
            (p["parent"], p["locator"]): p["path"] for p in store.iter_photo_paths() if p["locator"]
        }
    finally:
        store.close()
    # a row whose written ID is another person's (id_shared) goes where linking puts it
    shared = {
        (r["path"], r["locator"]["sheet"], r["locator"]["row"])
        for r in truth["records"]
        if "id_shared" in r["anomalies"]
    }
    embedded = [
        p
        for p in truth["embedded_photos"]
        if (p["path"], p["locator"]["sheet"], p["locator"]["row"]) not in shared
    ]
    assert len(embedded) >= 10
    for photo in embedded:
        locator = json.dumps(photo["locator"], ensure_ascii=False, sort_keys=True)
        child = next(
            path
            for (parent, where), path in anchored.items()
            if parent == photo["path"] and json.loads(where) == json.loads(locator)
        )
        assert (photo["id_number"], "cell") in ties[child], photo
