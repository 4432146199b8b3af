"""`veracity stats explain KEY`: the rule behind one figure and the rows that made it.

A figure a story quotes must be checkable: for every key of `veracity stats --json` (and each
sub-key, e.g. `detained.by_year.2017`, `status.by_category.sentenced`) a `Rule` says in plain
words how it is counted and lists the records (person, path, sheet, row, the values used) or
files it was counted from. Rules are registered in one tuple, `RULES`, matched by key prefix;
the rows come from the same store conditions the counts use (store/_analyze_sql.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from veracity.analyze.basis import figure_basis
from veracity.analyze.stats import (
    AGE_BINS,
    SENTENCE_BINS,
    adult_born_by,
    bin_label,
    check_current,
    county_name,
    township_village,
)
from veracity.analyze.status import load_table
from veracity.case import Case
from veracity.errors import CaseError, UsageError
from veracity.kinds import COUNT_KEYS, DESCRIPTIONS, KINDS
from veracity.store import Store, open_store
from veracity.store._analyze_sql import (
    EXCLUSION_REASONS,
    camera_name,
    photo_condition,
    record_condition,
)

#: the columns every record row starts with
RECORD_COLUMNS = ("person_id", "path", "sheet", "row")
FILE_COLUMNS = ("path", "sha256", "mime", "extractor")
PHOTO_COLUMNS = ("path", "sha256", "taken_at", "camera_make", "camera_model")


@dataclass(frozen=True)
class Explanation:
    """A figure's key, its rule in plain words, the columns of its rows, and the rows."""

    key: str
    rule: str
    columns: tuple[str, ...]
    rows: Iterator[dict[str, Any]]


#: what a rule gets: the store, the status table, and the key's parameter (after the prefix)
RowsFn = Callable[[Store, Mapping[str, str], str | None], Iterable[dict[str, Any]]]


@dataclass(frozen=True)
class Rule:
    """How the figure at `prefix` (and, with `param`, at `prefix.VALUE`) is counted."""

    prefix: str
    rule: str
    values: tuple[str, ...]  # the columns of a row, after RECORD_COLUMNS for records
    rows: RowsFn
    param: str | None = None  # what VALUE is, e.g. "year"; None: the key takes none
    files: bool = False  # rows are files (FILE_COLUMNS/PHOTO_COLUMNS), not records

    def columns(self) -> tuple[str, ...]:
        return self.values if self.files else RECORD_COLUMNS + self.values


def _records(figure: str, value: Any = None) -> RowsFn:
    def rows(store: Store, _table: Mapping[str, str], _param: str | None) -> Iterator[Any]:
        return store.figure_records(record_condition(figure, value))

    return rows


def _by_param(figure: str, convert: Callable[[str], Any] = str) -> RowsFn:
    def rows(store: Store, _table: Mapping[str, str], param: str | None) -> Iterator[Any]:
        return store.figure_records(record_condition(figure, convert(param or "")))

    return rows


def _files(kind: str | None) -> RowsFn:
    def rows(store: Store, _table: Mapping[str, str], _param: str | None) -> Iterator[Any]:
        return store.figure_files(kind)

    return rows


def _status_rows(kind: str) -> RowsFn:
    def rows(store: Store, table: Mapping[str, str], param: str | None) -> Iterator[Any]:
        if kind == "category":
            words = [w for w, c in table.items() if c == param]
        elif kind == "value":
            words = [param or ""]
        elif kind == "unknown":
            stated = store.status_counts(table)["by_value"]
            words = [w for w in stated if w not in table] if param is None else [param]
        else:
            words = list(table)
        return store.figure_records(record_condition("status_words", words))

    return rows


def _county_rows(store: Store, _table: Mapping[str, str], param: str | None) -> Iterator[Any]:
    codes = [c for c in store.detained_regions() if param is None or county_name(c) == param]
    return store.figure_records(record_condition("region_codes", codes))


