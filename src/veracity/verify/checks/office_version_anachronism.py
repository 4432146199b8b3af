"""office_version_anachronism: a document saved by an Office version not yet released."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from veracity.errors import DataFileError
from veracity.verify.base import Check, Finding
from veracity.verify.checks.office_created_after_modified import parse_when
from veracity.verify.view import CaseView

RELEASES_FILE = Path(__file__).parent.parent / "data" / "office_releases.csv"
_MAJOR = re.compile(r"^\s*(\d+)\.")


@dataclass(frozen=True)
class Release:
    """One row of office_releases.csv."""

    family: str
    major: int
    product: str
    released: date


@cache
def releases() -> dict[tuple[str, int], Release]:
    """The reviewed release table, keyed by (family, major version); validated on load."""
    out: dict[tuple[str, int], Release] = {}
    with RELEASES_FILE.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), 2):
            try:
                release = Release(
                    row["family"], int(row["major"]), row["product"],
                    date.fromisoformat(row["released"]),
                )  # fmt: skip
            except (KeyError, TypeError, ValueError) as exc:
                raise DataFileError(RELEASES_FILE.name, f"line {line}", str(exc)) from exc
            if not row.get("source"):
                raise DataFileError(RELEASES_FILE.name, f"line {line}", "no source")
            out[(release.family, release.major)] = release
    return out


class OfficeVersionAnachronism(Check):
    """AppVersion names an Office released after the document was created, and after it was
    last saved.

    The version in docProps/app.xml is the one that last saved the file, so it must exist by
    the modification date; a document dated before its own program existed has been back-dated.
    Only created before the release (and saved after it) is normal re-saving: `info`.
    False positives: PC clocks set years back.
    """

    NAME = "office_version_anachronism"
    NEEDS = frozenset({"documents"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        table = releases()
        for item in view.documents():
            release = table.get(("microsoft_office", _major(item.metadata.get("app_version"))))
            created = parse_when(item.metadata.get("created"))
            modified = parse_when(item.metadata.get("modified"))
            if release is None or created is None or created.date() >= release.released:
                continue
            saved_before = modified is not None and modified.date() < release.released
            what = "created and last saved" if saved_before else "created"
            yield self.finding(
                "warning" if saved_before else "info",
                item.path,
                None,
                f"{what} before {release.product} (AppVersion "
                f"{item.metadata.get('app_version')}) was released on {release.released}",
                application=item.metadata.get("application"),
                app_version=item.metadata.get("app_version"),
                product=release.product,
                release_date=release.released.isoformat(),
                created=item.metadata.get("created"),
                modified=item.metadata.get("modified"),
            )


def _major(version: object) -> int:
    match = _MAJOR.match(version) if isinstance(version, str) else None
    return int(match.group(1)) if match else -1
