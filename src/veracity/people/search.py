"""`people find` and `people show`: a person by name in any script or by ID number, and one
person's page (records, photos, events, findings).

A name is compared by how it sounds (people/sounds.py) with every distinct name part of the
case (`name_parts`, compared at C speed by `PartIndex`), not looked up by one key: a spelling
no key foresaw is still ranked. The persons whose names hold the closest parts are then
fetched by index (`person_names`) and scored on both parts, in either order, over every way
to cut the query into a given and a father's name ("Wu'er Kaixi" is one name written as two;
"Isa Yusuf Alptekin" a given name and a two-word father's name). The answer is always the
nearest records; below `CONFIDENT` it is labelled as not a confident match, and such rows show
no photos, so that a relative is never shown a stranger's face as a likely answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from veracity.case import Case
from veracity.errors import CaseError, UsageError
from veracity.people.idcard import parse, sex_of, upgrade_15
from veracity.people.keys import part_key
from veracity.people.names import pinyin, split_name
from veracity.people.regions import region
from veracity.people.sounds import PartIndex, PartSounds, part_sounds
from veracity.store import LATEST_SCHEMA, Store, open_store

__all__ = ["CONFIDENT", "find", "show"]

#: the name score from which a match is called confident (measured on real published
#: spellings: bench/people_find.py); below it the answer is "no confident match — nearest
#: records"
CONFIDENT = 0.85
SEXES = ("M", "F")

_ID_QUERY = re.compile(r"^[0-9]{6,17}[0-9X]?$")
_TOKENS = re.compile(r"[\s\u00b7\u2022\u2027\u2219\u22c5\u30fb\uff65\uff0e\u3002.,;:/_\-]+")
_MAX_TOKENS = 6  # a longer "name" is cut: every way to split it is tried
_TOP_PARTS = 60  # closest parts per query part whose persons are fetched
_TOP_ALONE = 5  # ... and for the parts whose persons are fetched whatever their other name
_CANDIDATES = 1000  # rows per kind of lookup
_SWAPPED = 0.9  # "Hasan Abdurahman" for Abdurahman Hasan: found, below the right order
_FATHER_ONLY = 0.9  # a one-name query matching the father's name, below a given-name match
_MISSING = 0.9  # a two-part query against a person with one name
_DROPPED = 0.97  # per query word left out of the match ("Muhammad Amin Bughra" for 穆罕默德·伊敏)
_DAMAGED = 0.9  # an ID prefix found only in a record's damaged ID

Row = dict[str, Any]


@dataclass(frozen=True)
class Filters:
    """What a relative knows besides the name: birth year (±1), sex, a place."""

    born: int | None = None
    sex: str | None = None
    place: str | None = None

    @property
    def any(self) -> bool:
        return self.born is not None or self.sex is not None or bool(self.place)


def _with_store(case: Case, work: Callable[[Store], Any]) -> Any:
    store = open_store(case, migrate=False)
    try:
        return work(store)
    finally:
        store.close()


def find(
    case: Case,
    text: str,
    limit: int = 20,
    *,
    born: int | None = None,
    sex: str | None = None,
    place: str | None = None,
) -> list[Row]:
    """Persons nearest to `text` — a name (full or one part, any script), an ID number or an
    ID prefix of at least 6 digits — best first. With `born` (a year, ±1), `sex` (M or F) or
    `place`, persons these contradict are left out and the agreeing ones ranked first among
    equal names. Each row says its score, whether it is `confident`, and what matched."""
    if limit < 1:
        raise UsageError(f"--limit must be at least 1, got {limit}")
    if sex is not None and sex.upper() not in SEXES:
        raise UsageError(f"--sex must be M or F, got {sex!r}")
    query = text.strip()
    if not query:
        raise UsageError("people find needs a name or an ID number")
    filters = Filters(born, sex.upper() if sex else None, (place or "").strip() or None)
    digits = re.sub(r"\s+", "", unicodedata.normalize("NFKC", query)).upper()

    def work(store: Store) -> list[Row]:
        _check_current(store)
        if _ID_QUERY.match(digits):
            scored = [(p, s, {"id_number": True}) for p, s in _by_id(store, digits, limit)]
        elif digits.isdigit():
            scored = []  # too few digits to mean anything
        else:
            scored = _by_name(store, query, limit, filters)
        return _found_rows(store, scored, filters)

    result: list[Row] = _with_store(case, work)
    return result


def _check_current(store: Store) -> None:
    """Refuse a case whose persons an older veracity linked (no name parts yet): names would
    find nothing, which a relative would read as "not in the leak"."""
    if store.schema_version() < LATEST_SCHEMA or (
        not store.name_parts_stamp()[0] and store.has_persons()
    ):
        raise CaseError(
            "this case's persons were linked by an older veracity: run `veracity ingest` on "
            "its sources again to bring them up to date, then search"
        )


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


@dataclass(frozen=True)
class _Parts:
    """The case's name parts: keys, how many persons hold each, and their codes' index."""

    keys: list[str]
    holders: Any  # numpy array of persons per part, for ties: the common spelling first
    index: PartIndex


_INDEXES: dict[tuple[str, tuple[int, str | None, str | None]], _Parts] = {}


def _part_index(store: Store) -> _Parts:
    """The case's name parts, kept per process until they change: a web app or a bench asks
    many queries of one case."""
    import numpy as np

    stamp = store.name_parts_stamp()
    key = (str(store.engine.url), stamp)
    if key not in _INDEXES:
        rows = store.name_parts()
        _INDEXES.clear()
        _INDEXES[key] = _Parts(
            [k for k, _, _ in rows],
            np.asarray([n for _, _, n in rows], dtype=np.int64),
            PartIndex([PartSounds.decode(c) for _, c, _ in rows]),
        )
    return _INDEXES[key]


@dataclass(frozen=True)
class _Cut:
    """One way to read the query: a given name, a father's name (or none), what it costs."""

    given: str
    father: str | None
    weight: float
    joined: bool = False  # several words read as one name


