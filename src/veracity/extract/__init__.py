"""Reading files: one extractor per family behind one registry."""

from __future__ import annotations

from veracity.extract.base import Child, Extraction, Extractor, Item
from veracity.extract.registry import EXTRACTORS, choose

__all__ = ["EXTRACTORS", "Child", "Extraction", "Extractor", "Item", "choose"]
