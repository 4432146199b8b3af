"""The exporter interface, the tables it reads, and private files for persons' data.

An export holds the most sensitive data of a case (names, ID numbers, detentions), so every
file is created readable by its owner only (0600) in a folder only its owner can enter (0700);
`private_file` is the one way an exporter opens one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, ClassVar

from veracity.store import Store

#: The tables an export can hold, in the order it writes them (the store's export queries).
TABLES = ("persons", "records", "files", "findings")
FILE_MODE = 0o600
DIR_MODE = 0o700


@dataclass(frozen=True)
class Written:
    """One file an export wrote: which table (or `entities`), how many rows or entities."""

    path: Path
    table: str
    rows: int


class Tables:
    """The exported tables of one case, streamed from its store (never all in memory)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def columns(self, table: str) -> tuple[tuple[str, str], ...]:
        """(name, kind) per column; kind is text, integer, float, date or json."""
        return self.store.export_columns(table)

    def rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        """The table's rows as stored (JSON columns as JSON text), in a fixed order."""
        return self.store.iter_export(table)

    def records(self, table: str) -> Iterator[dict[str, Any]]:
        """The table's rows as objects, JSON columns parsed: what JSON formats write."""
        columns = self.columns(table)
        for row in self.rows(table):
            yield {
                name: json.loads(value) if kind == "json" and value is not None else value
                for (name, kind), value in zip(columns, row, strict=True)
            }


class Exporter:
    """One output format. Subclasses declare `FORMAT` and implement `write`.

    `write` streams each requested table from `tables` into `out_dir` (already private) and
    returns what it wrote; it never reads the database itself.
    """

    FORMAT: ClassVar[str]

    def write(self, tables: Tables, names: Sequence[str], out_dir: Path) -> list[Written]:
        """Write the tables `names` into `out_dir`; one `Written` per file."""
        raise NotImplementedError


def private_dir(path: Path) -> bool:
    """Create `path` as a 0700 folder; False when it existed with wider access (left as is).

    An existing folder is not narrowed: it may be shared on purpose (or be /tmp); the caller
    tells the user instead.
    """
    if not path.exists():
        path.mkdir(parents=True, mode=DIR_MODE)
        path.chmod(DIR_MODE)  # mkdir's mode is masked by the umask
        return True
    return path.stat().st_mode & 0o077 == 0


def private_file(path: Path, mode: str = "w") -> IO[Any]:
    """Open `path` for writing, created (or truncated) with mode 0600 whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # an existing file keeps its old mode through O_CREAT
    if "b" in mode:
        return os.fdopen(fd, mode)
    return os.fdopen(fd, mode, encoding="utf-8", newline="")
