"""`people find`: speed on 500,000 persons, and recall on real published spellings.

`speed` (`bench_find`, also `python bench/people.py find`) fills a case's `persons`,
`person_records`, `records`, `paths` and `name_parts` with synthetic people whose names come
from the bundled name table (Chinese transcription variants chosen at random, as registers
write them) and valid ID numbers, then times 200 queries of each kind — Latin full name,
Chinese full name as written, one name, a whole ID, a 10-digit ID prefix — and prints median
and p95, and the peer: a naive scan (`LIKE '%name%'` over every person's name), which is what a
search without a sound model would have to do. Target (issues 5, 13): median under 100 ms.

`recall` (`bench_recall`) puts the public figures of `tests/data/real/names/spellings.csv`
(their Chinese names as published) among synthetic distractors (default 20,000, names from the
table, a third written with homophone characters the table does not list), then asks
`people find` for every published spelling that is not the Chinese form itself (Latin, ULY,
pinyin, Uyghur Arabic, Cyrillic) and reports recall at 1 and at 10, by script, and queries
answered with nothing. "First" includes a right person tied for the best score with
namesakes (distractors with the same name in another transcription: nothing in a name can
tell them apart; a birth year, sex or place can). Ranks are `find`'s own order (ties with namesakes
broken as it breaks them). It also asks,
for 300 distractors, their name written in another transcription than the register's (a
homophone variant of one part) and in Latin (ULY): right person first. The peer is a fuzzy
text match of the query against each person's pinyin (rapidfuzz `token_sort_ratio`), what a
document search engine without a sound model offers. Targets (issue 13): real spellings top
10 >= 95 %, first >= 90 %, no empty answers; other transcriptions first >= 80 %; Cyrillic top
10 >= 90 %.

Usage: python -m bench.people_find speed [--persons 500000] [--queries 200]
       python -m bench.people_find recall [--distractors 20000]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

from veracity.case import open_case
from veracity.people.idcard import make_id
from veracity.people.keys import keys_for
from veracity.people.names import load_names
from veracity.people.search import CONFIDENT, find
from veracity.store import (
    Batch,
    FileRecord,
    PathRecord,
    PersonLink,
    PersonRecord,
    PersonRow,
    open_store,
)

_REGIONS = ("653121", "653122", "654027", "650102", "652101")
_CONTENTS = 50  # registers the records are spread over
Person = tuple[str, str, str, str]  # person_id, ID number, name as written, Latin name


def _people(rng: random.Random, n: int) -> Iterator[Person]:
    names = load_names()
    seen: set[str] = set()
    while len(seen) < n:
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(70 * 365))
        given, father = rng.choice(names), rng.choice(names)
        id_number = make_id(rng.choice(_REGIONS), born, rng.randrange(500), given.sex)
        if id_number in seen:
            continue
        seen.add(id_number)
        written = f"{rng.choice(given.chinese)}·{rng.choice(father.chinese)}"
        yield f"p{len(seen):07d}", id_number, written, f"{given.uly} {father.uly}"


def _fill(case_dir: Path, n: int, rng: random.Random) -> list[Person]:
    """A case holding `n` persons, each with one record at one path (what `find` returns);
    a third written with homophone characters, so the case has many distinct name parts."""
    people = list(_distractors(rng, n, set()))
    _write(case_dir, people)
    return people


def _write(case_dir: Path, people: list[Person]) -> None:
    """A case holding `people`, each with one record at one path, and their name parts."""
    from veracity.people.sounds import part_sounds

    store = open_store(open_case(case_dir, create=True))
    shas = [f"{i:064x}" for i in range(_CONTENTS)]
    source = store.source_id(str(case_dir))
    files = [FileRecord(s, 1, "text/csv", "CSV text") for s in shas]
    paths = [PathRecord(source, f"r/{i}.csv", s, None, "text/csv", 1) for i, s in enumerate(shas)]
    store.write(Batch(files=files, paths=paths))
    rows: list[PersonRow] = []
    links: list[PersonLink] = []
    names: list[tuple[str, str, str]] = []
    parts: dict[str, str] = {}
    by_sha: dict[str, list[PersonRecord]] = {s: [] for s in shas}
    for index, (pid, id_number, written, _) in enumerate(people):
        keys = keys_for(written)
        for text, key in ((keys.given, keys.given_key), (keys.father, keys.father_key)):
            if text and key and key not in parts:
                parts[key] = part_sounds(text).encode()
        names.append((pid, keys.given_key, keys.father_key or ""))
        rows.append(PersonRow(
            person_id=pid, records=1, id_number=id_number, name=written, given_name=keys.given,
            father_name=keys.father, given_key=keys.given_key, father_key=keys.father_key,
            pinyin=keys.pinyin,
        ))  # fmt: skip
        sha, row = shas[index % _CONTENTS], index // _CONTENTS + 2
        by_sha[sha].append(PersonRecord(sha, "S", row, "valid", written, id_number, id_number))
        links.append(PersonLink(sha, "S", row, pid, "id"))
    for sha, records in by_sha.items():
        store.replace_records(sha, records)
    holders = Counter(k for _, g, f in names for k in {g, f} if k)
    counted = [(key, codes, holders[key]) for key, codes in sorted(parts.items())]
    store.replace_persons(rows, links, names, counted)
    store.close()


def _times(queries: list[str], run: Callable[[str], object]) -> tuple[float, float]:
    """Median and p95 milliseconds of `run` over `queries`."""
    spent = []
    for query in queries:
        started = time.perf_counter()
        run(query)
        spent.append((time.perf_counter() - started) * 1000)
    spent.sort()
    return statistics.median(spent), spent[max(int(len(spent) * 0.95) - 1, 0)]


def bench_find(persons: int = 500_000, queries: int = 200) -> None:
    rng = random.Random(5)
    with tempfile.TemporaryDirectory(prefix="veracity-bench-find-") as tmp:
        started = time.perf_counter()
        people = _fill(Path(tmp) / "case", persons, rng)
        print(f"filled {persons:,} persons in {time.perf_counter() - started:.0f} s")
        case = open_case(Path(tmp) / "case")
        sample = rng.sample(people, queries)
        kinds = {
            "latin full name": [latin for _, _, _, latin in sample],
            "chinese full name": [written for _, _, written, _ in sample],
            "one name": [latin.split()[0] for _, _, _, latin in sample],
            "whole ID": [id_number for _, id_number, _, _ in sample],
            "ID prefix (10)": [id_number[:10] for _, id_number, _, _ in sample],
        }
        for kind, texts in kinds.items():
            median, p95 = _times(texts, lambda text: find(case, text, limit=20))
            print(f"people find, {kind:<18} median {median:6.1f} ms  p95 {p95:6.1f} ms")
        scan = [written.split("·")[0] for _, _, written, _ in sample[:20]]
        store = open_store(case, migrate=False)
        try:
            peer, _ = _times(scan, lambda text: store.persons_by_name_scan(text))
        finally:
            store.close()
        ours, _ = _times(scan, lambda text: find(case, text, limit=20))
        print(
            f"one Chinese name: people find median {ours:.1f} ms; peer (naive LIKE scan) "
            f"{peer:.1f} ms; ratio peer/find {peer / ours:.1f}x"
        )


SPELLINGS = Path(__file__).parent.parent / "tests" / "data" / "real" / "names" / "spellings.csv"


def _real_spellings() -> list[dict[str, str]]:
    lines = [line for line in SPELLINGS.read_text("utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


def _distractors(rng: random.Random, n: int, taken: set[str]) -> Iterator[Person]:
    """Synthetic persons as registers write them, a third with a homophone transcription."""
    from veracity.synth.homophones import homophone_variant

    for pid, id_number, written, latin in _people(rng, n):
        if id_number in taken:
            continue
        if rng.random() < 1 / 3:
            given, father = written.split("·")
            written = f"{homophone_variant(rng, given)}·{father}"
        yield pid, id_number, written, latin


def _rank(rows: list[dict[str, object]], wanted: str) -> int | None:
    """The right person's place in the answer, 1 also when they share the best score with
    namesakes (the name cannot tell them apart; `--born`, `--sex` or `--place` can)."""
    for n, row in enumerate(rows, 1):
        if row["person_id"] == wanted:
            return 1 if row["score"] == rows[0]["score"] else n
    return None


def bench_recall(distractors: int = 20_000) -> dict[str, float]:
    """Recall at 1 and 10 of `people find` on real published spellings; see the docstring."""
    from rapidfuzz import fuzz, process

    from veracity.people.names import pinyin
    from veracity.synth.homophones import homophone_variant

    rng = random.Random(13)
    spellings = _real_spellings()
    figures: dict[str, str] = {}
    for row in spellings:
        figures.setdefault(row["person"], row["chinese"])
    real: list[Person] = []
    for number, (person, chinese) in enumerate(sorted(figures.items())):
        born = date(1930, 1, 1) + timedelta(days=number * 211)
        real.append((f"real-{person}", make_id("653121", born, number, "男"), chinese, ""))
    taken = {p[1] for p in real}
    people = real + list(_distractors(rng, distractors, taken))
    with tempfile.TemporaryDirectory(prefix="veracity-bench-recall-") as tmp:
        _write(Path(tmp) / "case", people)
        case = open_case(Path(tmp) / "case")
        pinyins = [pinyin(p[2]) for p in people]
        by_script: dict[str, list[tuple[int | None, int | None]]] = {}
        empty, spent, confident, confident_right, right_unsure = 0, [], 0, 0, 0
        for row in spellings:
            if row["spelling"] == row["chinese"]:
                continue
            started = time.perf_counter()
            found = find(case, row["spelling"], limit=10)
            spent.append(time.perf_counter() - started)
            empty += not found
            if found and found[0]["confident"]:
                confident += 1
                confident_right += found[0]["person_id"] == f"real-{row['person']}"
            elif found:
                right_unsure += found[0]["person_id"] == f"real-{row['person']}"
            peer = process.extract(
                row["spelling"].lower(), pinyins, scorer=fuzz.token_sort_ratio, limit=10
            )
            wanted = f"real-{row['person']}"
            peer_rank = next((n for n, (*_, i) in enumerate(peer, 1) if people[i][0] == wanted), 0)
            peer_rank = peer_rank or None
            ranks = (_rank(found, wanted), peer_rank)
            by_script.setdefault(row["script"], []).append(ranks)
            by_script.setdefault("all", []).append(ranks)
        result: dict[str, float] = {}
        among = len(people) - len(real)
        print(f"real published spellings of {len(figures)} public figures among {among:,} "
              "synthetic persons (recall: people find | peer)")  # fmt: skip
        for script, ranks in sorted(by_script.items(), key=lambda kv: kv[0] != "all"):
            at1 = sum(r == 1 for r, _ in ranks) / len(ranks)
            at10 = sum(r is not None for r, _ in ranks) / len(ranks)
            p1 = sum(p == 1 for _, p in ranks) / len(ranks)
            p10 = sum(p is not None for _, p in ranks) / len(ranks)
            print(f"  {script:<14} {len(ranks):>4} queries  first {at1:6.1%} | {p1:6.1%}   "
                  f"top 10 {at10:6.1%} | {p10:6.1%}")  # fmt: skip
            result[f"{script}_at1"], result[f"{script}_at10"] = at1, at10
        print(f"  queries answered with nothing: {empty}; median "
              f"{statistics.median(spent) * 1000:.1f} ms per query")  # fmt: skip
        result["empty"] = empty
        print(f"  first answers called confident (score >= {CONFIDENT}): {confident}, of them "
              f"right {confident_right / max(confident, 1):.1%}; right first answers below the "
              f"bar: {right_unsure}")  # fmt: skip
        # the register wrote one transcription; the relative's source another
        sample = rng.sample(people[len(real) :], 300)
        other = latin = 0
        for pid, _, written, uly in sample:
            given, father = written.split("·")
            variant = f"{homophone_variant(rng, given)}·{homophone_variant(rng, father)}"
            other += _rank(find(case, variant, limit=10), pid) == 1
            latin += _rank(find(case, uly, limit=10), pid) == 1
        print(
            f"  another transcription than the register's: first {other / 300:.1%}; "
            f"the ULY spelling: first {latin / 300:.1%} (tied with namesakes: first)"
        )
        result["other_transcription_at1"] = other / 300
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=("speed", "recall"), nargs="?", default="speed")
    parser.add_argument("--persons", type=int, default=500_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--distractors", type=int, default=20_000)
    args = parser.parse_args()
    if args.what == "recall":
        bench_recall(args.distractors)
    else:
        bench_find(args.persons, args.queries)


if __name__ == "__main__":
    main()
