"""A case: the folder a leak is read into, with its settings and safety limits.

A case folder holds `case.db` (the catalogue), `derived/` (files veracity makes: thumbnails,
extracted members kept for later stages), `tmp/` (scratch for archive expansion, emptied at the
start of every run) and an optional `settings.json` that overrides the defaults below. Every
default number lives in `SETTINGS` and nowhere else, so limits, help text and docs agree.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from veracity.errors import CaseError


@dataclass(frozen=True)
class Setting:
    """One tunable: its name (stable, snake_case), default and the reason it exists."""

    name: str
    default: int | float
    help: str
    minimum: int | float = 1  # 0 for on/off switches


SETTINGS: tuple[Setting, ...] = (
    Setting("max_archive_depth", 8, "Deepest archive nesting expanded (a.zip!/b.zip!/… levels)"),
    Setting("max_archive_members", 200_000, "Most members read from one archive"),
    Setting("max_archive_bytes", 32 * 1024**3, "Most bytes expanded from one archive"),
    Setting(
        "max_archive_ratio", 250, "Highest expanded/compressed ratio before a zip bomb is assumed"
    ),
    Setting(
        "ratio_floor_bytes",
        64 * 1024**2,
        "Expanded bytes below which the ratio limit is not applied",
    ),
    Setting("max_member_bytes", 8 * 1024**3, "Largest single archive member expanded"),
    Setting("file_timeout_s", 120.0, "Seconds one file may take to extract before it is stopped"),
    Setting("max_text_chars", 20_000_000, "Most characters of text kept from one file"),
    Setting("batch_size", 500, "Results written to the database in one transaction"),
    Setting(
        "ocr", 1, "1: OCR scans and text-less PDF pages with Tesseract when installed; 0: off", 0
    ),
    Setting("max_image_pixels", 300_000_000, "Largest image decoded (decompression bombs)"),
    Setting("max_pdf_pages", 20_000, "Most pages read from one PDF"),
    Setting("max_ocr_pages", 200, "Most pages of one PDF rendered and OCRed"),
    Setting("max_pdf_images", 2_000, "Most embedded images taken out of one PDF as files"),
)


@dataclass(frozen=True)
class Limits:
    """The settings in force for one run; passed explicitly to every extractor."""

    max_archive_depth: int
    max_archive_members: int
    max_archive_bytes: int
    max_archive_ratio: float
    ratio_floor_bytes: int
    max_member_bytes: int
    file_timeout_s: float
    max_text_chars: int
    batch_size: int
    ocr: int
    max_image_pixels: int
    max_pdf_pages: int
    max_ocr_pages: int
    max_pdf_images: int

    @classmethod
    def from_settings(cls, overrides: dict[str, Any] | None = None) -> Limits:
        """The defaults of `SETTINGS`, with `overrides` (from settings.json or a test) on top."""
        overrides = overrides or {}
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - set(known)
        if unknown:
            raise CaseError(f"settings.json: unknown setting(s): {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
        minimum = {s.name: s.minimum for s in SETTINGS}
        for name, value in overrides.items():
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise CaseError(f"settings.json: {name} must be a number")
            if value < minimum[name]:
                raise CaseError(f"settings.json: {name} must be at least {minimum[name]}")
            values[name] = value
        return cls(**values)


@dataclass(frozen=True)
class Case:
    """An opened case folder."""

    root: Path
    limits: Limits

    @property
    def db_path(self) -> Path:
        return self.root / "case.db"

    @property
    def derived_dir(self) -> Path:
        return self.root / "derived"

    @property
    def tmp_dir(self) -> Path:
        return self.root / "tmp"

    @property
    def database_url(self) -> str:
        """PostgreSQL when VERACITY_DATABASE_URL says so, else the case's own SQLite file."""
        return os.environ.get("VERACITY_DATABASE_URL") or f"sqlite:///{self.db_path}"

    def reset_tmp(self) -> Path:
        """Empty the scratch folder: whatever an interrupted run left there is redone."""
        shutil.rmtree(self.tmp_dir, ignore_errors=True)
        self.tmp_dir.mkdir(parents=True)
        return self.tmp_dir


def open_case(root: Path | str, *, create: bool = False) -> Case:
    """Open (or, for commands that build a case, create) the case folder at `root`."""
    root = Path(root)
    if not root.exists():
        if not create:
            raise CaseError(f"no case at {root} (run 'veracity ingest SOURCE --case {root}')")
        root.mkdir(parents=True)
    elif not root.is_dir():
        raise CaseError(f"{root} is not a folder")
    elif not create and not (root / "case.db").exists():
        raise CaseError(f"no case at {root} (run 'veracity ingest SOURCE --case {root}')")
    (root / "derived").mkdir(exist_ok=True)
    settings_file = root / "settings.json"
    overrides: dict[str, Any] = {}
    if settings_file.exists():
        try:
            overrides = json.loads(settings_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CaseError(f"{settings_file}: {exc}") from exc
        if not isinstance(overrides, dict):
            raise CaseError(f"{settings_file}: expected an object of settings")
    return Case(root=root.resolve(), limits=Limits.from_settings(overrides))
