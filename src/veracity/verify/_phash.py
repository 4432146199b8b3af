"""Perceptual hashes of photos, and the banding that finds close hashes without all pairs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from veracity.verify.view import FileView

#: Hamming distance (of 64 bits) up to which two perceptual hashes are the same picture
MAX_DISTANCE = 6
#: the hash is cut into this many bands; two hashes within MAX_DISTANCE share at least one band
#: (pigeonhole), so only photos sharing a band are compared — not every pair
BANDS = MAX_DISTANCE + 1


def phash_of(item: FileView) -> int | None:
    """The photo's 64-bit perceptual hash from its metadata, or None when it has none."""
    phash = item.metadata.get("phash")
    if not isinstance(phash, str):
        return None
    try:
        return int(phash, 16)
    except ValueError:
        return None


def bands(value: int) -> list[tuple[int, int]]:
    width = 64 // BANDS
    return [(i, (value >> (i * width)) & ((1 << width) - 1)) for i in range(BANDS)]


#: more photos than this all alike are one crowd of look-alikes (uniform pictures such as ID
#: photos against one background), not copies of each other
CROWD = 10


class BandIndex:
    """Photos by band, so a query compares only photos sharing a band with it."""

    def __init__(self, photos: Iterable[FileView]) -> None:
        self.hashes: list[tuple[int, FileView]] = []
        self.buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
        for item in photos:
            value = phash_of(item)
            if value is not None:
                for band in bands(value):
                    self.buckets[band].append(len(self.hashes))
                self.hashes.append((value, item))

    def near(self, value: int) -> Iterator[tuple[FileView, int]]:
        """Indexed photos within MAX_DISTANCE of `value`, each once, with the distance."""
        seen: set[int] = set()
        for band in bands(value):
            for index in self.buckets.get(band, ()):
                if index not in seen:
                    seen.add(index)
                    distance = (self.hashes[index][0] ^ value).bit_count()
                    if distance <= MAX_DISTANCE:
                        yield self.hashes[index][1], distance

    def pairs(self) -> list[tuple[int, int, int]]:
        """Every pair of indexed photos within MAX_DISTANCE: (index, index, distance), each
        pair once, the smaller index first."""
        seen: set[tuple[int, int]] = set()
        found = []
        for members in self.buckets.values():
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    pair = (a, b) if a < b else (b, a)
                    if pair in seen:
                        continue
                    seen.add(pair)
                    distance = (self.hashes[a][0] ^ self.hashes[b][0]).bit_count()
                    if distance <= MAX_DISTANCE:
                        found.append((*pair, distance))
        return found
