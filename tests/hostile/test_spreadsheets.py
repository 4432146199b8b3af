"""Malicious and broken spreadsheets: truncation, entity tricks, encryption, fake workbooks,
sparse-cell and repeat bombs, a 100 MB CSV line. Each gets a recorded error or a partial result,
never `internal`, a hang or a memory blow-up."""

from __future__ import annotations

import io
import json
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import xlsxwriter
import xlwt
from xlwt.CompoundDoc import XlsDoc

from tests.conftest import paths_of, run_ingest
from tests.extract.test_spreadsheet import MAIN_NS, minimal_xlsx, ods, sheet
from veracity.case import Case, Limits
from veracity.extract.base import Item
from veracity.extract.csv import MAX_LINE_CHARS, CsvExtractor

LOL = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _good_xlsx(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet()
    for r in range(200):
        ws.write_row(r, 0, [f"姓名{r}", f"65310119850101{r:04d}", "男"])
    book.close()
    return path


def _encrypted_xlsx(path: Path) -> Path:
    """An OLE file holding an `EncryptedPackage` stream, as Office writes a protected xlsx."""
    buf = io.BytesIO()
    XlsDoc().save(buf, b"\x00" * 4096)
    data = bytearray(buf.getvalue())
    at = data.find("Workbook".encode("utf-16-le"))
    name = "EncryptedPackage".encode("utf-16-le") + b"\x00\x00"
    data[at : at + 64] = name.ljust(64, b"\x00")
    data[at + 64 : at + 66] = len(name).to_bytes(2, "little")
    path.write_bytes(bytes(data))
    return path


def _sparse_rows_xlsx(path: Path, rows: int) -> Path:
    body = "".join(
        f'<row r="{r}"><c r="A{r}" t="b"><v>1</v></c><c r="XFD{r}" t="b"><v>1</v></c></row>'
        for r in range(1, rows + 1)
    )
    return minimal_xlsx(path, sheet(body))


def _hostile_folder(src: Path) -> dict[str, set[str]]:
    """Write every hostile workbook; returns the error kinds each may be recorded with."""
    src.mkdir()
    good = _good_xlsx(src / "good.xlsx").read_bytes()
    (src / "truncated.xlsx").write_bytes(good[: len(good) // 2])
    at = good.find(b"xl/worksheets/sheet1.xml") + 200  # inside the sheet's compressed bytes
    (src / "corrupt-sheet.xlsx").write_bytes(good[:at] + b"\xff" * 64 + good[at + 64 :])
    cell = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    minimal_xlsx(src / "xxe-sheet.xlsx", XXE + sheet('<row r="1"><c r="A1" t="inlineStr">'
                 "<is><t>&xxe;</t></is></c></row>"))  # fmt: skip
    minimal_xlsx(src / "lol-shared.xlsx", sheet(cell),
                 shared=f'{LOL}<sst xmlns="{MAIN_NS}"><si><t>&lol3;</t></si></sst>')  # fmt: skip
    with zipfile.ZipFile(src / "no-workbook.xlsx", "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    with zipfile.ZipFile(src / "types-no-workbook.xlsx", "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", sheet(cell))
    _encrypted_xlsx(src / "encrypted.xlsx")
    minimal_xlsx(src / "sparse.xlsx", sheet('<row r="1"><c r="A1"><v>1</v></c></row><row '
                 'r="1048576"><c r="XFD1048576"><v>2</v></c></row>'))  # fmt: skip
    minimal_xlsx(src / "row-beyond-excel.xlsx", sheet('<row r="99999999999"><c><v>1</v></c></row>'))
    _sparse_rows_xlsx(src / "sparse-rows.xlsx", 2000)
    repeat = '<table:table-cell table:number-columns-repeated="16384" office:value-type="string">'
    ods(src / "repeat-bomb.ods", '<table:table table:name="s"><table:table-row table:number-rows'
        f'-repeated="1000000">{repeat}<text:p>x</text:p></table:table-cell></table:table-row>'
        "</table:table>")  # fmt: skip
    book = xlwt.Workbook()
    ws = book.add_sheet("s")
    ws.write(0, 0, "a")
    ws.write(65535, 255, "b")
    book.save(str(src / "sparse.xls"))
    (src / "garbage.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 600)
    return {
        "truncated.xlsx": {"malformed"},
        "corrupt-sheet.xlsx": {"malformed"},
        "xxe-sheet.xlsx": {"malformed"},
        "lol-shared.xlsx": {"malformed"},
        "no-workbook.xlsx": {"malformed"},
        "types-no-workbook.xlsx": {"malformed"},
        "encrypted.xlsx": {"encrypted"},
        "sparse.xlsx": {""},
        "row-beyond-excel.xlsx": {"malformed"},
        "sparse-rows.xlsx": {"limit"},
        "repeat-bomb.ods": {"limit"},
        "sparse.xls": {""},
        "garbage.xls": {"malformed"},
    }


def test_hostile_workbooks_are_recorded_not_crashed(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    expected = _hostile_folder(tmp_path / "src")
    case = make_case(ratio_floor_bytes=4_000_000, file_timeout_s=60)
    started = time.monotonic()
    run_ingest(case, tmp_path / "src")
    assert time.monotonic() - started < 60
    rows = paths_of(case)
    for name, kinds in expected.items():
        row = rows[name]
        kind = row["x_error_kind"] or ""
        assert kind in kinds, (name, kind, row["x_error"])
        assert kind != "internal"
    sparse = json.loads(rows["sparse.xlsx"]["metadata"])["sheets"][0]
    assert (sparse["rows"], sparse["columns"]) == (2, 16384)


def test_a_100_mb_csv_line_costs_a_bounded_amount_of_memory(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    with open(path, "wb") as fh:
        fh.write(b"name,id\n")
        chunk = b"x" * (1 << 20)
        for _ in range(100):
            fh.write(chunk)
        fh.write(b",1\nzhang,2\n")
    item = Item(path, path.name, "0" * 64, path.stat().st_size, "text/csv", "csv", 0,
                tmp_path / "scratch")  # fmt: skip
    tracemalloc.start()
    try:
        result = CsvExtractor().extract(item, Limits.from_settings())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * MAX_LINE_CHARS, peak  # a few copies of one capped line, not 100 MB
    assert result.metadata["long_lines"] == 1
    assert result.rows_file is not None
    with open(result.rows_file, encoding="utf-8") as fh:
        rows: list[dict[str, Any]] = [json.loads(line) for line in fh]
    assert [r["row"] for r in rows] == [1, 2, 3]
    assert rows[2]["cells"] == ["zhang", "2"]
    assert len(rows[1]["cells"][0]) <= MAX_LINE_CHARS
