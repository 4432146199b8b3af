"""CSV and TSV exports: every record as a spreadsheet row, in whatever encoding the office used.

Government systems in China export registers as GB18030/GBK (or UTF-16 from Excel's "Unicode
text", or Big5 in Taiwan and Hong Kong), and some of their ".xls" exports are really tab- or
comma-separated text. The encoding is detected like plain text (`text.detect_encoding`), the
delimiter sniffed from the first lines, and records streamed one at a time. A row's number is
its record's number (1-based, the header is row 1), which is what a spreadsheet program shows
when it opens the file. A line is cut at `MAX_LINE_CHARS` (the rest skipped and counted), so a
100 MB line costs a megabyte, and NUL bytes are dropped rather than stopping the reader.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from veracity.case import Limits
from veracity.extract._cells import MAX_COLUMNS, Cell, RowSink, read_rows, rows_extraction
from veracity.extract.base import Extraction, Extractor, Item
from veracity.extract.text import detect_encoding

MAX_LINE_CHARS = 1 << 20
_SAMPLE_LINES = 50
_DELIMITERS = ",\t;|"


@dataclass
class _Stats:
    long_lines: int = 0
    nul_bytes: bool = False
    bad_records: int = 0


def file_encoding(head: bytes) -> str:
    """`detect_encoding`, plus UTF-16 without a byte-order mark (NULs in every other byte)."""
    sample = head[:4096]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        # Chinese characters have no zero byte: the delimiters, digits and line breaks do
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > len(sample) // 16 and even <= odd // 4:
            return "utf-16-le"
        if even > len(sample) // 16 and odd <= even // 4:
            return "utf-16-be"
    return detect_encoding(head)


def _lines(fh: TextIO, stats: _Stats) -> Iterator[str]:
    """Physical lines, each at most `MAX_LINE_CHARS`, without NUL characters."""
    while line := fh.readline(MAX_LINE_CHARS):
        if len(line) >= MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
            stats.long_lines += 1
            while (rest := fh.readline(MAX_LINE_CHARS)) and not rest.endswith(("\n", "\r")):
                pass
            line += "\n"
        if "\x00" in line:
            stats.nul_bytes = True
            line = line.replace("\x00", "")
        yield line


def sniff_delimiter(sample: str, default: str = ",") -> str:
    """The delimiter of a few lines: csv.Sniffer among `,` tab `;` `|`, else the one found
    the same number of times (at least once) on most lines, else `default`."""
    try:
        found = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
        if found in _DELIMITERS:
            return found
    except csv.Error:
        pass
    lines = [line for line in sample.splitlines() if line.strip()][:_SAMPLE_LINES]
    best, best_score = default, 0
    for delimiter in _DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        if not counts or not max(counts):
            continue
        mode = max(set(counts), key=counts.count)
        score = counts.count(mode) * (mode > 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sample(fh: TextIO, max_chars: int = 1 << 16) -> str:
    """The first lines (at most `_SAMPLE_LINES`, about `max_chars`) for sniffing."""
    lines: list[str] = []
    size = 0
    for line in _lines(fh, _Stats()):
        lines.append(line[:max_chars])
        size += len(lines[-1])
        if size >= max_chars or len(lines) >= _SAMPLE_LINES:
            break
    return "".join(lines)


def _records(reader: Iterator[list[str]], stats: _Stats) -> Iterator[list[str]]:
    """Records, skipping (and counting) one the csv module cannot parse."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error:
            stats.bad_records += 1


def read_delimited(item: Item, sink: RowSink) -> dict[str, Any]:
    """Stream the records of a delimited text file into `sink` as one sheet."""
    with open(item.disk_path, "rb") as raw:
        head = raw.read(1 << 16)
    encoding = file_encoding(head)
    stats = _Stats()
    csv.field_size_limit(MAX_LINE_CHARS * 4)  # a quoted field may span several lines
    with open(item.disk_path, encoding=encoding, errors="replace", newline="") as fh:
        sample = _sample(fh)
        fh.seek(0)
        default = "\t" if item.extension in ("tsv", "tab") else ","
        delimiter = sniff_delimiter(sample, default)
        reader = csv.reader(_lines(fh, stats), delimiter=delimiter, strict=False)
        sink.start_sheet(item.path.rsplit("/", 1)[-1])
        records = 0
        for records, record in enumerate(_records(reader, stats), start=1):
            cells: list[Cell] = [v if v else None for v in record[:MAX_COLUMNS]]
            sink.row(records, cells)
        sink.end_sheet()
    return {
        "encoding": encoding,
        "delimiter": delimiter,
        "records": records,
        "long_lines": stats.long_lines,
        "nul_bytes": stats.nul_bytes,
        "bad_records": stats.bad_records,
    }


def delimited_extraction(item: Item, limits: Limits, metadata: dict[str, Any]) -> Extraction:
    """Read a delimited text file into an `Extraction`; a limit hit keeps the rows so far."""
    sink, facts, error = read_rows(item, limits, lambda sink: read_delimited(item, sink))
    return rows_extraction(sink, metadata | facts, {}, [error])


class CsvExtractor(Extractor):
    NAME = "csv"
    MIME_TYPES = frozenset(
        {"text/csv", "text/tab-separated-values", "application/csv", "text/x-csv"}
    )
    EXTENSIONS = frozenset({"csv", "tsv", "tab"})
    SCORE = 5

    @classmethod
    def match(cls, item: Item) -> int:
        # libmagic calls most CSV files text/plain (or octet-stream when GB18030): by their
        # name they are still tables, and this must outbid the plain-text extractor
        if item.mime.lower() in cls.MIME_TYPES:
            return cls.SCORE
        if item.extension in cls.EXTENSIONS and (
            item.mime.startswith("text/") or item.mime == "application/octet-stream"
        ):
            return cls.SCORE - 1
        return -1

    def extract(self, item: Item, limits: Limits) -> Extraction:
        return delimited_extraction(item, limits, {"format": "delimited text"})
