"""The figures are SQL aggregates through SQLAlchemy Core: PostgreSQL must give exactly what
SQLite gives for the same leak."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.analyze.conftest import Leak
from tests.conftest import run_ingest
from veracity.analyze.stats import compute_stats
from veracity.case import open_case


def test_stats_on_postgresql_equal_sqlite(
    stats_leak: Leak, tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_sqlite = compute_stats(stats_leak.case)
    leak = stats_leak.case.root.parent / "leak"
    monkeypatch.setenv("VERACITY_DATABASE_URL", postgres_url)
    case = open_case(tmp_path / "pg-case", create=True)
    run_ingest(case, leak, workers=1)
    assert compute_stats(case) == on_sqlite
