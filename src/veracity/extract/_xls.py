"""Rows of legacy Excel workbooks (.xls, WPS .et: BIFF2 to BIFF8) through xlrd.

python-calamine reads BIFF fastest, but it parses every sheet at once into a dense grid the size
of the used range: a 5 KB .xls with one cell in A1 and one in IV65536 costs it 1 GB. xlrd with
`ragged_rows` keeps only the cells that exist and loads one sheet at a time (`on_demand`), so
memory follows the file's real content; it reads a 65,536-row register in under a second, and
`formatting_info` gives the merged ranges and the date formats.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import xlrd
from xlrd.biffh import XLRDError
from xlrd.compdoc import CompDocError

from veracity.errors import Malformed
from veracity.extract._cells import MAX_COLUMNS, Cell, RowSink, Span, excel_time, iso, number

#: What xlrd raises on a damaged workbook; mapped to `Malformed` at this boundary.
XLRD_ERRORS = (
    XLRDError,
    CompDocError,
    struct.error,
    IndexError,
    KeyError,
    ValueError,
    TypeError,
    AssertionError,
    UnicodeDecodeError,
    OverflowError,
    AttributeError,
    EOFError,
)


class _Quiet:
    """xlrd prints its warnings to a log file (stdout by default): they are dropped."""

    def write(self, _text: str) -> int:
        return 0


def _date(value: float, datemode: int) -> Cell:
    if 0 <= value < 1:
        return excel_time(value) or number(value)
    try:
        return iso(xlrd.xldate_as_datetime(value, 1 if datemode else 0))
    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
        return number(value)


def _row(sheet: Any, index: int, datemode: int) -> list[Cell]:
    cells: list[Cell] = []
    types = sheet.row_types(index)
    values = sheet.row_values(index)
    for kind, value in zip(types[:MAX_COLUMNS], values[:MAX_COLUMNS], strict=False):
        if kind == xlrd.XL_CELL_TEXT:
            cells.append(value or None)
        elif kind == xlrd.XL_CELL_NUMBER:
            cells.append(number(value))
        elif kind == xlrd.XL_CELL_DATE:
            cells.append(_date(value, datemode))
        elif kind == xlrd.XL_CELL_BOOLEAN:
            cells.append(bool(value))
        elif kind == xlrd.XL_CELL_ERROR:
            cells.append(xlrd.error_text_from_code.get(value, "#ERROR"))
        else:
            cells.append(None)
    return cells


def _open(path: Path, formatting: bool) -> Any:
    return xlrd.open_workbook(
        str(path),
        on_demand=True,
        ragged_rows=True,
        formatting_info=formatting,
        logfile=_Quiet(),
    )


def read_xls(path: Path, sink: RowSink) -> dict[str, Any]:
    """Stream every sheet's rows into `sink`; returns workbook facts for the metadata."""
    try:
        try:
            book = _open(path, formatting=True)
        except NotImplementedError:  # formatting of some BIFF versions: rows without merges
            book = _open(path, formatting=False)
    except XLRD_ERRORS as exc:
        raise Malformed(f"unreadable Excel workbook: {exc}") from exc
    names = book.sheet_names()
    try:
        for index, name in enumerate(names):
            sink.start_sheet(name)
            try:
                sheet = book.sheet_by_index(index)
                for r in range(sheet.nrows):
                    sink.row(r + 1, _row(sheet, r, book.datemode))
                merged: list[Span] = [
                    (rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in sheet.merged_cells
                ]
            except XLRD_ERRORS as exc:
                raise Malformed(f"sheet {name!r}: {exc}") from exc
            finally:
                book.unload_sheet(index)
            sink.end_sheet(merged)
    finally:
        book.release_resources()
    return {"format": f"BIFF{book.biff_version // 10}", "date1904": bool(book.datemode)}
