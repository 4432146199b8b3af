"""The records table: migration 3 on an older case, replace/iterate/count round trip."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from veracity.case import Case
from veracity.store import Batch, FileRecord, PersonRecord, open_store
from veracity.store._migrations import LATEST


def _case_with_file(make_case: Callable[..., Case]) -> tuple[Case, str]:
    case = make_case()
    store = open_store(case)
    store.write(Batch(files=[FileRecord("a" * 64, 1, "text/csv", "CSV")]))
    store.close()
    return case, "a" * 64


def test_records_round_trip_and_replace(make_case: Callable[..., Case]) -> None:
    case, sha = _case_with_file(make_case)
    store = open_store(case)
    first = [
        PersonRecord(sha, "S", 3, "valid", name_raw="艾山", id_number="1" * 18, extra={"序号": 1}),
        PersonRecord(sha, "S", 2, "missing", name_raw="古丽", sentence_months=191),
    ]
    assert store.replace_records(sha, first) == 2
    assert list(store.iter_records()) == sorted(first, key=lambda r: r.row)
    assert store.count_records() == 2 and store.record_contents() == {sha}
    assert store.replace_records(sha, first[:1]) == 1  # the earlier records of the content go
    assert list(store.iter_records(sha)) == first[:1] and store.count_records() == 1
    with pytest.raises(ValueError, match="given for"):
        store.replace_records("b" * 64, first)
    store.close()


def test_migration_3_adds_records_to_an_older_case(make_case: Callable[..., Case]) -> None:
    case, _ = _case_with_file(make_case)
    with sqlite3.connect(case.db_path) as conn:  # make it a case written before migration 3
        conn.execute("drop table records")
        conn.execute("delete from schema_version where version >= 3")
    store = open_store(case)
    assert store.schema_version() == LATEST and store.count_records() == 0
    store.close()
