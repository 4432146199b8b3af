"""The case database: schema, migrations and the typed API every other stage uses."""

from __future__ import annotations

from veracity.case import Case
from veracity.store._migrations import LATEST as LATEST_SCHEMA
from veracity.store._persons import PersonDecision, PersonLink, PersonRow
from veracity.store._store import Store
from veracity.store.records import (
    COUNTED_KINDS,
    PEOPLE_KINDS,
    POPULATION_KINDS,
    REGISTER_KINDS,
    Batch,
    ExtractionRecord,
    FileRecord,
    PageRecord,
    PathRecord,
    PathState,
    PersonRecord,
    RegisterSheet,
)

__all__ = [
    "COUNTED_KINDS",
    "LATEST_SCHEMA",
    "PEOPLE_KINDS",
    "POPULATION_KINDS",
    "REGISTER_KINDS",
    "Batch",
    "ExtractionRecord",
    "FileRecord",
    "PageRecord",
    "PathRecord",
    "PathState",
    "PersonDecision",
    "PersonLink",
    "PersonRecord",
    "PersonRow",
    "RegisterSheet",
    "Store",
    "open_store",
]


def open_store(case: Case, *, migrate: bool = True) -> Store:
    """The store of a case, its schema brought up to date (only writers should migrate)."""
    store = Store(case.database_url)
    if migrate:
        store.migrate()
    return store
