"""Streaming reader of xlsx/xlsm workbooks: sheets, shared strings, date formats, merged cells.

python-calamine was measured first: its `iter_rows()` walks a sheet it has already loaded
whole (802 MB resident for 1,000,000 rows × 8 columns), and a 5 KB xlsx with one cell in A1
and one in XFD1048576 makes it allocate 549 GB and abort the process. So sheets are streamed
through expat here: memory stays at one chunk and one row whatever the sheet's size. On that
million-row sheet (bench/extract_sheets.py) the whole extraction took 20.6 s at 141 MB peak,
calamine 4.9 s at 802 MB, openpyxl's read-only mode 67.8 s at 136 MB.

Numbers under a date format (built-in ids, or a custom code with y/m/d/h/s outside quotes)
become ISO dates, in the workbook's 1900 or 1904 date system.
"""

from __future__ import annotations

import re
import zipfile
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

from veracity.errors import LimitExceeded, Malformed
from veracity.extract._cells import (
    MAX_COLUMNS,
    MAX_SPANS,
    Cell,
    Span,
    excel_date,
    excel_time,
    number,
    parse_span,
)
from veracity.extract._ooxml import MAX_PART_BYTES, main_part, relationships
from veracity.extract._xmlstream import attr, parse_part, stream_part

MAX_ROW = 1_048_576
#: Sheets read from one workbook: each costs a page and a metadata entry, and a hostile
#: workbook.xml can list a million sheets pointing at one tiny part.
MAX_SHEETS = 4_096
#: Built-in number formats that show dates (14-17, 22, 27-36 and 50-58 in CJK locales) or
#: times of day (18-21, 45-47).
_DATE_IDS = frozenset({14, 15, 16, 17, 22, *range(27, 37), *range(50, 59)})
_TIME_IDS = frozenset({18, 19, 20, 21, 45, 46, 47})
_QUOTED = re.compile(r'"[^"]*"|\\.|[_*].')
_BRACKETS = re.compile(r"\[[^\]]*\]")
_ELAPSED = re.compile(r"\[(?:h+|m+|s+)\]", re.IGNORECASE)
_DISPIMG = re.compile(r"DISPIMG\(\s*\"([^\"]+)\"")


def format_kind(code: str) -> str | None:
    """'date', 'time' (of day) or None for a number format code."""
    if _ELAPSED.search(code):
        return None  # [h]:mm is a duration: the number is the truth
    plain = _BRACKETS.sub("", _QUOTED.sub("", code)).split(";")[0].lower()
    if "general" in plain:
        return None
    if "y" in plain or "d" in plain:
        return "date"
    if "h" in plain or "s" in plain:
        return "time"
    return "date" if "m" in plain else None


@dataclass(frozen=True)
class SheetPart:
    name: str
    part: str | None  # None for a sheet whose part is missing
    kind: str  # worksheet, chartsheet, dialogsheet, xlMacrosheet
    state: str  # visible, hidden, veryHidden


