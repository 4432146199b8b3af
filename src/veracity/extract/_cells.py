"""Cells and rows of any spreadsheet: values normalised, rows streamed out, title rows found.

Every reader (xlsx, xls, ods, csv) hands its rows to one `RowSink`, so the rows file, the text
kept for search, the per-sheet pages and the per-sheet metadata (`sheets`: size, header row,
title, merged ranges) are made the same way whatever the format. Rows go to a JSON Lines file in
the scratch folder as they are read: a sheet of a million rows never sits in memory.

Registers put a merged title ("XX村人员信息表" across A1:H1) and sometimes a line of preamble
above the real header; `SheetShape` remembers the first rows so the header is the first row
with at least three text cells that is not such a title.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from veracity.case import Limits
from veracity.errors import ExtractError, LimitExceeded, Malformed
from veracity.extract._language import detect_language
from veracity.extract.base import Child, Extraction, Item, Page

Cell = str | int | float | bool | None
#: A merged range, 0-based and inclusive: (first row, first column, last row, last column).
Span = tuple[int, int, int, int]

MAX_COLUMNS = 16_384  # Excel's last column, XFD: cells beyond it are not real cells
_HEAD_ROWS = 50  # rows remembered per sheet to find its title and header
_MAX_MERGED = 1_000  # merged ranges listed per sheet in metadata (all are counted)
MAX_SPANS = 100_000  # merged ranges a reader keeps per sheet: a hostile sheet may hold millions
_TITLE_CELLS = 8  # a title row fills a few cells, never a table's width
_INT_SAFE = 2**53  # floats up to this are exact integers and shown as such
_EPOCH_1900 = datetime(1899, 12, 30)  # serial 61 = 1900-03-01 after Excel's fake 1900-02-29
_EPOCH_1904 = datetime(1904, 1, 1)
_MAX_SERIAL = 2_958_466  # 10000-01-01: larger "dates" are numbers under a date format


def number(value: float) -> int | float:
    """A number as Excel shows it: 12.0 is 12; a float beyond 2**53 stays a float (inexact)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < _INT_SAFE:
        return int(value)
    return value


def iso(moment: datetime) -> str:
    """`YYYY-MM-DD` for a date at midnight, else `YYYY-MM-DDTHH:MM:SS`."""
    if moment.hour == moment.minute == moment.second == 0:
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def excel_date(serial: float, date1904: bool = False) -> str | None:
    """The ISO date(-time) of an Excel serial number; None when it is no possible date."""
    if not (0 <= serial < _MAX_SERIAL) or math.isnan(serial):
        return None
    seconds = round(serial * 86_400)
    if date1904:
        return iso(_EPOCH_1904 + timedelta(seconds=seconds))
    if serial < 61:  # before Excel's phantom 1900-02-29 the epoch is one day later
        seconds += 86_400 if serial >= 1 else 0
        if serial >= 60:  # the phantom day itself: shown as 1900-02-29, read as the 28th
            seconds -= 86_400
    return iso(_EPOCH_1900 + timedelta(seconds=seconds))


def excel_time(serial: float) -> str | None:
    """`HH:MM:SS` of a time-of-day serial (0 ≤ serial < 1)."""
    if not 0 <= serial < 1:
        return None
    seconds = min(round(serial * 86_400), 86_399)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def parse_ref(ref: str) -> tuple[int, int] | None:
    """'AB12' → (11, 27), 0-based (row, column); None when it is not a cell reference."""
    ref = ref.replace("$", "")
    split = 0
    while split < len(ref) and "A" <= ref[split].upper() <= "Z":
        split += 1
    letters, digits = ref[:split].upper(), ref[split:]
    if not letters or len(letters) > 3 or not digits.isdigit():
        return None
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits) - 1, col - 1


def parse_span(ref: str) -> Span | None:
    """'A1:H1' → (0, 0, 0, 7)."""
    first, _, last = ref.partition(":")
    a, b = parse_ref(first), parse_ref(last or first)
    if a is None or b is None:
        return None
    return min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])


def span_name(span: Span) -> str:
    r0, c0, r1, c1 = span
    return f"{column_letters(c0)}{r0 + 1}:{column_letters(c1)}{r1 + 1}"


def _is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class SheetShape:
    """One sheet's size and the first rows, from which its header and title are found."""

    name: str
    rows: int = 0
    columns: int = 0
    head: list[tuple[int, list[Cell]]] = field(default_factory=list)

    def see(self, number: int, cells: list[Cell]) -> None:
        self.rows += 1
        self.columns = max(self.columns, len(cells))
        if len(self.head) < _HEAD_ROWS:
            self.head.append((number, cells))

    def summary(self, merged: list[Span]) -> dict[str, Any]:
        """`{name, rows, columns, header_row, title, merged}` for the `sheets` metadata."""
        header_row, title = None, None
        last = self.head[-1][0] if self.head else 0
        heads = {  # (row, column) of each merged range wider than a cell, in the first rows
            (r, c0)
            for r0, c0, r1, c1 in merged
            if c1 > c0 and r0 < last
            for r in range(r0, min(r1, last) + 1)
        }
        for number, cells in self.head:
            filled = [(c, v) for c, v in enumerate(cells) if not _is_blank(v)]
            if _is_title(number - 1, filled, heads):
                title = title or " ".join(str(v).strip() for _, v in filled)
                continue
            if sum(isinstance(v, str) for _, v in filled) >= 3:
                header_row = number
                break
        return {
            "name": self.name,
            "rows": self.rows,
            "columns": self.columns,
            "header_row": header_row,
            "title": title if header_row is not None else None,
            "merged": [span_name(s) for s in merged[:_MAX_MERGED]],
            "merged_count": len(merged),
        }


