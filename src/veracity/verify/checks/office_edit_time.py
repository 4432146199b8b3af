"""office_edit_time: more editing time recorded than passed between creation and last save."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from veracity.verify.base import Check, Finding
from veracity.verify.checks.office_created_after_modified import parse_when
from veracity.verify.view import CaseView

#: Office counts editing time in whole minutes and rounds up; an hour of slack absorbs that
#: and a clock set slightly wrong on one of the two saves
SLACK = timedelta(hours=1)


class OfficeEditTime(Check):
    """Office adds up the minutes a document was open for editing (TotalTime); they cannot
    exceed the time between its creation and its last save.

    More editing time than elapsed time means the dates (or the counter) were changed after
    the fact, or the file was made from another document's properties. Files whose created
    date is after the modified date are left to `office_created_after_modified`. Known false
    positives: some converters copy TotalTime from the source file while resetting the dates.
    """

    NAME = "office_edit_time"
    SCOPE = "file"
    NEEDS = frozenset({"documents"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        for item in view.office_files():
            meta = item.metadata
            minutes = meta.get("total_time")
            created, modified = parse_when(meta.get("created")), parse_when(meta.get("modified"))
            if not isinstance(minutes, int) or created is None or modified is None:
                continue
            try:
                span = modified - created
            except TypeError:  # one date with a zone, the other without
                continue
            if span < timedelta(0) or timedelta(minutes=minutes) <= span + SLACK:
                continue
            yield self.finding(
                "warning",
                item.path,
                None,
                f"{minutes} minutes of editing recorded, but only {span} passed between"
                " creation and last save",
                total_time_minutes=minutes,
                created=meta.get("created"),
                modified=meta.get("modified"),
                application=meta.get("application"),
            )
