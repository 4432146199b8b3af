"""`people find` on a case of 500,000 persons (run through `python bench/people.py find`).

`bench_find()` fills a case's `persons`, `person_records`, `records` and `paths` with synthetic
people whose names come from the bundled name table (Chinese transcription variants chosen at
random, as registers write them) and valid ID numbers, then times 200 queries of each kind —
Latin full name, Chinese full name as written, one name, a whole ID, a 10-digit ID prefix — and
prints median and p95, and the peer: a naive scan (`LIKE '%name%'` over every person's name),
which is what a search without phonetic keys would have to do. Target (issue 5): median under
100 ms.

Usage: python -m bench.people_find [--persons 500000] [--queries 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

from veracity.case import open_case
from veracity.people.idcard import make_id
from veracity.people.keys import keys_for
from veracity.people.names import load_names
from veracity.people.search import find
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
    """A case holding `n` persons, each with one record at one path (what `find` returns)."""
    store = open_store(open_case(case_dir, create=True))
    people = list(_people(rng, n))
    shas = [f"{i:064x}" for i in range(_CONTENTS)]
    source = store.source_id(str(case_dir))
    files = [FileRecord(s, 1, "text/csv", "CSV text") for s in shas]
    paths = [PathRecord(source, f"r/{i}.csv", s, None, "text/csv", 1) for i, s in enumerate(shas)]
    store.write(Batch(files=files, paths=paths))
    rows: list[PersonRow] = []
    links: list[PersonLink] = []
    by_sha: dict[str, list[PersonRecord]] = {s: [] for s in shas}
    for index, (pid, id_number, written, _) in enumerate(people):
        keys = keys_for(written)
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
    store.replace_persons(rows, links)
    store.close()
    return people


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=500_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    bench_find(args.persons, args.queries)


if __name__ == "__main__":
    main()
