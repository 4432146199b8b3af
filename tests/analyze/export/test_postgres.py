"""The export queries on PostgreSQL: the same rows as on SQLite (JSON Lines compared)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.analyze.export.conftest import build_case
from veracity.analyze.export import export_case
from veracity.case import Case, open_case


def _tables(case: Case, out: Path) -> dict[str, list[str]]:
    done = export_case(case, "jsonl", out_dir=out)
    # PostgreSQL's collation may order paths differently: compare the rows as sets
    return {w.table: sorted(w.path.read_text("utf-8").splitlines()) for w in done.written}


def _entities(case: Case, out: Path) -> list[dict[str, Any]]:
    done = export_case(case, "ftm", out_dir=out)
    lines = done.written[0].path.read_text("utf-8").splitlines()
    return sorted((json.loads(line) for line in lines), key=lambda e: str(e["id"]))


def test_exports_on_postgresql_equal_sqlite(
    export_case_dir: Path, tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_sqlite = open_case(export_case_dir)
    expected, entities = _tables(on_sqlite, tmp_path / "a"), _entities(on_sqlite, tmp_path / "b")
    monkeypatch.setenv("VERACITY_DATABASE_URL", postgres_url)
    on_postgres = open_case(build_case(tmp_path / "pg"), create=True)  # no case.db there
    assert _tables(on_postgres, tmp_path / "c") == expected
    assert _entities(on_postgres, tmp_path / "d") == entities
