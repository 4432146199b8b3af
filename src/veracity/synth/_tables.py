"""One writer for the leak's plain tables (rosters, inventories, budgets): xlsx, xls or CSV.

The registers have their own writer (photos, planted defects); the other workbooks need only
what a clerk's office table has: maybe a merged title row, a header, rows, dates stored either
as real Excel dates or as the text the clerk typed. Keeping it apart keeps registers.py's
output byte-identical while the new workbooks grow.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import xlsxwriter
import xlwt

from veracity.synth._common import normalize_zip, set_times

Cell = str | int | float | date | None
TableFormat = Literal["xlsx", "xls", "csv"]


@dataclass(frozen=True)
class Sheet:
    """One sheet: its tab name, an optional merged title row, the header and the rows."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    title: str | None = None

    @property
    def first_row(self) -> int:
        """Excel's number of the first data row: after the header and any title row."""
        return 3 if self.title else 2


@dataclass(frozen=True)
class Table:
    """A workbook as one clerk made it: where, which format, which date habit, and when."""

    rel: str
    fmt: TableFormat
    sheets: tuple[Sheet, ...]
    when: datetime
    #: "excel" writes real dates; otherwise a strftime pattern for the text a clerk typed
    dates: str = "excel"
    author: str = "Administrator"

    def sheet_label(self, sheet: Sheet) -> str:
        """The name a reader gives the sheet: a CSV has one, named after the file."""
        return Path(self.rel).name if self.fmt == "csv" else sheet.name


def write_table(out: Path, table: Table) -> Path:
    """Write `table` under `out` at `table.rel`, dated `table.when` (file time and zip members)."""
    path = out / table.rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if table.fmt == "xlsx":
        _write_xlsx(path, table)
        normalize_zip(path, table.when)
    elif table.fmt == "xls":
        _write_xls(path, table)
    else:
        _write_csv(path, table)
    set_times(path, table.when)
    return path


def _text(value: Cell, pattern: str) -> str:
    if isinstance(value, date):
        return value.strftime(pattern if pattern != "excel" else "%Y-%m-%d")
    if isinstance(value, float):
        return f"{value:.2f}"
    return "" if value is None else str(value)


def _write_xlsx(path: Path, table: Table) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
    workbook.set_properties({"author": table.author, "created": table.when})
    title_fmt = workbook.add_format({"bold": True, "align": "center", "font_size": 14})
    head_fmt = workbook.add_format({"bold": True, "border": 1, "align": "center"})
    date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
    money_fmt = workbook.add_format({"num_format": "#,##0.00"})
    for sheet in table.sheets:
        ws = workbook.add_worksheet(sheet.name)
        top = 0
        if sheet.title:
            ws.merge_range(0, 0, 0, len(sheet.headers) - 1, sheet.title, title_fmt)
            top = 1
        for col, header in enumerate(sheet.headers):
            ws.write_string(top, col, header, head_fmt)
        ws.set_column(0, len(sheet.headers), 13)
        for index, row in enumerate(sheet.rows):
            r = top + 1 + index
            for col, value in enumerate(row):
                if isinstance(value, date) and table.dates == "excel":
                    ws.write_datetime(
                        r, col, datetime.combine(value, datetime.min.time()), date_fmt
                    )
                elif isinstance(value, float):
                    ws.write_number(r, col, value, money_fmt)
                elif isinstance(value, int):
                    ws.write_number(r, col, value)
                elif value is not None and value != "":
                    ws.write_string(r, col, _text(value, table.dates))
    workbook.close()


def _write_xls(path: Path, table: Table) -> None:
    workbook = xlwt.Workbook(encoding="utf-8")
    title_style = xlwt.easyxf("font: bold on, height 280; align: horiz center")
    head_style = xlwt.easyxf("font: bold on; align: horiz center")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for sheet in table.sheets:
        ws = workbook.add_sheet(sheet.name)
        top = 0
        if sheet.title:
            ws.write_merge(0, 0, 0, len(sheet.headers) - 1, sheet.title, title_style)
            top = 1
        for col, header in enumerate(sheet.headers):
            ws.write(top, col, header, head_style)
        for index, row in enumerate(sheet.rows):
            for col, value in enumerate(row):
                if isinstance(value, date) and table.dates == "excel":
                    ws.write(top + 1 + index, col, value, date_style)
                elif isinstance(value, int | float):
                    ws.write(top + 1 + index, col, value)
                elif value is not None and value != "":
                    ws.write(top + 1 + index, col, _text(value, table.dates))
    workbook.save(str(path))


def _write_csv(path: Path, table: Table) -> None:
    """GB18030, as Chinese Excel exports it; one sheet only (a CSV has no tabs, no title)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for sheet in table.sheets[:1]:
        writer.writerow(sheet.headers)
        for row in sheet.rows:
            writer.writerow([_text(v, table.dates) for v in row])
    path.write_bytes(buf.getvalue().encode("gb18030"))
