"""Rows of OpenDocument spreadsheets (.ods), streamed from `content.xml`.

ODF compresses runs of identical rows and cells into one element with a repeat count
(`table:number-rows-repeated="1048553"` for the empty rows LibreOffice writes to the end of the
sheet). python-calamine expands them into a dense grid before giving anything back: a 1 KB file
repeating one cell 16384 × 1,000,000 times is refused only at its 100-million-cell limit, and
just below that it holds gigabytes. Here empty runs only advance the row and column counters;
repeated content is written out row by row, under the rows file's ratio limit.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from veracity.extract._cells import MAX_COLUMNS, MAX_SPANS, Cell, Span, number
from veracity.extract._xlsx import MAX_ROW
from veracity.extract._xmlstream import attr, stream_part

_DURATION = re.compile(r"^-?P(?:\d+D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$")


@dataclass(frozen=True)
class SheetStart:
    name: str


@dataclass(frozen=True)
class SheetEnd:
    merged: list[Span]


@dataclass(frozen=True)
class _Run:
    """Rows `first`..`last` (Excel numbers) all holding `cells`: a repeated row."""

    first: int
    last: int
    cells: list[Cell]


Event = SheetStart | SheetEnd | tuple[int, list[Cell]]


def _repeat(attrs: dict[str, str], key: str) -> int:
    value = attr(attrs, key) or "1"
    return max(int(value), 1) if value.isdigit() else 1


def _time(value: str) -> str | None:
    found = _DURATION.match(value.strip())
    if not found:
        return None
    h, m, s = (float(g) if g else 0.0 for g in found.groups())
    return f"{int(h):02d}:{int(m):02d}:{int(s):02d}"


class _ContentHandler:
    def __init__(self) -> None:
        self.ready: list[SheetStart | SheetEnd | _Run] = []
        self._merged: list[Span] = []
        self._row = 0  # rows seen so far in the sheet (the next row is _row + 1)
        self._row_repeat = 1
        self._cells: list[Cell] = []
        self._pending = 0  # empty cells not yet written: only a later value needs them
        self._cell: dict[str, str] | None = None
        self._paragraphs: list[str] = []
        self._depth = 0  # inside a text:p (nested spans, links)
        self._notes = 0  # inside an office:annotation (a comment, not the cell's value)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name in ("table-cell", "covered-table-cell"):
            self._cell = attrs
            self._paragraphs = []
        elif name == "annotation":
            self._notes += 1
        elif name == "p" and self._cell is not None and not self._notes:
            self._paragraphs.append("")
            self._depth += 1
        elif self._depth and name in ("s", "tab", "line-break"):
            extra = " " * _repeat(attrs, "c") if name == "s" else "\t\n"[name == "line-break"]
            self._paragraphs[-1] += extra
        elif name == "table-row":
            self._row_repeat = _repeat(attrs, "number-rows-repeated")
            self._cells, self._pending = [], 0
        elif name == "table":
            self.ready.append(SheetStart(attr(attrs, "name") or ""))
            self._row, self._merged = 0, []

    def end(self, name: str) -> None:
        if name in ("table-cell", "covered-table-cell") and self._cell is not None:
            self._end_cell(self._cell)
            self._cell = None
        elif name == "p" and self._depth:
            self._depth -= 1
        elif name == "annotation":
            self._notes -= 1
        elif name == "table-row":
            self._end_row()
        elif name == "table":
            self.ready.append(SheetEnd(self._merged))

    def text(self, data: str) -> None:
        if self._depth and len(self._paragraphs[-1]) < 1_000_000:
            self._paragraphs[-1] += data

    def _value(self, attrs: dict[str, str]) -> Cell:
        kind = attr(attrs, "value-type")
        if kind in ("float", "percentage", "currency"):
            try:
                return number(float(attr(attrs, "value") or ""))
            except ValueError:
                pass
        elif kind == "date":
            value = (attr(attrs, "date-value") or "").split(".")[0]
            return value.replace("T00:00:00", "") or None
        elif kind == "time":
            return _time(attr(attrs, "time-value") or "")
        elif kind == "boolean":
            return (attr(attrs, "boolean-value") or "").lower() == "true"
        return "\n".join(self._paragraphs) or None

    def _end_cell(self, attrs: dict[str, str]) -> None:
        repeat = _repeat(attrs, "number-columns-repeated")
        value = self._value(attrs)
        col = len(self._cells) + self._pending
        wide = _repeat(attrs, "number-columns-spanned")
        high = _repeat(attrs, "number-rows-spanned")
        if (wide, high) != (1, 1) and col < MAX_COLUMNS and len(self._merged) < MAX_SPANS:
            self._merged.append((self._row, col, self._row + high - 1, col + wide - 1))
        if value is None:
            self._pending += repeat
            return
        room = MAX_COLUMNS - col
        if room <= 0:
            return
        self._cells.extend([None] * self._pending)
        self._cells.extend([value] * min(repeat, room))
        self._pending = 0

    def _end_row(self) -> None:
        first = self._row + 1
        self._row += self._row_repeat
        if self._cells and first <= MAX_ROW:
            self.ready.append(_Run(first, min(self._row, MAX_ROW), self._cells))


def ods_events(package: zipfile.ZipFile) -> Iterator[Event]:
    """Sheet starts, rows (Excel-style number, cells) and sheet ends, in document order."""
    handler = _ContentHandler()
    for _ in stream_part(package, "content.xml", handler):
        for event in handler.ready:
            if isinstance(event, _Run):
                for number_ in range(event.first, event.last + 1):
                    yield number_, event.cells
            else:
                yield event
        handler.ready.clear()
