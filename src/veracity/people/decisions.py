"""A user's corrections of linking: merge two persons, split a record off a person.

A decision names records ("sha256/sheet/row"), not person ids, so it survives every rebuild
and re-ingest; after recording it, the persons are linked again at once.
"""

from __future__ import annotations

from typing import Any

from veracity.case import Case
from veracity.errors import UsageError
from veracity.people.linking import merge_records, record_key, split_records
from veracity.people.search import show
from veracity.people.stage import update_people
from veracity.store import open_store


def _key(record: dict[str, Any]) -> str:
    return record_key(record["sha256"], record["locator"]["sheet"], record["locator"]["row"])


def _relink(case: Case) -> dict[str, Any]:
    store = open_store(case)
    try:
        return update_people(case, store, rows_written=False, files_read=0)
    finally:
        store.close()


def merge_persons(case: Case, a: str, b: str, note: str | None = None) -> dict[str, Any]:
    """Make persons `a` and `b` one person (e.g. a relative confirmed it); the new figures."""
    if a == b:
        raise UsageError("give two different persons to merge")
    first, second = show(case, a), show(case, b)
    merge_records(case, _key(first["records"][0]), _key(second["records"][0]), note)
    return _relink(case)


def split_record(
    case: Case,
    person_id: str,
    sheet: str,
    row: int,
    path: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Take one record (by sheet and row, and path if ambiguous) off a person; new figures."""
    person = show(case, person_id)
    chosen = [
        r
        for r in person["records"]
        if r["locator"] == {"sheet": sheet, "row": row} and (path is None or path in r["paths"])
    ]
    if len(chosen) != 1:
        found = "no record" if not chosen else "several records (give --path)"
        raise UsageError(f"{person_id} has {found} at sheet {sheet!r} row {row}")
    if len(person["records"]) == 1:
        raise UsageError(f"{person_id} has only this record: nothing to split")
    target = _key(chosen[0])
    for other in person["records"]:
        if _key(other) != target:
            split_records(case, target, _key(other), note)
    return _relink(case)
