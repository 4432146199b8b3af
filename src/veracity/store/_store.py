"""The one place that talks SQL: typed reads and batched, idempotent writes of a case.

Writes go through one `Store` in one process (the ingest's writer); readers may open their own.
Every write is an upsert on a natural key, so writing the same result twice changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Engine,
    Table,
    and_,
    case,
    create_engine,
    event,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from veracity.errors import StoreError
from veracity.iterate import chunked
from veracity.store import _migrations, schema
from veracity.store._analyze import AnalyzeTables
from veracity.store._export import ExportReads
from veracity.store._people import PeopleTables
from veracity.store._person_search import PersonSearch
from veracity.store._persons import PersonTables
from veracity.store._search import SearchSources
from veracity.store.records import Batch, PathState


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL: readers never block the single writer; NORMAL is durable at each checkpoint and
    # never corrupts, which is what a resumable ingest needs.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Store(PeopleTables, PersonTables, PersonSearch, SearchSources, AnalyzeTables, ExportReads):
    """A case database, SQLite or PostgreSQL, behind typed methods (person tables: _people.py)."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine: Engine = create_engine(url)
        except (SQLAlchemyError, ValueError) as exc:
            raise StoreError(f"cannot open database {url}: {exc}") from exc
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)

    def close(self) -> None:
        self.engine.dispose()

    def migrate(self) -> int:
        try:
            with self.engine.begin() as conn:
                return _migrations.migrate(conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"migration failed: {exc}") from exc

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return _migrations.current_version(conn)

    # -- writes -------------------------------------------------------------------------------

    def _upsert(self, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> Any:
        dialect = sqlite if self.is_sqlite else postgresql
        stmt = dialect.insert(table)
        updates = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
        return stmt.on_conflict_do_update(index_elements=list(keys), set_=updates), list(rows)

    def source_id(self, root: str) -> int:
        """The id of a source folder, registered on first use."""
        with self.engine.begin() as conn:
            found = conn.execute(
                select(schema.sources.c.id).where(schema.sources.c.root == root)
            ).scalar()
            if found is not None:
                return int(found)
            return int(
                conn.execute(insert(schema.sources).values(root=root)).inserted_primary_key[0]
            )

    def write(self, batch: Batch) -> None:
        """Write a batch in one transaction: after a crash it is all there or not at all."""
        if not len(batch):
            return
        files = {r.sha256: asdict(r) for r in batch.files}
        paths = {}
        for p in batch.paths:
            path_row = asdict(p)
            path_row["locator"] = _json(p.locator) if p.locator is not None else None
            paths[(p.source_id, p.path)] = path_row
        extractions = {}
        pages = []
        for r in batch.extractions:
            row = {k: v for k, v in asdict(r).items() if k != "pages"}
            row["metadata"] = _json(r.metadata)
            row["raw"] = _json(r.raw)
            extractions[r.sha256] = row
            pages += [{"sha256": r.sha256, **asdict(page)} for page in r.pages]
        try:
            with self.engine.begin() as conn:
                for table, rows, keys in (
                    (schema.files, files, ("sha256",)),
                    (schema.extractions, extractions, ("sha256",)),
                    (schema.paths, paths, ("source_id", "path")),
                ):
                    if rows:
                        conn.execute(*self._upsert(table, list(rows.values()), keys))
                if extractions:
                    # pages belong to one extraction: a new one replaces them all
                    shas = list(extractions)
                    conn.execute(schema.pages.delete().where(schema.pages.c.sha256.in_(shas)))
                if pages:
                    conn.execute(insert(schema.pages), pages)
                for sha256, status in batch.statuses:
                    conn.execute(
                        update(schema.extractions)
                        .where(schema.extractions.c.sha256 == sha256)
                        .values(status=status)
                    )
        except SQLAlchemyError as exc:
            raise StoreError(f"write failed: {exc}") from exc

    def replace_rows(self, sha256: str, rows: Iterable[dict[str, Any]], chunk: int = 20_000) -> int:
        """Store a spreadsheet's rows, streamed in chunks; the content's earlier rows go first.

        The rows of one content are written before its extraction record, so a kill half-way
        leaves the content unread (no extraction row) and the next run writes them again.
        """
        r = schema.rows
        n = 0
        with self.engine.begin() as conn:
            conn.execute(r.delete().where(r.c.sha256 == sha256))
        for part in chunked(rows, chunk):
            values = [
                {"sha256": sha256, "sheet": x["sheet"], "row": x["row"], "cells": _json(x["cells"])}
                for x in part
            ]
            with self.engine.begin() as conn:
                conn.execute(*self._upsert(r, values, ("sha256", "sheet", "row")))
            n += len(values)
        return n

    def iter_rows(self, sha256: str) -> Iterator[tuple[str, int, list[Any]]]:
        """The rows of one spreadsheet content, by sheet and row number."""
        r = schema.rows.c
        query = select(r.sheet, r.row, r.cells).where(r.sha256 == sha256).order_by(r.sheet, r.row)
        with self.engine.connect() as conn:
            for sheet, row, cells in conn.execution_options(yield_per=5000).execute(query):
                yield str(sheet), int(row), json.loads(cells)

    def pages_of(self, sha256: str) -> list[tuple[str, int, str]]:
        """The text of each page, slide or sheet of one content."""
        p = schema.pages.c
        query = (
            select(p.kind, p.number, p.text).where(p.sha256 == sha256).order_by(p.kind, p.number)
        )
        with self.engine.connect() as conn:
            return [(str(k), int(n), str(t)) for k, n, t in conn.execute(query)]

    def text_of(self, sha256: str) -> str | None:
        """The whole extracted text of one content (formats without pages keep only this)."""
        e = schema.extractions.c
        with self.engine.connect() as conn:
            text = conn.execute(select(e.text).where(e.sha256 == sha256)).scalar()
        return None if text is None else str(text)

    def replace_findings(self, check: str, findings: Iterable[dict[str, Any]]) -> int:
        """Replace every finding of one check (re-running a check replaces its earlier ones).

        Each finding is a dict of design.md's fields: check, severity, path, locator, message,
        evidence.
        """
        f = schema.findings
        rows = [
            {
                "check": check,
                "severity": x["severity"],
                "path": x["path"],
                "locator": _json(x["locator"]) if x["locator"] is not None else None,
                "message": x["message"],
                "evidence": _json(x["evidence"]),
            }
            for x in findings
        ]
        try:
            with self.engine.begin() as conn:
                conn.execute(f.delete().where(f.c.check == check))
                for part in chunked(rows, 5_000):
                    conn.execute(insert(f), part)
        except SQLAlchemyError as exc:
            raise StoreError(f"writing findings failed: {exc}") from exc
        return len(rows)

    def iter_findings(self, check: str | None = None) -> Iterator[dict[str, Any]]:
        """Findings in design.md's fields, by check, severity (worst first), path."""
        f = schema.findings.c
        worst = case((f.severity == "critical", 0), (f.severity == "warning", 1), else_=2)
        query = select(f.check, f.severity, f.path, f.locator, f.message, f.evidence).order_by(
            f.check, worst, f.path, f.id
        )
        if check is not None:
            query = query.where(f.check == check)
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=5000).execute(query):
                yield {
                    "check": row.check,
                    "severity": row.severity,
                    "path": row.path,
                    "locator": json.loads(row.locator) if row.locator else None,
                    "message": row.message,
                    "evidence": json.loads(row.evidence or "{}"),
                }

    def forget_members(self, source_id: int, path: str) -> None:
        """Drop the recorded members of an archive that changed since the last run."""
        p = schema.paths.c
        with self.engine.begin() as conn:
            conn.execute(
                schema.paths.delete().where(
                    and_(p.source_id == source_id, p.path.startswith(path + "!/", autoescape=True))
                )
            )

    def start_run(self, command: str) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(insert(schema.runs).values(command=command, started_at=_now()))
            return int(result.inserted_primary_key[0])

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(schema.runs)
                .where(schema.runs.c.id == run_id)
                .values(finished_at=_now(), summary=_json(summary))
            )

    # -- reads --------------------------------------------------------------------------------

    def path_states(self, source_id: int) -> dict[str, PathState]:
        """What is known of each original (not archive member) of a source."""
        p, e = schema.paths.c, schema.extractions.c
        query = (
            select(p.path, p.size, p.mtime_ns, p.sha256, e.status)
            .select_from(schema.paths.outerjoin(schema.extractions, p.sha256 == e.sha256))
            .where(and_(p.source_id == source_id, p.parent.is_(None)))
        )
        with self.engine.connect() as conn:
            return {
                row.path: PathState(row.size, row.mtime_ns, row.sha256, row.status)
                for row in conn.execute(query)
            }

    def is_extracted(self, sha256: str) -> bool:
        """True when this content was read completely before (a pending archive was not)."""
        e = schema.extractions.c
        query = select(e.status).where(e.sha256 == sha256)
        with self.engine.connect() as conn:
            status = conn.execute(query).scalar()
        return status is not None and status != "pending"

    def iter_paths(self) -> Iterator[dict[str, Any]]:
        """Every recorded path with its content's type and extraction, in path order."""
        p, f, e = schema.paths.c, schema.files.c, schema.extractions.c
        query = (
            select(
                p.source_id,
                p.path,
                p.sha256,
                p.parent,
                p.claimed_mime,
                p.size,
                p.member_modified,
                p.locator,
                p.error_kind,
                p.error,
                f.mime,
                e.extractor,
                e.status,
                e.error_kind.label("x_error_kind"),
                e.error.label("x_error"),
                e.metadata,
                e.raw,
                e.language,
            )
            .select_from(
                schema.paths.outerjoin(schema.files, p.sha256 == f.sha256).outerjoin(
                    schema.extractions, p.sha256 == e.sha256
                )
            )
            .order_by(p.source_id, p.path)
        )
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=1000).execute(query):
                yield row._asdict()

    def counts(self) -> dict[str, Any]:
        """Figures for the ingest summary: paths, distinct contents, bytes, errors, types."""
        p, f, e = schema.paths.c, schema.files.c, schema.extractions.c
        with self.engine.connect() as conn:
            n_paths = conn.execute(select(func.count()).select_from(schema.paths)).scalar() or 0
            n_hashed = conn.execute(select(func.count(p.sha256))).scalar() or 0
            n_files, n_bytes = conn.execute(
                select(func.count(), func.coalesce(func.sum(f.size), 0))
            ).one()
            mime_counts = conn.execute(
                select(f.mime, func.count()).group_by(f.mime).order_by(func.count().desc())
            ).all()
            by_mime = {str(row[0]): int(row[1]) for row in mime_counts}
            failed = (
                conn.execute(
                    select(func.count())
                    .select_from(schema.paths.outerjoin(schema.extractions, p.sha256 == e.sha256))
                    .where(or_(p.error_kind.is_not(None), e.status == "failed"))
                ).scalar()
                or 0
            )
        return {
            "paths": int(n_paths),
            "files": int(n_files),
            "bytes": int(n_bytes),
            "duplicates": int(n_hashed) - int(n_files),
            "errors": int(failed),
            "by_type": by_mime,
            "extraction": self._extraction_counts(),
        }

    def _extraction_counts(self) -> dict[str, Any]:
        """What extraction found: statuses, languages, rows, pages, OCR, photos with GPS."""
        p, e, g = schema.paths.c, schema.extractions.c, schema.pages.c

        def count(query: Any) -> int:
            return int(conn.execute(query).scalar() or 0)

        def grouped(column: Any) -> dict[str, int]:
            query = select(column, func.count()).where(column.is_not(None)).group_by(column)
            return {str(k): int(v) for k, v in conn.execute(query.order_by(func.count().desc()))}

        with self.engine.connect() as conn:
            return {
                "status": grouped(e.status),
                "languages": grouped(e.language),
                "rows": count(select(func.count()).select_from(schema.rows)),
                "pages": count(select(func.count()).select_from(schema.pages)),
                "ocr_pages": count(select(func.count()).where(g.is_ocr == 1)),
                # metadata is JSON written with sort_keys and ", "/": " separators (_json)
                "photos_with_gps": count(select(func.count()).where(e.metadata.like('%"gps": {%'))),
                "thumbnails": count(
                    select(func.count()).where(e.metadata.like('%"thumbnail": {%'))
                ),
                "located_members": count(select(func.count()).where(p.locator.is_not(None))),
            }

    def dump_content(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every content row, sorted: two cases hold the same data iff their dumps are equal."""
        out: dict[str, list[tuple[Any, ...]]] = {}
        with self.engine.connect() as conn:
            for table in schema.CONTENT_TABLES:
                cols = [
                    c for c in table.columns if not (table is schema.findings and c.name == "id")
                ]
                rows = conn.execute(select(*cols)).all()
                out[table.name] = sorted((tuple(r) for r in rows), key=repr)
        return out
