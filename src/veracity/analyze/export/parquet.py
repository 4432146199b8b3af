"""Parquet through DuckDB: each table goes to a private temporary CSV, then `COPY … TO`.

DuckDB's CSV reader and Parquet writer are built in, so nothing is downloaded. Columns get
their kind's type (BIGINT, DOUBLE, DATE, VARCHAR; JSON stays VARCHAR text, which every
Parquet reader can parse); a date a register wrote badly becomes null rather than failing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from veracity.analyze.export.base import FILE_MODE, Exporter, Tables, Written
from veracity.analyze.export.csv import write_csv

_TYPES = {"text": "VARCHAR", "json": "VARCHAR", "integer": "BIGINT", "float": "DOUBLE"}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _select(columns: tuple[tuple[str, str], ...], csv_path: Path) -> str:
    """A query over the CSV that reads every column as text and casts it to its kind."""
    as_text = ", ".join(f"{_literal(name)}: 'VARCHAR'" for name, _ in columns)
    casts = ", ".join(
        f"TRY_CAST({_quote(name)} AS {_TYPES.get(kind, 'DATE')}) AS {_quote(name)}"
        for name, kind in columns
    )
    source = (
        f"read_csv({_literal(str(csv_path))}, header = true, columns = {{{as_text}}}, "
        "quote = '\"', escape = '\"', nullstr = '', new_line = '\\n', encoding = 'utf-8')"
    )
    return f"SELECT {casts} FROM {source}"


class ParquetExporter(Exporter):
    FORMAT = "parquet"

    def write(self, tables: Tables, names: Sequence[str], out_dir: Path) -> list[Written]:
        written = []
        with duckdb.connect(":memory:") as db:
            for table in names:
                csv_path = out_dir / f".{table}.parquet.csv"
                path = out_dir / f"{table}.parquet"
                try:
                    n = write_csv(tables, table, csv_path, bom=False)
                    query = _select(tables.columns(table), csv_path)
                    db.execute(f"COPY ({query}) TO {_literal(str(path))} (FORMAT PARQUET)")
                finally:
                    csv_path.unlink(missing_ok=True)
                path.chmod(FILE_MODE)  # DuckDB creates it with the umask's mode
                written.append(Written(path, table, n))
        return written
