"""People at scale: linking 500,000 person records into persons, time and peak memory.

`link`: records are generated straight into a new case's `records` table (writing 500,000
register rows as xlsx would measure the spreadsheet writer, not linking): ~350,000 people, a
third of them listed two or three times under another transcription of their name, with the
register's habits of damage — a wrong check character (3 % of rows), an unknown region code
(1 %), no ID (1.5 %), an ID destroyed by Excel (0.5 %), one ID copied onto another person's row
(0.2 %). Then `build_persons` runs in a child process whose peak PSS is sampled (bench/ingest.py
`timed`). Target (issue 5): reading and linking 500,000 rows in under 3 minutes on 2 cores, peak
memory below 2 GB.

`find`: `people find` on 500,000 persons (bench/people_find.py `bench_find`).

Usage: python bench/people.py link [--records 500000] [--seed 1]
       python bench/people.py find
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.ingest import timed

_REGIONS = ("653121", "653122", "653123", "653101", "650102", "654021")


def _people(rng: random.Random, n: int) -> list[dict[str, Any]]:
    from veracity.people.idcard import make_id
    from veracity.people.names import load_names

    names = load_names()
    seen: set[str] = set()
    people = []
    while len(people) < n:
        sex = rng.choice("男女")
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
        ident = make_id(rng.choice(_REGIONS), born, rng.randrange(500), sex)
        if ident in seen:
            continue
        seen.add(ident)
        given, father = rng.choice(names), rng.choice(names)
        people.append({
            "id": ident, "sex": sex, "born": born.isoformat(), "given": given, "father": father,
            "address": f"疏附县{rng.randrange(40)}乡{rng.randrange(30)}村{rng.randrange(9)}组"
                       f"{rng.randrange(200)}号",
        })  # fmt: skip
    return people


def _damage(rng: random.Random, ident: str, other: str) -> str | None:
    roll = rng.random()
    if roll < 0.03:
        return ident[:17] + rng.choice([c for c in "0123456789X" if c != ident[17]])
    if roll < 0.04:
        return rng.choice(("659999", "653199")) + ident[6:]
    if roll < 0.055:
        return None
    if roll < 0.06:
        return f"{int(ident[:17]) / 10:.5E}"  # what Excel shows of an ID stored as a number
    if roll < 0.062:
        return other
    return ident


def _records(rng: random.Random, total: int) -> list[Any]:
    from veracity.people.idcard import check
    from veracity.store import PersonRecord

    people = _people(rng, int(total / 1.43))
    records = []
    while len(records) < total:
        person = rng.choice(people)
        given, father = person["given"], person["father"]
        for copy in range(rng.choice((1, 1, 1, 2, 2, 3))):
            g = rng.choice(given.chinese) if copy else given.chinese[0]
            f = rng.choice(father.chinese) if copy else father.chinese[0]
            cell = _damage(rng, person["id"], rng.choice(people)["id"])
            ident = check(cell)
            born = ident.number.birth_date
            records.append(PersonRecord(
                sha256="b" * 64, sheet=f"S{len(records) // 5000}", row=len(records) % 5000 + 2,
                id_status=ident.status, name_raw=f"{g}·{f}", id_raw=cell,
                id_number=ident.normalised, id_birth_date=born.isoformat() if born else None,
                id_sex=ident.number.sex, sex=person["sex"], birth_date=person["born"],
                address=person["address"],
            ))  # fmt: skip
    return records[:total]


def child(case_dir: Path, total: int, seed: int, out: Path) -> None:
    """Fill a case with `total` records, link them; write the phases' times to `out`."""
    from veracity.case import open_case
    from veracity.people.linking import build_persons
    from veracity.store import Batch, FileRecord, open_store

    case = open_case(case_dir, create=True)
    store = open_store(case)
    started = time.perf_counter()
    store.write(Batch(files=[FileRecord("b" * 64, 1, "text/csv", "CSV")]))
    store.replace_records("b" * 64, _records(random.Random(seed), total))
    made = time.perf_counter() - started
    started = time.perf_counter()
    figures = build_persons(case, store)
    linked = time.perf_counter() - started
    store.close()
    out.write_text(json.dumps({"generate_s": made, "link_s": linked, "figures": figures}))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("part", choices=("link", "find"))
    parser.add_argument("--records", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part == "find":
        from bench.people_find import bench_find

        bench_find()
        return
    if args.child:
        child(args.child / "case", args.records, args.seed, args.child / "result.json")
        return
    with tempfile.TemporaryDirectory(prefix="veracity-bench-people-") as tmp:
        cmd = [sys.executable, "-m", "bench.people", "link", "--records", str(args.records),
               "--seed", str(args.seed), "--child", tmp]  # fmt: skip
        seconds, peak = timed(cmd)
        result = json.loads((Path(tmp) / "result.json").read_text(encoding="utf-8"))
    print(f"records: {args.records:,} generated into the case in {result['generate_s']:.1f} s")
    print(f"build_persons: {result['link_s']:.1f} s (target with record building: < 180 s)")
    print(f"peak memory (PSS, generation + linking): {peak / 2**20:.0f} MB (target < 2048 MB)")
    print(f"whole child process: {seconds:.1f} s; figures: {result['figures']}")


if __name__ == "__main__":
    main()
