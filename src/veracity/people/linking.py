"""Person records → persons: one person per valid ID, splink for the rest, users' decisions last.

`build_persons` rebuilds the `persons` and `person_records` tables from the `records` table:

1. Records with the same **valid** ID are one person (rule `id`) — unless their names differ
   (`_names_differ`): a clerk who copied an ID onto another row made one ID name two people.
   The largest group of like names keeps the ID; the others have it refused (`id_refused` in
   their evidence) and are linked like records without an ID.
2. Records without a trusted ID (damaged, missing, destroyed by Excel, refused) are linked to
   any record on name keys, birth date, sex, address and whatever digits of the ID survive, by
   splink on DuckDB, or on Spark for large cases (`_splink.py`; rule `probabilistic`, its match
   probability in `score`) — but never on a name alone: a pair is linked only when what
   survives of the ID agrees, or the birth date and the address both do (`_vouched`). There
   are thousands of Abdulla Mehmets; a name that sounds alike is supporting evidence only.
3. Two records with different trusted IDs are never merged, except by a user.
4. A user's merges and splits (`person_decisions`, by record key) are applied as constraints
   over the whole build, so they survive every re-ingest.

A person's id is derived from its ID number, or its first record's key when it has none, so
it stays the same across rebuilds as long as what defines it does.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from veracity.case import Case
from veracity.errors import UsageError
from veracity.people._clusters import Clusters
from veracity.people._splink import Pair, linking_backend, match_pairs
from veracity.people.evidence import countable_detention
from veracity.people.keys import keys_for, link_key, part_key, part_similarity
from veracity.people.names import split_name
from veracity.people.regions import region
from veracity.people.sounds import part_sounds
from veracity.store import PersonLink, PersonRecord, PersonRow, Store, open_store

__all__ = ["MATCH_THRESHOLD", "build_persons", "merge_records", "record_key", "split_records"]

MATCH_THRESHOLD = 0.9  # splink match probability from which two records are one person
_NAMES_DIFFER = 0.75  # mean name_similarity of the parts below which two names are two people
_KEY = re.compile(r"^[0-9a-f]{64}/.+/[0-9]+$")


def record_key(sha256: str, sheet: str, row: int) -> str:
    """How a decision names a record: "sha256/sheet/row" (stable across re-ingests)."""
    return f"{sha256}/{sheet}/{row}"


@lru_cache(maxsize=1 << 17)
def _name_parts(name: str | None) -> tuple[str | None, str | None]:
    """A record's (given name, father's name), None for what is missing or has no letters."""
    if not name:
        return None, None
    given, father = split_name(name)
    return (given if part_key(given) else None), (father if father and part_key(father) else None)


@dataclass(frozen=True, slots=True)
class _Rec:
    """What linking needs of one record (a slim copy: half a million of them stay in memory)."""

    key: str
    sha256: str
    sheet: str
    row: int
    name: str | None
    valid_id: str | None
    id_number: str | None
    id_birth: str | None
    sex: str | None
    birth: str | None
    address: str | None
    detention_start: str | None
    kind: str | None
    given: str | None
    father: str | None


def _slim(r: PersonRecord, newest: str | None = None) -> _Rec:
    given, father = _name_parts(r.name_raw)
    return _Rec(
        key=record_key(r.sha256, r.sheet, r.row),
        sha256=r.sha256,
        sheet=r.sheet,
        row=r.row,
        name=r.name_raw,
        valid_id=r.id_number if r.id_status == "valid" else None,
        id_number=r.id_number,
        id_birth=r.id_birth_date,
        sex=r.sex or r.id_sex,
        birth=r.birth_date or r.id_birth_date,
        address=r.address,
        detention_start=countable_detention(r, newest),  # only what the figures may count
        kind=r.register_kind,
        given=given,
        father=father,
    )


def _names_differ(a: _Rec, b: _Rec) -> bool:
    """Two people, not two spellings of one: the name parts' mean similarity is low.

    Transcriptions of one name sound alike (people/sounds.py); a mean below `_NAMES_DIFFER`
    (e.g. a different given name and a father's name sharing only its first letters) is two
    names. A record without a name can't tell, and never differs.
    """
    if not a.given or not b.given:
        return False
    given = part_similarity(a.given, b.given)
    father = given
    if a.father and b.father:
        father = part_similarity(a.father, b.father)
    return (given + father) / 2 < _NAMES_DIFFER


def _id_groups(recs: Sequence[_Rec]) -> tuple[list[list[int]], set[int]]:
    """Records sharing a valid ID, and the records whose ID is refused (names differ)."""
    by_id: dict[str, list[int]] = {}
    for i, rec in enumerate(recs):
        if rec.valid_id:
            by_id.setdefault(rec.valid_id, []).append(i)
    groups: list[list[int]] = []
    refused: set[int] = set()
    for members in by_id.values():
        names: list[list[int]] = []
        for i in members:
            home = next((g for g in names if not _names_differ(recs[g[0]], recs[i])), None)
            if home is None:
                names.append([i])
            else:
                home.append(i)
        keeper = max(names, key=lambda g: (_lives_where_issued(recs, g), len(g), -g[0]))
        groups.append(keeper)
        refused.update(i for g in names if g is not keeper for i in g)
    return groups, refused


def _lives_where_issued(recs: Sequence[_Rec], group: list[int]) -> int:
    """How many of the group's records have an address in the county the ID was issued in.

    When one ID is on two people, the one whose address lies in the ID's own county is more
    likely its holder; the other's ID is the copy (a clerk's slip or a planted number), and
    refusing it lets that record link to its own person by name, birth date and address.
    """
    found = 0
    for i in group:
        rec = recs[i]
        where = region(rec.valid_id[:6]) if rec.valid_id else None
        if where is not None and where.county and rec.address and where.county in rec.address:
            found += 1
    return found


def _id_tail(number: str | None) -> tuple[str | None, str | None]:
    """(first 17 characters, birth date + sequence) of an ID, what survives most damage."""
    if number and len(number) == 18:
        return number[:17], number[6:17]
    if number and len(number) == 15:  # the old form: 2-digit year, no check character
        return None, "19" + number[6:15]
    return None, None


def _comparison_rows(recs: Sequence[_Rec], refused: set[int]) -> Iterator[tuple[Any, ...]]:
    for i, rec in enumerate(recs):
        trusted = rec.valid_id is not None and i not in refused
        id17, tail = _id_tail(None if i in refused else rec.id_number)
        id_birth = None if i in refused else rec.id_birth
        # a refused ID is someone else's; a birth date that only repeats it is theirs too
        birth = None if i in refused and rec.birth == rec.id_birth else rec.birth
        given = link_key(rec.given) if rec.given else None
        father = link_key(rec.father) if rec.father else None
        yield (
            i, not trusted, given or None, father or None, birth, id_birth, rec.sex,
            rec.address, id17, tail,
        )  # fmt: skip


#: What must agree besides names for splink's pair to be linked: the ID's surviving digits,
#: or the birth date and the address together.
_ID_AGREES = frozenset({"id17", "id_tail"})
_BIRTH_AGREES = frozenset({"agree", "id_birth"})
_PLACE_AGREES = frozenset({"agree", "close"})


def _vouched(pair: Pair) -> bool:
    """Whether more than a name ties the pair: an ID, or a birth date and a place."""
    fields = pair.evidence
    if fields.get("id") in _ID_AGREES:
        return True
    return fields.get("birth") in _BIRTH_AGREES and fields.get("address") in _PLACE_AGREES


@dataclass(frozen=True)
class _Decisions:
    merges: list[tuple[int, int]]
    apart: dict[int, set[int]]
    notes: dict[int, dict[str, Any]]  # record -> evidence of the decision that touched it


def _decisions(store: Store, index: dict[str, int]) -> _Decisions:
    """The users' decisions on records that exist; on one pair, the latest decision wins."""
    latest: dict[tuple[int, int], tuple[str, str | None]] = {}
    for d in store.person_decisions():
        a, b = index.get(d.record_a), index.get(d.record_b)
        if a is not None and b is not None and a != b:
            latest[(min(a, b), max(a, b))] = (d.kind, d.note)
    merges: list[tuple[int, int]] = []
    apart: dict[int, set[int]] = {}
    notes: dict[int, dict[str, Any]] = {}
    for (a, b), (kind, note) in sorted(latest.items()):
        if kind == "merge":
            merges.append((a, b))
        else:
            apart.setdefault(a, set()).add(b)
            apart.setdefault(b, set()).add(a)
        for one, other in ((a, b), (b, a)):
            notes[one] = {"decision": kind, "with": other, "note": note}
    return _Decisions(merges, apart, notes)


