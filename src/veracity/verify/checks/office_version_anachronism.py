"""office_version_anachronism: a document written by a program version not yet released.

Two reviewed tables say when each version came out: `office_releases.csv` by the major number
of an OOXML `AppVersion` (or of a WPS `Application` build), `pdf_producers.csv` by a pattern
on a PDF's Producer or Creator ("Microsoft® Word 2016", "LibreOffice 6.0", …).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from veracity.errors import DataFileError
from veracity.verify.base import Check, Finding
from veracity.verify.checks.office_created_after_modified import parse_when
from veracity.verify.view import CaseView

DATA = Path(__file__).parent.parent / "data"
RELEASES_FILE = DATA / "office_releases.csv"
PRODUCERS_FILE = DATA / "pdf_producers.csv"
_MAJOR = re.compile(r"^\s*(\d+)\.")
#: WPS writes no AppVersion; its Application carries the build: "WPS Office_11.1.0.9208_F1E3…".
_WPS = re.compile(r"^WPS Office_(\d+)\.")


@dataclass(frozen=True)
class Release:
    """When one product version became generally available (a row of either table)."""

    product: str
    released: date


@dataclass(frozen=True)
class Named:
    """A release and the metadata field and value that named it, for the evidence."""

    field: str
    value: str
    release: Release


def _rows(path: Path) -> Iterator[tuple[str, dict[str, str], Release]]:
    """Each row as (its key for errors, the row, its release); no row without a source."""
    with path.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), 2):
            key = f"line {line}"
            try:
                release = Release(row["product"], date.fromisoformat(row["released"]))
            except (KeyError, TypeError, ValueError) as exc:
                raise DataFileError(path.name, key, str(exc)) from exc
            if not row.get("source"):
                raise DataFileError(path.name, key, "no source")
            yield key, row, release


@cache
def releases() -> dict[tuple[str, int], Release]:
    """office_releases.csv keyed by (family, major version); validated on load."""
    out: dict[tuple[str, int], Release] = {}
    for key, row, release in _rows(RELEASES_FILE):
        try:
            out[(row["family"], int(row["major"]))] = release
        except (KeyError, TypeError, ValueError) as exc:
            raise DataFileError(RELEASES_FILE.name, key, str(exc)) from exc
    return out


@cache
def producers() -> tuple[tuple[re.Pattern[str], Release], ...]:
    """pdf_producers.csv as (compiled pattern, release), in file order; validated on load."""
    out = []
    for key, row, release in _rows(PRODUCERS_FILE):
        try:
            out.append((re.compile(row["pattern"]), release))
        except (KeyError, TypeError, re.error) as exc:
            raise DataFileError(PRODUCERS_FILE.name, key, str(exc)) from exc
    return tuple(out)


def named_releases(metadata: Mapping[str, Any]) -> Iterator[Named]:
    """Every release the metadata names: AppVersion, a WPS build, a PDF Producer or Creator."""
    table = releases()
    for field, family, pattern in (
        ("app_version", "microsoft_office", _MAJOR),
        ("application", "wps", _WPS),
    ):
        value = metadata.get(field)
        match = pattern.match(value) if isinstance(value, str) else None
        release = table.get((family, int(match.group(1)))) if match else None
        if release is not None:
            yield Named(field, str(value), release)
    for field in ("producer", "application"):
        value = metadata.get(field)
        if not isinstance(value, str):
            continue
        release = next((r for p, r in producers() if p.match(value)), None)
        if release is not None:
            yield Named(field, value, release)


class OfficeVersionAnachronism(Check):
    """The program that wrote a document (Office AppVersion, WPS build, PDF Producer or
    Creator) was released after the document was created, and after it was last saved.

    A program must exist by the time it saves a file; a document dated before its own program
    existed has been back-dated. Only created before the release (and saved after it) is normal
    re-saving: `info`. False positives: PC clocks set years back; preview and Insider builds
    (an Office, Windows or Acrobat beta already names the coming version).
    """

    NAME = "office_version_anachronism"
    NEEDS = frozenset({"documents"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        for item in view.office_files():
            created = parse_when(item.metadata.get("created"))
            if created is None:
                continue
            named = max(named_releases(item.metadata), default=None, key=_release_date)
            if named is None or created.date() >= named.release.released:
                continue
            release = named.release
            modified = parse_when(item.metadata.get("modified"))
            saved_before = modified is not None and modified.date() < release.released
            what = "created and last saved" if saved_before else "created"
            yield self.finding(
                "warning" if saved_before else "info",
                item.path,
                None,
                f"{what} before {release.product} ({named.field} {named.value!r}) was "
                f"released on {release.released}",
                application=item.metadata.get("application"),
                app_version=item.metadata.get("app_version"),
                producer=item.metadata.get("producer"),
                named_by=named.field,
                product=release.product,
                release_date=release.released.isoformat(),
                created=item.metadata.get("created"),
                modified=item.metadata.get("modified"),
            )


def _release_date(named: Named) -> date:
    return named.release.released
