"""reference_photos: leak photos that were published before (`--reference`)."""

from __future__ import annotations

from collections.abc import Iterator

from veracity.verify._phash import BandIndex, phash_of
from veracity.verify._reference import reference_view
from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView


class ReferencePhotos(Check):
    """Leak photos whose perceptual hash matches a photo in the reference folder.

    Corroborating: a picture that appeared in public before (a news site, a government
    report) and is in the leak too — re-encoded, resized or stripped of EXIF — ties the two.
    Reported as `info` with the distance in bits. False positives: near-uniform pictures
    (a blank wall, a black frame) hash alike; the distance in evidence shows how close.
    """

    NAME = "reference_photos"
    SCOPE = "collection"
    NEEDS = frozenset({"images", "reference"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        with reference_view(view) as ref:
            published = BandIndex(ref.images())
        for item in view.images():
            value = phash_of(item)
            if value is None:
                continue
            for match, distance in sorted(published.near(value), key=lambda m: m[0].path):
                yield self.finding(
                    "info",
                    item.path,
                    None,
                    f"published before as {match.path} (perceptual hashes {distance} bits apart)",
                    reference_path=match.path,
                    distance=distance,
                    sizes=[item.metadata.get("width"), match.metadata.get("width")],
                )
