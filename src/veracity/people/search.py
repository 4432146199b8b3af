"""`people find` and `people show`: a person by name in any script or by ID number, and one
person's page (records, photos, events, findings).

A name is looked up by its phonetic keys (people/keys.py), never by scanning: the persons whose
given-name and father's-name keys equal the query's, or share a short beginning with one of
them while the other is equal, in both name orders — each an index lookup with a limit — are
scored with `name_similarity` on both parts. Keys deliberately collapse transcriptions, so
several names share one; a small bonus for the exact original or pinyin breaks those ties.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from veracity.case import Case
from veracity.errors import UsageError
from veracity.people.idcard import parse, upgrade_15
from veracity.people.keys import keys_for, name_similarity
from veracity.people.names import pinyin
from veracity.store import Store, open_store

__all__ = ["find", "show"]

_ID_QUERY = re.compile(r"^[0-9]{6,17}[0-9X]?$")
_CANDIDATES = 300  # per lookup: enough for every spelling of a pair, bounded on big cases
_FLOOR = 0.5  # a candidate scoring less is noise from a shared key prefix
_SWAPPED = 0.9  # "Hasan Abdurahman" for Abdurahman Hasan: found, below the right order
_FATHER_ONLY = 0.9  # a one-name query matching the father's name, below a given-name match
_EXACT_BONUS = 0.05
_DAMAGED = 0.9  # an ID prefix found only in a record's damaged ID

Row = dict[str, Any]


def _with_store(case: Case, work: Callable[[Store], Any]) -> Any:
    store = open_store(case, migrate=False)
    try:
        return work(store)
    finally:
        store.close()


def find(case: Case, text: str, limit: int = 20) -> list[Row]:
    """Persons matching `text` — a name (full or one part, any script), an ID number or an ID
    prefix of at least 6 digits — best first, in design.md's `people find` shape."""
    if limit < 1:
        raise UsageError(f"--limit must be at least 1, got {limit}")
    query = text.strip()
    if not query:
        raise UsageError("people find needs a name or an ID number")
    digits = re.sub(r"\s+", "", unicodedata.normalize("NFKC", query)).upper()

    def work(store: Store) -> list[Row]:
        if _ID_QUERY.match(digits):
            scored = _by_id(store, digits, limit)
        elif digits.isdigit():
            scored = []  # too few digits to mean anything
        else:
            scored = _by_name(store, query, limit)
        return _found_rows(store, scored)

    result: list[Row] = _with_store(case, work)
    return result


# -- by ID ---------------------------------------------------------------------------------------


def _by_id(store: Store, digits: str, limit: int) -> list[tuple[Row, float]]:
    """Valid IDs starting with `digits` (the whole ID first), then persons known only by a
    damaged ID that starts with them."""
    wanted = {digits}
    number = parse(digits)
    if number.form == 15 and number.birth_date is not None:
        wanted.add(upgrade_15(digits))
    scored: dict[str, tuple[Row, float]] = {}
    for prefix in sorted(wanted):
        for person in store.persons_by_id_prefix(prefix, limit):
            full = person["id_number"] or ""
            score = 1.0 if full in wanted else round(len(prefix) / max(len(full), 1), 4)
            scored[person["person_id"]] = (person, score)
    damaged = store.persons_by_record_id_prefix(digits, limit)
    others = store.persons_by_ids([pid for pid in damaged if pid not in scored])
    for person_id, person in others.items():
        written = re.sub(r"\s+", "", damaged[person_id])
        exact = written.upper() == digits
        score = _DAMAGED if exact else round(_DAMAGED * len(digits) / max(len(written), 18), 4)
        scored[person_id] = (person, score)
    ranked = sorted(scored.values(), key=lambda pair: (-pair[1], pair[0]["id_number"] or "~"))
    return ranked[:limit]


# -- by name -------------------------------------------------------------------------------------


def _lookups(given: str, father: str | None) -> list[dict[str, str]]:
    """The indexed key lookups for a query: equal pairs, then one equal and one prefixed."""
    if father:
        pairs = ((given, father), (father, given))  # both name orders
        lookups = [{"given": g, "father": f} for g, f in pairs]
        for g, f in pairs:
            lookups += [{"given": g, "father_prefix": f[:2]}, {"given_prefix": g[:2], "father": f}]
        return [*lookups, {"given": given}, {"father": father}]
    return [
        {"given": given},
        {"father": given},
        {"given_prefix": given[:3]},
        {"father_prefix": given[:3]},
    ]


def _plain(text: str | None) -> str:
    """Letters only, lower case, no accents: how an exact match is compared."""
    folded = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _by_name(store: Store, text: str, limit: int) -> list[tuple[Row, float]]:
    keys = keys_for(text)
    given, father = keys.given_key, keys.father_key
    if not given:
        return []
    candidates: list[Row] = []  # a person once per name of theirs that matched a lookup
    for lookup in _lookups(given, father):
        candidates.extend(store.persons_by_keys(**lookup, limit=_CANDIDATES))
    query_forms = {_plain(text), _plain(pinyin(text))} - {""}
    similarity: dict[tuple[str, str], float] = {}  # many candidates share a key pair

    def name_score(person: Row) -> float:
        pair = (person["given_key"] or "", person["father_key"] or "")
        if pair not in similarity:
            similarity[pair] = _pair_score(given, father, *pair)
        return similarity[pair]

    best: dict[str, tuple[Row, float]] = {}  # each person by their best-matching name
    for person in candidates:
        score = name_score(person)
        if score < _FLOOR:
            continue
        forms = {_plain(person["name"]), _plain(person["pinyin"]), _plain(person["given_name"])}
        exact = bool(query_forms & forms)
        total = round((1 - _EXACT_BONUS) * score + _EXACT_BONUS * exact, 4)
        pid = person["person_id"]
        if pid not in best or total > best[pid][1]:
            best[pid] = (person, total)
    scored = sorted(best.values(), key=lambda pair: (-pair[1], pair[0]["person_id"]))
    return scored[:limit]


