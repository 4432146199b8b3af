"""Spreadsheets: the synthetic leak's registers against their truth (every person row at its
sheet and Excel row, title rows, photos at their rows), and workbooks built here for what the
leak does not exercise (empty first rows, date systems and formats, WPS in-cell pictures, ods)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
import xlwt
from PIL import Image

from tests.conftest import CORPORA, paths_of, run_ingest
from veracity.case import Limits, open_case
from veracity.errors import ExtractError
from veracity.extract._cells import SheetShape, excel_date, excel_time, parse_span
from veracity.extract._xlsx import format_kind
from veracity.extract.base import Extraction, Item
from veracity.extract.registry import choose
from veracity.extract.spreadsheet import SpreadsheetExtractor
from veracity.store import open_store
from veracity.synth import SynthConfig, generate

LIMITS = Limits.from_settings()
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def item_for(path: Path, scratch: Path, mime: str = XLSX_MIME, name: str | None = None) -> Item:
    name = name or path.name
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return Item(path, name, "0" * 64, path.stat().st_size, mime, ext, 0, scratch)


def extract(path: Path, tmp_path: Path, mime: str = XLSX_MIME) -> Extraction:
    return SpreadsheetExtractor().extract(item_for(path, tmp_path / "scratch", mime), LIMITS)


def rows_of(result: Extraction) -> list[dict[str, Any]]:
    if result.rows_file is None:
        return []
    with open(result.rows_file, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def minimal_xlsx(
    path: Path,
    sheet_xml: str,
    *,
    shared: str | None = None,
    workbook_pr: str = "",
    extra: dict[str, str | bytes] | None = None,
    sheet_rels: str | None = None,
) -> Path:
    """An xlsx written part by part, for what no writer library produces on purpose."""
    rels = f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared is not None:
        rels += (
            f'<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
        )
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
        '.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"'
        "/></Types>",
        "_rels/.rels": f'<Relationships xmlns="{PKG_NS}"><Relationship Id="rId1" Type="{REL_NS}'
        '/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{workbook_pr}<sheets>'
        '<sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG_NS}">{rels}</Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml,
        **({"xl/sharedStrings.xml": shared} if shared is not None else {}),
        **({"xl/worksheets/_rels/sheet1.xml.rels": sheet_rels} if sheet_rels else {}),
        **(extra or {}),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def sheet(rows: str, tail: str = "") -> str:
    head = f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
    return f"{head}<sheetData>{rows}</sheetData>{tail}</worksheet>"


# --- the synthetic leak ------------------------------------------------------------------


@pytest.fixture(scope="module")
def leak_case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("sheets")
    result = generate(root / "leak", SynthConfig(seed=7, people=300, photos=0, documents=0))
    case = open_case(root / "case", create=True)
    run_ingest(case, result.out)
    truth = json.loads(result.truth_path.read_text(encoding="utf-8"))
    paths = paths_of(case)
    store = open_store(case, migrate=False)
    rows: dict[str, dict[tuple[str, int], list[Any]]] = {}
    for path, row in paths.items():
        if path.startswith("registers/") and "!/" not in path:
            rows[path] = {(s, n): cells for s, n, cells in store.iter_rows(row["sha256"])}
    store.close()
    yield {"truth": truth, "paths": paths, "rows": rows}


def test_every_person_row_is_at_its_sheet_and_excel_row(leak_case: dict[str, Any]) -> None:
    records = leak_case["truth"]["records"]
    formats = {r["path"].rsplit(".", 1)[-1] for r in records}
    assert formats == {"xlsx", "xls", "csv"}
    for record in records:
        loc = record["locator"]
        cells = leak_case["rows"][record["path"]].get((loc["sheet"], loc["row"]))
        assert cells is not None, record
        assert record["id_as_written"] in cells, (record, cells)
        assert record["name_as_written"] in cells, (record, cells)


def test_registers_read_without_errors(leak_case: dict[str, Any]) -> None:
    registers = {p: r for p, r in leak_case["paths"].items() if p.startswith("registers/")}
    assert registers
    for path, row in registers.items():
        assert row["status"] == "done", (path, row["x_error_kind"], row["x_error"])
        if "!/" not in path:
            assert row["extractor"] == ("csv" if path.endswith(".csv") else "spreadsheet")
            assert row["language"] == "zh"


def test_title_rows_and_header_rows_are_recorded(leak_case: dict[str, Any]) -> None:
    first: dict[tuple[str, str], int] = {}
    for record in leak_case["truth"]["records"]:
        key = (record["path"], record["locator"]["sheet"])
        first[key] = min(first.get(key, 1 << 30), record["locator"]["row"])
    titled = 0
    for (path, sheet_name), row in first.items():
        meta = json.loads(leak_case["paths"][path]["metadata"])
        info = next(s for s in meta["sheets"] if s["name"] == sheet_name)
        assert info["header_row"] == row - 1, (path, info)
        if row == 3:  # a title row above the header
            titled += 1
            assert info["title"] and info["title"].endswith(("人员信息表", "在押人员名单"))
            if not path.endswith(".csv"):
                assert info["merged"][0].startswith("A1:"), info
        else:
            assert info["title"] is None, info
    assert titled


def test_embedded_photos_are_children_at_their_row(leak_case: dict[str, Any]) -> None:
    photos = leak_case["truth"]["embedded_photos"]
    assert photos
    children: dict[str, set[tuple[str, int]]] = {}
    for path, row in leak_case["paths"].items():
        if row["parent"] and row["locator"] and "/xl/media/" in path:
            loc = json.loads(row["locator"])
            children.setdefault(row["parent"], set()).add((loc["sheet"], loc["row"]))
            assert row["mime"] == "image/jpeg"
    for photo in photos:
        loc = photo["locator"]
        assert (loc["sheet"], loc["row"]) in children.get(photo["path"], set()), photo
        cells = leak_case["rows"][photo["path"]][(loc["sheet"], loc["row"])]
        assert any(photo["id_number"][:17] in str(c) for c in cells)
    assert sum(len(v) for v in children.values()) == len(photos)


def test_excel_dates_become_iso_strings(leak_case: dict[str, Any]) -> None:
    converted = {"xlsx": 0, "xls": 0}
    for path, rows in leak_case["rows"].items():
        fmt = path.rsplit(".", 1)[-1]
        meta = json.loads(leak_case["paths"][path]["metadata"])
        for info in meta["sheets"]:
            header = rows[(info["name"], info["header_row"])]
            col = header.index("出生日期")
            for (sheet_name, number), cells in rows.items():
                if sheet_name != info["name"] or number <= info["header_row"]:
                    continue
                value = cells[col]
                assert isinstance(value, str), (path, number, value)  # never a serial number
                if fmt in converted and len(value) == 10 and value[4] == value[7] == "-":
                    date.fromisoformat(value)
                    converted[fmt] += 1
    assert all(converted.values()), converted


# --- workbooks built here ----------------------------------------------------------------


def test_rows_keep_excel_numbers_when_the_used_range_starts_low(tmp_path: Path) -> None:
    path = tmp_path / "low.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("表")
    ws.write_row(4, 2, ["姓名", "身份证号", "性别"])
    ws.write_row(5, 2, ["张三", "653101198501011234", "男"])
    ws.write_row(9, 3, ["only D10"])
    book.close()
    rows = rows_of(extract(path, tmp_path))
    assert [(r["row"], r["cells"]) for r in rows] == [
        (5, [None, None, "姓名", "身份证号", "性别"]),
        (6, [None, None, "张三", "653101198501011234", "男"]),
        (10, [None, None, None, "only D10"]),
    ]


def test_values_dates_and_shared_strings_through_openpyxl(tmp_path: Path) -> None:
    path = tmp_path / "values.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "值"
    ws.append(["文本", "整数", "小数", "真", "日期", "日期时间", "时间", "中文日期", "公式"])
    ws.append(["abc", 12, 1.5, True, date(1985, 3, 12), datetime(2018, 1, 2, 3, 4, 5),
               time(12, 30), date(2017, 4, 1), "=1+1"])  # fmt: skip
    ws["H2"].number_format = 'yyyy"年"m"月"d"日"'
    ws["C3"] = 123456789012345678  # an ID typed as a number: beyond 2**53, stays inexact
    book.save(path)
    rows = rows_of(extract(path, tmp_path))
    assert rows[1]["cells"][:8] == [
        "abc", 12, 1.5, True, "1985-03-12", "2018-01-02T03:04:05", "12:30:00", "2017-04-01",
    ]  # fmt: skip
    assert rows[2]["cells"][2] == pytest.approx(1.2345678901234568e17)


def test_1904_date_system_and_phonetic_text(tmp_path: Path) -> None:
    shared = (
        f'<sst xmlns="{MAIN_NS}"><si><t>阿不都</t></si><si><r><t>漢</t></r><r><t>字</t></r>'
        "<rPh><t>かんじ</t></rPh></si></sst>"
    )
    rows_xml = (
        '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c>'
        '<c r="C2" s="1"><v>0</v></c><c r="D2" t="inlineStr"><is><t>内联</t></is></c>'
        '<c r="E2" t="e"><v>#N/A</v></c><c r="F2" t="d"><v>2018-05-06T00:00:00Z</v></c></row>'
    )
    styles = (
        f'<styleSheet xmlns="{MAIN_NS}"><cellXfs count="2"><xf numFmtId="0"/>'
        '<xf numFmtId="14"/></cellXfs></styleSheet>'
    )
    path = minimal_xlsx(
        tmp_path / "1904.xlsx",
        sheet(rows_xml),
        shared=shared,
        workbook_pr='<workbookPr date1904="1"/>',
        extra={"xl/styles.xml": styles},
    )
    # the styles part is found through the workbook's relationships: add it there
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rId3" Type="{REL_NS}/styles" Target="styles.xml"/>'
        "</Relationships>".encode(),
    )
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    rows = rows_of(extract(path, tmp_path))
    assert rows == [
        {
            "sheet": "名单",
            "row": 2,
            "cells": ["阿不都", "漢字", "1904-01-01", "内联", "#N/A", "2018-05-06"],
        }
    ]


def test_wps_in_cell_pictures_are_children_at_their_row(tmp_path: Path) -> None:
    png = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 20, 30)).save(png, "PNG")
    rows_xml = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>'
        '<row r="7"><c r="A7" t="inlineStr"><is><t>张三</t></is></c><c r="B7" t="str">'
        '<f>_xlfn.DISPIMG("ID_4F2A",1)</f><v>=DISPIMG("ID_4F2A",1)</v></c></row>'
    )
    cell_images = (
        '<etc:cellImages xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/'
        'spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        f'xmlns:r="{REL_NS}" xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData">'
        '<etc:cellImage><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="ID_4F2A"/></xdr:nvPicPr>'
        '<xdr:blipFill><a:blip r:embed="rId1"/></xdr:blipFill></xdr:pic></etc:cellImage>'
        "</etc:cellImages>"
    )
    image_rels = (
        f'<Relationships xmlns="{PKG_NS}"><Relationship Id="rId1" Type="{REL_NS}/image" '
        'Target="media/image1.png"/></Relationships>'
    )
    path = minimal_xlsx(
        tmp_path / "wps.xlsx",
        sheet(rows_xml),
        extra={
            "xl/cellimages.xml": cell_images,
            "xl/_rels/cellimages.xml.rels": image_rels,
            "xl/media/image1.png": png.getvalue(),
        },
    )
    result = extract(path, tmp_path)
    assert [(c.name, c.locator) for c in result.children] == [
        ("xl/media/image1.png", {"sheet": "名单", "row": 7})
    ]
    child = result.children[0]
    assert child.disk_path is not None and child.disk_path.read_bytes() == png.getvalue()


def _anchor(kind: str, row: int | None, rel: str) -> str:
    where = (
        "" if row is None else f"<xdr:from><xdr:col>5</xdr:col><xdr:row>{row}</xdr:row></xdr:from>"
    )
    pic = f'<xdr:pic><xdr:blipFill><a:blip r:embed="{rel}"/></xdr:blipFill></xdr:pic>'
    return f"<xdr:{kind}>{where}{pic}<xdr:clientData/></xdr:{kind}>"


def test_one_picture_in_two_rows_and_unanchored_parts(tmp_path: Path) -> None:
    png = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 20, 30)).save(png, "PNG")
    drawing = (
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
        f' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="{REL_NS}">'
        + _anchor("twoCellAnchor", 2, "rId1")
        + _anchor("oneCellAnchor", 4, "rId1")
        + _anchor("absoluteAnchor", None, "rId1")
        + "</xdr:wsDr>"
    )
    rel = (
        f'<Relationships xmlns="{PKG_NS}"><Relationship Id="rId1" Type="{REL_NS}/{{}}" '
        'Target="{}"/></Relationships>'
    )
    path = minimal_xlsx(
        tmp_path / "pics.xlsx",
        sheet('<row r="3"><c r="A3" t="inlineStr"><is><t>张三</t></is></c></row>'),
        sheet_rels=rel.format("drawing", "../drawings/drawing1.xml"),
        extra={
            "xl/drawings/drawing1.xml": drawing,
            "xl/drawings/_rels/drawing1.xml.rels": rel.format("image", "../media/image1.png"),
            "xl/media/image1.png": png.getvalue(),
            "xl/embeddings/oleObject1.bin": b"an embedded document",
        },
    )
    result = extract(path, tmp_path)
    assert [(c.name, c.locator) for c in result.children] == [
        ("xl/media/image1.png", {"sheet": "名单", "row": 3}),
        ("xl/media/image1.png~2", {"sheet": "名单", "row": 5}),
        ("xl/media/image1.png~3", None),
        ("xl/embeddings/oleObject1.bin", None),
    ]
    assert result.metadata["pictures"] == 3 and result.metadata["embedded"] == 4


def test_xls_merged_title_dates_and_sparse_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("Sheet1")
    ws.write_merge(1, 1, 1, 4, "某某村人员信息表")
    for col, value in enumerate(["姓名", "身份证号", "出生日期", "登记时间"], start=1):
        ws.write(2, col, value)
    ws.write(3, 1, "张三")
    ws.write(3, 2, "653101198501011234")
    ws.write(3, 3, date(1985, 1, 1), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    ws.write(3, 4, datetime(2018, 1, 2, 3, 4, 5), xlwt.easyxf(num_format_str="YYYY-MM-DD hh:mm"))
    ws.write(40, 0, 7.0)
    book.save(str(path))
    result = extract(path, tmp_path, "application/vnd.ms-excel")
    rows = {r["row"]: r["cells"] for r in rows_of(result)}
    assert rows == {
        2: [None, "某某村人员信息表"],
        3: [None, "姓名", "身份证号", "出生日期", "登记时间"],
        4: [None, "张三", "653101198501011234", "1985-01-01", "2018-01-02T03:04:05"],
        41: [7],
    }
    (info,) = result.metadata["sheets"]
    assert info["header_row"] == 3 and info["title"] == "某某村人员信息表"
    assert info["merged"] == ["B2:E2"]
    assert result.metadata["format"] == "BIFF8"


def ods(path: Path, body: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        f"<office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
    return path


def text_cell(value: str, extra: str = "") -> str:
    cell = f'<table:table-cell office:value-type="string"{extra}>'
    return f"{cell}<text:p>{value}</text:p></table:table-cell>"


def test_ods_repeats_spans_and_typed_values(tmp_path: Path) -> None:
    body = (
        '<table:table table:name="名单"><table:table-row>'
        + text_cell("人员信息表", ' table:number-columns-spanned="3"')
        + '<table:covered-table-cell table:number-columns-repeated="2"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
        "<table:table-row>" + text_cell("姓名") + text_cell("性别") + text_cell("出生日期")
        + "</table:table-row><table:table-row>"
        '<table:table-cell table:number-columns-repeated="2"/>'
        '<table:table-cell office:value-type="date" office:date-value="1985-03-12"/>'
        '<table:table-cell office:value-type="float" office:value="3"/>'
        '<table:table-cell office:value-type="time" office:time-value="PT12H30M00S"/>'
        '</table:table-row><table:table-row table:number-rows-repeated="1048570">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>'
    )  # fmt: skip
    result = extract(ods(tmp_path / "a.ods", body), tmp_path, "application/vnd.oasis."
                     "opendocument.spreadsheet")  # fmt: skip
    assert [(r["row"], r["cells"]) for r in rows_of(result)] == [
        (1, ["人员信息表"]),
        (4, ["姓名", "性别", "出生日期"]),
        (5, [None, None, "1985-03-12", 3, "12:30:00"]),
    ]
    (info,) = result.metadata["sheets"]
    assert (info["header_row"], info["title"], info["merged"]) == (4, "人员信息表", ["A1:C1"])


def test_registry_gives_workbooks_to_this_extractor(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"PK\x03\x04")
    for mime, name in (
        (XLSX_MIME, "a.xlsx"),
        ("application/zip", "a.xlsx"),
        ("application/vnd.ms-excel", "a.xls"),
        ("application/CDFV2", "a.et"),
        ("text/plain", "fake.xls"),
        ("application/vnd.oasis.opendocument.spreadsheet", "a.ods"),
    ):
        chosen = choose(item_for(path, tmp_path, mime, name))
        assert chosen is not None and chosen.NAME == "spreadsheet", (mime, name)


def test_tab_separated_text_named_xls_is_read_as_rows(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_bytes("姓名\t身份证号\t性别\n张三\t653101198501011234\t男\n".encode("gb18030"))
    result = extract(path, tmp_path, "text/plain")
    assert [r["cells"] for r in rows_of(result)][1] == ["张三", "653101198501011234", "男"]
    assert result.metadata["encoding"] == "gb18030"


# --- helpers ------------------------------------------------------------------------------


def test_excel_serial_dates() -> None:
    assert excel_date(1) == "1900-01-01"
    assert excel_date(59) == "1900-02-28"
    assert excel_date(61) == "1900-03-01"
    assert excel_date(31048) == "1985-01-01"
    assert excel_date(43102.5) == "2018-01-02T12:00:00"
    assert excel_date(0, date1904=True) == "1904-01-01"
    assert excel_date(-1) is None and excel_date(3e6) is None
    assert excel_time(0.75) == "18:00:00"


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("General", None),
        ("0.00", None),
        ("yyyy-mm-dd", "date"),
        ('yyyy"年"m"月"d"日"', "date"),
        ('[DBNum1][$-804]yyyy"年"m"月"d"日"', "date"),
        ("mmm-yy", "date"),
        ("h:mm AM/PM", "time"),
        ('上午/下午h"时"mm"分"', "time"),
        ("[h]:mm:ss", None),
        ('#,##0 "days"', None),
        ("[Red]0.00", None),
    ],
)
def test_format_kinds(code: str, kind: str | None) -> None:
    assert format_kind(code) == kind


def test_title_is_not_taken_for_the_header() -> None:
    shape = SheetShape("s")
    shape.see(1, ["XX村人员信息表", None, None])
    shape.see(2, ["填报单位：XX派出所", None, None, None, "2018年"])
    shape.see(3, ["序号", "姓名", "身份证号", "性别"])
    shape.see(4, [1, "张三", "653101198501011234", "男"])
    merged = [s for s in (parse_span("A1:H1"), parse_span("A2:D2")) if s]
    summary = shape.summary(merged)
    assert (summary["header_row"], summary["title"]) == (3, "XX村人员信息表")
    assert summary["merged"] == ["A1:H1", "A2:D2"] and summary["columns"] == 5


# --- real files --------------------------------------------------------------------------

FORMAT_CORPUS = CORPORA / "format-corpus"


def _corpus_sheets() -> list[Path]:
    if not FORMAT_CORPUS.is_dir():
        return []
    suffixes = {".xls", ".xlsx", ".ods", ".csv"}
    return sorted(p for p in FORMAT_CORPUS.rglob("*") if p.suffix.lower() in suffixes)


@pytest.mark.skipif(not _corpus_sheets(), reason="format-corpus not present in ../shared/corpora")
@pytest.mark.parametrize("path", _corpus_sheets(), ids=lambda p: p.name)
def test_real_workbooks_open_without_internal_errors(path: Path, tmp_path: Path) -> None:
    from veracity.ingest.identify import identify

    ident = identify(str(path))
    item = item_for(path, tmp_path / "scratch", ident.mime)
    extractor = choose(item)
    assert extractor is not None and extractor.NAME in ("spreadsheet", "csv"), ident.mime
    try:
        result = extractor.extract(item, LIMITS)
    except ExtractError as exc:
        pytest.fail(f"{path.name}: {exc.kind}: {exc}")
    assert result.error_kind is None, result.error
    assert result.metadata["sheets"] and rows_of(result), path.name
