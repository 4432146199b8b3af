"""CSV and TSV: the encodings Chinese offices write, delimiter sniffing, record numbering, and
the auction against the plain-text extractor."""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import pytest

from veracity.case import Limits
from veracity.extract.base import Extraction, Item
from veracity.extract.csv import CsvExtractor, file_encoding, sniff_delimiter
from veracity.extract.registry import choose

LIMITS = Limits.from_settings()
HEADER = ["姓名", "公民身份号码", "性别", "现住址"]
PERSON = ["阿卜杜拉·买买提", "653101198501011234", "男", "新疆喀什地区疏附县"]
TAIWAN = [["姓名", "身分證字號", "性別", "住址"], ["陳美玲", "A123456789", "女", "臺北市"]]


def item_for(path: Path, tmp_path: Path, mime: str = "text/csv") -> Item:
    ext = path.suffix.lower().lstrip(".")
    return Item(path, f"a.zip!/dir/{path.name}", "0" * 64, path.stat().st_size, mime, ext, 1,
                tmp_path / "scratch")  # fmt: skip


def read(path: Path, tmp_path: Path, mime: str = "text/csv") -> tuple[Extraction, list[Any]]:
    result = CsvExtractor().extract(item_for(path, tmp_path, mime), LIMITS)
    assert result.rows_file is not None
    with open(result.rows_file, encoding="utf-8") as fh:
        return result, [json.loads(line) for line in fh]


@pytest.mark.parametrize(
    ("encoding", "prefix", "rows", "expected"),
    [
        ("utf-8", b"", [HEADER, PERSON], "utf-8"),
        ("utf-8", codecs.BOM_UTF8, [HEADER, PERSON], "utf-8-sig"),
        ("utf-16", b"", [HEADER, PERSON], "utf-16"),
        ("utf-16-le", b"", [HEADER, PERSON], "utf-16-le"),
        ("gb18030", b"", [HEADER, PERSON] * 40, "gb18030"),
        ("gbk", b"", [HEADER, PERSON], "gb18030"),
        ("big5", b"", TAIWAN * 3, "big5"),
    ],
)
def test_encodings(
    tmp_path: Path, encoding: str, prefix: bytes, rows: list[list[str]], expected: str
) -> None:
    path = tmp_path / "名单.csv"
    text = "".join(",".join(row) + "\r\n" for row in rows)
    path.write_bytes(prefix + text.encode(encoding))
    result, written = read(path, tmp_path)
    assert result.metadata["encoding"] == expected
    assert [r["cells"] for r in written] == rows
    assert {r["sheet"] for r in written} == {"名单.csv"}  # the file name, without the archive


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "a.csv"
    path.write_text("".join(delimiter.join(r) + "\n" for r in [HEADER, PERSON]), "utf-8")
    result, written = read(path, tmp_path)
    assert result.metadata["delimiter"] == delimiter
    assert written[1]["cells"] == PERSON


def test_sniffing_falls_back_to_the_extension() -> None:
    assert sniff_delimiter("one column only\n", default="\t") == "\t"
    assert sniff_delimiter("a;b;c\n1;2;3\n4;5;6\n") == ";"


def test_rows_are_numbered_by_record(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('姓名,备注\n张三,"第一行\n第二行"\n\n李四,"x"\n', "utf-8")
    _, written = read(path, tmp_path)
    assert [(r["row"], r["cells"]) for r in written] == [
        (1, ["姓名", "备注"]),
        (2, ["张三", "第一行\n第二行"]),
        (4, ["李四", "x"]),
    ]


def test_nul_bytes_do_not_stop_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"a,b,c\n1,\x002,3\n4,5,6\n")
    result, written = read(path, tmp_path)
    assert [r["cells"] for r in written] == [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]]
    assert result.metadata["nul_bytes"] is True


def test_text_pages_and_sheet_metadata(tmp_path: Path) -> None:
    path = tmp_path / "a.tsv"
    path.write_text("某某村人员信息表\n" + "\t".join(HEADER) + "\n" + "\t".join(PERSON) + "\n")
    result, _ = read(path, tmp_path, "text/plain")
    (sheet,) = result.metadata["sheets"]
    assert (sheet["header_row"], sheet["title"], sheet["rows"]) == (2, "某某村人员信息表", 3)
    assert result.text is not None and PERSON[1] in result.text
    assert [(p.kind, p.number) for p in result.pages] == [("sheet", 1)]


def test_text_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("".join(f"{i},{'x' * 50}\n" for i in range(1000)), "utf-8")
    limits = Limits.from_settings({"max_text_chars": 500})
    result = CsvExtractor().extract(item_for(path, tmp_path), limits)
    assert result.text is not None and len(result.text) <= 500
    assert result.metadata["text_truncated"] is True
    assert result.metadata["records"] == 1000  # every row is still written


@pytest.mark.parametrize(
    ("mime", "name", "winner"),
    [
        ("text/csv", "a.csv", "csv"),
        ("text/plain", "a.csv", "csv"),
        ("text/plain", "a.tsv", "csv"),
        ("application/octet-stream", "a.csv", "csv"),
        ("text/csv", "a.txt", "csv"),
        ("text/plain", "a.txt", "text"),
    ],
)
def test_csv_outbids_plain_text(tmp_path: Path, mime: str, name: str, winner: str) -> None:
    path = tmp_path / name
    path.write_text("a,b\n1,2\n")
    chosen = choose(item_for(path, tmp_path, mime))
    assert chosen is not None
    name = chosen.NAME
    assert name == winner


def test_utf16_without_bom_is_recognised() -> None:
    assert file_encoding("姓名,性别\r\n张三,男\r\n".encode("utf-16-le")) == "utf-16-le"
    assert file_encoding("name,sex\r\n".encode("utf-16-be")) == "utf-16-be"