def _cuts(text: str) -> list[_Cut]:
    """Every way to read the query's words as a given and a father's name: all words as one
    name; the first k words and the next ones (later words may be left out, at a cost)."""
    tokens = [t for t in _TOKENS.split(unicodedata.normalize("NFC", text)) if part_key(t)]
    if len(tokens) == 1:
        given, father = split_name(tokens[0])  # 阿卜杜热合曼艾山: known halves
        tokens = [given, father] if father else tokens
    tokens = tokens[:_MAX_TOKENS]
    if not tokens:
        return []
    cuts = [_Cut("".join(tokens), None, 1.0, joined=len(tokens) > 1)]
    n = len(tokens)
    for k in range(1, n):
        for end in range(k + 1, n + 1):
            cuts.append(_Cut(" ".join(tokens[:k]), " ".join(tokens[k:end]), _DROPPED ** (n - end)))
    return cuts


def _by_name(store: Store, text: str, limit: int, filters: Filters) -> list[tuple[Row, float, Row]]:
    cuts = _cuts(text)
    parts = _part_index(store)
    keys = parts.keys
    if not cuts or not keys:
        return []
    wanted = {t for cut in cuts for t in (cut.given, cut.father) if t}
    sims = {t: parts.index.similarities(part_sounds(t)) for t in wanted}
    position = {k: i for i, k in enumerate(keys)}

    def top(part: str) -> list[tuple[str, float]]:
        import numpy as np

        values = sims[part]
        order = np.lexsort((-parts.holders, -values))[:_TOP_PARTS]  # ties: common first
        return [(keys[i], float(values[i])) for i in order if values[i] > 0]

    # one name alone is shared by thousands, who all score alike: fetch enough for the answer
    one_name = all(cut.father is None for cut in cuts)
    budget = _CANDIDATES if not one_name else max(limit * 20, 200)
    budget *= 3 if filters.any else 1
    candidates: list[Row] = []
    for cut in cuts:  # words read as one name are a long shot when there are several
        candidates += _fetch(store, cut, top, budget, limit)

    def similarity(part: str, key: str | None) -> float:
        i = position.get(key or "")
        return float(sims[part][i]) if i is not None else 0.0

    best: dict[str, tuple[Row, float, tuple[Matched, str]]] = {}
    for person in candidates:
        score, how = _score(cuts, person, similarity)
        pid = person["person_id"]
        if pid not in best or score > best[pid][1]:
            best[pid] = (person, round(score, 4), how)
    query_forms = {_plain(text), _plain(pinyin(text))} - {""}

    def rank(item: tuple[Row, float, tuple[Matched, str]]) -> tuple[float, int, int, str]:
        person, score, _ = item
        forms = {_plain(person["name"]), _plain(person["pinyin"]), _plain(person["given_name"])}
        agree = sum(1 for v in _agreement(person, filters).values() if v)
        return (-score, -agree, -bool(query_forms & forms), person["person_id"])

    # only the head can reach the answer: rank it fully (ties at its edge included)
    by_score = sorted(best.values(), key=lambda item: -item[1])
    window = limit * (50 if filters.any else 5)
    if len(by_score) > window:
        edge = by_score[window - 1][1]
        by_score = [item for item in by_score if item[1] >= edge]
    ranked = sorted(by_score, key=rank)
    if filters.place:  # addresses decide too: read the records of the leading candidates
        head = ranked[: limit * 10]
        records = store.records_of_persons([p["person_id"] for p, _, _ in head])
        for person, _, _ in head:
            mine = records.get(person["person_id"], [])
            person["_addresses"] = [r[f] for r in mine for f in ("address", "place") if r.get(f)]
        ranked = sorted(head, key=rank)
    kept = [item for item in ranked if not _contradicts(item[0], filters)]
    return [(person, score, _matched(how)) for person, score, how in kept[:limit]]


