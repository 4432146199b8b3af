"""What kind of list a sheet is: residents, detainees, staff, students, other people, or none.

A police leak holds detainee lists and residents' registers beside staff rosters, duty lists,
school rolls, equipment inventories and budgets. Read as lists of people, the last ones turn
hire dates, exam dates and purchase dates into detentions, and custodians into persons; so each
sheet is classified before its rows are counted, and only `COUNTED_KINDS` feed the detention
figures (`POPULATION_KINDS` the populations that shares are taken of).

The kind is decided from what the sheet says of itself: words in its title rows, sheet name
and file path, words in its column headers (`data/register_kinds.yaml`), and two readings of
its contents: a detention date on nearly every row is a list of detainees, on a few rows a
population with its detained marked; statuses mostly "normal" are a population. Every signal
found is kept as a reason, so `veracity people columns` can show why, and a user can settle a
sheet with `kind:` in the case's `columns.yaml` (`how` is then `override`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from veracity.errors import DataFileError
from veracity.people._values import parse_date, text_of
from veracity.people.columns import SheetMap, header_key
from veracity.store import COUNTED_KINDS, PEOPLE_KINDS, POPULATION_KINDS, REGISTER_KINDS

__all__ = [
    "COUNTED_KINDS",
    "KINDS",
    "KINDS_FILE",
    "PEOPLE_KINDS",
    "POPULATION_KINDS",
    "KindGuess",
    "RegisterKind",
    "classify",
    "load_signals",
]

RegisterKind = Literal["residents", "detainees", "staff", "students", "other_people", "not_people"]
#: the vocabulary (the store's, since the figures' SQL filters on it)
KINDS: tuple[str, ...] = REGISTER_KINDS

KINDS_FILE = Path(__file__).parent / "data" / "register_kinds.yaml"
_NAME_WEIGHT, _HEADER_WEIGHT, _CONTENT_WEIGHT = 3, 2, 3
#: a detention date on this share of rows or more: a list of detainees; less: a population
_DETAINEE_FILL = 0.8
_NORMAL_SHARE = 0.5
_MIN_VALUES = 3
_WORD = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


@dataclass(frozen=True)
class Signals:
    """The words of one kind: in names (title, sheet, path) and in headers."""

    names: tuple[str, ...]
    headers: tuple[str, ...]


@dataclass(frozen=True)
class KindGuess:
    """A sheet's kind, how it was decided (`guess` or `override`) and the evidence for it."""

    kind: RegisterKind
    how: Literal["guess", "override"]
    reasons: tuple[str, ...]

    @property
    def counted(self) -> bool:
        return self.kind in COUNTED_KINDS