def _pair_score(given: str, father: str | None, c_given: str, c_father: str) -> float:
    """How well a candidate's keys match the query's, 0..1, the better name order counting."""
    if father is None:
        return max(name_similarity(given, c_given), _FATHER_ONLY * name_similarity(given, c_father))
    direct = (name_similarity(given, c_given) + name_similarity(father, c_father)) / 2
    swapped = (name_similarity(given, c_father) + name_similarity(father, c_given)) / 2
    return max(direct, _SWAPPED * swapped)


# -- rows ----------------------------------------------------------------------------------------


def _names(person: Row, records: Iterable[Row]) -> list[str]:
    """Every name the person is written under, the most frequent (the person's) first."""
    names = [person["name"], *(r["name_raw"] for r in records)]
    return list(dict.fromkeys(n for n in names if n))


def _found_rows(store: Store, scored: list[tuple[Row, float]]) -> list[Row]:
    ids = [person["person_id"] for person, _ in scored]
    records = store.records_of_persons(ids)
    paths = store.paths_of_contents({r["sha256"] for rs in records.values() for r in rs})
    photos = store.photos_of_persons(ids)
    rows = []
    for person, score in scored:
        mine = records.get(person["person_id"], [])
        rows.append({
            "person_id": person["person_id"],
            "names": _names(person, mine),
            "id_number": person["id_number"],
            "birth_date": person["birth_date"],
            "sex": person["sex"],
            "score": score,
            "records": [
                {"path": path, "locator": {"sheet": r["sheet"], "row": r["row"]}}
                for r in mine
                for path in paths.get(r["sha256"], [])
            ],
            "photos": [photo["path"] for photo in photos.get(person["person_id"], [])],
        })  # fmt: skip
    return rows


# -- show ----------------------------------------------------------------------------------------

_PERSON_FIELDS = (
    "person_id", "id_number", "name", "given_name", "father_name", "pinyin", "sex",
    "birth_date", "detention_start",
)  # fmt: skip
_LINK_FIELDS = ("rule", "score", "evidence")
_NOT_FIELDS = frozenset({*_LINK_FIELDS, "sheet", "row"})


def show(case: Case, person_id: str) -> Row:
    """One person: fields, every record (paths, locator, all fields), photos, events in date
    order and the findings about their records and photos. Unknown id: `UsageError`."""

    def work(store: Store) -> Row:
        person = store.persons_by_ids([person_id]).get(person_id)
        if person is None:
            raise UsageError(f"no person {person_id!r} in this case (see `veracity people find`)")
        records = store.records_of_persons([person_id]).get(person_id, [])
        paths = store.paths_of_contents({r["sha256"] for r in records})
        photos = store.photos_of_persons([person_id]).get(person_id, [])
        shown = [_record(r, paths.get(r["sha256"], [])) for r in records]
        return {
            **{name: person[name] for name in _PERSON_FIELDS},
            "names": _names(person, records),
            "records": shown,
            "photos": photos,
            "events": events(shown),
            "findings": _findings(store, shown, photos),
        }

    result: Row = _with_store(case, work)
    return result


def _record(record: Row, paths: list[str]) -> Row:
    fields = {
        k: v for k, v in record.items() if k not in _LINK_FIELDS and k not in ("sheet", "row")
    }
    return {
        "paths": paths,
        "locator": {"sheet": record["sheet"], "row": record["row"]},
        **fields,
        "link": {name: record[name] for name in _LINK_FIELDS},
    }


def events(records: Iterable[Row]) -> list[Row]:
    """Detention starts (with place and status) and sentences (with months) from the records,
    the same event told by several records once with all its sources; dated ones in date
    order, undated ones (a sentence without a date) after them."""
    merged: dict[tuple[Any, ...], Row] = {}
    for record in records:
        found = []
        if record["detention_start"]:
            found.append({
                "kind": "detention", "date": record["detention_start"],
                "place": record["place"], "status": record["status"],
            })  # fmt: skip
        if record["sentence_raw"] or record["sentence_months"] is not None:
            found.append({
                "kind": "sentence", "date": None, "months": record["sentence_months"],
                "as_written": record["sentence_raw"], "reason": record["reason"],
            })  # fmt: skip
        for event in found:
            key = tuple(sorted((k, str(v)) for k, v in event.items()))
            entry = merged.setdefault(key, {**event, "sources": []})
            entry["sources"] += [{"path": p, "locator": record["locator"]} for p in record["paths"]]
    return sorted(merged.values(), key=lambda e: (e["date"] is None, e["date"] or "", e["kind"]))


def _findings(store: Store, records: list[Row], photos: list[Row]) -> list[Row]:
    """Findings about the person's photos, and about their registers either as a whole
    (no locator) or at one of their rows — not about other people's rows."""
    rows_at: dict[str, list[Any]] = {}
    for record in records:
        for path in record["paths"]:
            rows_at.setdefault(path, []).append(record["locator"])
    photo_paths = {photo["path"] for photo in photos}
    return [
        finding
        for finding in store.findings_at(set(rows_at) | photo_paths)
        if finding["path"] in photo_paths
        or finding["locator"] is None
        or finding["locator"] in rows_at.get(finding["path"], [])
    ]
