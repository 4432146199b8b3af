"""The store's reads for exports: each exported table as one streamed, ordered query.

`Store` inherits these methods; `analyze/export/` writes what they yield as CSV, JSON Lines,
Parquet or FollowTheMoney entities. Every read streams (`yield_per`), so an export of half a
million persons never holds them all in memory; every query has a total order, so two exports
of one case are identical. Column kinds (`text`, `integer`, `float`, `date`, `json`) are
declared beside the query so typed formats (Parquet) need no second list.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, Select, func, select

from veracity.store import schema
from veracity.store._analyze_sql import kind_sql

_CHUNK = 5_000

#: Columns whose text is JSON written by the store (objects or lists, or null).
_JSON = frozenset({"extra", "locator", "metadata", "evidence", "link_evidence"})
#: Columns holding ISO dates (YYYY-MM-DD) or null.
_DATES = frozenset({"birth_date", "detention_start", "id_birth_date"})


def _first_paths() -> Any:
    """One path per content (the smallest), to name where a register's records were read."""
    p = schema.paths.c
    return (
        select(p.sha256, func.min(p.path).label("path"))
        .where(p.sha256.is_not(None))
        .group_by(p.sha256)
        .subquery("first_path")
    )


def _persons() -> Select[Any]:
    p = schema.persons.c
    return select(
        p.person_id, p.name, p.given_name, p.father_name, p.pinyin, p.id_number, p.sex,
        p.birth_date, p.detention_start, p.records,
    ).order_by(p.person_id)  # fmt: skip


def _records() -> Select[Any]:
    r, link = schema.records.c, schema.person_records.c
    first = _first_paths()
    fields = [c for c in schema.records.columns if c.name not in ("sha256", "sheet", "row")]
    return (
        select(
            link.person_id,
            first.c.path,
            r.sheet,
            r.row,
            r.sha256,
            *fields,
            link.rule.label("link_rule"),
            link.score.label("link_score"),
            link.evidence.label("link_evidence"),
        )
        .select_from(
            schema.records.outerjoin(
                schema.person_records,
                (link.sha256 == r.sha256) & (link.sheet == r.sheet) & (link.row == r.row),
            ).outerjoin(first, first.c.sha256 == r.sha256)
        )
        .order_by(first.c.path, r.sha256, r.sheet, r.row)
    )


def _files() -> Select[Any]:
    p, f, e = schema.paths.c, schema.files.c, schema.extractions.c
    r, photo = schema.records.c, schema.person_photos.c
    records = select(func.count()).where(r.sha256 == p.sha256).scalar_subquery().label("records")
    pictured = (
        select(func.aggregate_strings(photo.person_id, " "))
        .where((photo.source_id == p.source_id) & (photo.path == p.path))
        .scalar_subquery()
        .label("person_ids")
    )
    return (
        select(
            p.path,
            p.source_id,
            p.sha256,
            p.parent,
            p.size,
            f.mime,
            p.claimed_mime,
            e.extractor,
            kind_sql(e.extractor, f.mime, e.metadata).label("kind"),
            e.status,
            p.error_kind,
            p.error,
            p.member_modified,
            p.locator,
            e.language,
            e.metadata,
            records,
            pictured,
        )
        .select_from(
            schema.paths.outerjoin(schema.files, p.sha256 == f.sha256).outerjoin(
                schema.extractions, p.sha256 == e.sha256
            )
        )
        .order_by(p.path, p.source_id)
    )


def _findings() -> Select[Any]:
    f = schema.findings.c
    return select(f.check, f.severity, f.path, f.locator, f.message, f.evidence).order_by(
        f.check, f.path, f.id
    )


_QUERIES = {"persons": _persons, "records": _records, "files": _files, "findings": _findings}


def _kind(name: str, python_type: type) -> str:
    if name in _JSON:
        return "json"
    if name in _DATES:
        return "date"
    if python_type is int:
        return "integer"
    if python_type is float:
        return "float"
    return "text"


def _python_type(column: Any) -> type:
    try:
        return column.type.python_type  # type: ignore[no-any-return]
    except NotImplementedError:  # a type SQLAlchemy cannot name: keep it as text
        return str


class ExportReads:
    """Typed, streamed reads of the exported tables: persons, records, files, findings."""

    engine: Engine

    def export_columns(self, table: str) -> tuple[tuple[str, str], ...]:
        """(name, kind) of each column of an exported table, in the order rows give them."""
        query = _QUERIES[table]()
        return tuple((c.name, _kind(c.name, _python_type(c))) for c in query.selected_columns)

    def iter_export(self, table: str) -> Iterator[tuple[Any, ...]]:
        """The rows of an exported table, streamed, in `export_columns` order; JSON as text."""
        query = _QUERIES[table]()
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=_CHUNK).execute(query):
                yield tuple(row)

    def iter_person_records(self) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        """(person, one of its records with the record's path), by person then record.

        One query for persons and records together: an exporter groups consecutive rows by
        `person_id` and so sees each person once, with all its records, while streaming.
        """
        persons, records = _persons().subquery("p"), _records().subquery("r")
        query = (
            select(persons, records)
            .join(records, records.c.person_id == persons.c.person_id)
            .order_by(persons.c.person_id, records.c.path, records.c.sheet, records.c.row)
        )
        person_names = [c.name for c in persons.columns]
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=_CHUNK).execute(query):
                values = tuple(row)
                person = dict(zip(person_names, values[: len(person_names)], strict=True))
                record = dict(zip(records.columns.keys(), values[len(person_names) :], strict=True))
                yield person, record