Ranked = list[tuple[str, float]]  # part keys, closest first, with their similarity


def _fetch(
    store: Store, cut: _Cut, top: Callable[[str], Ranked], budget: int, limit: int
) -> list[Row]:
    """The persons whose names hold the parts closest to the cut's, the closest first, at
    most about `budget` rows per kind of lookup (a common name has thousands of holders);
    `limit * 5` for the long shots (several words read as one name, one part matching)."""
    long_shot = limit * 5
    budget = long_shot if cut.joined else budget
    given = top(cut.given)
    if cut.father is None:  # one name: as a given name, then (scored lower) a father's name
        return [
            *_one_side(store, "given", given, budget),
            *_one_side(store, "father", given, budget // 4),
        ]
    father = top(cut.father)
    rows = _one_side(store, "given", given, budget, [f for f, _ in father])
    rows += _one_side(store, "given", father, budget, [g for g, _ in given])  # father first
    rows += store.persons_by_parts([g for g, _ in given], [""], budget)  # one name only
    rows += _one_side(store, "given", given[:_TOP_ALONE], long_shot)
    rows += _one_side(store, "father", father[:_TOP_ALONE], long_shot)
    return rows


def _one_side(
    store: Store, side: str, parts: Ranked, budget: int, others: list[str] | None = None
) -> list[Row]:
    """Persons by one part of their name, the other part among `others` if given; about
    `budget` rows at most. One lookup for all parts when they hold fewer rows than that (the
    usual case); else the closest parts first, one indexed lookup each, so a common name's
    thousands of holders never crowd out the closest spellings."""
    keys = [key for key, _ in parts]
    if not keys:
        return []
    given, father = (keys, others) if side == "given" else (others, keys)
    rows = store.persons_by_parts(given, father, budget)
    if len(rows) < budget:
        return rows
    rows = []
    for key, _ in parts:
        if len(rows) >= budget:
            break
        if side == "given":
            rows += store.persons_by_parts([key], others, budget - len(rows))
        else:
            rows += store.persons_by_parts(others, [key], budget - len(rows))
    return rows


Matched = dict[str, tuple[str, float]]  # "given"/"father" -> (query words, similarity)


def _score(
    cuts: list[_Cut], person: Row, similarity: Callable[[str, str | None], float]
) -> tuple[float, tuple[Matched, str]]:
    """The person's best name score over the query's cuts, and which parts matched how."""
    given, father = person["given_key"], person["father_key"] or None
    best: tuple[float, tuple[Matched, str]] = (0.0, ({}, "as written"))
    for cut in cuts:
        score, parts, order = _cut_score(cut, given, father, similarity)
        if score * cut.weight > best[0]:
            best = (score * cut.weight, (parts, order))
    return best


def _matched(how: tuple[Matched, str]) -> Row:
    """What `_score` found, as the answer states it."""
    parts, order = how
    found: Row = {"order": order}
    for name, (query, similarity) in parts.items():
        found[name] = {"query": query, "similarity": round(similarity, 3)}
    return found


def _cut_score(
    cut: _Cut, given: str, father: str | None, similarity: Callable[[str, str | None], float]
) -> tuple[float, Matched, str]:
    """One cut against one name: (score, the parts that matched, "as written"/"swapped"/...)."""
    if cut.father is None:
        as_given = similarity(cut.given, given)
        as_father = similarity(cut.given, father) if father else 0.0
        if cut.joined and father:  # "Wu'er Kaixi" as 吾尔开希: the father's name unmatched
            return _MISSING * as_given, {"given": (cut.given, as_given)}, "one name"
        if as_given >= _FATHER_ONLY * as_father:
            return as_given, {"given": (cut.given, as_given)}, "as written"
        return _FATHER_ONLY * as_father, {"father": (cut.given, as_father)}, "father's name"
    if father is None:
        one = max(similarity(cut.given, given), similarity(cut.father, given))
        return _MISSING * one, {"given": (cut.given, one)}, "one name"
    sg, sf = similarity(cut.given, given), similarity(cut.father, father)
    wg, wf = similarity(cut.given, father), similarity(cut.father, given)
    direct, swapped = (sg + sf) / 2, _SWAPPED * (wg + wf) / 2
    if direct >= swapped:
        return direct, {"given": (cut.given, sg), "father": (cut.father, sf)}, "as written"
    return swapped, {"given": (cut.father, wf), "father": (cut.given, wg)}, "swapped"


@lru_cache(maxsize=1 << 16)
def _plain(text: str | None) -> str:
    """Letters only, lower case, no accents: how an exact match is compared."""
    folded = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in folded.lower() if ch.isalnum())