def _place_rows(part: int) -> RowsFn:
    """Township (0) or village (1): each detained person under the first address parsed."""

    def rows(store: Store, _table: Mapping[str, str], param: str | None) -> Iterator[Any]:
        chosen: dict[str, str] = {}
        for person_id, address in store.detained_addresses():
            name = township_village(address)[part]
            if name and person_id not in chosen:
                chosen[person_id] = name
        keep = {p for p, name in chosen.items() if param is None or name == param}
        for row in store.figure_records(record_condition("detained")):
            name = township_village(row["address"] or "")[part]
            if row["person_id"] in keep and name and (param is None or name == param):
                yield row

    return rows


def _bin(label: str, bins: tuple[tuple[int, int | None], ...]) -> tuple[int, int | None]:
    for low, high in bins:
        if bin_label(low, high) == label:
            return low, high
    raise UsageError(f"no bin {label!r}; bins are {', '.join(bin_label(*b) for b in bins)}")


def _age_rows(store: Store, _table: Mapping[str, str], param: str | None) -> Iterator[Any]:
    if param is None:
        return store.figure_records(record_condition("age", (None, 0, None)))
    sex, _, label = param.partition(".")
    low, high = _bin(label, AGE_BINS) if label else (0, None)
    return store.figure_records(
        record_condition("age", ("" if sex == "unknown" else sex, low, high))
    )


def _excluded_rows(store: Store, _table: Mapping[str, str], param: str | None) -> Iterator[Any]:
    if param is not None and param not in EXCLUSION_REASONS:
        raise UsageError(f"no reason {param!r}; reasons are {', '.join(EXCLUSION_REASONS)}")
    newest = store.newest_file_date()
    for reason in [param] if param else EXCLUSION_REASONS:
        yield from store.figure_records(record_condition("excluded", (reason, newest)))


def _newest_rows(store: Store, _table: Mapping[str, str], _param: str | None) -> Iterator[Any]:
    newest = store.newest_file_date()
    return store.figure_dated_files(newest) if newest else iter(())


def _basis_rows(store: Store, _table: Mapping[str, str], _param: str | None) -> Iterator[Any]:
    for entry in figure_basis(store)["registers"]:
        yield {**entry, "guesses": "; ".join(entry["guesses"])}


def _sentence_rows(store: Store, _table: Mapping[str, str], param: str | None) -> Iterator[Any]:
    low, high = _bin(param, SENTENCE_BINS) if param else (0, None)
    return store.figure_records(record_condition("sentence_months", (low, high)))


def _photo_rows(kind: str) -> RowsFn:
    def rows(store: Store, _table: Mapping[str, str], param: str | None) -> Iterator[Any]:
        if param is None:
            return store.figure_photos(None)
        if kind == "month":
            return store.figure_photos(photo_condition("month", param))
        pairs = [p for p in store.camera_counts() if camera_name(*p) == param]
        return store.figure_photos(photo_condition("camera", pairs)) if pairs else iter(())

    return rows


_PERSON = ("sex", "birth_date", "detention_start")
_ADULT = f"aged 18 or more on 2018-01-01 (born on or before {adult_born_by()})"

