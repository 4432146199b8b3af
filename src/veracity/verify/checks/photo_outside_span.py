"""photo_outside_span: a photo dated outside the time the collection was taken in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from veracity.verify.base import Check, Finding
from veracity.verify.checks.photo_time_travel import _taken
from veracity.verify.view import CaseView, FileView

#: digital cameras with EXIF dates did not exist before this; a reset clock reads 1970–2000
EARLIEST = datetime(1995, 1, 1)
#: beyond the collection's 10th–90th percentile span by more than this: far from the rest
MARGIN = timedelta(days=730)
MIN_PHOTOS = 20


class PhotoOutsideSpan(Check):
    """Photos of one leak were taken within a span of months or years. A date in the future
    or before digital cameras (a reset clock, a hand-edited date) is a warning; a date two
    years or more outside the span of the collection's other photos is info.

    Known false positives: a camera whose clock was never set (dates in 2000 or 2010 are
    common defaults) — which is itself worth knowing; old photos scanned into the leak carry
    the scanner's date, not the picture's.
    """

    NAME = "photo_outside_span"
    SCOPE = "collection"
    NEEDS = frozenset({"images"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        dated = [(taken, item) for item in view.images() if (taken := _taken(item)) is not None]
        now = datetime.now()
        for taken, item in dated:
            if taken > now or taken < EARLIEST:
                yield self._finding("warning", item, taken, "a date no camera could have taken")
        possible = sorted(t for t, _ in dated if EARLIEST <= t <= now)
        if len(possible) < MIN_PHOTOS:
            return
        low = possible[len(possible) * 10 // 100]
        high = possible[min(len(possible) - 1, len(possible) * 90 // 100)]
        for taken, item in dated:
            if EARLIEST <= taken <= now and (taken < low - MARGIN or taken > high + MARGIN):
                yield self._finding(
                    "info", item, taken, f"far outside the collection's span ({low:%Y-%m} to"
                    f" {high:%Y-%m})", span=[low.isoformat(), high.isoformat()],
                )  # fmt: skip

    def _finding(
        self, severity: str, item: FileView, taken: datetime, why: str, **evidence: object
    ) -> Finding:
        return self.finding(
            "warning" if severity == "warning" else "info",
            item.path,
            None,
            f"taken {taken:%Y-%m-%d %H:%M}: {why}",
            taken_at=taken.isoformat(),
            camera=[item.metadata.get("camera_make"), item.metadata.get("camera_model")],
            **evidence,
        )