def _most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


@lru_cache(maxsize=1 << 16)
def _display_keys(name: str) -> tuple[str, str | None, str, str | None, str]:
    k = keys_for(name)
    return k.given, k.father, k.given_key, k.father_key, k.pinyin


def _person(
    members: Sequence[_Rec], person_id: str, id_number: str | None, vouched: Sequence[_Rec]
) -> PersonRow:
    """The person's summary; birth date and sex come from `vouched` records (those whose ID
    was not refused as someone else's), since a copied ID usually brings its birth date."""
    name = _most_common(r.name for r in members)
    given = father = given_key = father_key = pinyin = None
    if name:
        given, father, given_key, father_key, pinyin = _display_keys(name)
    starts = [r.detention_start for r in members if r.detention_start]
    return PersonRow(
        person_id=person_id,
        records=len(members),
        id_number=id_number,
        name=name,
        given_name=given,
        father_name=father,
        given_key=given_key or None,
        father_key=father_key or None,
        pinyin=pinyin,
        sex=_most_common(r.sex for r in vouched),
        birth_date=_most_common(r.birth for r in vouched),
        detention_start=min(starts) if starts else None,
        kinds=_kinds(members),
    )


def _kinds(members: Sequence[_Rec]) -> str | None:
    """The kinds of list a person's records are on, as ",detainees,residents," (LIKE-able)."""
    kinds = sorted({r.kind for r in members if r.kind})
    return f",{','.join(kinds)}," if kinds else None


