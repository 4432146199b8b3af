"""OCR with Tesseract in a subprocess: Chinese (simplified and traditional), Uyghur, English.

Tesseract runs as a separate program (Debian's `tesseract-ocr`, Apache-licensed, nothing to
link), one call for a batch of pages so its models load once, with `OMP_THREAD_LIMIT=1`: its
OpenMP threads fight the worker pool for the cores and made a page 2-3× slower here
(bench/extract_documents.py: 0.44 s a page with the setting, 0.99 s without).

Languages are chosen for speed and accuracy: every added model makes a page slower (on a
synthetic scan here: chi_sim 0.26 s, all four 0.79 s), and the leaks this tool reads are mostly
simplified Chinese. The first pass runs `chi_sim` alone: it reads Latin letters too, while
with `eng` beside it Tesseract replaced a faint Chinese line by Latin noise (similarity to the
true text over eight scans: 0.97 alone, 0.90 with eng). A page with Arabic letters in its
reading, or whose words come back with low confidence while the image looks like text (Uyghur,
which the Chinese model cannot read, scored 36), is read again with all four languages; a
Chinese reading of middling confidence (traditional characters scored 86, read as their
simplified forms) is read again with `chi_tra`. The more confident reading is kept.

OCR is optional at run time: without Tesseract (or with the setting `ocr` at 0) the functions
return None and say so once in the log.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from veracity.case import Limits
from veracity.errors import LimitExceeded

log = logging.getLogger(__name__)

FIRST_PASS = ("chi_sim",)
ALL_LANGUAGES = ("chi_sim", "chi_tra", "uig", "eng")
#: Below this mean word confidence (0–100) a page is read again with every language.
RETRY_BELOW_CONFIDENCE = 80.0
#: Below this, a Chinese reading is tried again with the traditional-character model.
TRADITIONAL_BELOW_CONFIDENCE = 90.0
#: …and kept only when this much more confident: on a noisy simplified scan the traditional
#: model sometimes scores a little higher while turning every character traditional.
TRADITIONAL_MARGIN = 5.0
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufeff]")


@dataclass(frozen=True)
class Reading:
    """What Tesseract read on one image: text, mean word confidence, the languages used."""

    text: str
    confidence: float
    languages: str


@functools.cache
def installed_languages() -> frozenset[str]:
    """The language models Tesseract has here; empty when the program itself is missing."""
    exe = shutil.which("tesseract")
    if exe is None:
        return frozenset()
    try:
        done = subprocess.run(
            [exe, "--list-langs"],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def available() -> bool:
    """True when Tesseract and at least its Chinese or English model are installed."""
    return bool(installed_languages() & set(ALL_LANGUAGES))


@functools.cache
def _notice(reason: str) -> None:
    log.warning("OCR skipped: %s", reason)  # once per process and reason, not once per file


def enabled(limits: Limits) -> bool:
    """Whether OCR runs: on in the settings and Tesseract installed (said once when not)."""
    if not limits.ocr:
        _notice("the setting ocr is 0")
        return False
    if not available():
        _notice("Tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-chi-sim …)")
        return False
    return True


def _langs(wanted: Sequence[str]) -> str:
    have = installed_languages()
    return "+".join(lang for lang in wanted if lang in have) or "eng"


def _join(words: list[str]) -> str:
    """Words of one line: no space next to a Chinese character, as Chinese is written."""
    out = ""
    for word in words:
        if out and not (_CJK.match(out[-1]) or _CJK.match(word[0])):
            out += " "
        out += word
    return out


def _parse_tsv(tsv: str, pages: int, languages: str) -> list[Reading]:
    """Tesseract's TSV (one row a word, with page, block, paragraph and line numbers) → text."""
    lines: dict[int, dict[tuple[int, int, int], list[str]]] = {}
    scores: dict[int, list[tuple[float, int]]] = {}
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        page = int(cells[1])
        key = (int(cells[2]), int(cells[3]), int(cells[4]))
        lines.setdefault(page, {}).setdefault(key, []).append(cells[11].strip())
        scores.setdefault(page, []).append((float(cells[10]), len(cells[11].strip())))
    readings = []
    for page in range(1, pages + 1):
        parts, last = [], None
        for key, words in lines.get(page, {}).items():
            if last is not None and key[:2] != last[:2]:
                parts.append("")  # a blank line between paragraphs
            parts.append(_join(words))
            last = key
        weighted = scores.get(page, [])
        chars = sum(n for _, n in weighted)
        confidence = sum(c * n for c, n in weighted) / chars if chars else 0.0
        readings.append(Reading("\n".join(parts), confidence, languages))
    return readings


def _tesseract(images: Sequence[Path], languages: str, timeout_s: float) -> list[Reading]:
    """One Tesseract run over `images` (a list file when several); a reading per image."""
    exe = shutil.which("tesseract") or "tesseract"
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory(prefix="veracity-ocr-") as tmp:
        source = str(images[0])
        if len(images) > 1:
            listing = Path(tmp) / "pages.txt"
            listing.write_text("".join(f"{p}\n" for p in images), encoding="utf-8")
            source = str(listing)
        command = [exe, source, "stdout", "-l", languages, "--psm", "3", "tsv"]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                stdin=subprocess.DEVNULL,
                env=env,
                timeout=timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise LimitExceeded("file_timeout_s", timeout_s, timeout_s) from exc
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", "replace").strip().splitlines()
        log.warning("tesseract failed on %s: %s", images[0], error[-1] if error else "?")
        return [Reading("", 0.0, languages) for _ in images]
    return _parse_tsv(done.stdout.decode("utf-8", "replace"), len(images), languages)


