"""A 1,000,000-row xlsx streamed: time and peak memory, against openpyxl's read-only mode.

1. Writes a register-shaped workbook (8 columns: serial, name, ID, sex, ethnicity, an Excel date,
   address, status) with xlsxwriter in `constant_memory` mode.
2. Runs, each in its own process, on the same file with the page cache warm:
   - veracity: `SpreadsheetExtractor().extract()` — every row to the rows file, text, pages,
     sheet metadata (more work than the peers, which only read the values);
   - openpyxl read-only (`iter_rows(values_only=True)`): the peer;
   - python-calamine (`iter_rows()`), for reference: fastest, but it loads the sheet whole.
3. Prints seconds, rows/s and peak RSS (sampled over the process) for each, the ratio of the
   peer's time to ours, and whether ours stayed below 300 MB.

Usage: python bench/extract_sheets.py [--rows 1000000] [--skip-peer] [--skip-calamine]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.ingest import timed

TARGET_RSS = 300 * 1024**2
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_register(path: Path, rows: int) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("人员")
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(
        0, 0, ["序号", "姓名", "身份证号", "性别", "民族", "出生日期", "现住址", "人员状态"]
    )
    born = dt.datetime(1950, 1, 1)
    for i in range(1, rows + 1):
        sheet.write_number(i, 0, i)
        sheet.write_string(i, 1, f"阿卜杜拉·买买提{i % 977}")
        sheet.write_string(i, 2, f"6531{i:014d}")
        sheet.write_string(i, 3, "男" if i % 2 else "女")
        sheet.write_string(i, 4, "维吾尔族")
        sheet.write_datetime(i, 5, born + dt.timedelta(days=i % 20000), dates)
        sheet.write_string(i, 6, f"新疆喀什地区疏附县某某乡{i % 300}村{i % 97}号")
        sheet.write_string(i, 7, "教培")
    book.close()


def run_ours(path: Path, scratch: Path, rows: int) -> None:
    from veracity.case import Limits
    from veracity.extract.base import Item
    from veracity.extract.spreadsheet import SpreadsheetExtractor

    item = Item(path, path.name, "0" * 64, path.stat().st_size, XLSX_MIME, "xlsx", 0, scratch)
    result = SpreadsheetExtractor().extract(item, Limits.from_settings())
    assert result.error is None, result.error
    assert result.metadata["rows"] == rows, result.metadata["rows"]


def run_openpyxl(path: Path, rows: int) -> None:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    assert count == rows, count


def run_calamine(path: Path, rows: int) -> None:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    count = sum(1 for _ in sheet.iter_rows())
    assert count == rows, count


def child(argv: list[str]) -> None:
    """`--child NAME FILE ROWS [SCRATCH]`: one reader, in this (measured) process."""
    name, path, rows = argv[0], Path(argv[1]), int(argv[2])
    if name == "ours":
        run_ours(path, Path(argv[3]), rows)
    elif name == "openpyxl":
        run_openpyxl(path, rows)
    else:
        run_calamine(path, rows)


def report(label: str, seconds: float, rss: int, rows: int) -> None:
    print(f"  {label:<22} {seconds:7.1f} s  {rows / seconds:9.0f} rows/s  {rss / 2**20:6.0f} MB")


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-peer", action="store_true", help="do not run openpyxl")
    parser.add_argument("--skip-calamine", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="veracity-bench-sheets-"))
    try:
        path = work / "register.xlsx"
        write_register(path, args.rows)
        total = args.rows + 1  # and the header
        print(f"xlsx: {args.rows:,} rows x 8 columns, {path.stat().st_size / 2**20:.0f} MB")
        path.read_bytes()  # page cache warm for everyone
        me = [sys.executable, __file__, "--child"]
        ours_s, ours_rss = timed([*me, "ours", str(path), str(total), str(work / "scratch")])
        report("veracity", ours_s, ours_rss, total)
        if not args.skip_calamine:
            cal_s, cal_rss = timed([*me, "calamine", str(path), str(total)])
            report("python-calamine", cal_s, cal_rss, total)
        if not args.skip_peer:
            peer_s, peer_rss = timed([*me, "openpyxl", str(path), str(total)])
            report("openpyxl read-only", peer_s, peer_rss, total)
            print(f"  ratio openpyxl / veracity (time): {peer_s / ours_s:.1f}x")
        verdict = "ok" if ours_rss < TARGET_RSS else "OVER"
        print(f"  veracity peak memory {ours_rss / 2**20:.0f} MB (target < 300 MB): {verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
