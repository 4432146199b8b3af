"""camera_clusters: photos grouped by camera; the one that does not fit its camera or folder."""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict
from collections.abc import Iterator

from veracity.verify._phash import CROWD, BandIndex
from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView, FileView

#: a folder is "one camera's" when at least this share of at least this many photos is
STRAY_SHARE = 0.95
STRAY_MIN_PHOTOS = 10


def _camera(item: FileView) -> tuple[str, str, str] | None:
    meta = item.metadata
    make, model = meta.get("camera_make"), meta.get("camera_model")
    if not make and not model:
        return None
    return (str(make or ""), str(model or ""), str(meta.get("camera_serial") or ""))


def _copies(view: CaseView) -> dict[str, str]:
    """Each photo that looks like another photo of the leak -> that photo's path; photos in a
    crowd of look-alikes (uniform pictures) are nobody's copy."""
    index = BandIndex(view.images())
    photos = [item for _, item in index.hashes]
    partners: dict[int, list[int]] = defaultdict(list)
    for a, b, _ in index.pairs():
        partners[a].append(b)
        partners[b].append(a)
    return {
        photos[i].sha256: min(photos[j].path for j in others)
        for i, others in partners.items()
        if len(others) < CROWD
    }


def _signature(item: FileView) -> str | None:
    quantization = item.metadata.get("quantization")
    if isinstance(quantization, dict) and isinstance(quantization.get("sha256"), str):
        return str(quantization["sha256"])
    return None


class CameraClusters(Check):
    """A camera's photos share its JPEG quantization tables; a photo of that camera whose
    tables match none of its other photos was saved again by other software (warning) —
    unless it is a copy of another photo of the leak (perceptual hashes close, as
    `near_duplicate_photos` pairs them): a resized or re-encoded copy is `info`, naming the
    photo it copies. A photo from another camera in a folder that is otherwise one camera's is
    noted (info).

    Cameras write one table set per quality setting, so a body that shoots at two settings
    shows two signatures — each shared by many photos; only a signature no other photo of the
    camera has is reported. Folders mixing cameras on purpose are not reported at all.
    """

    NAME = "camera_clusters"
    SCOPE = "collection"
    NEEDS = frozenset({"images"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        by_camera: dict[tuple[str, str, str], list[FileView]] = defaultdict(list)
        by_folder: dict[str, list[tuple[FileView, tuple[str, str, str]]]] = defaultdict(list)
        for item in view.images():
            camera = _camera(item)
            if camera is None:
                continue
            by_camera[camera].append(item)
            by_folder[posixpath.dirname(item.path)].append((item, camera))
        copies = _copies(view)
        for camera, photos in by_camera.items():
            yield from self._lone_signatures(camera, photos, copies)
        for folder, members in by_folder.items():
            yield from self._strays(folder, members)

    def _lone_signatures(
        self,
        camera: tuple[str, str, str],
        photos: list[FileView],
        copies: dict[str, str] | None = None,
    ) -> Iterator[Finding]:
        signatures = Counter(s for s in map(_signature, photos) if s)
        if len(photos) < 3 or not signatures or signatures.most_common(1)[0][1] < 2:
            return
        for item in photos:
            signature = _signature(item)
            if signature and signatures[signature] == 1:
                original = (copies or {}).get(item.sha256)
                name = " ".join(camera).strip()
                yield self.finding(
                    "info" if original else "warning",
                    item.path,
                    None,
                    f"copy of {original}: resized or re-encoded (its JPEG tables match no other"
                    f" photo of {name})"
                    if original
                    else f"JPEG tables match no other photo of {name}: saved again by other"
                    " software",
                    copy_of=original,
                    camera=list(camera),
                    signature=signature,
                    camera_signatures=dict(signatures.most_common(5)),
                    quality=(item.metadata.get("quantization") or {}).get("quality"),
                )

    def _strays(
        self, folder: str, members: list[tuple[FileView, tuple[str, str, str]]]
    ) -> Iterator[Finding]:
        counts = Counter(camera for _, camera in members)
        main, main_count = counts.most_common(1)[0]
        if len(members) < STRAY_MIN_PHOTOS or main_count / len(members) < STRAY_SHARE:
            return
        for item, camera in members:
            if camera != main:
                yield self.finding(
                    "info",
                    item.path,
                    None,
                    f"the only photo of {' '.join(camera).strip()} in {folder or 'the top folder'},"
                    f" where {main_count} of {len(members)} are by {' '.join(main).strip()}",
                    camera=list(camera),
                    folder_camera=list(main),
                )
