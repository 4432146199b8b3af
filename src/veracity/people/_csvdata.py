"""Reading the commented CSV tables in `people/data/` the same way everywhere.

The tables are reviewed by people, so they carry `#` comment lines saying where the data came
from; this reads past them and checks the header before any row is trusted.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from veracity.errors import DataFileError


def read_table(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, list[str]]]:
    """Each data row (cells stripped) with its 1-based line number; comments and blanks skipped.

    Raises `DataFileError` when the header is not exactly `columns` or a row has another width.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [(n, line) for n, line in enumerate(handle, 1) if not line.startswith("#")]
    if not lines or next(csv.reader([lines[0][1]])) != list(columns):
        raise DataFileError(path.name, "header", f"expected columns {','.join(columns)}")
    for number, line in lines[1:]:
        if not line.strip():
            continue
        row = [cell.strip() for cell in next(csv.reader([line]))]
        if len(row) != len(columns):
            problem = f"expected {len(columns)} columns, found {len(row)}"
            raise DataFileError(path.name, f"line {number} ({row[0]})", problem)
        yield number, row
