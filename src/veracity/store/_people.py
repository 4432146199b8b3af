"""The store's person tables: records read from the registers (migration 3).

Kept apart from `_store.py` so the people stage's reads and writes sit together; `Store`
inherits them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import fields
from typing import Any

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from veracity.errors import StoreError
from veracity.store import schema
from veracity.store.records import PersonRecord, RegisterSheet

_CHUNK = 5_000
_FIELDS = tuple(f.name for f in fields(PersonRecord))


def _row(record: PersonRecord) -> dict[str, Any]:
    row = {name: getattr(record, name) for name in _FIELDS}  # asdict's deep copy: 3x slower
    row["extra"] = json.dumps(record.extra, ensure_ascii=False, sort_keys=True, default=str)
    return row


class PeopleTables:
    """Typed reads and writes of the `records` table."""

    engine: Engine

    def replace_records(self, sha256: str, records: Iterable[PersonRecord]) -> int:
        """Replace every record of one content with `records` (streamed in chunks); how many.

        The old records go in the first transaction, so a kill half-way leaves a content with
        part of its records, which the next build replaces whole.
        """
        table = schema.records
        n = 0
        batch: list[dict[str, Any]] = []
        try:
            with self.engine.begin() as conn:
                conn.execute(table.delete().where(table.c.sha256 == sha256))
            for record in records:
                if record.sha256 != sha256:
                    raise ValueError(f"record of {record.sha256} given for {sha256}")
                batch.append(_row(record))
                if len(batch) >= _CHUNK:
                    n += self._insert_records(batch)
                    batch = []
            n += self._insert_records(batch)
        except SQLAlchemyError as exc:
            raise StoreError(f"writing records failed: {exc}") from exc
        return n

    def _insert_records(self, batch: list[dict[str, Any]]) -> int:
        if batch:
            with self.engine.begin() as conn:
                conn.execute(insert(schema.records), batch)
        return len(batch)

    def iter_records(
        self, sha256: str | None = None, statuses: Iterable[str] | None = None
    ) -> Iterator[PersonRecord]:
        """Every record (or one content's, or those whose ID has one of `statuses`), by
        content, sheet and row."""
        r = schema.records.c
        query = select(*(r[name] for name in _FIELDS)).order_by(r.sha256, r.sheet, r.row)
        if sha256 is not None:
            query = query.where(r.sha256 == sha256)
        if statuses is not None:
            query = query.where(r.id_status.in_(list(statuses)))
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=_CHUNK).execute(query):
                values = row._asdict()
                values["extra"] = json.loads(values["extra"] or "{}")
                yield PersonRecord(**values)

    def unclassified_records(self) -> bool:
        """Whether records were read before sheets had kinds (an older veracity built them):
        the figures, which count only residents' and detainee lists, would then miss them."""
        r = schema.records.c
        with self.engine.connect() as conn:
            query = select(r.sha256).where(r.register_kind.is_(None)).limit(1)
            return conn.execute(query).first() is not None

    def count_records(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(schema.records)).scalar() or 0)

    def replace_registers(self, sha256: str, sheets: Iterable[RegisterSheet]) -> None:
        """Replace what is known of one content's sheets (kind, header row, column map)."""
        table = schema.registers
        rows = [
            {
                "sha256": sheet.sha256,
                "sheet": sheet.sheet,
                "kind": sheet.kind,
                "kind_how": sheet.kind_how,
                "kind_reasons": json.dumps(list(sheet.kind_reasons), ensure_ascii=False),
                "header_row": sheet.header_row,
                "columns": json.dumps(list(sheet.columns), ensure_ascii=False),
                "records": sheet.records,
            }
            for sheet in sheets
        ]
        try:
            with self.engine.begin() as conn:
                conn.execute(table.delete().where(table.c.sha256 == sha256))
                if rows:
                    conn.execute(insert(table), rows)
        except SQLAlchemyError as exc:
            raise StoreError(f"writing registers failed: {exc}") from exc

    def iter_registers(self) -> Iterator[RegisterSheet]:
        """Every sheet the people stage read, by content and sheet."""
        g = schema.registers.c
        query = select(schema.registers).order_by(g.sha256, g.sheet)
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                yield RegisterSheet(
                    sha256=row.sha256,
                    sheet=row.sheet,
                    kind=row.kind,
                    kind_how=row.kind_how,
                    kind_reasons=tuple(json.loads(row.kind_reasons or "[]")),
                    header_row=row.header_row,
                    columns=tuple(json.loads(row.columns or "[]")),
                    records=int(row.records),
                )

    def register_contents(self) -> set[str]:
        """The contents that have sheets recorded (to drop those no longer spreadsheets)."""
        g = schema.registers.c
        with self.engine.connect() as conn:
            return {str(s) for s in conn.execute(select(g.sha256).distinct()).scalars()}

    def record_contents(self) -> set[str]:
        """The contents that have records (to drop those no longer read as registers)."""
        r = schema.records.c
        with self.engine.connect() as conn:
            return {str(s) for s in conn.execute(select(r.sha256).distinct()).scalars()}