#: every figure's rule, most specific prefix first within a family
RULES: tuple[Rule, ...] = (
    Rule("files", "Distinct file contents (by SHA-256), archive members included.",
         FILE_COLUMNS, _files(None), files=True),
    *(Rule(COUNT_KEYS[kind], DESCRIPTIONS[kind], FILE_COLUMNS, _files(kind), files=True)
      for kind in KINDS),
    Rule("records", "Person rows read from the registers (one per sheet row).",
         ("name_raw", "id_number"), _records("all")),
    Rule("people_in_any_list", "Distinct persons after linking the records of every kind of "
         "list (staff, students and other lists too); rows with a name and nothing else on "
         "two lists cannot be linked, so this may count one person twice.",
         ("id_number", *_PERSON), _records("all")),
    Rule("people_by_kind", "Distinct persons with a record on each kind of list (residents, "
         "detainees, staff, students, other_people); a person on two kinds counts under each.",
         ("id_number", *_PERSON), _by_param("kind"), param="kind"),
    Rule("people", "Distinct persons of the residents' registers and detainee lists after "
         "linking their records (same valid ID, or names, birth date and sex matched); each "
         "person's records are listed.", ("id_number", *_PERSON), _records("people")),
    Rule("detained.by_year", "Distinct detained persons by the year of their earliest "
         "detention start.", _PERSON, _by_param("detained_year"), param="year"),
    Rule("detained.by_month", "Distinct detained persons by the month (YYYY-MM) of their "
         "earliest detention start.", _PERSON, _by_param("detained_month"), param="month"),
    Rule("detained", "Distinct persons with a countable detention start date: one stated in a "
         "residents' register or a detainee list (staff rosters, school rolls, inventories and "
         "other lists are never counted), not after the newest dated file of the leak and not "
         "before the birth on its row (those rows are under excluded.<reason>); the rows are "
         "every record of each person.", _PERSON, _records("detained")),
    Rule("adults", f"Distinct persons of the residents' registers (the population) {_ADULT}; "
         "persons without a full birth date are not counted.",
         _PERSON, _records("adult", adult_born_by())),
    Rule("detained_adults", f"Distinct detained persons of the residents' registers {_ADULT}.",
         _PERSON, _records("detained_adult", adult_born_by())),
    Rule("detained_adult_share_by_register", "Per residents' register (file and sheet): its "
         f"detained adults / its adults ({_ADULT}); a person's detention may be stated in "
         "another countable list. The rows are the detained adults of every residents' "
         "register.", _PERSON, _records("detained_adult", adult_born_by())),
    Rule("detained_adult_share", "Detained adults / adults, both taken of one population: the "
         f"persons of the residents' registers {_ADULT}; the rows are the detained adults (the "
         "numerator).", _PERSON, _records("detained_adult", adult_born_by())),
    Rule("excluded", "Rows left out of every figure: detention_after_newest_file (a detention "
         "date after the newest date a photo or document of the leak carries, newest_file_date: "
         "no list records what had not happened when it was taken), detention_before_birth (a "
         "detention date before the birth date on its row), age_negative (persons whose birth "
         "date, from another of their rows, is after their detention start: left out of age at "
         "detention). Only residents' and detainee lists are judged; the others are never "
         "counted.", ("register_kind", "row_birth_date", "row_detention_start", *_PERSON),
         _excluded_rows, param="reason"),
    Rule("newest_file_date", "The newest date (photo taken, document created or saved) a file "
         "of the leak carries, dates after today or before 1980 ignored; detention dates after "
         "it are excluded. The rows are the files carrying it.", ("path", "sha256", "key",
         "value"), _newest_rows, files=True),
    Rule("basis", "The registers each figure rests on: every sheet read, its kind of list and "
         "why, its records, whether it is counted, and every guess (a kind from a single sign, "
         "a column mapped by a longer header); `veracity people columns` shows each column.",
         ("path", "sheet", "kind", "kind_how", "records", "counted", "population", "guesses"),
         _basis_rows, files=True),
    Rule("status.by_category", "Distinct persons with at least one record whose status word "
         "maps to the category (status_categories.yaml, the case's own over the shipped one); "
         "a person with two words is counted under each.",
         ("status",), _status_rows("category"), param="category"),
    Rule("status.by_value", "Distinct persons with at least one record of this status word "
         "(spaces trimmed).", ("status",), _status_rows("value"), param="word"),
    Rule("status.unknown", "Distinct persons per status word that no status table lists: "
         "add it to CASE/status_categories.yaml to count it.",
         ("status",), _status_rows("unknown"), param="word"),
    Rule("status.no_status", "Persons none of whose records states a status.",
         ("status",), _records("all")),
    Rule("status", "Distinct persons by the status words of their records.",
         ("status",), _status_rows("all")),
    Rule("detentions_by.county", "Distinct detained persons by the county of their ID's "
         "region code (first 6 digits; GB/T 2260); 'unknown' without a valid ID.",
         ("id_number", "detention_start"), _county_rows, param="county"),
    Rule("detentions_by.township", "Distinct detained persons by the township (…乡/镇/街道) "
         "of the first address of theirs that names one.",
         ("address", "detention_start"), _place_rows(0), param="township"),
    Rule("detentions_by.village", "Distinct detained persons by village (township + …村) of "
         "the first address of theirs that names one.",
         ("address", "detention_start"), _place_rows(1), param="village"),
    Rule("detentions_by.place", "Distinct detained persons by the place of detention their "
         "records name; a person held in two places counts under each.",
         ("place", "detention_start"), _by_param("place"), param="place"),
    Rule("detentions_by", "Detained persons by county, township, village and place.",
         ("address", "place", "detention_start"), _records("detained")),
    Rule("age_at_detention.histogram", "Detained persons with a full birth date by sex and "
         "whole years of age on their earliest detention start (key: SEX.BIN, e.g. 男.18-24).",
         _PERSON, _age_rows, param="sex.bin"),
    Rule("age_at_detention", "Whole years of age on the earliest detention start of each "
         "detained person with a full birth date; quartiles interpolate linearly (numpy's "
         "default).", _PERSON, _age_rows),
    Rule("sentences.life_or_death", "Distinct persons whose sentence reads 无期, 死缓 or 死刑 "
         "and has no length in months.", ("sentence_raw",), _records("life_or_death")),
    Rule("sentences.histogram", "Sentenced persons by their longest sentence in months.",
         ("sentence_raw", "sentence_months"), _sentence_rows, param="bin"),
    Rule("sentences.by_reason", "Sentenced persons by the stated reason of their sentence; "
         "median of their longest sentence in months.",
         ("sentence_raw", "sentence_months", "reason"), _by_param("reason"), param="reason"),
    Rule("sentences", "Persons with a sentence length in months; each counted once with their "
         "longest sentence.", ("sentence_raw", "sentence_months", "reason"), _sentence_rows),
    Rule("photos_by.month", "Photos by the month of their EXIF DateTimeOriginal (taken_at).",
         PHOTO_COLUMNS, _photo_rows("month"), param="month", files=True),
    Rule("photos_by.camera", "Photos by camera: EXIF make and model (the model alone when it "
         "starts with the make).", PHOTO_COLUMNS, _photo_rows("camera"), param="camera",
         files=True),
    Rule("photos_by", "Photos by month taken and by camera.", PHOTO_COLUMNS,
         _photo_rows("month"), files=True),
)  # fmt: skip


