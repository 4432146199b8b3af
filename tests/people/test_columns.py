"""Column mapping: synonyms in three languages, near-misses, content, header rows, user rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from veracity.errors import DataFileError, UsageError
from veracity.people.columns import (
    column_letter,
    find_header,
    header_key,
    load_fields,
    load_overrides,
    map_columns,
    match_header,
    read_fields,
)
from veracity.people.idcard import make_id


def test_bundled_table_loads_and_names_every_record_field() -> None:
    fields = load_fields()
    stored = {name for name, spec in fields.items() if spec.stored}
    assert stored == {
        "name", "id_number", "sex", "ethnicity", "birth_date", "address", "status",
        "detention_start", "place", "sentence", "reason",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("姓名", "name"), ("名字", "name"), ("Name", "name"), ("ئىسىم", "name"),
        ("公民身份号码", "id_number"), ("身份证号", "id_number"), ("身份证号码", "id_number"),
        ("ID", "id_number"), ("性别", "sex"), ("民族", "ethnicity"), ("出生日期", "birth_date"),
        ("出生年月", "birth_date"), ("现住址", "address"), ("户籍地址", "address"),
        ("人员状态", "status"), ("收押日期", "detention_start"), ("羁押日期", "detention_start"),
        ("拘留日期", "detention_start"), ("关押场所", "place"), ("羁押场所", "place"),
        ("刑期", "sentence"), ("案由", "reason"), ("收押原因", "reason"), ("楼栋", "building"),
        ("监室", "cell"), ("楼栋/监室", "cell"), ("序号", "serial"),
        (" 姓 名 ", "name"), ("身份证号（18位）", "id_number"), ("ＩＤ　Ｎｏ.", "id_number"),
    ],
)  # fmt: skip
def test_synonyms_match_exactly(header: str, field: str) -> None:
    assert match_header(header) == (field, "header")


@pytest.mark.parametrize(
    ("header", "field"),
    [("身份证件号", "id_number"), ("被收押人员姓名", "name"), ("Date of Birh", "birth_date")],
)
def test_near_misses_match_fuzzily(header: str, field: str) -> None:
    assert match_header(header) == (field, "fuzzy")


@pytest.mark.parametrize("header", ["", None, "备注", "联系电话", "x", 12])
def test_other_headers_match_nothing(header: Any) -> None:
    assert match_header(header) is None


def test_header_key_folds_width_case_and_notes() -> None:
    assert header_key("ＩＤ Ｎｏ.（必填）") == "idno"
    assert column_letter(0) == "A" and column_letter(27) == "AB"


def _id(i: int) -> str:
    from datetime import date

    return make_id("653121", date(1980, 1, 1 + i), i, "男" if i % 2 else "女")


def test_header_row_is_found_below_a_title() -> None:
    head = [
        (1, ["XX村人员信息表"]),
        (2, ["序号", "姓名", "身份证号", "性别"]),
        (3, [1, "艾山", _id(1), "男"]),
    ]
    assert find_header(head) == 2
    assert find_header(head, hint=1) == 2  # a hint that names no field is not trusted
    assert find_header([(1, ["a", "b"]), (2, [1, 2])]) is None


def test_content_decides_when_headers_say_nothing() -> None:
    head = [(1, ["编号", "备注", "列1", "列2", "日期"])]
    head += [
        (n, [n, _id(n), "男" if n % 2 else "女", "艾山", f"1980.01.{1 + n:02d}"])
        for n in range(2, 12)
    ]
    assert not map_columns("Sheet1", head).is_register  # no header row names two fields
    sheet = map_columns("Sheet1", head, hint=1)  # the extractor's header row is taken then
    assert sheet.header_row == 1 and sheet.is_register
    assert sheet.fields["id_number"] == 1 and sheet.columns[1].how == "content"
    assert sheet.fields["sex"] == 2 and sheet.fields["birth_date"] == 4
    assert sheet.columns[3].field is None and sheet.columns[0].field == "serial"


def test_an_id_column_is_found_under_a_wrong_header() -> None:
    head: list[tuple[int, list[Any]]] = [(1, ["姓名", "序号", "性别"])]
    head += [(n, ["艾山", _id(n), "男"]) for n in range(2, 8)]
    sheet = map_columns("s", head)
    assert sheet.fields["id_number"] == 1 and "serial" not in sheet.fields


def test_exact_synonyms_win_over_fuzzy_ones() -> None:
    head: list[tuple[int, list[Any]]] = [(1, ["户主身份证号", "姓名", "身份证号"])]
    sheet = map_columns("s", head)
    assert sheet.fields["id_number"] == 2 and sheet.columns[0].field is None


def test_a_sheet_without_name_or_id_is_not_a_register() -> None:
    head: list[tuple[int, list[Any]]] = [(1, ["民族", "性别", "现住址"]), (2, ["汉族", "男", "x"])]
    assert not map_columns("s", head).is_register


def test_bad_synonym_file_names_file_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "columns.yaml"
    bad.write_text("fields:\n  name: {synonyms: [姓名]}\n  alias: {synonyms: [' 姓名']}\n")
    with pytest.raises(DataFileError, match="alias"):
        read_fields(bad)
    bad.write_text("fields:\n  name: {synonyms: []}\n")
    with pytest.raises(DataFileError, match="name"):
        read_fields(bad)


def test_overrides_are_read_and_checked(tmp_path: Path) -> None:
    assert load_overrides(tmp_path) == ()
    (tmp_path / "columns.yaml").write_text(
        "sheets:\n"
        "  - {path: 'a/*.xlsx', sheet: S, header_row: 3, columns: {B: name, 备注: id_number,"
        " 照片: null}}\n"
        "  - {path: 'b.xlsx', register: false}\n",
        encoding="utf-8",
    )
    first, second = load_overrides(tmp_path)
    assert first.matches(["a/x.xlsx"], "S") and not first.matches(["a/x.xlsx"], "T")
    assert first.forced(["序号", "x", "备注", "照片"]) == {1: "name", 2: "id_number", 3: None}
    assert second.register is False and second.matches(["b.xlsx"], "any")
    for text, problem in (
        ("sheets: [{path: a, columns: {B: nom}}]", "unknown field"),
        ("sheets: [{sheet: a}]", "path"),
        ("sheets: [{path: a, header_row: 0}]", "header_row"),
        ("sheets: [{path: a, colour: red}]", "unknown keys"),
        ("nothing: here", "sheets"),
        ("sheets: [", "cannot read"),
    ):
        (tmp_path / "columns.yaml").write_text(text, encoding="utf-8")
        with pytest.raises(UsageError, match=problem):
            load_overrides(tmp_path)
