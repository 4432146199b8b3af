"""`veracity stats` on 500,000 persons: time, and the ratio to DuckDB over the same tables.

Persons, their records and links are generated straight into a new case's tables (linking is
bench/people.py's subject, not this one's): each person has one register row, 12 % detained
between 2017-01 and 2018-07 with a status word, place and address, a third of those sentenced.
`compute_stats` then runs on the SQLite case. The peer is DuckDB running the headline
aggregates (persons, detained by year and month, adults, status by person) over the same
tables, exported to CSV (DuckDB reads CSV without extensions; the load is not timed).
Target (issue 8): under 5 s.

Usage: python bench/stats.py [--persons 500000] [--seed 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import random
import sqlite3
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from veracity.analyze.stats import compute_stats
from veracity.case import open_case
from veracity.people.idcard import make_id
from veracity.store import open_store

STATUS = ("教培", "收押", "拘留", "判刑")
PLACES = ("疏附县看守所", "疏附县第一职业技能教育培训中心", "疏附县拘留所")
TOWNSHIPS = ("托克扎克镇", "吾库萨克镇", "兰干乡", "乌帕尔乡", "站敏乡")


def build(case_dir: Path, persons: int, seed: int) -> None:
    """A case with `persons` persons, one record each, written with plain sqlite3."""
    rng = random.Random(seed)
    case = open_case(case_dir, create=True)
    open_store(case).close()  # migrate
    sha = "0" * 64
    con = sqlite3.connect(case.db_path)
    con.execute("insert into files values (?, 1, 'text/csv', 'CSV')", (sha,))
    records, links, people = [], [], []
    for i in range(persons):
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(25_000))
        sex = rng.choice("男女")
        idn = make_id("653121", born, i % 500, sex)
        detained = rng.random() < 0.12
        start = (date(2017, 1, 1) + timedelta(days=rng.randrange(576))).isoformat()
        status = rng.choice(STATUS) if detained else "正常"
        months = rng.randrange(6, 240) if status == "判刑" else None
        town = rng.choice(TOWNSHIPS)
        address = f"新疆维吾尔自治区喀什地区疏附县{town}{rng.randrange(30)}村{rng.randrange(9)}组"
        pid = f"p{i:015x}"
        records.append(
            (sha, "Sheet1", i + 2, f"n{i}", idn, idn, "valid", born.isoformat(), sex, "653121",
             sex, born.isoformat(), "维吾尔族", address, status, start if detained else None,
             rng.choice(PLACES) if detained else None, f"{months}个月" if months else None,
             months, None, "{}", "residents")
        )  # fmt: skip
        links.append((sha, "Sheet1", i + 2, pid, "id", None, "{}"))
        people.append(
            (pid, idn, f"n{i}", None, None, None, None, None, sex, born.isoformat(), 1,
             start if detained else None, ",residents,")
        )  # fmt: skip
    with con:
        con.executemany(f"insert into records values ({','.join('?' * 22)})", records)
        con.execute(
            "insert into registers values (?, 'Sheet1', 'residents', 'guess', '[]', 1, ?, ?)",
            (sha, '[{"column": "A", "header": "收押日期", "field": "detention_start", '
             '"how": "header"}]', persons),
        )  # fmt: skip
        con.executemany("insert into person_records values (?,?,?,?,?,?,?)", links)
        con.executemany(f"insert into persons values ({','.join('?' * 13)})", people)
    con.close()


PEER = (
    "select count(*), count(detention_start), count(*) filter (where birth_date <= '2000-01-01')"
    " from persons",
    "select substr(detention_start, 1, 4), count(*) from persons where detention_start is not"
    " null group by 1",
    "select substr(detention_start, 1, 7), count(*) from persons where detention_start is not"
    " null group by 1",
    "select r.status, count(distinct l.person_id) from records r join person_records l"
    " on r.sha256 = l.sha256 and r.sheet = l.sheet and r.row = l.row group by 1",
)


def duckdb_seconds(db: Path, tmp: Path) -> float:
    """DuckDB running PEER over the tables, loaded from CSV exports (load not timed)."""
    import duckdb

    con = duckdb.connect()
    src = sqlite3.connect(db)
    for table in ("persons", "records", "person_records"):
        path = tmp / f"{table}.csv"
        cur = src.execute(f"select * from {table}")
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow([d[0] for d in cur.description])
            writer.writerows(cur)
        con.execute(
            f"create table {table} as select * from "
            f"read_csv_auto('{path}', header=true, all_varchar=true)"
        )
    src.close()
    start = time.perf_counter()
    for query in PEER:
        con.execute(query).fetchall()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the case in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        case_dir = args.keep or tmp / "case"
        if not (case_dir / "case.db").exists():
            start = time.perf_counter()
            build(case_dir, args.persons, args.seed)
            print(f"built {args.persons} persons in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        stats = compute_stats(open_case(case_dir))
        seconds = time.perf_counter() - start
        peer = duckdb_seconds(case_dir / "case.db", tmp)
        print(
            f"stats: {stats['people']} persons, {stats['detained']['total']} detained in "
            f"{seconds:.2f} s (target < 5 s); DuckDB headline aggregates {peer:.2f} s; "
            f"ratio {seconds / peer:.1f}x"
        )


if __name__ == "__main__":
    main()
