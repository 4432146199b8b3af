"""Every export format, in one tuple: a new format is one module plus one line here."""

from __future__ import annotations

from veracity.analyze.export.base import Exporter
from veracity.analyze.export.csv import CsvExporter
from veracity.analyze.export.ftm import FtmExporter
from veracity.analyze.export.jsonl import JsonlExporter
from veracity.analyze.export.parquet import ParquetExporter
from veracity.errors import UsageError

EXPORTERS: tuple[type[Exporter], ...] = (CsvExporter, JsonlExporter, ParquetExporter, FtmExporter)
FORMATS = tuple(exporter.FORMAT for exporter in EXPORTERS)


def exporter_for(fmt: str) -> Exporter:
    for exporter in EXPORTERS:
        if fmt == exporter.FORMAT:
            return exporter()
    raise UsageError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
