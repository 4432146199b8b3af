"""Numbered schema migrations, applied in order and recorded in `schema_version`.

A migration names the tables it creates (never `metadata.create_all()`), so that migration 1 still
builds exactly the first schema after later migrations have added tables to `schema.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, insert, inspect, select

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


MIGRATIONS: tuple[Migration, ...] = (Migration(1, "initial", _initial),)

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
