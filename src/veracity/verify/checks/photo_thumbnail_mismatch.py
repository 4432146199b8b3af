"""photo_thumbnail_mismatch: the EXIF thumbnail shows a different picture than the image."""

from __future__ import annotations

from collections.abc import Iterator

from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView

#: Bits of the 64-bit perceptual hashes that may differ before the pictures count as different.
#: A camera's own thumbnail of the same picture differs by a few bits (scaling, compression).
MAX_DISTANCE = 11


class PhotoThumbnailMismatch(Check):
    """The EXIF thumbnail's perceptual hash is far from the image's.

    Cameras write the thumbnail with the picture; many editors change the picture but keep the
    old thumbnail, which then shows what was there before. False positives: a few cameras'
    thumbnails are cropped to another aspect ratio, and nearly blank pictures hash unstably.
    """

    NAME = "photo_thumbnail_mismatch"
    NEEDS = frozenset({"images"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        for item in view.images():
            thumbnail = item.metadata.get("thumbnail")
            image_hash = item.metadata.get("phash")
            if not isinstance(thumbnail, dict):
                continue
            distance = hamming(image_hash, thumbnail.get("phash"))
            if distance is None or distance <= MAX_DISTANCE:
                continue
            yield self.finding(
                "warning",
                item.path,
                None,
                f"EXIF thumbnail differs from the image ({distance} of 64 hash bits)",
                distance=distance,
                phash=image_hash,
                thumbnail_phash=thumbnail.get("phash"),
                thumbnail_sha256=thumbnail.get("sha256"),
            )


def hamming(a: object, b: object) -> int | None:
    """Bits that differ between two hex hashes of equal length; None if either is unusable."""
    if not isinstance(a, str) or not isinstance(b, str) or len(a) != len(b):
        return None
    try:
        return (int(a, 16) ^ int(b, 16)).bit_count()
    except ValueError:
        return None
