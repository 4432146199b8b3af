"""Exports of a case's persons, records, files and findings: CSV, JSON Lines, Parquet, FtM.

One module per format behind `Exporter` (base.py), listed in `registry.EXPORTERS`; every
table is streamed from the store, and every file is private to its owner (0600 in 0700).
"""

from __future__ import annotations

from veracity.analyze.export.base import TABLES, Exporter, Tables, Written
from veracity.analyze.export.registry import EXPORTERS, FORMATS, exporter_for
from veracity.analyze.export.runner import Export, default_dir, export_case

__all__ = [
    "EXPORTERS",
    "FORMATS",
    "TABLES",
    "Export",
    "Exporter",
    "Tables",
    "Written",
    "default_dir",
    "export_case",
    "exporter_for",
]
