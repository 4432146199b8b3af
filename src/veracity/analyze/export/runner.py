"""Export a case: open its store, make the folder private, let one exporter write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from veracity.analyze.export.base import TABLES, Tables, Written, private_dir
from veracity.analyze.export.registry import exporter_for
from veracity.case import Case
from veracity.errors import UsageError
from veracity.store import open_store


@dataclass(frozen=True)
class Export:
    """What one export wrote, and whether its folder is closed to everyone but its owner."""

    out_dir: Path
    written: tuple[Written, ...]
    is_private_dir: bool


def default_dir(case: Case) -> Path:
    return case.root / "exports"


def export_case(
    case: Case, fmt: str, tables: Sequence[str] = TABLES, out_dir: Path | None = None
) -> Export:
    """Write `tables` of `case` in format `fmt` into `out_dir` (default CASE/exports/)."""
    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        raise UsageError(f"unknown table {unknown[0]!r} (one of {', '.join(TABLES)})")
    exporter = exporter_for(fmt)
    out_dir = out_dir or default_dir(case)
    is_private = private_dir(out_dir)
    names = [t for t in TABLES if t in tables]  # a fixed order, each table once
    store = open_store(case, migrate=False)
    try:
        written = exporter.write(Tables(store), names, out_dir)
    finally:
        store.close()
    return Export(out_dir, tuple(written), is_private)
