"""The SQL expressions `veracity stats` counts with and `stats explain` lists rows by: one
definition of each figure's condition (a detained person, a life sentence, a photo's month),
shared by the counts (`_analyze.py`) and the rows behind them, so the two cannot disagree.

`json_text` reads one key of the JSON `metadata` text column on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from veracity import kinds
from veracity.store import schema
from veracity.store.records import COUNTED_KINDS, POPULATION_KINDS

_P, _R, _L = schema.persons.c, schema.records.c, schema.person_records.c
CHUNK = 5_000

#: the extractors of photos: a photo is decided by its extractor alone (kinds.py), so photo
#: figures need not join `files` for the MIME type
PHOTO_EXTRACTORS = kinds.extractors_of(kinds.PHOTO)
#: a sentence written this way has no length in months (null sentence_months)
LIFE_OR_DEATH_WORDS = ("无期", "死缓", "死刑")


def year_of(column: Any) -> Any:
    return cast(func.substr(column, 1, 4), Integer)


def age_at(birth: Any, day: Any) -> Any:
    """Whole years between two ISO dates, in SQL: year difference less one before the birthday."""
    before = case((func.substr(day, 6, 5) < func.substr(birth, 6, 5), 1), else_=0)
    return year_of(day) - year_of(birth) - before


def is_detained() -> ColumnElement[bool]:
    """A person the figures count as detained: linking set their detention start only from a
    countable row (a residents' or detainees' list, a possible date: people/evidence.py)."""
    return _P.detention_start.is_not(None)


def counted_record() -> ColumnElement[bool]:
    """A record whose list may feed the figures (statuses, places, sentences, reasons)."""
    return _R.register_kind.in_(COUNTED_KINDS)


def on_list(*kinds: str) -> ColumnElement[bool]:
    """A person with a record on one of these kinds of list (`persons.kinds`, set by linking)."""
    return or_(*(_P.kinds.contains(f",{kind},", autoescape=True) for kind in kinds))


def in_counted_lists() -> ColumnElement[bool]:
    """A person listed in a residents' register or a detainee list: the people the figures
    are about (a staff phone book's name-only rows cannot be linked across lists, so persons
    known only from other lists are counted apart, `people_in_any_list`)."""
    return on_list(*COUNTED_KINDS)


def in_population() -> ColumnElement[bool]:
    """A person listed in a residents' register: the population shares are taken of."""
    return on_list(*POPULATION_KINDS)


def possible_age() -> ColumnElement[bool]:
    """A detained person's age can be counted: a birth date, not after the detention start."""
    return and_(_P.birth_date.is_not(None), _P.birth_date <= _P.detention_start)


#: why a row is left out of the figures: people/evidence.py decides it row by row at linking;
#: these conditions list the same rows (and `age_negative` the persons whose birth date, from
#: another of their rows, falls after their detention start)
EXCLUSION_REASONS = ("detention_after_newest_file", "detention_before_birth", "age_negative")


def excluded_condition(reason: str, newest: str | None) -> ColumnElement[bool]:
    """The records (or persons) left out of the figures for `reason` (`EXCLUSION_REASONS`)."""
    dated = and_(counted_record(), _R.detention_start.is_not(None))
    if reason == "detention_after_newest_file":
        return and_(dated, _R.detention_start > newest) if newest else literal(False)
    if reason == "detention_before_birth":
        born = func.coalesce(_R.birth_date, _R.id_birth_date)
        late = _R.detention_start > newest if newest else literal(False)
        return and_(dated, ~late, born.is_not(None), _R.detention_start < born)
    if reason == "age_negative":
        return and_(is_detained(), _P.birth_date > _P.detention_start)
    raise ValueError(f"no exclusion {reason!r}")


def linked() -> Any:
    """records joined to their person (and the person's summary row)."""
    return schema.records.join(
        schema.person_records,
        and_(_R.sha256 == _L.sha256, _R.sheet == _L.sheet, _R.row == _L.row),
    ).join(schema.persons, _P.person_id == _L.person_id)


def linked_records() -> Any:
    """records joined to their person's id only: for figures that need no person column, one
    join fewer per row than `linked()`."""
    return schema.records.join(
        schema.person_records,
        and_(_R.sha256 == _L.sha256, _R.sheet == _L.sheet, _R.row == _L.row),
    )


def is_life_or_death() -> ColumnElement[bool]:
    return and_(
        _R.sentence_months.is_(None),
        or_(*(_R.sentence_raw.contains(w, autoescape=True) for w in LIFE_OR_DEATH_WORDS)),
    )


class json_text(FunctionElement[str]):
    """One key of a JSON text column, as text, on either database: `metadata` is stored as
    TEXT, which SQLite's json_extract reads as it is and PostgreSQL must cast to jsonb."""

    type = String()
    inherit_cache = True


@compiles(json_text)
def _json_text_default(element: json_text, compiler: Any, **kw: Any) -> str:
    column, key = list(element.clauses)
    return f"json_extract({compiler.process(column, **kw)}, '$.' || {compiler.process(key, **kw)})"


@compiles(json_text, "postgresql")
def _json_text_postgresql(element: json_text, compiler: Any, **kw: Any) -> str:
    column, key = list(element.clauses)
    return f"(CAST({compiler.process(column, **kw)} AS jsonb) ->> {compiler.process(key, **kw)})"