def _load(path: Path) -> tuple[Mapping[str, Signals], frozenset[str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(path.name, "file", str(exc)) from exc
    kinds = data.get("kinds") if isinstance(data, dict) else None
    if not isinstance(kinds, dict):
        raise DataFileError(path.name, "kinds", "expected a mapping of kinds")
    out: dict[str, Signals] = {}
    for kind, spec in kinds.items():
        if kind not in KINDS or kind == "other_people":
            raise DataFileError(path.name, str(kind), f"not a kind that words decide ({KINDS})")
        parts = [spec.get(p) if isinstance(spec, dict) else None for p in ("names", "headers")]
        if not all(isinstance(w, list) and all(isinstance(x, str) and x for x in w) for w in parts):
            raise DataFileError(path.name, str(kind), "needs lists of words: names, headers")
        names, headers = (tuple(_fold(x) for x in w or ()) for w in parts)
        out[kind] = Signals(names, headers)
    normal = data.get("normal_status", [])
    if not isinstance(normal, list):
        raise DataFileError(path.name, "normal_status", "expected a list of status words")
    return out, frozenset(_fold(str(w)) for w in normal)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().strip()


@cache
def load_signals() -> tuple[Mapping[str, Signals], frozenset[str]]:
    """The bundled words of each kind (in their order of precedence) and the normal statuses."""
    return _load(KINDS_FILE)


def _found(word: str, text: str, key: str) -> bool:
    """A word inside a text: a Latin word whole ("unit" is not in "community"), a Chinese or
    Uyghur one anywhere (Chinese writes no spaces between words)."""
    if word.isascii():
        return f" {word} " in f" {' '.join(_WORD.findall(text))} "
    return header_key(word) in key


def _words(signals: Sequence[str], texts: Sequence[str]) -> list[str]:
    folded = [(_fold(t), header_key(t)) for t in texts if t]
    found = [w for w in signals if any(_found(w, text, key) for text, key in folded)]
    # one sign once: "住址" inside a "现住址" already found adds nothing
    return [w for w in found if not any(w != o and w in o for o in found)]


def classify(
    sheet_map: SheetMap,
    head: Sequence[tuple[int, Sequence[Any]]],
    paths: Sequence[str],
    forced: RegisterKind | None = None,
) -> KindGuess:
    """The kind of one mapped sheet, from its first rows (`head`), its paths and its name."""
    if forced is not None:
        return KindGuess(forced, "override", ("set in the case's columns.yaml",))
    signals, normal = load_signals()
    header_row = sheet_map.header_row or 0
    titles = [str(text_of(c)) for n, cells in head if n < header_row for c in cells if text_of(c)]
    names = [*titles, sheet_map.sheet, *paths]
    headers = [g.header for g in sheet_map.columns if g.header]
    scores: Counter[str] = Counter()
    reasons: dict[str, list[str]] = {kind: [] for kind in signals}
    for kind, words in signals.items():
        for word in _words(words.names, names):
            scores[kind] += _NAME_WEIGHT
            reasons[kind].append(f"named {word!r}")
        for word in _words(words.headers, headers):
            scores[kind] += _HEADER_WEIGHT
            reasons[kind].append(f"header with {word!r}")
    body = [cells for n, cells in head if n > header_row]
    for kind, why in _content(sheet_map, body, normal):
        scores[kind] += _CONTENT_WEIGHT
        reasons.setdefault(kind, []).append(why)
    best = max(scores.values(), default=0)
    if not sheet_map.is_register:
        # no name or ID column: no records, whatever it is; a duty roster still says "staff"
        named = next((k for k in signals if scores[k] == best), "not_people") if best else ""
        if named in ("", "not_people"):
            return KindGuess("not_people", "guess", ("no name or ID column",))
        listed = (*reasons[named], "no name or ID column: no person records")
        return KindGuess(named, "guess", listed)  # type: ignore[arg-type]
    if best == 0:
        return KindGuess("other_people", "guess", ("no word or content says what list it is",))
    order = [*signals, *(k for k in KINDS if k not in signals)]
    kind = next(k for k in order if scores[k] == best)
    return KindGuess(kind, "guess", tuple(reasons[kind]))  # type: ignore[arg-type]


def _content(
    sheet_map: SheetMap, body: Sequence[Sequence[Any]], normal: frozenset[str]
) -> list[tuple[str, str]]:
    """What the rows themselves say: how many carry a detention date; how many are 'normal'."""
    out: list[tuple[str, str]] = []

    def values(field: str) -> list[Any]:
        index = sheet_map.fields.get(field)
        if index is None:
            return []
        return [cells[index] if index < len(cells) else None for cells in body]

    people = [c for c in body if sum(1 for v in c if text_of(v) is not None) >= 2]
    started = [v for v in values("detention_start") if parse_date(v)]
    if people and started:
        share = len(started) / len(people)
        if share >= _DETAINEE_FILL:
            out.append(("detainees", f"a detention date on {share:.0%} of the first rows"))
        else:
            out.append(("residents", f"a detention date on only {share:.0%} of the first rows"))
    statuses = [_fold(str(t)) for t in (text_of(v) for v in values("status")) if t]
    if len(statuses) >= _MIN_VALUES:
        share = sum(1 for s in statuses if s in normal) / len(statuses)
        if share >= _NORMAL_SHARE:
            out.append(("residents", f"status 'normal' on {share:.0%} of the first rows"))
    return out
