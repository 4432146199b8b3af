"""The same case on PostgreSQL: the schema, the ingest and its content equal SQLite's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import dump, paths_of, run_ingest
from veracity.case import Case
from veracity.store import open_store
from veracity.store._migrations import LATEST


def test_schema_is_migrated_on_postgresql(
    make_case: Callable[..., Case], postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERACITY_DATABASE_URL", postgres_url)
    store = open_store(make_case())
    try:
        assert store.engine.dialect.name == "postgresql"
        assert store.schema_version() == LATEST
    finally:
        store.close()
    again = open_store(make_case())  # the same database again: nothing is applied twice
    try:
        assert again.schema_version() == LATEST
    finally:
        again.close()


def test_ingest_on_postgresql_equals_sqlite(
    make_case: Callable[..., Case],
    small_source: Path,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import zipfile

    with zipfile.ZipFile(small_source / "bundle.zip", "w") as zf:
        zf.writestr("inner/x.txt", "成员")
        zf.writestr("../evil.txt", "refused")
    on_sqlite = make_case()
    run_ingest(on_sqlite, small_source)
    expected = dump(on_sqlite)

    monkeypatch.setenv("VERACITY_DATABASE_URL", postgres_url)
    on_postgres = make_case()
    summary = run_ingest(on_postgres, small_source)
    assert summary["case"]["paths"] == len(expected["paths"])
    assert dump(on_postgres) == expected
    assert run_ingest(on_postgres, small_source)["run"]["read"] == 0
    assert paths_of(on_postgres)["bundle.zip!/inner/x.txt"]["status"] == "done"