def _person_id(basis: str) -> str:
    return "p" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class _Why:
    """Why each record is where it is, for its link's rule and evidence."""

    refused: set[int]  # records whose valid ID was refused
    notes: dict[int, dict[str, Any]]  # records a user decision touched
    id_linked: set[int]  # records sharing their cluster with another of their ID
    best: dict[int, Pair]  # the best accepted probabilistic pair of each record


def _cluster(
    recs: Sequence[_Rec],
    groups: list[list[int]],
    refused: set[int],
    pairs: Sequence[Pair],
    decisions: _Decisions,
) -> tuple[Clusters, dict[int, Pair]]:
    """Clusters built strongest link first; the best accepted pair of each record."""
    trusted = [None if i in refused else r.valid_id for i, r in enumerate(recs)]
    clusters = Clusters(trusted, decisions.apart)
    for a, b in decisions.merges:
        clusters.union(a, b, forced=True)
    for group in groups:
        for i in group[1:]:
            clusters.union(group[0], i)
    best: dict[int, Pair] = {}
    for pair in sorted(pairs, key=lambda p: (-p.probability, p.left, p.right)):
        if clusters.union(pair.left, pair.right):
            best.setdefault(pair.left, pair)
            best.setdefault(pair.right, pair)
    return clusters, best


def _id_linked(groups: list[list[int]], clusters: Clusters) -> set[int]:
    """Records that share their cluster with another record of the same valid ID."""
    linked: set[int] = set()
    for group in groups:
        if len(group) > 1:
            roots = Counter(clusters.find(i) for i in group)
            linked.update(i for i in group if roots[clusters.find(i)] > 1)
    return linked


def _link(i: int, recs: Sequence[_Rec], person_id: str, why: _Why) -> PersonLink:
    """The link of record `i`, by the strongest reason it is where it is."""
    rec = recs[i]
    evidence: dict[str, Any] = {}
    if i in why.refused:
        evidence["id_refused"] = rec.valid_id
    rule, score = "single", None
    if i in why.notes:
        note = why.notes[i]
        rule = "user"
        evidence.update(note, **{"with": recs[note["with"]].key})
    elif i in why.id_linked:
        rule = "id"
        evidence["id_number"] = rec.valid_id
    elif i in why.best:
        pair = why.best[i]
        rule, score = "probabilistic", round(pair.probability, 6)
        other = pair.right if pair.left == i else pair.left
        evidence.update({"with": recs[other].key, "fields": pair.evidence})
    return PersonLink(rec.sha256, rec.sheet, rec.row, person_id, rule, score, evidence)


