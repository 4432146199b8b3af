"""photo_time_travel: a camera's numbered series whose times go backwards."""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta

from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView, FileView

#: how cameras name their files: a short prefix and a counter (IMG_0412, DSC_0007, DSCF1234,
#: DSC05898, _MG_1234, GOPR0042); names made by people or software (time stamps, ID numbers)
#: are not series
_NUMBER = re.compile(r"^[A-Za-z_]{1,5}[_-]?(\d{4,5})$")
#: a step back smaller than this is clock noise or a burst, not time travel
TOLERANCE = timedelta(minutes=2)


def _taken(item: FileView) -> datetime | None:
    value = item.metadata.get("taken_at")
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value[:19])
    except ValueError:
        return None


class PhotoTimeTravel(Check):
    """Within one camera body, file numbers grow with every shot, and so does the time.

    A photo numbered after another but taken clearly before it had its date changed, or comes
    from another card or camera with the same name. Counter resets (numbers wrapping past
    9999, a new card) restart the order: only a step back inside an ascending run is reported,
    and steps under two minutes are clock noise.
    """

    NAME = "photo_time_travel"
    SCOPE = "collection"
    NEEDS = frozenset({"images"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        series: dict[tuple[str, str, str], list[tuple[int, datetime, FileView]]] = defaultdict(list)
        for item in view.images():
            meta = item.metadata
            taken = _taken(item)
            match = _NUMBER.match(posixpath.basename(item.path).rsplit(".", 1)[0])
            if taken is None or match is None or not (meta.get("camera_model")):
                continue
            camera = (
                str(meta.get("camera_make") or ""),
                str(meta.get("camera_model")),
                str(meta.get("camera_serial") or ""),
            )
            series[camera].append((int(match.group(1)), taken, item))
        for camera, shots in series.items():
            shots.sort(key=lambda s: (s[0], s[2].path))
            latest: tuple[int, datetime, FileView] | None = None
            for shot in shots:
                if latest is not None and shot[1] < latest[1] - TOLERANCE:
                    yield self._backwards(camera, shot, latest)
                if latest is None or shot[1] > latest[1]:
                    latest = shot

    def _backwards(
        self,
        camera: tuple[str, str, str],
        shot: tuple[int, datetime, FileView],
        latest: tuple[int, datetime, FileView],
    ) -> Finding:
        number, taken, item = shot
        return self.finding(
            "warning",
            item.path,
            None,
            f"taken {latest[1] - taken} before {latest[2].path}, a lower-numbered shot of the"
            f" same camera",
            camera=list(camera),
            number=number,
            taken_at=taken.isoformat(),
            other_path=latest[2].path,
            other_number=latest[0],
            other_taken_at=latest[1].isoformat(),
        )
