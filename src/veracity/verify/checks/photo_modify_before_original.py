"""photo_modify_before_original: a photo modified before it was taken."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from veracity.verify.base import Check, Finding
from veracity.verify.checks.office_created_after_modified import parse_when
from veracity.verify.view import CaseView

#: Cameras write ModifyDate and DateTimeOriginal in the same second; allow rounding and subsecs.
TOLERANCE = timedelta(minutes=1)


class PhotoModifyBeforeOriginal(Check):
    """ModifyDate earlier than DateTimeOriginal.

    One camera clock writes both, so the modification cannot precede the shot; such a pair
    means one of the dates was rewritten by hand or by a tool. False positives: software that
    writes ModifyDate in UTC while DateTimeOriginal stays local (a few hours earlier).
    """

    NAME = "photo_modify_before_original"
    NEEDS = frozenset({"images"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        for item in view.images():
            taken = parse_when(item.metadata.get("taken_at"))
            modified = parse_when(item.metadata.get("modify_date"))
            if taken is None or modified is None:
                continue
            if (taken.tzinfo is None) != (modified.tzinfo is None):
                taken, modified = taken.replace(tzinfo=None), modified.replace(tzinfo=None)
            if taken - modified <= TOLERANCE:
                continue
            yield self.finding(
                "warning",
                item.path,
                None,
                f"modified {taken - modified} before it was taken",
                taken_at=item.metadata.get("taken_at"),
                modify_date=item.metadata.get("modify_date"),
                software=item.metadata.get("software"),
            )