def _is_title(row: int, filled: list[tuple[int, Cell]], heads: set[tuple[int, int]]) -> bool:
    """A single text cell, or a few cells each heading a merged range wider than one column."""
    if not filled or len(filled) > _TITLE_CELLS:
        return False
    if len(filled) == 1:
        return isinstance(filled[0][1], str)
    return all((row, col) in heads for col, _ in filled)


class RowSink:
    """Writes a file's rows as JSON Lines and keeps a bounded text rendering for search.

    The rows file may grow like an archive's expansion, so it is held to the archive ratio
    limit (`max_archive_ratio` past `ratio_floor_bytes`): a small file of sparse rows cannot
    fill the disk with nulls.
    """

    def __init__(self, item: Item, limits: Limits) -> None:
        item.scratch.mkdir(parents=True, exist_ok=True)
        self.path: Path = item.scratch / "rows.jsonl"
        self._out: TextIO = open(self.path, "w", encoding="utf-8")  # noqa: SIM115
        self._limits = limits
        self._size = max(item.size, 1)
        self.chars_written = 0  # characters: the bytes of Chinese text are up to 3 times more
        self.chars_left = limits.max_text_chars
        self.text_truncated = False
        self.sheets: list[dict[str, Any]] = []
        self.pages: list[Page] = []
        self._shape: SheetShape | None = None
        self._prefix = ""
        self._text: list[str] = []

    def start_sheet(self, name: str) -> None:
        if self._shape is not None:
            self.end_sheet()
        self._shape = SheetShape(name)
        self._prefix = '{"sheet": ' + json.dumps(name, ensure_ascii=False) + ', "row": '
        self._text = [name]
        self.chars_left -= len(name) + 2  # the sheet's name, and the blank line before it

    def row(self, number: int, cells: list[Cell]) -> None:
        """One row as Excel numbers it; empty rows are skipped, trailing empty cells dropped."""
        end = len(cells)
        while end and _is_blank(cells[end - 1]):
            end -= 1
        if not end:
            return
        if end < len(cells):
            cells = cells[:end]
        line = f'{self._prefix}{number}, "cells": {json.dumps(cells, ensure_ascii=False)}}}\n'
        self._out.write(line)
        self.chars_written += len(line)
        self._check_ratio()
        if self._shape is not None:
            self._shape.see(number, cells)
        if self.chars_left > 1:
            text = "\t".join("" if v is None else str(v) for v in cells)
            if len(text) >= self.chars_left:  # one character goes to the line break
                text, self.text_truncated = text[: self.chars_left - 1], True
            self._text.append(text)
            self.chars_left -= len(text) + 1
        else:
            self.text_truncated = True

    def _check_ratio(self) -> None:
        lim = self._limits
        if self.chars_written > lim.ratio_floor_bytes:
            ratio = self.chars_written / self._size
            if ratio > lim.max_archive_ratio:
                raise LimitExceeded("max_archive_ratio", round(ratio), lim.max_archive_ratio)

    def end_sheet(self, merged: list[Span] | None = None) -> None:
        if self._shape is None:
            return
        self.sheets.append(self._shape.summary(merged or []))
        self.pages.append(Page("sheet", len(self.sheets), "\n".join(self._text)))
        self._shape, self._text = None, []

    def close(self) -> Path | None:
        """Close the rows file (ending a sheet cut short); None when no row was written."""
        self.end_sheet()
        self._out.close()
        if self.chars_written:
            return self.path
        self.path.unlink(missing_ok=True)
        return None

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)


def read_rows(
    item: Item, limits: Limits, read: Callable[[RowSink], dict[str, Any]]
) -> tuple[RowSink, dict[str, Any], ExtractError | None]:
    """Run one reader into a new sink; a limit or damage half-way keeps the rows read so far
    and is returned with the reader's facts (none, then)."""
    sink = RowSink(item, limits)
    try:
        return sink, read(sink), None
    except (LimitExceeded, Malformed) as exc:
        return sink, {}, exc
    finally:
        sink.close()


def rows_extraction(
    sink: RowSink,
    metadata: dict[str, Any],
    raw: dict[str, Any],
    errors: list[ExtractError | None],
    children: tuple[Child, ...] = (),
) -> Extraction:
    """The `Extraction` of a closed sink: rows file, text, pages, `sheets`; the first error
    (if any) marks it partial."""
    error = next((e for e in errors if e is not None), None)
    metadata |= {
        "sheets": sink.sheets,
        "rows": sum(s["rows"] for s in sink.sheets),
        "text_truncated": sink.text_truncated,
    }
    text = sink.text
    return Extraction(
        text=text,
        language=detect_language(text),
        metadata=metadata,
        raw=raw,
        children=children,
        pages=tuple(sink.pages),
        rows_file=sink.path if sink.chars_written else None,
        error_kind=error.kind if error else None,
        error=str(error) if error else None,
    )
