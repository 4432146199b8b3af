"""The store's person tables: linked persons, their records, users' decisions (migration 4).

`Store` inherits these methods; linking (people/linking.py) writes them. Persons and their
record links are derived data, rebuilt whole by every link run; decisions are the user's own
and only ever appended, so a rebuild can always replay them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Table, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from veracity.errors import StoreError
from veracity.store import schema

_CHUNK = 5_000


@dataclass(frozen=True)
class PersonRow:
    """One linked person and what its records say, summarised (the `persons` table)."""

    person_id: str
    records: int
    id_number: str | None = None
    name: str | None = None
    given_name: str | None = None
    father_name: str | None = None
    given_key: str | None = None
    father_key: str | None = None
    pinyin: str | None = None
    sex: str | None = None
    birth_date: str | None = None
    detention_start: str | None = None
    kinds: str | None = None  # ",residents,detainees,": the kinds of list of its records


@dataclass(frozen=True)
class PersonLink:
    """Which person one record belongs to, by which rule, with what evidence."""

    sha256: str
    sheet: str
    row: int
    person_id: str
    rule: str  # id | probabilistic | single | user
    score: float | None = None
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PersonDecision:
    """A user's merge or split of two records, by their keys "sha256/sheet/row"."""

    id: int
    kind: str  # merge | split
    record_a: str
    record_b: str
    note: str | None
    created_at: str


class PersonTables:
    """Typed reads and writes of `persons`, `person_records` and `person_decisions`."""

    engine: Engine

    def replace_persons(
        self,
        persons: Iterable[PersonRow],
        links: Iterable[PersonLink],
        names: Iterable[tuple[str, str, str]] = (),
        parts: Iterable[tuple[str, str, int]] = (),
    ) -> int:
        """Replace every person, every record link, every person's name keys (`names`:
        person_id, given key, father key or "") and every name part's codes (`parts`:
        part key, codes, how many persons' names hold it), each table in one transaction.

        Readers see either the old or the new content of a table, never a half-written one.
        Returns the number of persons written.
        """
        n = self._replace(schema.persons, (asdict(p) for p in persons))
        self._replace(
            schema.person_names,
            ({"person_id": p, "given_key": g, "father_key": f} for p, g, f in names),
        )
        self._replace(
            schema.name_parts,
            ({"part_key": k, "codes": c, "persons": n} for k, c, n in parts),
        )
        self._replace(
            schema.person_records,
            (
                {
                    **asdict(link),
                    "evidence": json.dumps(link.evidence, ensure_ascii=False, sort_keys=True),
                }
                for link in links
            ),
        )
        return n

    def _replace(self, table: Table, rows: Iterable[dict[str, Any]]) -> int:
        n = 0
        try:
            with self.engine.begin() as conn:
                conn.execute(table.delete())
                batch: list[dict[str, Any]] = []
                for row in rows:
                    batch.append(row)
                    if len(batch) >= _CHUNK:
                        conn.execute(insert(table), batch)
                        n += len(batch)
                        batch = []
                if batch:
                    conn.execute(insert(table), batch)
                    n += len(batch)
        except SQLAlchemyError as exc:
            raise StoreError(f"writing {table.name} failed: {exc}") from exc
        return n

    def iter_person_links(self) -> Iterator[PersonLink]:
        """Every record's link to its person, by record."""
        c = schema.person_records.c
        query = select(schema.person_records).order_by(c.sha256, c.sheet, c.row)
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=_CHUNK).execute(query):
                values = row._asdict()
                values["evidence"] = json.loads(values["evidence"] or "{}")
                yield PersonLink(**values)

    def iter_person_rows(self) -> Iterator[PersonRow]:
        """Every person, by person id."""
        query = select(schema.persons).order_by(schema.persons.c.person_id)
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=_CHUNK).execute(query):
                yield PersonRow(**row._asdict())

    def add_person_decision(self, kind: str, record_a: str, record_b: str, note: str | None) -> int:
        """Record a user's merge or split of two records; its id."""
        if kind not in ("merge", "split"):
            raise ValueError(f"decision kind must be merge or split, not {kind!r}")
        row = {
            "kind": kind,
            "record_a": record_a,
            "record_b": record_b,
            "note": note,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        try:
            with self.engine.begin() as conn:
                result = conn.execute(insert(schema.person_decisions).values(**row))
                return int(result.inserted_primary_key[0])
        except SQLAlchemyError as exc:
            raise StoreError(f"writing a person decision failed: {exc}") from exc

    def person_decisions(self) -> list[PersonDecision]:
        """Every decision, oldest first (a later one wins over an earlier one on the same pair)."""
        query = select(schema.person_decisions).order_by(schema.person_decisions.c.id)
        with self.engine.connect() as conn:
            return [PersonDecision(**row._asdict()) for row in conn.execute(query)]

    def person_decisions_stamp(self) -> tuple[int, int]:
        """(count, highest id) of the decisions: changes whenever one is added or removed."""
        d = schema.person_decisions.c
        with self.engine.connect() as conn:
            count, top = conn.execute(select(func.count(), func.max(d.id))).one()
        return int(count or 0), int(top or 0)
