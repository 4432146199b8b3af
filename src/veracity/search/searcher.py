"""Searching a case: hits with provenance and snippets, facets with counts, paging to the end."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import tantivy

from veracity.case import Case
from veracity.errors import UsageError
from veracity.search.compile import FUZZY_MARK, compile_query
from veracity.search.index import index_dir
from veracity.search.schema import FACET_FIELDS, SCHEMA, normalise, open_index
from veracity.store import Store, open_store

SNIPPET_CHARS = 160
FACET_SIZE = 20
PAGE = 10_000  # hits fetched at once when iterating to the end (each page re-runs the query)


@dataclass(frozen=True)
class Hit:
    """One unit that matched, in design.md's `search` shape plus what the UI shows."""

    path: str | None
    locator: dict[str, Any] | None
    score: float
    snippet: str
    highlights: list[tuple[int, int]]  # [start, end) of each highlighted part of `snippet`
    kind: str
    type: str
    paths: tuple[str, ...]
    sha256: str | None
    uid: str

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "locator": self.locator,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "highlights": [list(h) for h in self.highlights],
            "kind": self.kind,
            "type": self.type,
            "paths": list(self.paths),
        }


@dataclass
class Results:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


def _count(found: tantivy.SearchResult) -> int:
    """The number of matches (tantivy's type stubs lack `count`, which it does return)."""
    return int(getattr(found, "count", 0) or 0)


# --- snippets ---------------------------------------------------------------------------------


def _fold_map(text: str) -> tuple[str, list[int]]:
    """`text` lower-cased with accents removed, and for each folded character its origin."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        base = "".join(
            c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
        ).lower()
        for c in base or ch:
            out.append(c)
            origin.append(i)
    return "".join(out), origin


#: the accent-folding search (slow: per character) looks at most this far into a unit
FOLD_CHARS = 20_000
#: highlights found in one unit at most
MAX_SPANS = 200


def _occurrences(haystack: str, needle: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = haystack.find(needle)
    while start >= 0 and len(spans) < MAX_SPANS:
        spans.append((start, start + len(needle)))
        start = haystack.find(needle, start + len(needle))
    return spans


_WORD = re.compile(r"[^\W_]+")


def _within(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance of `a` and `b` at most `limit` (rows cut off once all exceed it)."""
    if abs(len(a) - len(b)) > limit:
        return False
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
        if min(row) > limit:
            return False
    return row[-1] <= limit


def _fuzzy_spans(text: str, fuzzy: list[tuple[str, int]]) -> list[tuple[int, int]]:
    """The words of `text` a fuzzy query term matched (the index folded them the same way)."""
    spans = []
    for match in _WORD.finditer(text[:FOLD_CHARS]):
        word = match.group()
        folded = word.lower() if word.isascii() else _fold_map(word)[0]
        if any(_within(folded, target, d) for target, d in fuzzy):
            spans.append(match.span())
            if len(spans) >= MAX_SPANS:
                break
    return spans


def _spans(text: str, needles: set[str]) -> list[tuple[int, int]]:
    """Where the needles are in `text`: by plain lower-casing first (fast, in C), and by
    folding accents only for the needles that did not appear so (`omer` in `Ömer`); fuzzy
    words by their edit distance."""
    fuzzy = [
        (n.split(":", 1)[1], int(n[len(FUZZY_MARK) : n.index(":")]))
        for n in needles
        if n.startswith(FUZZY_MARK)
    ]
    needles = {n for n in needles if not n.startswith(FUZZY_MARK)}
    lower = text.lower()
    same = len(lower) == len(text)
    spans: list[tuple[int, int]] = []
    missing = []
    for needle in needles:
        found = _occurrences(lower, needle.lower()) if same else []
        if found:
            spans.extend(found)
        else:
            missing.append(needle)
    if missing and not text.isascii():
        folded, origin = _fold_map(text[:FOLD_CHARS])
        for needle in missing:
            target, _ = _fold_map(needle)
            for start, end in _occurrences(folded, target):
                spans.append((origin[start], origin[end - 1] + 1))
    if fuzzy:
        spans.extend(_fuzzy_spans(text, fuzzy))
    return spans


