"""photo_quantization_editor: a camera's photo whose JPEG tables are a known editor's."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from veracity.errors import DataFileError
from veracity.extract._jpeg import STD_LUMINANCE
from veracity.verify.base import Check, Finding
from veracity.verify.checks.photo_gps_time import camera_key
from veracity.verify.view import CaseView, FileView

EDITORS_FILE = Path(__file__).parent.parent / "data" / "jpeg_editors.json"
#: ITU T.81 Annex K.1 chrominance table, natural order (libjpeg's std_chrominance_quant_tbl)
STD_CHROMINANCE = (
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99,
    99, 47, 66, 99, 99, 99, 99, 99, 99, *([99] * 32),
)  # fmt: skip
IJG = "IJG libjpeg (Pillow, GIMP, ImageMagick and most apps)"

Tables = tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class EditorTables:
    """One editor setting whose tables identify it."""

    editor: str
    setting: str


class PhotoQuantizationEditor(Check):
    """A photo from a camera whose other photos carry the camera's own JPEG tables, but which
    itself carries the tables of a known editor: the IJG/libjpeg tables at some quality (Pillow,
    GIMP, ImageMagick, most apps) or one of Adobe Photoshop's presets (warning).

    The tables are written by whatever saved the file last, so the photo was saved again by that
    software after it left the camera, whatever its EXIF says. Cameras whose every photo carries
    editor tables (phones and apps built on libjpeg) and photos without camera EXIF are not
    judged. False positives: a camera that really uses the IJG tables in one mode only.
    """

    NAME = "photo_quantization_editor"
    SCOPE = "collection"
    NEEDS = frozenset({"images"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        by_camera: dict[tuple[str, ...], list[tuple[FileView, Tables]]] = defaultdict(list)
        for item in view.images():
            tables = _tables(item)
            if tables is not None and any(camera_key(item)[:2]):
                by_camera[camera_key(item)].append((item, tables))
        # tables some camera writes itself: then matching an editor proves nothing
        native = {
            tables
            for photos in by_camera.values()
            if all(identify(t) for _, t in photos)
            for _, tables in photos
        }
        for key in sorted(by_camera):
            yield from self._camera(key, by_camera[key], native)

    def _camera(
        self, key: tuple[str, ...], photos: list[tuple[FileView, Tables]], native: set[Tables]
    ) -> Iterator[Finding]:
        own = Counter(tables for _, tables in photos if identify(tables) is None)
        if not own:
            return
        label = " ".join(k for k in key if k)
        for item, tables in photos:
            match = identify(tables)
            if match is None or tables in native:
                continue
            yield self.finding(
                "warning",
                item.path,
                None,
                f"JPEG tables are {match.editor}'s ({match.setting}), not those of the"
                f" {sum(own.values())} other photo(s) of {label}: saved again by that software",
                editor=match.editor,
                setting=match.setting,
                quality=(item.metadata.get("quantization") or {}).get("quality"),
                camera=dict(zip(("make", "model", "serial"), key, strict=True)),
                camera_photos_with_own_tables=sum(own.values()),
            )


def identify(tables: Tables) -> EditorTables | None:
    """The editor setting whose tables these are, or None (a camera's own, or unknown)."""
    return _editor_tables().get(tables)


def ijg_tables(quality: int) -> Tables:
    """libjpeg's `jpeg_set_quality` with force_baseline: the Annex K tables scaled (jcparam.c)."""
    scale = 5000 // quality if quality < 50 else 200 - quality * 2
    return tuple(
        tuple(min(255, max(1, (q * scale + 50) // 100)) for q in table)
        for table in (STD_LUMINANCE, STD_CHROMINANCE)
    )


@cache
def _editor_tables() -> dict[Tables, EditorTables]:
    """Every known table set (and, for greyscale files, its luminance table alone)."""
    out: dict[Tables, EditorTables] = {}
    for name, setting, tables in _shipped():
        out.setdefault(tables, EditorTables(name, setting))
    for quality in range(100, 0, -1):  # highest first: q=99 and q=100 can share a table
        tables = ijg_tables(quality)
        out.setdefault(tables, EditorTables(IJG, f"quality {quality}"))
    for tables, match in list(out.items()):
        out.setdefault(tables[:1], match)  # a greyscale file has the luminance table only
    return out


def _shipped() -> Iterator[tuple[str, str, Tables]]:
    """jpeg_editors.json, validated: 64 values from 1 to 255 (or 65535) per table."""
    data = json.loads(EDITORS_FILE.read_text(encoding="utf-8"))
    for n, entry in enumerate(data.get("editors", [])):
        key = f"editors[{n}]"
        try:
            tables = tuple(tuple(int(v) for v in t) for t in entry["tables"])
            name, setting = str(entry["editor"]), str(entry["setting"])
        except (KeyError, TypeError, ValueError) as exc:
            raise DataFileError(EDITORS_FILE.name, key, str(exc)) from exc
        if not tables or any(len(t) != 64 or not all(0 < v < 65536 for v in t) for t in tables):
            raise DataFileError(EDITORS_FILE.name, key, "each table needs 64 values in 1..65535")
        yield name, setting, tables


def _tables(item: FileView) -> Tables | None:
    quantization = item.metadata.get("quantization")
    raw = quantization.get("tables") if isinstance(quantization, dict) else None
    if not isinstance(raw, Sequence) or not raw:
        return None
    try:
        tables = tuple(tuple(int(v) for v in table) for table in raw)
    except (TypeError, ValueError):
        return None
    return tables if all(len(t) == 64 for t in tables) else None
