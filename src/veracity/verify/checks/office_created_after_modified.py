"""office_created_after_modified: a document whose creation date lies after its last save."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView

#: Office and PDF writers stamp both dates from one clock; allow rounding and slow saves.
TOLERANCE = timedelta(minutes=1)


class OfficeCreatedAfterModified(Check):
    """Core-property (or PDF Info) creation date later than the modification date.

    The writing program sets both from the same clock, so "created" after "modified" means
    one of them was edited by hand or by a metadata tool. False positives: a file copied
    between machines by a tool that rewrote one of the dates, or a PC clock set back.
    """

    NAME = "office_created_after_modified"
    NEEDS = frozenset({"documents"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        for item in view.office_files():
            created = parse_when(item.metadata.get("created"))
            modified = parse_when(item.metadata.get("modified"))
            if created is None or modified is None:
                continue
            if (created.tzinfo is None) != (modified.tzinfo is None):
                created, modified = created.replace(tzinfo=None), modified.replace(tzinfo=None)
            if created - modified <= TOLERANCE:
                continue
            yield self.finding(
                "warning",
                item.path,
                None,
                f"created {created - modified} after it was last modified",
                created=item.metadata.get("created"),
                modified=item.metadata.get("modified"),
                application=item.metadata.get("application"),
                last_modified_by=item.metadata.get("last_modified_by"),
            )


def parse_when(value: object) -> datetime | None:
    """An ISO 8601 date-time as the extractors store it; None when absent or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
