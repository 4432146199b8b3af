"""The store's reads for finding people: names, ID prefixes, photos (migration 4).

`Store` inherits these methods; `people find`/`show` (people/search.py) and photo attachment
(people/photos.py) read and write through them. Every search read is one indexed lookup with
a limit — `people find` must stay fast on a case of half a million persons — and the details
of the few persons shown are fetched afterwards in one query per table.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, func, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import aliased

from veracity.errors import StoreError
from veracity.store import schema

_CHUNK = 500  # bound parameters per IN (...): well under SQLite's limit
_PERSON_COLUMNS = (
    "person_id", "id_number", "name", "given_name", "father_name", "given_key", "father_key",
    "pinyin", "sex", "birth_date", "records", "detention_start",
)  # fmt: skip
_RECORD_SKIP = frozenset({"extra"})


def _prefix_range(column: Any, prefix: str) -> ColumnElement[bool]:
    """`column` starts with `prefix`, as a range an index can serve (LIKE cannot, portably)."""
    return and_(column >= prefix, column < prefix + "\U0010ffff")


def _chunks(values: Collection[Any]) -> Iterator[list[Any]]:
    items = list(values)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class PersonSearch:
    """Typed queries over `persons`, `person_records` and `person_photos` for search."""

    engine: Engine

    # -- candidates ----------------------------------------------------------------------------

    def _persons_where(self, condition: ColumnElement[bool], limit: int) -> list[dict[str, Any]]:
        p = schema.persons.c
        query = select(*(p[name] for name in _PERSON_COLUMNS)).where(condition).limit(limit)
        with self.engine.connect() as conn:
            return [row._asdict() for row in conn.execute(query)]

    def name_parts(self) -> list[tuple[str, str, int]]:
        """Every distinct name part of the case, its sound codes and how many persons' names
        hold it, by part key."""
        q = schema.name_parts.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(q.part_key, q.codes, q.persons).order_by(q.part_key))
            return [(str(key), str(codes), int(n)) for key, codes, n in rows]

    def name_parts_stamp(self) -> tuple[int, str | None, str | None]:
        """What identifies the case's name parts cheaply (count, first and last key), so a
        process can keep them between searches and notice a rebuild."""
        q = schema.name_parts.c
        query = select(func.count(), func.min(q.part_key), func.max(q.part_key))
        with self.engine.connect() as conn:
            count, first, last = conn.execute(query).one()
        return int(count), first, last

    def has_persons(self) -> bool:
        """Whether linking has made any person."""
        with self.engine.connect() as conn:
            return conn.execute(select(schema.persons.c.person_id).limit(1)).first() is not None

    def persons_by_parts(
        self,
        given: Collection[str] | None,
        father: Collection[str] | None,
        limit: int,
    ) -> list[dict[str, Any]]:
        """Persons one of whose names has its given part in `given` and its father's part in
        `father` (None: any; an empty string in `father`: no father's name); at most `limit`
        rows. A row is a person with `given_key`/`father_key` of the name that matched, so one
        person may come once per name of theirs. Served by an index of `person_names`."""
        n = schema.person_names.c
        conditions: list[ColumnElement[bool]] = []
        if given is not None:
            conditions.append(n.given_key.in_(sorted(given)))
        if father is not None:
            conditions.append(n.father_key.in_(sorted(father)))
        if not conditions:
            raise ValueError("persons_by_parts needs given or father parts")
        return self._persons_by_names(and_(*conditions), limit)

    def _persons_by_names(self, condition: ColumnElement[bool], limit: int) -> list[dict[str, Any]]:
        n, p = schema.person_names.c, schema.persons.c
        columns = [
            n.given_key if name == "given_key" else n.father_key if name == "father_key"
            else p[name]
            for name in _PERSON_COLUMNS
        ]  # fmt: skip
        query = (
            select(*columns, p.kinds)
            .select_from(schema.person_names.join(schema.persons, n.person_id == p.person_id))
            .where(condition)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [row._asdict() for row in conn.execute(query)]

    def persons_by_id_prefix(self, prefix: str, limit: int) -> list[dict[str, Any]]:
        """Persons whose valid ID starts with `prefix` (or is it), in ID order."""
        p = schema.persons.c
        query = (
            select(*(p[name] for name in _PERSON_COLUMNS))
            .where(_prefix_range(p.id_number, prefix))
            .order_by(p.id_number)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [row._asdict() for row in conn.execute(query)]

    def persons_by_record_id_prefix(self, prefix: str, limit: int) -> dict[str, str]:
        """person_id -> the ID as a record wrote it, for records whose ID (normalised or as
        written) starts with `prefix`: finds the persons whose only IDs are damaged."""
        r, pr = schema.records.c, schema.person_records.c
        joined = schema.records.join(
            schema.person_records,
            and_(r.sha256 == pr.sha256, r.sheet == pr.sheet, r.row == pr.row),
        )
        found: dict[str, str] = {}
        with self.engine.connect() as conn:
            for column in (r.id_number, r.id_raw):
                query = (
                    select(pr.person_id, column)
                    .select_from(joined)
                    .where(_prefix_range(column, prefix))
                    .limit(limit)
                )
                for person_id, written in conn.execute(query):
                    found.setdefault(str(person_id), str(written))
        return found

    def persons_by_name_scan(self, text: str) -> list[str]:
        """Every person whose name contains `text` (all of them: ranking needs all), by a scan:
        the naive peer bench/people_find.py measures `people find` against (unused here)."""
        p = schema.persons.c
        query = select(p.person_id).where(p.name.contains(text, autoescape=True))
        with self.engine.connect() as conn:
            return [str(pid) for pid in conn.execute(query).scalars()]

    # -- details of the persons shown ----------------------------------------------------------

    def persons_by_ids(self, person_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        p = schema.persons.c
        found: dict[str, dict[str, Any]] = {}
        for part in _chunks(person_ids):
            for row in self._persons_where(p.person_id.in_(part), len(part)):
                found[row["person_id"]] = row
        return found

    def records_of_persons(self, person_ids: Collection[str]) -> dict[str, list[dict[str, Any]]]:
        """Each person's records: every mapped field, `extra` decoded, and the link's `rule`,
        `score` and `evidence`; in content, sheet and row order."""
        r, pr = schema.records.c, schema.person_records.c
        fields = [c for c in schema.records.c if c.name not in _RECORD_SKIP]
        joined = schema.person_records.join(
            schema.records,
            and_(r.sha256 == pr.sha256, r.sheet == pr.sheet, r.row == pr.row),
        )
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        with self.engine.connect() as conn:
            for part in _chunks(person_ids):
                query = (
                    select(pr.person_id, *fields, r.extra, pr.rule, pr.score, pr.evidence)
                    .select_from(joined)
                    .where(pr.person_id.in_(part))
                    .order_by(pr.person_id, r.sha256, r.sheet, r.row)
                )
                for row in conn.execute(query):
                    values = row._asdict()
                    person_id = values.pop("person_id")
                    values["extra"] = json.loads(values["extra"] or "{}")
                    values["evidence"] = json.loads(values["evidence"] or "{}")
                    found[person_id].append(values)
        return dict(found)

    def paths_of_contents(self, sha256s: Collection[str]) -> dict[str, list[str]]:
        """Every path each content was found at, in path order."""
        p = schema.paths.c
        found: dict[str, list[str]] = defaultdict(list)
        with self.engine.connect() as conn:
            for part in _chunks(sha256s):
                query = select(p.sha256, p.path).where(p.sha256.in_(part)).order_by(p.path)
                for sha256, path in conn.execute(query):
                    found[sha256].append(path)
        return dict(found)

    def photos_of_persons(self, person_ids: Collection[str]) -> dict[str, list[dict[str, Any]]]:
        """Each person's attached photos: path and how the photo was tied to them."""
        ph = schema.person_photos.c
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        with self.engine.connect() as conn:
            for part in _chunks(person_ids):
                query = (
                    select(ph.person_id, ph.path, ph.how)
                    .where(ph.person_id.in_(part))
                    .order_by(ph.person_id, ph.path)
                )
                for person_id, path, how in conn.execute(query):
                    found[person_id].append({"path": path, "how": how})
        return dict(found)

    def findings_at(self, paths: Collection[str]) -> list[dict[str, Any]]:
        """The verification findings about any of `paths`, in check and path order."""
        f = schema.findings.c
        rows: list[dict[str, Any]] = []
        with self.engine.connect() as conn:
            for part in _chunks(paths):
                query = select(f.check, f.severity, f.path, f.locator, f.message, f.evidence)
                for row in conn.execute(query.where(f.path.in_(part))):
                    values = row._asdict()
                    values["locator"] = json.loads(values["locator"]) if values["locator"] else None
                    values["evidence"] = json.loads(values["evidence"] or "{}")
                    rows.append(values)
        return sorted(rows, key=lambda v: (v["check"], v["path"] or "", v["message"]))

    # -- photos --------------------------------------------------------------------------------

    def iter_photo_paths(self) -> Iterator[dict[str, Any]]:
        """Every path of an image content: source_id, path, parent, locator, metadata and raw
        (JSON), and the parent's content (`parent_sha256`: a register the picture sits in)."""
        p, f, e = schema.paths.c, schema.files.c, schema.extractions.c
        parent = aliased(schema.paths)
        query = (
            select(
                p.source_id,
                p.path,
                p.parent,
                p.locator,
                e.metadata,
                e.raw,
                parent.c.sha256.label("parent_sha256"),
            )
            .select_from(
                schema.paths.join(schema.files, p.sha256 == f.sha256)
                .outerjoin(schema.extractions, p.sha256 == e.sha256)
                .outerjoin(
                    parent, and_(parent.c.source_id == p.source_id, parent.c.path == p.parent)
                )
            )
            .where(f.mime.like("image/%"))
            .order_by(p.source_id, p.path)
        )
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=1000).execute(query):
                yield row._asdict()

    def person_ids_by_id_number(self, id_numbers: Collection[str]) -> dict[str, list[str]]:
        """ID number -> the persons holding it (normally one)."""
        p = schema.persons.c
        found: dict[str, list[str]] = defaultdict(list)
        with self.engine.connect() as conn:
            for part in _chunks(id_numbers):
                query = (
                    select(p.id_number, p.person_id)
                    .where(p.id_number.in_(part))
                    .order_by(p.person_id)
                )
                for id_number, person_id in conn.execute(query):
                    found[id_number].append(person_id)
        return dict(found)

    def persons_of_rows(self, sha256: str) -> dict[tuple[str, int], str]:
        """(sheet, row) -> person_id for every linked record of one register content."""
        pr = schema.person_records.c
        query = select(pr.sheet, pr.row, pr.person_id).where(pr.sha256 == sha256)
        with self.engine.connect() as conn:
            return {(str(s), int(r)): str(pid) for s, r, pid in conn.execute(query)}

    def replace_person_photos(self, rows: Iterable[tuple[str, int, str, str]]) -> int:
        """Replace every photo attachment with `rows` (person_id, source_id, path, how)."""
        values = [
            {"person_id": pid, "source_id": sid, "path": path, "how": how}
            for pid, sid, path, how in rows
        ]
        try:
            with self.engine.begin() as conn:
                conn.execute(schema.person_photos.delete())
                if values:
                    conn.execute(insert(schema.person_photos), values)
        except SQLAlchemyError as exc:
            raise StoreError(f"writing person photos failed: {exc}") from exc
        return len(values)
