"""Numbered schema migrations, applied in order and recorded in `schema_version`.

A migration names the tables it creates (never `metadata.create_all()`), so that migration 1 still
builds only the first tables after later migrations have added tables to `schema.py`. Columns a
later migration adds to an existing table are added only where missing (`_add_column`), since
migration 1 builds that table with today's columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, insert, inspect, select, text

from veracity.errors import CaseError
from veracity.store import schema


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Connection], None]


def _initial(conn: Connection) -> None:
    tables = [
        schema.sources,
        schema.files,
        schema.paths,
        schema.extractions,
        schema.findings,
        schema.runs,
    ]
    schema.metadata.create_all(conn, tables=tables)


def _pages_rows_locators(conn: Connection) -> None:
    """Text per page/slide, spreadsheet rows, member locators, text language (extraction)."""
    schema.metadata.create_all(conn, tables=[schema.pages, schema.rows])
    _add_column(conn, "paths", "locator", "TEXT")
    _add_column(conn, "extractions", "language", "VARCHAR(16)")


def _records(conn: Connection) -> None:
    """Person records read from the registers (people/records.py)."""
    schema.metadata.create_all(conn, tables=[schema.records])


def _persons(conn: Connection) -> None:
    """Records linked into persons, users' merge/split decisions, photos (people/linking.py)."""
    tables = [schema.persons, schema.person_records, schema.person_decisions, schema.person_photos]
    schema.metadata.create_all(conn, tables=tables)
    for index in schema.SEARCH_INDEXES:  # `people find`/`show` on cases from before
        index.create(conn, checkfirst=True)


def _search_state(conn: Connection) -> None:
    """What the search index holds, so the next ingest indexes only what changed."""
    schema.metadata.create_all(conn, tables=[schema.search_state])


def _person_names(conn: Connection) -> None:
    """Every name key pair of each person, for `people find` (filled by the next linking)."""
    schema.metadata.create_all(conn, tables=[schema.person_names])


def _register_kinds(conn: Connection) -> None:
    """Each sheet's kind of list and column map; each record's kind (filled by the next build)."""
    schema.metadata.create_all(conn, tables=[schema.registers])
    _add_column(conn, "records", "register_kind", "VARCHAR(20)")
    _add_column(conn, "persons", "kinds", "TEXT")


def _name_parts(conn: Connection) -> None:
    """Each distinct name part's sound codes, for `people find` (filled by the next linking)."""
    schema.metadata.create_all(conn, tables=[schema.name_parts])


def _add_column(conn: Connection, table: str, column: str, sql_type: str) -> None:
    # migration 1 creates tables from schema.py as it is now, so on a new case the column is
    # already there; on a case made by an older veracity it is added
    if column not in {c["name"] for c in inspect(conn).get_columns(table)}:
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}"))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial", _initial),
    Migration(2, "pages_rows_locators", _pages_rows_locators),
    Migration(3, "records", _records),
    Migration(4, "persons", _persons),
    Migration(5, "search_state", _search_state),
    Migration(6, "person_names", _person_names),
    Migration(7, "register_kinds", _register_kinds),
    Migration(8, "name_parts", _name_parts),
)

LATEST = MIGRATIONS[-1].version


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    found = conn.execute(select(schema.schema_version.c.version)).scalars().all()
    return max(found, default=0)


def migrate(conn: Connection) -> int:
    """Bring the schema to `LATEST`; refuse a case written by a newer veracity."""
    schema.metadata.create_all(conn, tables=[schema.schema_version])
    version = current_version(conn)
    if version > LATEST:
        raise CaseError(
            f"this case has schema {version}; this veracity knows up to {LATEST}: upgrade veracity"
        )
    for migration in MIGRATIONS:
        if migration.version > version:
            migration.apply(conn)
            conn.execute(
                insert(schema.schema_version).values(version=migration.version, name=migration.name)
            )
    return LATEST
