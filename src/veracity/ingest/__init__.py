"""Reading a leak into a case: walk, identify, unpack, extract, write."""

from __future__ import annotations

from veracity.ingest.pipeline import ingest
from veracity.ingest.progress import LogProgress, Progress, SilentProgress, for_terminal

__all__ = ["LogProgress", "Progress", "SilentProgress", "for_terminal", "ingest"]
