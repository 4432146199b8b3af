"""Register kinds: what list a sheet is, from its title, names, headers and contents."""

from __future__ import annotations

from datetime import date
from typing import Any, get_args

import pytest

from veracity.people.columns import map_columns
from veracity.people.idcard import make_id
from veracity.people.register_kinds import (
    COUNTED_KINDS,
    KINDS,
    KindGuess,
    RegisterKind,
    classify,
    load_signals,
)
from veracity.store import REGISTER_KINDS

Head = list[tuple[int, list[Any]]]


def _kind(head: Head, paths: tuple[str, ...] = ("x.xlsx",), sheet: str = "Sheet1") -> KindGuess:
    return classify(map_columns(sheet, head, hint=1), head, paths)


def _id(i: int, year: int = 1980) -> str:
    return make_id("653121", date(year, 1 + i % 12, 1 + i % 28), i, "男" if i % 2 else "女")


def test_the_vocabulary_is_one() -> None:
    assert get_args(RegisterKind) == KINDS == REGISTER_KINDS
    assert set(COUNTED_KINDS) == {"residents", "detainees"}
    signals, normal = load_signals()
    assert set(signals) <= set(KINDS) and "正常" in normal


def test_a_staff_roster_is_staff_and_not_counted() -> None:
    head: Head = [
        (1, ["XX派出所民警花名册"]),
        (2, ["序号", "姓名", "性别", "警号", "职务", "入职时间"]),
    ]
    head += [(n, [n, "艾山", "男", f"0{n}1234", "民警", f"201{n % 9}-03-01"]) for n in range(3, 12)]
    found = _kind(head)
    assert found.kind == "staff" and not found.counted
    assert any("警号" in r for r in found.reasons) and any("民警" in r for r in found.reasons)


def test_an_inventory_is_not_a_list_of_people() -> None:
    head: Head = [(1, ["品名", "规格型号", "数量", "单价", "购置日期", "保管人", "姓名"])]
    head += [
        (n, ["对讲机", "T-1", 2, 300, f"2017-0{n % 9 + 1}-02", "张三", "李四"]) for n in range(2, 9)
    ]
    assert _kind(head, ("装备/固定资产台账.xlsx",)).kind == "not_people"


def test_a_school_roll_is_students() -> None:
    head: Head = [(1, ["学号", "姓名", "班级", "进校日期"])]
    head += [(n, [f"2016{n:03d}", "古丽", "三年级一班", "2016-09-01"]) for n in range(2, 9)]
    assert _kind(head, ("学生花名册.xlsx",)).kind == "students"


def test_a_detainee_list_and_a_residents_register() -> None:
    detainees: Head = [(1, ["姓名", "身份证号", "收押日期", "关押场所", "监室"])]
    detainees += [
        (n, ["艾山", _id(n), f"2017-0{n % 9 + 1}-03", "看守所", "101"]) for n in range(2, 12)
    ]
    assert _kind(detainees, ("registers/在押人员名单.xlsx",)).kind == "detainees"
    residents: Head = [(1, ["姓名", "身份证号", "现住址", "人员状态", "收押日期"])]
    residents += [
        (
            n,
            [
                "艾山",
                _id(n),
                "某乡某村",
                "教培" if n == 3 else "正常",
                "2017-05-01" if n == 3 else None,
            ],
        )
        for n in range(2, 14)
    ]
    found = _kind(residents, ("registers/某乡某村.xlsx",))
    assert found.kind == "residents" and found.counted
    assert any("detention date on only" in r for r in found.reasons)


def test_latin_words_are_whole_words() -> None:
    # "unit" is not in "community", "cell" not in "cellphone"
    head: Head = [(1, ["Name", "Community", "Cellphone"])] + [
        (n, ["A B", "x", "1"]) for n in range(2, 6)
    ]
    assert _kind(head).kind == "other_people"


def test_no_sign_is_other_people_and_the_case_can_say() -> None:
    head: Head = [(1, ["姓名", "备注"])] + [(n, ["艾山", "x"]) for n in range(2, 6)]
    sheet = map_columns("Sheet1", head, hint=1)
    assert classify(sheet, head, ("a.xlsx",)).kind == "other_people"
    forced = classify(sheet, head, ("a.xlsx",), "detainees")
    assert (forced.kind, forced.how) == ("detainees", "override")


@pytest.mark.parametrize(
    ("header", "field"),
    [("入职时间", None), ("入所时间", "detention_start"), ("被收押日期", "detention_start"),
     ("解除收押日期", None), ("婚姻状态", None), ("人员状态", "status"), ("厂定名称", None),
     ("离职原因", None), ("收押原因", "reason"), ("剩余刑期", None), ("进校日期", None),
     ("成绩日期", None)],
)  # fmt: skip
def test_statistics_columns_need_a_header_that_says_so(header: str, field: str | None) -> None:
    head: Head = [(1, ["姓名", "性别", header])]
    head += [(n, ["艾山", "男", f"2016-0{n}-01"]) for n in range(2, 9)]
    assert map_columns("s", head).columns[2].field == field