# -- what else a relative knows ------------------------------------------------------------------


def _agreement(person: Row, filters: Filters) -> dict[str, bool | None]:
    """Per filter given: True (agrees), False (contradicts) or None (the case cannot tell)."""
    found: dict[str, bool | None] = {}
    if filters.born is not None:
        year = (person.get("birth_date") or "")[:4]
        found["born"] = abs(int(year) - filters.born) <= 1 if year.isdigit() else None
    if filters.sex is not None:
        found["sex"] = _sex(person.get("sex")) == filters.sex if _sex(person.get("sex")) else None
    if filters.place:
        found["place"] = _place_agrees(person, filters.place)
    return found


def _sex(value: str | None) -> str | None:
    """M or F from what a register writes (男/女, M/F), None when unknown."""
    try:
        return {"男": "M", "女": "F"}[sex_of(value)] if value else None
    except (KeyError, ValueError):
        return None


def _contradicts(person: Row, filters: Filters) -> bool:
    return filters.any and any(v is False for v in _agreement(person, filters).values())


def _place_agrees(person: Row, place: str) -> bool | None:
    """Whether the person's ID was issued in `place` (a region's Chinese or Latin name, or
    the first digits of its code); None when the person has no valid ID. The records'
    addresses are compared when the rows are built (`_found_rows`)."""
    wanted = place.casefold()
    written = [a.casefold() for a in person.get("_addresses", ()) if a]
    if any(wanted in a for a in written):
        return True
    number = person.get("id_number")
    if not number:
        return False if written else None
    if wanted.isdigit():
        return bool(number.startswith(wanted))
    names: list[str] = []
    for code in (number[:6], number[:4] + "00", number[:2] + "0000"):
        where = region(code)
        if where is not None:
            names += [n for n in (where.province, where.prefecture, where.county) if n]
            names += [where.name_latin] if where.name_latin else []
    if not names and not written:
        return None
    return any(wanted in n.casefold() or n.casefold() in wanted for n in names)


# -- rows ----------------------------------------------------------------------------------------


def _names(person: Row, records: Iterable[Row]) -> list[str]:
    """Every name the person is written under, the most frequent (the person's) first."""
    names = [person["name"], *(r["name_raw"] for r in records)]
    return list(dict.fromkeys(n for n in names if n))


def _found_rows(store: Store, scored: list[tuple[Row, float, Row]], filters: Filters) -> list[Row]:
    ids = [person["person_id"] for person, _, _ in scored]
    records = store.records_of_persons(ids)
    paths = store.paths_of_contents({r["sha256"] for rs in records.values() for r in rs})
    photos = store.photos_of_persons(ids)
    rows = []
    for person, score, matched in scored:
        mine = records.get(person["person_id"], [])
        confident = score >= CONFIDENT
        rows.append({
            "person_id": person["person_id"],
            "names": _names(person, mine),
            "id_number": person["id_number"],
            "birth_date": person["birth_date"],
            "sex": person["sex"],
            "score": score,
            "confident": confident,
            "matched": {**matched, **_agreement(person, filters)},
            "kinds": sorted({r["register_kind"] for r in mine if r.get("register_kind")}),
            "records": [
                {
                    "path": path,
                    "locator": {"sheet": r["sheet"], "row": r["row"]},
                    "kind": r.get("register_kind"),
                }
                for r in mine
                for path in paths.get(r["sha256"], [])
            ],
            # a candidate list below the bar shows no faces: a stranger's photo is not an answer
            "photos": [p["path"] for p in photos.get(person["person_id"], [])] if confident else [],
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