def snippet(text: str, needles: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """A window of `text` around the first needle found, and where each needle is in it."""
    if not text:
        return "", []
    normal = normalise(text)  # what was indexed; usually the same length, so offsets carry
    spans = _spans(normal if len(normal) == len(text) else text, {n for n in needles if n})
    spans.sort()
    first = spans[0][0] if spans else 0
    begin = max(0, first - SNIPPET_CHARS // 3)
    finish = min(len(text), begin + SNIPPET_CHARS)
    window = text[begin:finish]
    shown = [(s - begin, e - begin) for s, e in spans if s >= begin and e <= finish]
    prefix = "…" if begin > 0 else ""
    suffix = "…" if finish < len(text) else ""
    body = " ".join(window.split("\n"))
    offset = len(prefix)
    return prefix + body + suffix, [(s + offset, e + offset) for s, e in _merged(shown)]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def marked(text: str, highlights: list[tuple[int, int]], left: str = "«", right: str = "»") -> str:
    """The snippet with its highlights wrapped, for a terminal."""
    out, cursor = [], 0
    for start, end in highlights:
        out += [text[cursor:start], left, text[start:end], right]
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


# --- the searcher -----------------------------------------------------------------------------


class CaseSearch:
    """Queries over one case's index; open once, ask many times (the web app keeps one)."""

    def __init__(self, case: Case, store: Store) -> None:
        folder = index_dir(case)
        if not folder.exists():
            raise UsageError(
                f"this case has no search index yet ({folder}): run `veracity ingest` first"
            )
        self.case = case
        self.store = store
        self.index = open_index(folder)
        self.index.reload()
        self.searcher = self.index.searcher()

    def _expand_person(self, text: str) -> list[str]:
        from veracity.people.search import find

        # only confident matches: `find` always lists the nearest persons, even strangers
        found = [p for p in find(self.case, text, limit=20) if p["confident"]]
        if not found:
            return []
        best = max(float(p["score"]) for p in found)
        ids = [p["person_id"] for p in found if float(p["score"]) >= best - 0.05]
        uids = [f"person:{pid}" for pid in ids]
        for records in self.store.records_of_persons(ids).values():
            uids.extend(f"{r['sha256']}:row:{r['sheet']}:{r['row']}" for r in records)
        return uids

    def _compile(self, query: str) -> tuple[tantivy.Query, list[str]]:
        return compile_query(query, self._expand_person, self._pair_freq)

    def _pair_freq(self, pair: str) -> int:
        return int(self.searcher.doc_freq("zh2", pair))

    def search(
        self, query: str, *, limit: int = 20, offset: int = 0, facets: bool = True
    ) -> Results:
        if limit < 0 or offset < 0:
            raise UsageError("--limit and --offset must not be negative")
        compiled, needles = self._compile(query)
        found = self.searcher.search(compiled, limit=max(limit, 1), count=True, offset=offset)
        hits = [self._hit(score, address, needles) for score, address in found.hits[:limit]]
        total = _count(found)
        counts = self.facets(compiled) if facets and total else {}
        return Results(query, total, hits, counts)

    def iter_hits(self, query: str) -> Iterator[Hit]:
        """Every hit, best first, paged so that no cap applies and memory stays flat."""
        compiled, needles = self._compile(query)
        offset = 0
        while True:
            found = self.searcher.search(compiled, limit=PAGE, count=False, offset=offset)
            for score, address in found.hits:
                yield self._hit(score, address, needles)
            if len(found.hits) < PAGE:
                return
            offset += PAGE

    def count(self, query: str) -> int:
        compiled, _ = self._compile(query)
        return _count(self.searcher.search(compiled, limit=1, count=True))

    def facets(self, compiled: tantivy.Query) -> dict[str, dict[str, int]]:
        spec = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACET_FIELDS}
        result = self.searcher.aggregate(compiled, spec)
        out: dict[str, dict[str, int]] = {}
        for name in FACET_FIELDS:
            buckets = result.get(name, {}).get("buckets", [])
            out[name] = {str(b["key"]): int(b["doc_count"]) for b in buckets}
        flagged = self._flagged()
        if flagged is not None:
            both = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, compiled), (tantivy.Occur.Must, flagged)]
            )
            n = _count(self.searcher.search(both, limit=1, count=True))
            out["has_findings"] = {"yes": n}
        return out

    def _flagged(self) -> tantivy.Query | None:
        """Units a check warned about: the row itself for row findings, else the whole file."""
        rows: set[str] = set()
        files: set[str] = set()
        for sha, locator in self.store.finding_places(("warning", "critical")):
            if isinstance(locator, dict) and "row" in locator:
                rows.add(f"{sha}:row:{locator.get('sheet')}:{locator['row']}")
            else:
                files.add(sha)
        if not rows and not files:
            return None
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.term_set_query(SCHEMA, "uid", sorted(rows))),
                (
                    tantivy.Occur.Should,
                    tantivy.Query.term_set_query(SCHEMA, "sha256", sorted(files)),
                ),
            ]
        )

    def _hit(self, score: float, address: tantivy.DocAddress, needles: list[str]) -> Hit:
        doc = self.searcher.doc(address)
        body = doc.get_first("shown") or ""
        paths = tuple(str(p) for p in doc.get_all("path"))
        locator_text = doc.get_first("locator") or ""
        text, spans = snippet(str(body), needles)
        return Hit(
            path=paths[0] if paths else None,
            locator=json.loads(locator_text) if locator_text else None,
            score=float(score),
            snippet=text,
            highlights=spans,
            kind=str(doc.get_first("kind") or ""),
            type=str(doc.get_first("type") or ""),
            paths=paths,
            sha256=str(doc.get_first("sha256") or "") or None,
            uid=str(doc.get_first("uid") or ""),
        )


def open_search(case: Case) -> tuple[CaseSearch, Store]:
    """A searcher and the store it reads findings and persons from; close the store after."""
    store = open_store(case, migrate=False)
    try:
        return CaseSearch(case, store), store
    except BaseException:
        store.close()
        raise