def _assemble(
    recs: Sequence[_Rec], clusters: Clusters, refused: set[int], why: _Why
) -> tuple[list[PersonRow], list[PersonLink], list[tuple[str, str, str]], dict[str, str]]:
    persons: list[PersonRow] = []
    links: list[PersonLink] = []
    names: list[tuple[str, str, str]] = []
    parts: dict[str, str] = {}  # part key -> the codes of every spelling with that key
    seen: dict[str, str] = {}  # spelling -> its part key, its codes already in `parts`
    used: set[str] = set()
    for group in clusters.groups():
        members = [recs[i] for i in group]
        id_number = _most_common(recs[i].valid_id for i in group if i not in refused)
        basis = id_number if id_number and id_number not in used else members[0].key
        used.add(basis)
        person_id = _person_id(basis)
        vouched = [recs[i] for i in group if i not in refused] or members
        persons.append(_person(members, person_id, id_number, vouched))
        links.extend(_link(i, recs, person_id, why) for i in group)
        pairs = set()
        for rec in members:
            if rec.given:
                given = _part(rec.given, parts, seen)
                pairs.add((given, _part(rec.father, parts, seen) if rec.father else ""))
        names.extend((person_id, g, f) for g, f in sorted(pairs))
    return persons, links, names, parts


def _part(text: str, parts: dict[str, str], seen: dict[str, str]) -> str:
    """The part key of `text`, its codes added to `parts` (spellings with one key: all codes)."""
    if text in seen:
        return seen[text]
    key = seen[text] = part_key(text)
    codes = part_sounds(text).encode()
    known = parts.get(key)
    if known is None:
        parts[key] = codes
    elif codes and not set(codes.split("|")) <= set(known.split("|")):
        parts[key] = "|".join(dict.fromkeys([*known.split("|"), *codes.split("|")]))
    return key


def build_persons(
    case: Case, store: Store | None = None, *, backend: str | None = None
) -> dict[str, int]:
    """Link every record of the case into persons, replacing `persons` and `person_records`.

    `backend` is where splink runs: "duckdb" or "spark" (default: $VERACITY_LINKING_BACKEND,
    else duckdb); both give the same persons. Returns `{persons, linked_by_id,
    linked_probabilistically, singles, decisions_applied, ids_refused}` (the middle ones count
    records, `singles` persons of one record).
    """
    backend = linking_backend(backend)  # a bad name fails before any work
    own = store is None
    store = store or open_store(case)
    try:
        newest = store.newest_file_date()
        recs = [_slim(r, newest) for r in store.iter_records()]
        index = {r.key: i for i, r in enumerate(recs)}
        decisions = _decisions(store, index)
        groups, refused = _id_groups(recs)
        pooled = bool(refused) or any(r.valid_id is None for r in recs)
        rows = list(_comparison_rows(recs, refused)) if pooled else []
        found = match_pairs(rows, MATCH_THRESHOLD, backend=backend, scratch=case.tmp_dir)
        del rows
        pairs = [pair for pair in found if _vouched(pair)]
        clusters, best = _cluster(recs, groups, refused, pairs, decisions)
        why = _Why(refused, decisions.notes, _id_linked(groups, clusters), best)
        persons, links, names, parts = _assemble(recs, clusters, refused, why)
        rules = Counter(link.rule for link in links)
        holders = Counter(k for _, g, f in names for k in {g, f} if k)
        rows = [(key, codes, holders[key]) for key, codes in sorted(parts.items())]
        store.replace_persons(persons, links, names, rows)
        return {
            "persons": len(persons),
            "linked_by_id": rules["id"],
            "linked_probabilistically": rules["probabilistic"],
            "singles": sum(1 for p in persons if p.records == 1),
            "decisions_applied": len(decisions.merges)
            + sum(map(len, decisions.apart.values())) // 2,
            "ids_refused": len(refused),
        }
    finally:
        if own:
            store.close()


def _decide(case: Case, kind: str, a: str, b: str, note: str | None) -> int:
    for key in (a, b):
        if not _KEY.match(key):
            raise UsageError(f"not a record key (sha256/sheet/row): {key!r}")
    if a == b:
        raise UsageError("a record cannot be merged with or split from itself")
    store = open_store(case)
    try:
        return store.add_person_decision(kind, a, b, note)
    finally:
        store.close()


def merge_records(case: Case, a: str, b: str, note: str | None = None) -> int:
    """Record that records `a` and `b` ("sha256/sheet/row") are one person; the decision's id.

    Applied by the next `build_persons` (every ingest that links), and by every one after: a
    decision names records, not persons, so it outlives the person ids. A decision on a record
    the case does not hold (yet) is kept and ignored until the record appears.
    """
    return _decide(case, "merge", a, b, note)


def split_records(case: Case, a: str, b: str, note: str | None = None) -> int:
    """Record that records `a` and `b` are two people, never to be linked; the decision's id."""
    return _decide(case, "split", a, b, note)
