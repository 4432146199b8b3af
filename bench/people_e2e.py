"""Read and link 500,000 register rows end to end: xlsx registers → `veracity ingest` → persons.

Writes the registers with xlsxwriter (constant memory; 20 village files of 25,000 rows, the
people of `bench/people.py` with their duplicates, other transcriptions and damaged IDs), then
times one `veracity ingest` of the folder — hashing, the streamed spreadsheet reader, rows into
the case, register detection, records, linking with splink, photos — and samples its peak PSS
(with `bench/ingest.py`'s `timed`). The issue's target: under 3 minutes on 2 cores, peak
memory below 2 GB. There is no peer tool that does this; the figure is compared with the time
of reading the same rows with openpyxl's read-only mode, the usual Python way, as a yardstick.

Usage: python -m bench.people_e2e [--rows 500000] [--files 20]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter

from bench.ingest import timed
from bench.people import _records

HEADER = ("序号", "姓名", "公民身份号码", "性别", "民族", "出生日期", "现住址")


def write_registers(folder: Path, rows: int, files: int, seed: int) -> None:
    records = _records(random.Random(seed), rows)
    per_file = -(-rows // files)
    for n in range(files):
        book = xlsxwriter.Workbook(folder / f"村{n:02d}.xlsx", {"constant_memory": True})
        sheet = book.add_worksheet("人员信息")
        sheet.merge_range(0, 0, 0, len(HEADER) - 1, f"第{n}村人员信息表")
        sheet.write_row(1, 0, HEADER)
        for i, record in enumerate(records[n * per_file : (n + 1) * per_file]):
            sheet.write_row(
                i + 2,
                0,
                (i + 1, record.name_raw, record.id_raw or "", record.sex or "", "维吾尔族",
                 record.birth_date or "", record.address or ""),
            )  # fmt: skip
        book.close()


def openpyxl_read(folder: Path) -> int:
    from openpyxl import load_workbook

    n = 0
    for path in sorted(folder.glob("*.xlsx")):
        book = load_workbook(path, read_only=True)
        for _ in book.active.iter_rows(values_only=True):
            n += 1
        book.close()
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="veracity-bench-e2e-") as tmp:
        leak, case = Path(tmp) / "leak", Path(tmp) / "case"
        leak.mkdir()
        started = time.perf_counter()
        write_registers(leak, args.rows, args.files, args.seed)
        took = time.perf_counter() - started
        print(f"wrote {args.rows:,} rows in {args.files} xlsx in {took:.0f} s")
        cmd = [sys.executable, "-m", "veracity", "ingest", str(leak), "--case", str(case)]
        seconds, peak = timed(cmd)
        started = time.perf_counter()
        openpyxl_read(leak)
        peer = time.perf_counter() - started
        summary = json.loads(((case / "case.db").exists() and _last_summary(case)) or "{}")
    people = summary.get("people", {})
    print(
        f"veracity ingest (read + records + link): {seconds:.1f} s (target < 180 s),"
        f" peak PSS {peak / 2**20:.0f} MB (target < 2048 MB)"
    )
    print(f"  {people.get('records')} records, {people.get('persons')} persons")
    print(f"openpyxl read-only, rows only: {peer:.1f} s — ratio {peer / seconds:.2f}")


def _last_summary(case: Path) -> str:
    import sqlite3

    with sqlite3.connect(case / "case.db") as conn:
        row = conn.execute("select summary from runs order by id desc limit 1").fetchone()
    return str(row[0]) if row and row[0] else "{}"


if __name__ == "__main__":
    main()