def _looks_like_text_file(image: Path) -> bool:
    try:
        with Image.open(image) as img:
            img.draft("L", (1024, 1024))
            return looks_like_text(img)
    except (OSError, ValueError, Image.DecompressionBombError):
        return False


def _second_pass(reading: Reading, image: Path) -> tuple[str, ...] | None:
    """The languages to read an image again with, or None when the first reading stands.

    Arabic letters in the reading, or low confidence on an image that looks like text (a photo
    scores low whatever the model): every language. Chinese read with middling confidence:
    traditional characters, which the simplified model reads as their simplified forms.
    """
    text = reading.text
    if not text.strip():
        return None  # nothing there to read better: a blank page costs one pass only
    if _ARABIC.search(text):
        return ALL_LANGUAGES
    if reading.confidence >= TRADITIONAL_BELOW_CONFIDENCE:
        return None
    if reading.confidence < RETRY_BELOW_CONFIDENCE:
        return ALL_LANGUAGES if _looks_like_text_file(image) else None
    han = len(_CJK.findall(text))
    return ("chi_tra",) if han * 2 > len("".join(text.split())) else None


def read_images(
    images: Sequence[Path], limits: Limits, timeout_s: float | None = None
) -> list[Reading] | None:
    """Readings of single-page images, in order; None when OCR is off or not installed.

    Raises `LimitExceeded` when Tesseract takes longer than `timeout_s` (default: the file
    time limit).
    """
    if not images or not enabled(limits):
        return None
    timeout = timeout_s if timeout_s is not None else limits.file_timeout_s
    readings = _tesseract(images, _langs(FIRST_PASS), timeout)
    again: dict[tuple[str, ...], list[int]] = {}
    for i, reading in enumerate(readings):
        languages = _second_pass(reading, images[i])
        if languages and set(languages) & installed_languages() - set(FIRST_PASS):
            again.setdefault(languages, []).append(i)
    for languages, indexes in again.items():
        second = _tesseract([images[i] for i in indexes], _langs(languages), timeout)
        margin = TRADITIONAL_MARGIN if languages == ("chi_tra",) else 0.0
        for i, reading in zip(indexes, second, strict=True):
            if reading.confidence > readings[i].confidence + margin:
                readings[i] = reading
    return readings


def ocr_image(path: Path, limits: Limits) -> str | None:
    """The text Tesseract reads in the image at `path`; None when OCR is off or missing.

    An image Tesseract cannot read gives "" (logged). Raises `LimitExceeded` past the file time
    limit.
    """
    readings = read_images([path], limits)
    return None if readings is None else readings[0].text


def _paper(a: np.ndarray) -> np.ndarray:
    """The local paper tone: the lightest (or, on a dark ground, darkest) pixel of each
    16-pixel block, so that uneven lighting of a photographed page cancels out."""
    block = 16
    h, w = a.shape
    ph, pw = -h % block, -w % block
    padded = np.pad(a, ((0, ph), (0, pw)), mode="edge")
    tiles = padded.reshape(padded.shape[0] // block, block, padded.shape[1] // block, block)
    local = tiles.min(axis=(1, 3)) if np.median(a) < 100 else tiles.max(axis=(1, 3))
    full = np.repeat(np.repeat(local, block, axis=0), block, axis=1)
    return full[:h, :w]


def looks_like_text(img: Image.Image) -> bool:
    """Whether an image looks like a page of text (a scan, a screenshot of a document).

    Cheap (a few ms on a 1024-pixel thumbnail), to decide whether OCR is worth its ~0.5 s:
    after evening out the lighting, a text page is mostly one paper tone with little ink,
    almost no mid-tones, and ink in many short runs along each row (strokes of letters).
    Photos have broad tone ranges; a diagram or clip-art on white may pass, which costs one
    wasted OCR run. The caller rules out camera photos by their EXIF first.
    """
    factor = max(img.size) // 1024
    try:  # shrink first: converting a 100-megapixel photo whole would cost a second
        small = img.reduce(factor) if factor > 1 else img
    except ValueError:  # a mode reduce() does not handle (palette, 1-bit)
        small = img
    gray = small.convert("L")
    gray.thumbnail((1024, 1024))
    width, height = gray.size
    if min(width, height) < 32 or width * height < 20_000:
        return False
    a = np.asarray(gray, dtype=np.int16)
    diff = np.abs(a - _paper(a))  # dark ink on light paper, or light text on a dark ground
    ink = diff > 60
    paper_share = float(np.mean(diff <= 20))
    ink_share = float(np.mean(ink))
    mid_share = 1.0 - paper_share - ink_share
    starts = int(np.count_nonzero(ink[:, 1:] & ~ink[:, :-1]))
    mean_run = ink_share * a.size / max(starts, 1)
    runs_per_row = starts / height
    return (
        paper_share >= 0.8
        and 0.005 <= ink_share <= 0.3
        and mid_share <= 0.12
        and runs_per_row >= 4
        and 1.0 <= mean_run <= 10.0  # strokes; a thick ring (11.8 here) is not writing
    )
