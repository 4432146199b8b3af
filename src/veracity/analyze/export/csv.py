"""CSV: one file per table, UTF-8 with a byte-order mark so spreadsheet programs read Chinese.

JSON columns stay JSON text in their cell; empty cells are nulls.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from veracity.analyze.export.base import Exporter, Tables, Written, private_file


def write_csv(tables: Tables, table: str, path: Path, *, bom: bool = True) -> int:
    """Stream one table into a CSV file at `path`; the number of rows."""
    n = 0
    with private_file(path) as out:
        if bom:
            out.write("\ufeff")  # Excel takes a BOM-less UTF-8 CSV for the local code page
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(name for name, _ in tables.columns(table))
        for row in tables.rows(table):
            writer.writerow(row)
            n += 1
    return n


class CsvExporter(Exporter):
    FORMAT = "csv"

    def write(self, tables: Tables, names: Sequence[str], out_dir: Path) -> list[Written]:
        written = []
        for table in names:
            path = out_dir / f"{table}.csv"
            written.append(Written(path, table, write_csv(tables, table, path)))
        return written
