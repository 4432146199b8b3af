"""Which sheets are lists of people, and which column holds which field.

Every register has its own headers, so a column is mapped in three steps, most certain first:
1. **header**: the header is a listed synonym (`data/columns.yaml`), compared after folding
   width, case, spaces, punctuation and bracketed notes;
2. **fuzzy**: the header contains a synonym ("被收押人员姓名" holds "姓名"), or, for a header
   in Latin letters, is a near spelling of one ("Date of Birh"); exact matches are placed
   first, so a "户主身份证号" column does not take the ID from a plain "身份证号" column beside it;
3. **content**: a column still free whose values are mostly ID numbers is the ID column,
   whatever its header; mostly 男/女 is sex; mostly past dates is the birth date.
The fields that feed the statistics (`FieldSpec.statistics`: detention start, status, place,
sentence, reason) are held to a stricter rule, because a wrong guess there becomes a published
figure: only a listed header, or a longer one holding a synonym of three or more characters
and none of the field's `unless` words, maps them; a near spelling never does (入职时间, the
date hired, is one character from 入所时间), nor does a column's content (a column of recent
dates may be hire dates, exam dates or purchase dates as easily as detentions).
A user's mapping (`CASE/columns.yaml`, read by `load_overrides`) replaces the guess for the
files and sheets it names. A sheet is a register when it has a name or an ID column; what kind
of list it is (residents, detainees, staff…) is `register_kinds.classify`'s question.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from statistics import median
from typing import Any, Literal

import yaml

from veracity.errors import DataFileError, UsageError
from veracity.people._values import parse_date, parse_sex, text_of
from veracity.people.idcard import parse
from veracity.yamlfile import read_user_yaml

__all__ = [
    "COLUMNS_FILE",
    "ColumnGuess",
    "FieldSpec",
    "Override",
    "SheetMap",
    "column_letter",
    "find_header",
    "header_key",
    "is_synonym",
    "load_fields",
    "load_overrides",
    "map_columns",
    "match_header",
    "read_fields",
]

COLUMNS_FILE = Path(__file__).parent / "data" / "columns.yaml"
#: Fields that make a sheet a register: a list of people names them or numbers them.
IDENTIFYING = ("name", "id_number")
How = Literal["header", "fuzzy", "content", "override"]

_FUZZY_CUTOFF = 0.75
_MIN_SPELLING = 5  # a Latin header this long may be a near spelling of a synonym
_MIN_STATISTICS_CONTAINED = 3  # characters of a synonym a longer statistics header must hold
_CONTENT_SHARE = 0.6  # of a column's non-empty sample values
_MIN_CONTENT_VALUES = 3
_HEADER_SCAN_ROWS = 30
_MIN_HEADERS = 2
_SHORT_DIGITS = 10  # a number with fewer digits is no ID number, whatever its header says
_LONE_HEADER_ROWS = 3  # rows searched for a header naming only a name or an ID
_BRACKETS = re.compile(r"[(\[（【<《][^)\]）】>》]*[)\]）】>》]")
_NOISE = re.compile(r"[\s\W_]+")
_YOUNGEST_BIRTH_YEAR = 2012  # a date column mostly after this is an event, not a birth
#: with no ID to compare, a date column is taken for births only when its median is this old
_OLDEST_EVENT_MEDIAN = 2000


@dataclass(frozen=True)
class FieldSpec:
    """One field of a record: its synonyms and whether it has its own column in `records`.

    `statistics`: the field feeds the figures, so it is mapped only on firm evidence;
    `unless`: words that give a longer header holding a synonym another meaning.
    """

    name: str
    stored: bool
    synonyms: tuple[str, ...]
    statistics: bool = False
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class ColumnGuess:
    index: int  # 0-based
    header: str
    field: str | None
    how: How | None

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(frozen=True)
class SheetMap:
    """The header row of one sheet and the field guessed for each of its columns."""

    sheet: str
    header_row: int | None
    columns: tuple[ColumnGuess, ...] = ()
    fields: Mapping[str, int] = field(default_factory=dict)  # field -> column index

    @property
    def is_register(self) -> bool:
        return self.header_row is not None and any(f in self.fields for f in IDENTIFYING)


def column_letter(index: int) -> str:
    """0 → A, 26 → AA."""
    letters, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_key(text: object) -> str:
    """A header folded for comparison: width, case, spaces, punctuation, bracketed notes."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).lower()
    return _NOISE.sub("", _BRACKETS.sub("", folded))


