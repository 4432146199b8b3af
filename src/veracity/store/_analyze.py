"""The store's reads for `veracity stats`: aggregates counted by the database, not by Python.

Half a million persons must be summarised in seconds, so every figure is a GROUP BY written in
SQLAlchemy Core (the same query on SQLite and PostgreSQL) and only the grouped result, a few
hundred rows, comes back. Each figure also has a `figure_records` condition, so
`veracity stats explain` lists exactly the rows a figure was counted from.

Persons (`persons`) give the distinct-person figures; a person's status, address, place and
sentence come from their records (`person_records` joined to `records`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, case, func, literal, or_, select, union_all

from veracity import kinds
from veracity.iterate import chunked
from veracity.store import schema
from veracity.store._analyze_sql import (
    CHUNK,
    EXCLUSION_REASONS,
    PHOTO_EXTRACTORS,
    age_at,
    camera_name,
    content_kind,
    counted_record,
    excluded_condition,
    in_counted_lists,
    in_population,
    is_detained,
    is_life_or_death,
    json_text,
    linked,
    linked_records,
    on_list,
    photo_meta,
    possible_age,
)
from veracity.store.records import POPULATION_KINDS, REGISTER_KINDS

#: the metadata keys whose dates say how old the leak is (design.md's normalised names)
NEWEST_DATE_KEYS = ("taken_at", "created", "modified")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_P, _R, _L = schema.persons.c, schema.records.c, schema.person_records.c


class AnalyzeTables:
    """Aggregate reads behind `veracity stats` and the record lists behind `stats explain`."""

    engine: Engine

    def _grouped(self, query: Any) -> dict[Any, int]:
        with self.engine.connect() as conn:
            return {row[0]: int(row[1]) for row in conn.execute(query) if row[0] is not None}

    def content_counts(self) -> dict[str, int]:
        """Distinct contents: all files, and those of each kind (kinds.py) under its stats key;
        the kinds add up to the files, a content never read being `other`."""
        kind = content_kind()
        query = (
            select(kind, func.count())
            .select_from(
                schema.files.outerjoin(
                    schema.extractions, schema.extractions.c.sha256 == schema.files.c.sha256
                )
            )
            .group_by(kind)
        )
        with self.engine.connect() as conn:
            by_kind = {str(k): int(n) for k, n in conn.execute(query)}
        counts = {kinds.COUNT_KEYS[k]: by_kind.get(k, 0) for k in kinds.KINDS}
        return {"files": sum(by_kind.values()), **counts}

    def newest_file_date(self) -> str | None:
        """The newest date a file of the leak carries (photo taken, document created or saved),
        as `YYYY-MM-DD`, ignoring dates after today and before 1980 (those are anomalies the
        checks report, not the leak's age); None when no file is dated.

        A register cannot record a detention that began after the leak was taken, so this
        bounds the dates the figures count (people/evidence.py)."""
        e = schema.extractions.c
        today = date.today().isoformat()
        newest: list[str] = []
        with self.engine.connect() as conn:
            for key in NEWEST_DATE_KEYS:
                day = func.substr(json_text(e.metadata, literal(key)), 1, 10)
                query = select(func.max(day)).where(
                    e.metadata.is_not(None), day >= "1980-01-01", day <= today
                )
                found = conn.execute(query).scalar()
                if found and _ISO_DAY.match(str(found)):
                    newest.append(str(found))
        return max(newest, default=None)

    def person_counts(self, adult_born_by: str) -> dict[str, int]:
        """Persons, detained persons, and the population's adults (persons of a residents'
        register born on or before the date) and detained adults: one population for both."""
        adult = and_(in_population(), _P.birth_date <= adult_born_by)
        query = select(
            func.count(case((in_counted_lists(), 1))),
            func.count(),
            func.count(case((is_detained(), 1))),
            func.count(case((adult, 1))),
            func.count(case((and_(adult, is_detained()), 1))),
        ).select_from(schema.persons)
        with self.engine.connect() as conn:
            people, anywhere, detained, adults, detained_adults = conn.execute(query).one()
        return {
            "people": int(people),
            "people_in_any_list": int(anywhere),
            "detained": int(detained),
            "adults": int(adults),
            "detained_adults": int(detained_adults),
        }

    def people_by_kind(self) -> dict[str, int]:
        """Distinct persons with a record on each kind of list (a person on two kinds counts
        under each); kinds no person is on are left out."""
        query = select(
            *(func.count(case((on_list(kind), 1))) for kind in REGISTER_KINDS)
        ).select_from(schema.persons)
        with self.engine.connect() as conn:
            counts = conn.execute(query).one()
        return {kind: int(n) for kind, n in zip(REGISTER_KINDS, counts, strict=True) if n}

    def excluded_counts(self, newest: str | None) -> dict[str, int]:
        """Rows (and, for `age_negative`, persons) left out of the figures, by reason."""
        rows = [r for r in EXCLUSION_REASONS if r != "age_negative"]
        on_rows = select(
            *(func.count(case((excluded_condition(r, newest), 1))) for r in rows)
        ).select_from(schema.records)  # one pass over the records for every row reason
        on_persons = select(func.count()).where(excluded_condition("age_negative", newest))
        with self.engine.connect() as conn:
            out = dict(zip(rows, map(int, conn.execute(on_rows).one()), strict=True))
            out["age_negative"] = int(conn.execute(on_persons).scalar() or 0)
        return {reason: out[reason] for reason in EXCLUSION_REASONS}

    def population_counts(self, adult_born_by: str) -> list[dict[str, Any]]:
        """Per residents' register (content and sheet): its distinct persons, adults and
        detained adults, so a share can be read per register as well as overall."""
        g = schema.registers.c
        # each person once per register, through the narrow link and register tables rather
        # than the wide records; the persons' flags read after the distinct
        listed = (
            select(_L.sha256, _L.sheet, _L.person_id)
            .select_from(
                schema.person_records.join(
                    schema.registers, and_(g.sha256 == _L.sha256, g.sheet == _L.sheet)
                )
            )
            .where(g.kind.in_(POPULATION_KINDS))
            .distinct()
            .subquery()
        )
        c = listed.c
        adult = _P.birth_date <= adult_born_by
        query = (
            select(
                c.sha256,
                c.sheet,
                func.count(),
                func.sum(case((adult, 1), else_=0)),
                func.sum(case((and_(adult, is_detained()), 1), else_=0)),
            )
            .select_from(listed.join(schema.persons, _P.person_id == c.person_id))
            .group_by(c.sha256, c.sheet)
            .order_by(c.sha256, c.sheet)
        )
        with self.engine.connect() as conn:
            return [
                {
                    "sha256": sha,
                    "sheet": sheet,
                    "persons": int(n),
                    "adults": int(adults or 0),
                    "detained_adults": int(detained or 0),
                }
                for sha, sheet, n, adults, detained in conn.execute(query)
            ]

    def first_paths(self, sha256s: Sequence[str]) -> dict[str, str]:
        """The first path (in sort order) of each content."""
        p = schema.paths.c
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for chunk in chunked(sha256s, CHUNK):
                query = (
                    select(p.sha256, func.min(p.path))
                    .where(p.sha256.in_(list(chunk)))
                    .group_by(p.sha256)
                )
                out.update({str(sha): str(path) for sha, path in conn.execute(query)})
        return out

    def detained_by_period(self, length: int) -> dict[str, int]:
        """Detained persons by the first `length` characters of their detention start."""
        period = func.substr(_P.detention_start, 1, length)
        query = select(period, func.count()).where(is_detained()).group_by(period).order_by(period)
        return {str(k): v for k, v in self._grouped(query).items()}

    def status_counts(self, table: Mapping[str, str]) -> dict[str, dict[str, int]]:
        """Distinct persons per status word and per category (words mapped in SQL by `table`).

        Returns {"by_value": {word: n}, "by_category": {category: n}, "no_status": {"": n}};
        a word missing from `table` falls in the category "" (unknown). A person with records
        of two words is counted under each.
        """
        stated = and_(counted_record(), _R.status.is_not(None), func.trim(_R.status) != "")
        # each (word, person) once, read once: the three figures are counted from it in one
        # statement (the joined records are the cost; the CTE is materialized, not re-run)
        pairs = (
            select(func.trim(_R.status).label("word"), _L.person_id.label("pid"))
            .select_from(linked_records())
            .where(stated)
            .distinct()
            .cte("status_pairs")
            .prefix_with("MATERIALIZED")
        )
        word = pairs.c.word
        category = (
            case(*((word == w, literal(c)) for w, c in table.items()), else_=literal(""))
            if table
            else literal("")
        )
        categorised = select(category.label("category"), pairs.c.pid).subquery()
        query = union_all(
            select(literal("v"), word, func.count()).group_by(word),
            select(
                literal("c"), categorised.c.category, func.count(categorised.c.pid.distinct())
            ).group_by(categorised.c.category),
            select(literal("n"), literal(""), func.count()).where(
                in_counted_lists(), _P.person_id.not_in(select(pairs.c.pid))
            ),
        )
        values: dict[str, int] = {}
        categories: dict[str, int] = {}
        none = 0
        with self.engine.connect() as conn:
            for part, key, n in conn.execute(query):
                if part == "v":
                    values[str(key)] = int(n)
                elif part == "c":
                    categories[str(key)] = int(n)
                else:
                    none = int(n)
        return {"by_value": values, "by_category": categories, "no_status": {"": none}}

    def detained_regions(self) -> dict[str, int]:
        """Detained persons by the region code of their ID ("" when they have no valid ID)."""
        code = func.coalesce(func.substr(_P.id_number, 1, 6), "")
        query = select(code, func.count()).where(is_detained()).group_by(code)
        return {str(k): v for k, v in self._grouped(query).items()}

    def detained_addresses(self) -> Iterator[tuple[str, str]]:
        """(person_id, address) of each detained person's records, distinct, by person."""
        query = (
            select(_L.person_id, _R.address)
            .select_from(linked())
            .where(is_detained(), _R.address.is_not(None))
            .distinct()
            .order_by(_L.person_id, _R.address)
        )
        with self.engine.connect() as conn:
            for pid, address in conn.execution_options(yield_per=CHUNK).execute(query):
                yield str(pid), str(address)

    def detained_places(self) -> dict[str, int]:
        """Detained persons by the place of detention their records name."""
        place = func.trim(_R.place)
        query = (
            select(place, func.count(_L.person_id.distinct()))
            .select_from(linked())
            .where(is_detained(), counted_record(), _R.place.is_not(None), place != "")
            .group_by(place)
        )
        return {str(k): v for k, v in self._grouped(query).items()}

    def detention_ages(self) -> dict[tuple[str, int], int]:
        """Detained persons with a birth date, by (sex, age in years at detention start)."""
        age = age_at(_P.birth_date, _P.detention_start)
        sex = func.coalesce(_P.sex, "")
        query = (
            select(sex, age, func.count()).where(is_detained(), possible_age()).group_by(sex, age)
        )
        with self.engine.connect() as conn:
            return {(str(s), int(a)): int(n) for s, a, n in conn.execute(query)}

    def sentence_counts(self) -> dict[tuple[str, int], int]:
        """Sentenced persons by (reason, months): per person their longest stated sentence and
        a reason their records state ("" when none; when they state several, the last in
        sort order, so that a person is counted under one reason only)."""
        per_person = (
            select(
                _L.person_id.label("pid"),
                func.max(_R.sentence_months).label("months"),
                func.max(func.coalesce(_R.reason, "")).label("reason"),
            )
            .select_from(linked_records())
            .where(counted_record(), _R.sentence_months.is_not(None))
            .group_by(_L.person_id)
            .subquery()
        )
        c = per_person.c
        query = select(c.reason, c.months, func.count()).group_by(c.reason, c.months)
        with self.engine.connect() as conn:
            return {(str(r), int(m)): int(n) for r, m, n in conn.execute(query)}

    def life_or_death(self) -> int:
        """Persons with a life or death sentence and no sentence in months in any record."""
        return sum(self.life_or_death_by_reason().values())

    def life_or_death_by_reason(self) -> dict[str, int]:
        """Those persons by a reason their records state ("" when none), one reason each as
        in `sentence_counts`."""
        life = is_life_or_death()
        per_person = (  # one pass: persons with a life or death term and no term in months
            select(
                _L.person_id.label("pid"),
                func.max(case((life, func.coalesce(_R.reason, "")))).label("reason"),
            )
            .select_from(linked_records())
            .where(counted_record(), or_(life, _R.sentence_months.is_not(None)))
            .group_by(_L.person_id)
            .having(and_(func.max(_R.sentence_months).is_(None), func.count(case((life, 1))) > 0))
            .subquery()
        )
        c = per_person.c
        query = select(c.reason, func.count()).group_by(c.reason)
        with self.engine.connect() as conn:
            return {str(r): int(n) for r, n in conn.execute(query)}

    def photo_counts(self) -> dict[str, dict[str, int]]:
        """Photos by month taken (EXIF DateTimeOriginal) and by camera (`camera_name`)."""
        e = schema.extractions.c
        month = func.substr(photo_meta()["taken_at"].as_string(), 1, 7)
        by_month = select(month, func.count()).where(e.extractor.in_(PHOTO_EXTRACTORS))
        with self.engine.connect() as conn:
            months = {str(k): int(n) for k, n in conn.execute(by_month.group_by(month)) if k}
        cameras: dict[str, int] = {}
        for (make, model), n in self.camera_counts().items():
            name = camera_name(make, model)
            if name:
                cameras[name] = cameras.get(name, 0) + n
        return {"month": dict(sorted(months.items())), "camera": cameras}

    def camera_counts(self) -> dict[tuple[str, str], int]:
        """Photos by (camera make, camera model) as their EXIF gives them ("" when absent)."""
        e = schema.extractions.c
        meta = photo_meta()
        make = func.trim(func.coalesce(meta["camera_make"].as_string(), ""))
        model = func.trim(func.coalesce(meta["camera_model"].as_string(), ""))
        query = (
            select(make, model, func.count())
            .where(e.extractor.in_(PHOTO_EXTRACTORS))
            .group_by(make, model)
        )
        with self.engine.connect() as conn:
            return {(str(a), str(b)): int(n) for a, b, n in conn.execute(query)}

    # -- the rows behind a figure (stats explain) ---------------------------------------------

    def figure_records(self, where: ColumnElement[bool]) -> Iterator[dict[str, Any]]:
        """Every record of a person matching `where` (over persons and records), with the path
        of its content, by person and record; the values figures are counted from."""
        first_path = (
            select(schema.paths.c.sha256, func.min(schema.paths.c.path).label("path"))
            .where(schema.paths.c.sha256.is_not(None))
            .group_by(schema.paths.c.sha256)
            .subquery()
        )
        query = (
            select(
                _L.person_id,
                first_path.c.path,
                _R.sheet,
                _R.row,
                _P.sex,
                _P.birth_date,
                _P.detention_start,
                _R.status,
                _R.address,
                _R.place,
                _R.sentence_raw,
                _R.sentence_months,
                _R.reason,
                _P.id_number,
                _R.register_kind,
                _R.detention_start.label("row_detention_start"),
                func.coalesce(_R.birth_date, _R.id_birth_date).label("row_birth_date"),
            )
            .select_from(linked().outerjoin(first_path, first_path.c.sha256 == _R.sha256))
            .where(where)
            .order_by(_L.person_id, first_path.c.path, _R.sheet, _R.row)
        )
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=CHUNK).execute(query):
                yield row._asdict()

    def figure_dated_files(self, day: str) -> Iterator[dict[str, Any]]:
        """Every content whose metadata carries `day` under one of `NEWEST_DATE_KEYS`."""
        e = schema.extractions.c
        first_path = func.min(schema.paths.c.path)
        with self.engine.connect() as conn:
            for key in NEWEST_DATE_KEYS:
                value = json_text(e.metadata, literal(key))
                query = (
                    select(first_path, e.sha256, value)
                    .select_from(
                        schema.extractions.join(schema.paths, schema.paths.c.sha256 == e.sha256)
                    )
                    .where(func.substr(value, 1, 10) == day)
                    .group_by(e.sha256, value)
                    .order_by(first_path)
                )
                for path, sha, found in conn.execute(query):
                    yield {"path": path, "sha256": sha, "key": key, "value": found}

    def figure_photos(self, where: ColumnElement[bool] | None) -> Iterator[dict[str, Any]]:
        """Every photo (content read as an image) matching `where`, with its first path."""
        e = schema.extractions.c
        first_path = func.min(schema.paths.c.path)
        query = (
            select(first_path, e.sha256, e.metadata)
            .select_from(schema.extractions.join(schema.paths, schema.paths.c.sha256 == e.sha256))
            .where(e.extractor.in_(PHOTO_EXTRACTORS))
            .group_by(e.sha256, e.metadata)
            .order_by(first_path)
        )
        if where is not None:
            query = query.where(where)
        with self.engine.connect() as conn:
            for path, sha, metadata in conn.execute(query):
                m = json.loads(metadata or "{}")
                yield {
                    "path": path,
                    "sha256": sha,
                    "taken_at": m.get("taken_at"),
                    "camera_make": m.get("camera_make"),
                    "camera_model": m.get("camera_model"),
                }

    def figure_files(self, kind: str | None) -> Iterator[dict[str, Any]]:
        """Every content (or those of `kind`, kinds.py), with its first path and type."""
        e, f, p = schema.extractions.c, schema.files.c, schema.paths.c
        first_path = func.min(p.path)
        query = (
            select(first_path, f.sha256, f.mime, e.extractor)
            .select_from(
                schema.files.join(schema.paths, p.sha256 == f.sha256).outerjoin(
                    schema.extractions, e.sha256 == f.sha256
                )
            )
            .group_by(f.sha256, f.mime, e.extractor)
            .order_by(first_path)
        )
        if kind is not None:
            query = query.where(content_kind() == kind)
        with self.engine.connect() as conn:
            for path, sha, mime, extractor in conn.execute(query):
                yield {"path": path, "sha256": sha, "mime": mime, "extractor": extractor}
