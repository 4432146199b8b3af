"""OCR with Tesseract: Chinese (simplified, traditional), Uyghur, English; off and absent."""

from __future__ import annotations

import dataclasses
import difflib
import logging
import random
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, features

from tests.conftest import CORPORA
from veracity.case import Limits
from veracity.errors import LimitExceeded
from veracity.extract import _ocr
from veracity.synth._common import cjk_font
from veracity.synth._pdf import scan_image
from veracity.synth._texts import UYGHUR_LINES, scan_text

LIMITS = Limits.from_settings()
needs_tesseract = pytest.mark.skipif(not _ocr.available(), reason="Tesseract is not installed")
ARABIC_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def similarity(a: str, b: str) -> float:
    """Character-level similarity, white space ignored (OCR breaks lines its own way)."""
    return difflib.SequenceMatcher(None, "".join(a.split()), "".join(b.split())).ratio()


def text_image(
    path: Path, lines: list[str], font: ImageFont.FreeTypeFont, rtl: bool = False
) -> Path:
    img = Image.new("L", (1400, 120 + 70 * len(lines)), 240)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        if rtl:
            width = draw.textlength(line, font=font, direction="rtl")
            draw.text((1340 - width, 60 + i * 70), line, fill=20, font=font, direction="rtl")
        else:
            draw.text((60, 60 + i * 70), line, fill=20, font=font)
    img.save(path)
    return path


@needs_tesseract
def test_a_simplified_chinese_scan_is_read_in_one_pass(tmp_path: Path) -> None:
    rng = random.Random(3)
    lines = scan_text(rng, "疏附县", date(2018, 4, 8), 22)
    path = tmp_path / "scan.png"
    scan_image(rng, lines).save(path)
    readings = _ocr.read_images([path], LIMITS)
    assert readings is not None
    assert similarity(readings[0].text, "".join(lines)) >= 0.9
    assert readings[0].languages.startswith("chi_sim")
    assert _ocr.ocr_image(path, LIMITS) == readings[0].text


@needs_tesseract
@pytest.mark.skipif(
    not (ARABIC_FONT.exists() and features.check("raqm")), reason="no Arabic font or shaping"
)
def test_uyghur_is_read_again_with_the_uyghur_model(tmp_path: Path) -> None:
    font = ImageFont.truetype(str(ARABIC_FONT), 36)
    path = text_image(tmp_path / "ug.png", [UYGHUR_LINES[0], UYGHUR_LINES[3]], font, rtl=True)
    reading = _ocr.read_images([path], LIMITS)[0]  # type: ignore[index]
    assert "uig" in reading.languages
    assert similarity(reading.text, UYGHUR_LINES[0] + UYGHUR_LINES[3]) >= 0.8


@needs_tesseract
def test_traditional_chinese_keeps_its_characters(tmp_path: Path) -> None:
    lines = ["關於進一步加強教培學員管理工作的通知", "縣直各單位要嚴格落實出入登記和門禁管理"]
    path = text_image(tmp_path / "tra.png", lines, cjk_font(36))
    reading = _ocr.read_images([path], LIMITS)[0]  # type: ignore[index]
    assert reading.languages == "chi_tra"
    assert similarity(reading.text, "".join(lines)) >= 0.9


@needs_tesseract
def test_english_is_read_by_the_chinese_model_alone(tmp_path: Path) -> None:
    line = "Monthly statistics of detained persons, to be reported before the 5th."
    path = text_image(tmp_path / "en.png", [line], ImageFont.truetype(str(ARABIC_FONT), 36))
    assert similarity(_ocr.ocr_image(path, LIMITS) or "", line) >= 0.9


@needs_tesseract
def test_several_pages_in_one_run_come_back_in_order(tmp_path: Path) -> None:
    font = cjk_font(36)
    texts = ["关于加强管理工作的通知", "各单位要严格落实登记制度", "监区实行分级管理"]
    paths = [text_image(tmp_path / f"{i}.png", [text], font) for i, text in enumerate(texts)]
    paths.insert(1, tmp_path / "blank.png")
    Image.new("L", (400, 300), 255).save(paths[1])
    readings = _ocr.read_images(paths, LIMITS)
    assert readings is not None and readings[1].text == ""
    for reading, text in zip([readings[0], *readings[2:]], texts, strict=True):
        assert max(texts, key=lambda t: similarity(reading.text, t)) == text