@dataclass
class _WorkbookHandler:
    sheets: list[tuple[str, str, str]] = field(default_factory=list)  # name, r:id, state
    listed: int = 0
    date1904: bool = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "sheet":
            self.listed += 1
            if len(self.sheets) < MAX_SHEETS:
                rel = attr(attrs, "id") or ""
                self.sheets.append((attrs.get("name", ""), rel, attrs.get("state", "visible")))
        elif name == "workbookPr":
            self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")

    def end(self, name: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


@dataclass
class _StylesHandler:
    formats: dict[int, str] = field(default_factory=dict)
    xf_formats: list[int] = field(default_factory=list)
    _in_xfs: bool = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "numFmt" and attrs.get("numFmtId", "").isdigit():
            self.formats[int(attrs["numFmtId"])] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            self._in_xfs = True
        elif name == "xf" and self._in_xfs:
            fmt = attrs.get("numFmtId", "0")
            self.xf_formats.append(int(fmt) if fmt.isdigit() else 0)

    def end(self, name: str) -> None:
        if name == "cellXfs":
            self._in_xfs = False

    def text(self, data: str) -> None:
        pass

    def kinds(self) -> dict[str, str]:
        """Style index (as written in `s="…"`) → 'date' or 'time'."""
        out = {}
        for index, fmt in enumerate(self.xf_formats):
            if fmt in self.formats:
                kind = format_kind(self.formats[fmt])
            else:
                kind = "date" if fmt in _DATE_IDS else "time" if fmt in _TIME_IDS else None
            if kind:
                out[str(index)] = kind
        return out


class Strings:
    """The shared strings, packed as UTF-8 in one buffer: a million names cost their bytes."""

    def __init__(self) -> None:
        self._data = bytearray()
        self._ends = array("I")

    def add(self, text: str) -> None:
        self._data += text.encode("utf-8", "surrogatepass")
        if len(self._data) > MAX_PART_BYTES:
            raise LimitExceeded("ooxml_part_bytes", len(self._data), MAX_PART_BYTES)
        self._ends.append(len(self._data))

    def get(self, index: int) -> str | None:
        if not 0 <= index < len(self._ends):
            return None
        start = self._ends[index - 1] if index else 0
        return self._data[start : self._ends[index]].decode("utf-8", "replace")

    def __len__(self) -> int:
        return len(self._ends)


class _StringsHandler:
    def __init__(self, strings: Strings) -> None:
        self.strings = strings
        self._parts: list[str] = []
        self._capture = False
        self._phonetic = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "si":
            self._parts = []
        elif name == "t":
            self._capture = not self._phonetic
        elif name == "rPh":  # phonetic guide (furigana): not part of the cell's text
            self._phonetic += 1

    def end(self, name: str) -> None:
        if name == "si":
            self.strings.add("".join(self._parts))
        elif name == "t":
            self._capture = False
        elif name == "rPh":
            self._phonetic -= 1

    def text(self, data: str) -> None:
        if self._capture:
            self._parts.append(data)


_COLUMNS: dict[str, int] = {}


def _column(letters: str) -> int:
    col = _COLUMNS.get(letters)
    if col is None:
        col = 0
        for ch in letters.upper():
            col = col * 26 + ord(ch) - 64
        col -= 1
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = col
    return col


class SheetHandler:
    """Turns `<row>`/`<c>` events into finished rows in `ready`; collects merged ranges and
    WPS in-cell pictures (`=DISPIMG("ID_…",1)`) on the way.

    This is the hot path (one call per element of a million-row sheet): the cell's text is
    kept as one string, not a list, and the common cases are tested first.
    """

    def __init__(self, strings: Strings, kinds: dict[str, str], date1904: bool) -> None:
        self.ready: list[tuple[int, list[Cell]]] = []
        self.merged: list[Span] = []
        self.pictures: list[tuple[int, int, str]] = []  # (row, column) 0-based, picture id
        self._strings, self._kinds, self._date1904 = strings, kinds, date1904
        self._dates: dict[float, Cell] = {}
        self._row = 0
        self._cells: list[Cell] = []
        self._col = -1
        self._attrs: dict[str, str] = {}
        self._text: str | None = None
        self._capture = False
        self._inline = False
        self._phonetic = 0
        self._formula: str | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "c":
            ref = attrs.get("r")
            self._col = _column(ref.rstrip("0123456789")) if ref else self._col + 1
            self._attrs = attrs
            self._text = None
        elif name == "v":
            self._capture = True
        elif name == "t":
            self._capture = self._inline and not self._phonetic
        elif name == "is":
            self._inline = True
        elif name == "row":
            r = attrs.get("r")
            self._row = int(r) if r and r.isdigit() else self._row + 1
            if self._row > MAX_ROW:
                raise Malformed(f"row {self._row} beyond Excel's last row ({MAX_ROW})")
            self._cells = []
            self._col = -1
        elif name == "rPh":
            self._phonetic += 1
        elif name == "f":
            self._formula = ""
        elif name == "mergeCell":
            span = parse_span(attrs.get("ref", ""))
            if span is not None and len(self.merged) < MAX_SPANS:
                self.merged.append(span)

    def end(self, name: str) -> None:
        if name == "c":
            col = self._col
            if self._text is None or not 0 <= col < MAX_COLUMNS:
                return
            value = self._value(self._text)
            cells = self._cells
            if col > len(cells):
                cells.extend([None] * (col - len(cells)))
            if col == len(cells):
                cells.append(value)
            else:
                cells[col] = value
        elif name == "v" or name == "t":
            self._capture = False
        elif name == "is":
            self._inline = False
        elif name == "row":
            if self._cells:
                self.ready.append((self._row, self._cells))
        elif name == "rPh":
            self._phonetic -= 1
        elif name == "f" and self._formula is not None:
            found = _DISPIMG.search(self._formula)
            if found:
                self.pictures.append((self._row - 1, self._col, found.group(1)))
            self._formula = None

    def text(self, data: str) -> None:
        if self._capture:
            self._text = data if self._text is None else self._text + data
        elif self._formula is not None and len(self._formula) < 4096:
            self._formula += data

    def _value(self, raw: str) -> Cell:
        kind = self._attrs.get("t", "n")
        if kind == "s":
            return self._strings.get(int(raw)) if raw.strip().isdigit() else None
        if kind == "inlineStr" or kind == "str" or kind == "e":
            return raw or None
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            return raw.strip().rstrip("Z").split(".")[0].replace("T00:00:00", "") or None
        try:
            value = float(raw)
        except ValueError:
            return raw or None
        style = self._kinds.get(self._attrs.get("s", "0"))
        if style is None:
            return number(value)
        if style == "time" and value < 1:
            return excel_time(value) or number(value)
        found = self._dates.get(value)
        if found is None:
            found = excel_date(value, self._date1904) or number(value)
            if len(self._dates) < 100_000:
                self._dates[value] = found
        return found


class Workbook:
    """The parts of one xlsx that rows need: sheet list, date system, styles, shared strings."""

    def __init__(self, package: zipfile.ZipFile) -> None:
        self.package = package
        self.part = main_part(package, "xl/workbook.xml")
        book = _WorkbookHandler()
        if not parse_part(package, self.part, book):
            raise Malformed(f"an Office package without a workbook ({self.part})")
        self.date1904 = book.date1904
        self.sheets_listed = book.listed
        rels = {r.rel_id: r for r in relationships(package, self.part)}
        # part names are case-insensitive in a package; some writers do not agree with
        # themselves on the case
        parts = {n.lower(): n for n in package.namelist()}
        self.sheets = []
        for name, rel_id, state in book.sheets:
            rel = rels.get(rel_id)
            part = parts.get(rel.target.lower()) if rel and not rel.is_external else None
            self.sheets.append(SheetPart(name, part, rel.type if rel else "worksheet", state))
        styles = _StylesHandler()
        strings = Strings()
        for rel in rels.values():
            if rel.type == "styles" and not rel.is_external:
                parse_part(package, rel.target, styles)
            elif rel.type == "sharedStrings" and not rel.is_external:
                parse_part(package, rel.target, _StringsHandler(strings))
        self.kinds = styles.kinds()
        self.strings = strings

    def rows(self, sheet: SheetPart, handler: SheetHandler) -> Iterator[tuple[int, list[Cell]]]:
        """The sheet's rows, streamed; `handler.merged`/`.pictures` are complete at the end."""
        if sheet.part is None or sheet.kind not in ("worksheet", "xlMacrosheet", "dialogsheet"):
            return
        for _ in stream_part(self.package, sheet.part, handler):
            yield from handler.ready
            handler.ready.clear()

    def sheet_handler(self) -> SheetHandler:
        return SheetHandler(self.strings, self.kinds, self.date1904)
