"""Reading files: one extractor per family behind one registry."""

from __future__ import annotations

from veracity.extract._language import detect_language
from veracity.extract.base import Child, Derived, Extraction, Extractor, Item, Page, derive
from veracity.extract.registry import EXTRACTORS, choose

__all__ = [
    "EXTRACTORS",
    "Child",
    "Derived",
    "Extraction",
    "Extractor",
    "Item",
    "Page",
    "choose",
    "derive",
    "detect_language",
]