def keys() -> list[str]:
    """The keys `explain` takes, VALUE parts shown as <name>."""
    return [f"{r.prefix}.<{r.param}>" if r.param else r.prefix for r in RULES]


def find_rule(key: str) -> tuple[Rule, str | None]:
    """The rule for `key` and its parameter; a UsageError listing the keys when none fits.

    A key below a figure without a parameter (e.g. `age_at_detention.median`,
    `detained.total`) is explained by that figure's rule.
    """
    for rule in RULES:
        if key == rule.prefix:
            return rule, None
        if key.startswith(rule.prefix + "."):
            rest = key[len(rule.prefix) + 1 :]
            return rule, (rest if rule.param else None)
    raise UsageError(f"unknown stats key {key!r}; keys: {', '.join(keys())}")


def explain(case: Case, key: str) -> Explanation:
    """The rule and rows behind `key`; the rows are read lazily, the store closed after them."""
    rule, param = find_rule(key)
    table = load_table(case.root)
    store = open_store(case, migrate=False)
    try:
        check_current(store)
    except CaseError:
        store.close()
        raise
    columns = rule.columns()

    def rows() -> Iterator[dict[str, Any]]:
        try:
            for row in rule.rows(store, table, param):
                yield {c: row.get(c) for c in columns}
        finally:
            store.close()

    return Explanation(key, rule.rule, columns, rows())
