"""near_duplicate_photos: the same picture saved more than once (re-encoded, resized)."""

from __future__ import annotations

from collections.abc import Iterator

from veracity.verify._phash import CROWD, BandIndex
from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView, FileView

#: more photos than this all alike are one crowd of look-alikes, reported once, not pair by pair
MAX_GROUP = CROWD


def _groups(pairs: list[tuple[int, int, int]]) -> dict[int, set[int]]:
    """Connected photos (union of close pairs): each photo's group, shared by its members."""
    groups: dict[int, set[int]] = {}
    for a, b, _ in pairs:
        ga, gb = groups.get(a, {a}), groups.get(b, {b})
        if ga is gb:
            continue
        big, small = (ga, gb) if len(ga) >= len(gb) else (gb, ga)
        big |= small
        for member in big:
            groups[member] = big
    return groups


class NearDuplicatePhotos(Check):
    """Photos whose perceptual hashes are within a few bits: one picture, saved again.

    Corroborating, not suspicious: a leak's photo copied into a report, a re-saved copy, a
    resized preview. Reported as `info` with the distance, so an editor can follow a picture
    through the leak. False positives: near-uniform pictures (a blank wall, a black frame)
    hash alike; the distance in evidence shows how close.
    """

    NAME = "near_duplicate_photos"
    SCOPE = "collection"
    NEEDS = frozenset({"images"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        index = BandIndex(view.images())
        photos = [item for _, item in index.hashes]
        pairs = index.pairs()
        groups = _groups(pairs)
        for a, b, distance in pairs:
            if len(groups[a]) <= MAX_GROUP:
                yield self._pair(photos[a], photos[b], distance)
        for group in {id(g): g for g in groups.values() if len(g) > MAX_GROUP}.values():
            yield self._crowd([photos[i] for i in sorted(group)])

    def _crowd(self, members: list[FileView]) -> Finding:
        paths = sorted(m.path for m in members)
        return self.finding(
            "info",
            paths[0],
            None,
            f"{len(paths)} pictures look nearly alike — usually uniform pictures (ID photos"
            " against one background, blank pages), so they are not listed pair by pair",
            count=len(paths),
            paths=paths[:50],
        )

    def _pair(self, a: FileView, b: FileView, distance: int) -> Finding:
        first, second = sorted((a, b), key=lambda f: f.path)
        return self.finding(
            "info",
            first.path,
            None,
            f"the same picture as {second.path} (perceptual hashes {distance} bits apart)",
            other_path=second.path,
            distance=distance,
            sizes=[first.metadata.get("width"), second.metadata.get("width")],
        )
