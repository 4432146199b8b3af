"""Hand-made photos (camera EXIF), Word files and PDFs, ingested into a case, and a check run."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from tests.conftest import run_ingest
from veracity.case import Case
from veracity.store import open_store
from veracity.synth._common import abstract_image, jpeg_bytes
from veracity.synth._exif import Camera, GeoPoint, Shot, exif_bytes, thumbnail_jpeg
from veracity.synth._office import OfficeMeta, write_docx
from veracity.synth._pdf import PdfMeta, write_pdf, write_revised_pdf
from veracity.synth._texts import Doc
from veracity.verify import Check, Finding
from veracity.verify.view import CaseView

CAMERA = Camera("NIKON CORPORATION", "NIKON D7200", "2650883", "Ver.1.02", 93, 2, "DSC_", 100)
SHUFU = GeoPoint(39.4035, 75.8147, 1275.0)
TAKEN = datetime(2018, 3, 6, 12, 0, 0)
DOC = Doc(
    "关于做好节日期间维护稳定工作的通知", ("各乡镇派出所：", "请认真做好节日期间维护稳定工作。")
)
OFFICE = OfficeMeta(
    title=DOC.title, author="USER", last_modified_by="USER", created=datetime(2018, 1, 2, 9),
    modified=datetime(2018, 1, 5, 16), revision=3, application="Microsoft Office Word",
    app_version="16.0000", company="", classification="", total_time=60,
)  # fmt: skip


def write_photo(
    path: Path,
    shot: Shot,
    camera: Camera = CAMERA,
    *,
    other_thumbnail: bool = False,
) -> Path:
    """A 320x240 JPEG with `camera`'s EXIF for `shot`, and a thumbnail of itself (or not)."""
    rng = random.Random(path.name)
    img = abstract_image(rng, 320, 240, label=path.stem)
    thumb = abstract_image(random.Random("other" + path.name), 320, 240) if other_thumbnail else img
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(jpeg_bytes(img, 90, exif=exif_bytes(camera, shot, thumbnail_jpeg(thumb))))
    return path


def shot(taken: datetime = TAKEN, **changes: object) -> Shot:
    """A shot at Shufu whose GPS time agrees with Beijing time, with `changes` applied."""
    base = Shot(taken, 320, 240, gps=SHUFU, gps_time=taken - timedelta(hours=8))
    return replace(base, **changes)  # type: ignore[arg-type]


def write_word(path: Path, **changes: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_docx(path, DOC, replace(OFFICE, **changes))  # type: ignore[arg-type]
    return path


def write_report(path: Path, revised_note: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = PdfMeta(DOC.title, "USER", "Microsoft® Word 2016", "Microsoft® Word 2016", TAKEN)
    if revised_note:
        write_revised_pdf(path, DOC, meta, revised_note, "Adobe Acrobat Pro 11.0.23", TAKEN)
    else:
        write_pdf(path, DOC, meta)
    return path


def run_check(
    make_case: Callable[..., Case], source: Path, check: type[Check]
) -> dict[str, Finding]:
    """Ingest `source` into a new case and run `check`; its findings by path."""
    case = make_case()
    run_ingest(case, source)
    store = open_store(case)
    try:
        return {f.path or "": f for f in check().run(CaseView(case, store))}
    finally:
        store.close()