def kind_sql(extractor: Any, mime: Any, metadata: Any) -> ColumnElement[str]:
    """A content's kind in SQL, from its extraction's `extractor` and `metadata` and its file's
    `mime`: `kinds.kind_of` written as one CASE from the same tables (first rule wins)."""
    by_kind: dict[str, list[str]] = {}
    for name, kind in kinds.BY_EXTRACTOR.items():
        by_kind.setdefault(kind, []).append(name)
    whens: list[tuple[ColumnElement[bool], Any]] = [
        (and_(extractor == name, json_text(metadata, literal(key)) == value), literal(kind))
        for name, key, value, kind in kinds.BY_METADATA
    ]
    whens += [
        (and_(extractor == name, func.lower(mime) == type_), literal(kind))
        for name, type_, kind in kinds.BY_MIME
    ]
    whens += [(extractor.in_(names), literal(kind)) for kind, names in by_kind.items()]
    return case(*whens, else_=literal(kinds.OTHER))


def content_kind() -> ColumnElement[str]:
    """`kind_sql` over `files` outer-joined to `extractions` (a content never read: other)."""
    e = schema.extractions.c
    return kind_sql(e.extractor, schema.files.c.mime, e.metadata)


class _PhotoMeta:
    """`photo_meta()["taken_at"].as_string()`: a photo's metadata key, on either database."""

    class _Key:
        def __init__(self, key: str) -> None:
            self.key = key

        def as_string(self) -> Any:
            return json_text(schema.extractions.c.metadata, literal(self.key))

    def __getitem__(self, key: str) -> _PhotoMeta._Key:
        return self._Key(key)


def photo_meta() -> _PhotoMeta:
    return _PhotoMeta()


def camera_name(make: str, model: str) -> str:
    """One name per camera: "Canon" + "Canon EOS 5D Mark III" is "Canon EOS 5D Mark III"."""
    return model if model.lower().startswith(make.lower()) else f"{make} {model}".strip()


def record_condition(figure: str, value: Any = None) -> ColumnElement[bool]:
    """The condition over persons and records that selects the rows behind a figure.

    `figure` names the rule (see analyze/explain.py); `value` is its parameter: a year, a month,
    a list of status words, region codes, a (sex, low, high) age bin, a (low, high) month bin,
    a reason, a place, or text an address contains.
    """
    detained = is_detained()
    if figure == "all":
        return literal(True)
    if figure == "people":
        return in_counted_lists()
    if figure == "kind":
        return on_list(str(value))
    if figure == "detained":
        return detained
    if figure in ("detained_year", "detained_month"):
        return _P.detention_start.startswith(str(value), autoescape=True)
    if figure == "adult":
        return and_(in_population(), _P.birth_date <= str(value))
    if figure == "detained_adult":
        return and_(in_population(), detained, _P.birth_date <= str(value))
    if figure == "status_words":
        return and_(counted_record(), func.trim(_R.status).in_(list(value)))
    if figure == "region_codes":
        codes = [c for c in value if c]
        no_id = _P.id_number.is_(None) if "" in value else literal(False)
        return and_(detained, or_(func.substr(_P.id_number, 1, 6).in_(codes), no_id))
    if figure == "address_contains":
        return and_(detained, _R.address.contains(str(value), autoescape=True))
    if figure == "place":
        return and_(detained, counted_record(), func.trim(_R.place) == str(value))
    if figure == "age":
        sex, low, high = value
        age = age_at(_P.birth_date, _P.detention_start)
        cond = and_(detained, possible_age(), age >= low)
        if high is not None:
            cond = and_(cond, age <= high)
        return and_(cond, func.coalesce(_P.sex, "") == sex) if sex is not None else cond
    if figure == "sentence_months":
        low, high = value
        longest = func.max(_R.sentence_months)
        having = longest >= low if high is None else and_(longest >= low, longest <= high)
        persons = (
            select(_L.person_id)
            .select_from(linked())
            .where(counted_record())
            .group_by(_L.person_id)
        )
        sentenced = and_(counted_record(), _R.sentence_months.is_not(None))
        return and_(sentenced, _L.person_id.in_(persons.having(having)))
    if figure == "reason":
        stated = func.coalesce(_R.reason, "") == str(value)
        return and_(counted_record(), _R.sentence_months.is_not(None), stated)
    if figure == "life_or_death":
        return and_(counted_record(), is_life_or_death())
    if figure == "excluded":
        reason, newest = value
        return excluded_condition(reason, newest)
    raise ValueError(f"no record condition {figure!r}")


def photo_condition(figure: str, value: Any = None) -> ColumnElement[bool] | None:
    """The condition over photo extractions behind a photo figure: a month, or (make, model)."""
    meta = photo_meta()
    if figure == "month":
        return func.substr(meta["taken_at"].as_string(), 1, 7) == str(value)
    if figure == "camera":
        make = func.trim(func.coalesce(meta["camera_make"].as_string(), ""))
        model = func.trim(func.coalesce(meta["camera_model"].as_string(), ""))
        return or_(*(and_(make == mk, model == md) for mk, md in value))
    return None
