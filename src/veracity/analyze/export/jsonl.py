"""JSON Lines: one object a line per row, JSON columns as nested objects (not text)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from veracity.analyze.export.base import Exporter, Tables, Written, private_file


class JsonlExporter(Exporter):
    FORMAT = "jsonl"

    def write(self, tables: Tables, names: Sequence[str], out_dir: Path) -> list[Written]:
        written = []
        for table in names:
            path = out_dir / f"{table}.jsonl"
            n = 0
            with private_file(path) as out:
                for record in tables.records(table):
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    n += 1
            written.append(Written(path, table, n))
        return written
