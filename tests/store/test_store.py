"""The case database: schema versioning, WAL, idempotent writes."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from veracity.case import Case
from veracity.errors import CaseError
from veracity.store import Batch, ExtractionRecord, FileRecord, PathRecord, open_store
from veracity.store._migrations import LATEST


def test_new_case_is_migrated_to_latest_in_wal_mode(make_case: Callable[..., Case]) -> None:
    case = make_case()
    store = open_store(case)
    assert store.schema_version() == LATEST
    store.close()
    with sqlite3.connect(case.db_path) as conn:
        assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    assert {"sources", "files", "paths", "extractions", "findings", "schema_version"} <= tables
    # opening again applies nothing twice
    assert open_store(case).schema_version() == LATEST


def test_a_newer_case_is_refused(make_case: Callable[..., Case]) -> None:
    case = make_case()
    open_store(case).close()
    with sqlite3.connect(case.db_path) as conn:
        conn.execute("insert into schema_version values (?, 'future')", (LATEST + 1,))
    with pytest.raises(CaseError, match="upgrade veracity"):
        open_store(case)


def test_writes_are_idempotent_upserts(make_case: Callable[..., Case]) -> None:
    case = make_case()
    store = open_store(case)
    sid = store.source_id("/leak")
    assert store.source_id("/leak") == sid
    batch = Batch(
        files=[FileRecord("a" * 64, 3, "text/plain", "ASCII text")],
        paths=[PathRecord(sid, "x.txt", "a" * 64, None, "text/plain", 3, mtime_ns=5)],
        extractions=[ExtractionRecord("a" * 64, "text", "1", "pending", text="abc")],
    )
    store.write(batch)
    assert not store.is_extracted("a" * 64)
    store.write(batch)
    store.write(Batch(statuses=[("a" * 64, "done")]))
    assert store.is_extracted("a" * 64)
    content = store.dump_content()
    assert len(content["paths"]) == 1 and len(content["files"]) == 1
    assert store.path_states(sid)["x.txt"].status == "done"
    store.close()
