"""The one place checks are registered, in the order they run and are reported.

A new check is one module in `verify/checks/` plus one line here.
"""

from __future__ import annotations

from veracity.verify.base import Check
from veracity.verify.checks.camera_clusters import CameraClusters
from veracity.verify.checks.identical_files import IdenticalFiles
from veracity.verify.checks.near_duplicate_photos import NearDuplicatePhotos

CHECKS: tuple[type[Check], ...] = (
    IdenticalFiles,
    NearDuplicatePhotos,
    CameraClusters,
)