# --- the synonym table --------------------------------------------------------------------


def read_fields(path: Path = COLUMNS_FILE) -> Mapping[str, FieldSpec]:
    """Read and validate a synonym file: every field has synonyms, none is claimed twice."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(path.name, "file", str(exc)) from exc
    raw = data.get("fields") if isinstance(data, dict) else None
    if not isinstance(raw, dict) or not raw:
        raise DataFileError(path.name, "fields", "expected a mapping of field names")
    specs: dict[str, FieldSpec] = {}
    owner: dict[str, str] = {}
    for name, spec in raw.items():
        synonyms = spec.get("synonyms") if isinstance(spec, dict) else None
        if not isinstance(synonyms, list) or not synonyms:
            raise DataFileError(path.name, str(name), "needs a list of synonyms")
        stored, statistics = spec.get("stored", True), spec.get("statistics", False)
        if not isinstance(stored, bool) or not isinstance(statistics, bool):
            raise DataFileError(path.name, str(name), "stored and statistics are true or false")
        unless = spec.get("unless", [])
        if not isinstance(unless, list) or not all(isinstance(u, str) and u for u in unless):
            raise DataFileError(path.name, str(name), "unless is a list of words")
        for synonym in synonyms:
            key = header_key(synonym)
            if not key or owner.setdefault(key, name) != name:
                problem = f"synonym {synonym!r} is empty or also listed under {owner.get(key)}"
                raise DataFileError(path.name, str(name), problem)
        specs[str(name)] = FieldSpec(
            str(name),
            stored,
            tuple(str(s) for s in synonyms),
            statistics,
            tuple(header_key(u) for u in unless),
        )
    return specs


@cache
def load_fields() -> Mapping[str, FieldSpec]:
    """The bundled synonym table, read and validated once per process."""
    return read_fields(COLUMNS_FILE)


@cache
def _synonyms() -> dict[str, str]:
    return {header_key(s): spec.name for spec in load_fields().values() for s in spec.synonyms}


def is_synonym(text: object) -> bool:
    """The text is exactly a listed header (cheap: for spotting a header row repeated)."""
    return isinstance(text, str) and header_key(text) in _synonyms()


def match_header(text: object) -> tuple[str, How] | None:
    """The field a header names and how it was decided, or None (see the module's rules)."""
    key = header_key(text)
    if not key:
        return None
    table = _synonyms()
    if key in table:
        return table[key], "header"
    specs = load_fields()
    contained = [
        s
        for s in table
        if len(s) >= 2 and s in key and not s.isascii() and _may_contain(specs[table[s]], s, key)
    ]
    if contained:
        return table[max(contained, key=len)], "fuzzy"
    if key.isascii() and len(key) >= _MIN_SPELLING:
        latin = [s for s in table if s.isascii() and not specs[table[s]].statistics]
        close = difflib.get_close_matches(key, latin, n=1, cutoff=_FUZZY_CUTOFF)
        if close:
            return table[close[0]], "fuzzy"
    return None


def _may_contain(spec: FieldSpec, synonym: str, key: str) -> bool:
    """A longer header holding `synonym` keeps its meaning: always for ordinary fields; for a
    statistics field only a synonym of three characters or more, and none of its `unless`
    words ("婚姻状态" holds "状态" and is marital status; "解除收押日期" ends custody)."""
    if not spec.statistics:
        return True
    return len(synonym) >= _MIN_STATISTICS_CONTAINED and not any(u in key for u in spec.unless)


# --- finding the header and mapping the columns -------------------------------------------

Row = tuple[int, Sequence[Any]]


def _mapped_count(cells: Sequence[Any]) -> int:
    return sum(1 for c in cells if isinstance(c, str) and match_header(c) is not None)


def find_header(head: Sequence[Row], hint: int | None = None) -> int | None:
    """The header row: the hinted one (the extractor's) if it names two fields, else the first
    row, among the first rows, naming the most (at least two), else the hinted one anyway (its
    columns may still be known by their content)."""
    rows = dict(head)
    if hint is not None and hint in rows and _mapped_count(rows[hint]) >= _MIN_HEADERS:
        return hint
    best, best_count = None, _MIN_HEADERS - 1
    for number, cells in head[:_HEADER_SCAN_ROWS]:
        count = _mapped_count(cells)
        if count > best_count:
            best, best_count = number, count
    if best is None and hint is None:
        # a bare list ("姓名, 年纪"): one of the first rows naming a person's name or ID exactly
        best = next((n for n, cells in head[:_LONE_HEADER_ROWS] if _names_a_person(cells)), None)
    return best if best is not None else (hint if hint in rows else None)


def _names_a_person(cells: Sequence[Any]) -> bool:
    table = _synonyms()
    return any(table.get(header_key(c)) in IDENTIFYING for c in cells if isinstance(c, str))


def _content_field(values: Sequence[Any]) -> str | None:
    filled = [v for v in values if text_of(v) is not None]
    if len(filled) < _MIN_CONTENT_VALUES:
        return None

    def share(test: Any) -> float:
        return sum(1 for v in filled if test(v)) / len(filled)

    if share(lambda v: parse(v).form is not None or parse(v).excel_destroyed) >= _CONTENT_SHARE:
        return "id_number"
    if share(lambda v: parse_sex(v) in ("男", "女")) >= _CONTENT_SHARE:
        return "sex"
    dates = [d for d in (parse_date(v) for v in filled) if d]
    if len(dates) / len(filled) >= _CONTENT_SHARE:
        # recent dates are some event's (hired, enrolled, bought, detained): never guessed
        young = median(int(d[:4]) for d in dates) > _YOUNGEST_BIRTH_YEAR
        return None if young else "birth_date"
    return None


def _short_numbers(values: Sequence[Any]) -> bool:
    """Mostly numbers too short to be an ID number (fewer than 10 digits), as a database's
    own `Id` column holds; an ID column damaged by Excel or typos keeps its long digits."""
    filled = [t for t in (text_of(v) for v in values) if t is not None]
    if len(filled) < _MIN_CONTENT_VALUES:
        return False
    short = sum(1 for t in filled if t.replace(".", "", 1).isdigit() and len(t) < _SHORT_DIGITS)
    return short / len(filled) >= _CONTENT_SHARE


def _births_plausible(body: Sequence[Sequence[Any]], column: int, ids: int | None) -> bool:
    """A date column guessed from its content is a birth date only when it agrees with the
    birth dates of the row's ID numbers, or, with no ID to compare, when its dates are old
    enough to be adults' births: a roster's hire dates or a school's entry dates are not."""

    def at(cells: Sequence[Any], index: int) -> Any:
        return cells[index] if index < len(cells) else None

    dates = [parse_date(at(cells, column)) for cells in body]
    if ids is not None:
        pairs = [
            (d, parse(at(cells, ids)).birth_date) for d, cells in zip(dates, body, strict=True)
        ]
        known = [(d, b) for d, b in pairs if d and b]
        if len(known) >= _MIN_CONTENT_VALUES:
            agree = sum(1 for d, b in known if d == b.isoformat())
            return agree / len(known) >= _CONTENT_SHARE
    years = [int(d[:4]) for d in dates if d]
    return bool(years) and median(years) <= _OLDEST_EVENT_MEDIAN


def map_columns(
    sheet: str,
    head: Sequence[Row],
    hint: int | None = None,
    forced: Mapping[int, str | None] | None = None,
    header_row: int | None = None,
) -> SheetMap:
    """Guess the field of every column of a sheet from its first rows (`head`).

    `forced` (column index → field, or None for "keep as extra") and `header_row` come from
    the user's mapping file and win over any guess.
    """
    header_row = header_row if header_row is not None else find_header(head, hint)
    if header_row is None:
        return SheetMap(sheet, None)
    rows = dict(head)
    headers = [text_of(c) or "" for c in rows.get(header_row, ())]
    body = [cells for number, cells in head if number > header_row]
    width = max([len(headers), *(len(c) for c in body)])
    guesses: dict[int, tuple[str | None, How | None]] = {i: (None, None) for i in range(width)}
    taken: dict[str, int] = {}
    for index, name in (forced or {}).items():
        guesses[index] = (name, "override")
        if name is not None:
            taken.setdefault(name, index)
    matched = {i: match_header(h) for i, h in enumerate(headers) if i not in (forced or {})}
    for wanted in ("header", "fuzzy"):  # exact matches first
        for index, found in matched.items():
            if found is not None and found[1] == wanted and found[0] not in taken:
                taken[found[0]] = index
                guesses[index] = found
    specs = load_fields()
    for index in range(width):
        had = guesses[index][0]
        if index in (forced or {}) or (had is not None and specs[had].stored):
            continue
        values = [cells[index] if index < len(cells) else None for cells in body]
        name = _content_field(values)
        if name is not None and name not in taken:
            if had is not None:  # e.g. a "编号" column that holds ID numbers
                del taken[had]
            taken[name] = index
            guesses[index] = (name, "content")
    ident = taken.get("id_number")
    if ident is not None and guesses[ident][1] in ("header", "fuzzy"):
        values = [cells[ident] if ident < len(cells) else None for cells in body]
        if _short_numbers(values):  # an "ID" column of row numbers: a serial, not an ID card
            del taken["id_number"]
            guesses[ident] = (None, None)
    born = taken.get("birth_date")
    guessed = born is not None and guesses[born][1] == "content"
    if born is not None and guessed and not _births_plausible(body, born, taken.get("id_number")):
        del taken["birth_date"]
        guesses[born] = (None, None)
    columns = tuple(
        ColumnGuess(i, headers[i] if i < len(headers) else "", *guesses[i]) for i in range(width)
    )
    return SheetMap(sheet, header_row, columns, taken)


# --- the user's mapping file --------------------------------------------------------------

OVERRIDES_FILE = "columns.yaml"
_OVERRIDE_KEYS = frozenset({"path", "sheet", "header_row", "columns", "register", "kind"})
_LETTERS = re.compile(r"^[A-Z]{1,3}$")


@dataclass(frozen=True)
class Override:
    """The user's word on the sheets of the files matching `path` (a glob on the case path)."""

    path: str
    sheet: str | None = None  # None: every sheet
    header_row: int | None = None
    columns: Mapping[str, str | None] = field(default_factory=dict)  # letter or header -> field
    register: bool | None = None  # False: never read as a register
    kind: str | None = None  # what list the sheet is (register_kinds.KINDS); None: guessed

    def on_path(self, paths: Sequence[str]) -> bool:
        return any(fnmatch.fnmatchcase(p, self.path) for p in paths)

    def matches(self, paths: Sequence[str], sheet: str) -> bool:
        return self.on_path(paths) and self.sheet in (None, sheet)

    def forced(self, headers: Sequence[Any]) -> dict[int, str | None]:
        """Column index → field, the columns named by letter or by their header text."""
        keys = [header_key(h) for h in headers]
        out: dict[int, str | None] = {}
        for column, name in self.columns.items():
            if _LETTERS.match(column):
                index = sum((ord(c) - 64) * 26**i for i, c in enumerate(reversed(column))) - 1
                out[index] = name
            elif header_key(column) in keys:
                out[keys.index(header_key(column))] = name
        return out


def _override(entry: object, where: str) -> Override:
    def bad(problem: str) -> UsageError:
        return UsageError(f"{OVERRIDES_FILE}: {where}: {problem}")

    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        raise bad("each entry needs a 'path' (a glob on the file's path in the case)")
    if set(entry) - _OVERRIDE_KEYS:
        raise bad(f"unknown keys {sorted(set(entry) - _OVERRIDE_KEYS)}")
    columns = entry.get("columns") or {}
    if not isinstance(columns, dict):
        raise bad("'columns' maps a column (letter or header) to a field")
    known = load_fields()
    named: dict[str, str] = {}
    for column, name in columns.items():
        if name is not None and name not in known:
            raise bad(f"column {column!r}: unknown field {name!r} (known: {', '.join(known)})")
        if name is not None and name in named:
            raise bad(f"field {name!r} is given to two columns, {named[name]!r} and {column!r}")
        if name is not None:
            named[name] = str(column)
    from veracity.people.register_kinds import KINDS

    kind = entry.get("kind")
    if kind is not None and kind not in KINDS:
        raise bad(f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
    header_row, register = entry.get("header_row"), entry.get("register")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise bad("'header_row' is a row number as Excel shows it (1 or more)")
    if register is not None and not isinstance(register, bool):
        raise bad("'register' is true or false")
    sheet = entry.get("sheet")
    return Override(
        entry["path"],
        None if sheet is None else str(sheet),
        header_row,
        {str(k): (None if v is None else str(v)) for k, v in columns.items()},
        register,
        kind,
    )


def load_overrides(case_root: Path) -> tuple[Override, ...]:
    """The entries of `CASE/columns.yaml` (none when there is no such file)."""
    path = case_root / OVERRIDES_FILE
    if not path.exists():
        return ()
    data = read_user_yaml(path, OVERRIDES_FILE)
    entries = data.get("sheets") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise UsageError(f"{OVERRIDES_FILE}: expected a list under 'sheets'")
    return tuple(_override(e, f"entry {i + 1}") for i, e in enumerate(entries))