def test_ocr_off_gives_none_and_says_so_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "x.png"
    Image.new("L", (100, 100), 255).save(path)
    off = dataclasses.replace(LIMITS, ocr=0)
    _ocr._notice.cache_clear()
    with caplog.at_level(logging.WARNING, logger="veracity.extract._ocr"):
        assert _ocr.ocr_image(path, off) is None
        assert _ocr.ocr_image(path, off) is None
    assert [r.message for r in caplog.records].count("OCR skipped: the setting ocr is 0") == 1


def test_missing_tesseract_gives_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_ocr, "installed_languages", lambda: frozenset())
    path = tmp_path / "x.png"
    Image.new("L", (100, 100), 255).save(path)
    assert not _ocr.available()
    assert _ocr.ocr_image(path, LIMITS) is None


@needs_tesseract
def test_a_slow_run_is_stopped_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    scan_image(random.Random(1), ["通知"] * 20).save(path)
    with pytest.raises(LimitExceeded):
        _ocr.read_images([path], LIMITS, timeout_s=0.01)


def test_tsv_becomes_lines_without_spaces_between_chinese_characters() -> None:
    rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tl\tt\tw\th\tconf\ttext"]
    words = [(1, 1, 1, "关于", 90), (1, 1, 1, "Abdurehim", 80), (1, 1, 1, "同志", 90)]
    words += [(1, 1, 2, "特此通知。", 95), (2, 1, 1, "Second", 70), (2, 1, 1, "paragraph", 70)]
    for block, par, line, text, conf in words:
        rows.append(f"5\t1\t{block}\t{par}\t{line}\t1\t0\t0\t1\t1\t{conf}\t{text}")
    (reading,) = _ocr._parse_tsv("\n".join(rows), 1, "chi_sim")
    assert reading.text == "关于Abdurehim同志\n特此通知。\n\nSecond paragraph"
    assert 75 < reading.confidence < 85  # weighted by characters


def test_looks_like_text_tells_a_scan_from_a_picture() -> None:
    rng = random.Random(5)
    scan = scan_image(rng, scan_text(rng, "疏附县", date(2018, 4, 8), 22))
    assert _ocr.looks_like_text(scan)
    # the same page photographed under a lamp: darker to one side
    shade = Image.linear_gradient("L").rotate(90).resize(scan.size).point(lambda v: 140 + v // 2)
    assert _ocr.looks_like_text(ImageChops.multiply(scan.convert("L"), shade))
    assert _ocr.looks_like_text(scan.resize((scan.width * 4, scan.height * 4)))
    # a landscape-like picture: smooth gradients and blobs, no strokes
    picture = Image.linear_gradient("L").resize((800, 600)).convert("RGB")
    draw = ImageDraw.Draw(picture)
    for _ in range(30):
        x, y, r = rng.randrange(800), rng.randrange(600), rng.randrange(20, 120)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(rng.randrange(256), 90, 60))
    assert not _ocr.looks_like_text(picture.filter(ImageFilter.GaussianBlur(3)))
    assert not _ocr.looks_like_text(Image.new("L", (20, 20), 255))


def test_looks_like_text_is_false_for_camera_photos() -> None:
    folder = CORPORA / "exif-samples" / "jpg"
    if not folder.is_dir():
        pytest.skip(f"corpus absent: {folder}")
    photos = sorted(folder.glob("*.jpg"))
    texty = []
    for path in photos:
        try:
            with Image.open(path) as img:
                img.draft("L", (1024, 1024))
                if _ocr.looks_like_text(img):
                    texty.append(path.name)
        except OSError:
            continue
    assert len(texty) <= len(photos) // 20, texty
