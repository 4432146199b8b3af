"""The leak's other spreadsheets: staff and duty rosters, inventories, budgets, school lists.

A real police leak holds many more tables than registers, and several look like them: a staff
roster has names, ID numbers, birth dates and a 入职时间 ("date hired") a careless reader takes
for a detention date; an equipment ledger has purchase dates and a custodian's name. These are
written so the statistics can be tested against them: only detention registers may count.

The headers are invented here the way clerks write them, several wordings per field and a new
draw per file, on purpose without looking at the reader's synonym list: the same hands must not
write the test data and the code under test.

Layout: `人事/<county>/…花名册`, `人事/<county>/职工通讯录.csv`, `值班/<county>/…值班表`,
`装备/<county>/…`, `财务/<county>/…经费预算表.xlsx`, `教育/<county>/<school>…`. Truth sections:
"staff" (every member of staff), "students" (which residents a school list names, and where).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from veracity.synth._common import SynthConfig, Truth, stream
from veracity.synth._tables import Cell, Sheet, Table, TableFormat, write_table
from veracity.synth.population import COUNTIES, Person, county_of
from veracity.synth.staff import StaffMember, generate_staff

__all__ = ["SHEET_KINDS", "write_workbooks"]

#: What a sheet is, in the truth's "sheets" section.
SHEET_KINDS = ("residents", "detainees", "staff", "students", "other_people", "not_people")

_TEXT_DATES = ("%Y.%m.%d", "%Y%m%d", "%Y-%m-%d", "%Y年%m月%d日", "%Y/%m/%d")
_WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class _Field:
    """One column a clerk may add: the wordings they choose from, and its value for a row."""

    wordings: tuple[str, ...]
    value: Callable[[Any], Cell]


@dataclass
class _Planned:
    table: Table
    kinds: dict[str, str]  # sheet name -> kind
    students: list[tuple[str, int, Person]]  # (sheet, row number, resident)


class _Clerk:
    """The habits of whoever made one file: header wordings, date forms, format, title."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def headers(self, fields: Sequence[_Field]) -> tuple[str, ...]:
        return tuple(self.rng.choice(f.wordings) for f in fields)

    def rows(self, fields: Sequence[_Field], items: Sequence[Any]) -> tuple[tuple[Cell, ...], ...]:
        return tuple(tuple(f.value(item) for f in fields) for item in items)

    def optional(self, fields: Sequence[_Field], keep: float) -> list[_Field]:
        """Not every clerk keeps every column: the first is kept, each other one usually."""
        return [fields[0], *(f for f in fields[1:] if self.rng.random() < keep)]

    def dates(self, fmt: TableFormat) -> str:
        if fmt == "csv" or self.rng.random() < 0.4:
            return self.rng.choice(_TEXT_DATES)
        return "excel"

    def when(self, latest: date) -> datetime:
        day = latest - timedelta(days=self.rng.randrange(0, 90))
        return datetime(
            day.year, day.month, day.day, self.rng.randrange(8, 20), self.rng.randrange(60)
        )

    def table(self, rel: str, fmt: TableFormat, sheets: tuple[Sheet, ...], latest: date) -> Table:
        """A workbook saved some days before `latest`, dated in this clerk's habit."""
        return Table(rel, fmt, sheets, self.when(latest), self.dates(fmt))

    def serial(self) -> str | None:
        """Most clerks number their rows in a first column; what they call it varies."""
        return self.rng.choice(("序号", "序号", "编号", "序")) if self.rng.random() < 0.7 else None


def _sheet(
    clerk: _Clerk, name: str, fields: list[_Field], items: Sequence[Any], title: str | None
) -> Sheet:
    """A sheet of `items`, one row each, maybe with a serial-number column first."""
    headers, rows = clerk.headers(fields), clerk.rows(fields, items)
    serial = clerk.serial()
    if serial is not None:
        headers = (serial, *headers)
        rows = tuple((i + 1, *row) for i, row in enumerate(rows))
    return Sheet(name, headers, rows, title)


# --- staff rosters ------------------------------------------------------------------------

_STAFF_FIELDS = (
    _Field(("姓名", "姓 名", "民警姓名"), lambda s: s.name),
    _Field(("性别",), lambda s: s.sex),
    _Field(("民族",), lambda s: s.ethnicity),
    _Field(("出生年月", "出生日期", "出生时间"), lambda s: s.birth_date),
    _Field(("身份证号", "身份证号码", "公民身份证号"), lambda s: s.id_number),
    _Field(("警号", "警员编号"), lambda s: s.police_number),
    _Field(("职务", "现任职务", "岗位"), lambda s: s.post),
    _Field(("单位", "所在单位", "工作单位"), lambda s: s.unit),
    _Field(("政治面貌",), lambda s: s.politics),
    _Field(("学历", "文化程度", "最高学历"), lambda s: s.education),
    _Field(("入职时间", "参加工作时间", "入警时间", "到岗日期"), lambda s: s.hired),
    _Field(("联系电话", "手机号码", "手机"), lambda s: s.phone),
)
_AUX_FIELDS = (
    _Field(("姓名", "辅警姓名"), lambda s: s.name),
    _Field(("性别",), lambda s: s.sex),
    _Field(("民族",), lambda s: s.ethnicity),
    _Field(("身份证号码", "身份证号"), lambda s: s.id_number),
    _Field(("编号", "辅警编号"), lambda s: s.police_number),
    _Field(("岗位", "工作岗位"), lambda s: s.post),
    _Field(("招录时间", "入职日期", "到岗时间"), lambda s: s.hired),
    _Field(("学历",), lambda s: s.education),
    _Field(("联系方式", "电话"), lambda s: s.phone),
)
_PHONEBOOK_FIELDS = (
    _Field(("姓名",), lambda s: s.name),
    _Field(("单位", "部门"), lambda s: s.unit),
    _Field(("职务", "职务/岗位"), lambda s: s.post),
    _Field(("手机", "手机号", "移动电话"), lambda s: s.phone),
)


def _rosters(clerk: _Clerk, county: str, staff: Sequence[StaffMember]) -> list[_Planned]:
    rng, planned = clerk.rng, []
    units = list(dict.fromkeys(s.unit for s in staff))
    for unit in units:
        members = [s for s in staff if s.unit == unit]
        officers = [s for s in members if not s.auxiliary]
        auxiliaries = [s for s in members if s.auxiliary]
        fmt: TableFormat = "xlsx" if rng.random() < 0.7 else "xls"
        word = "民警" if unit.endswith("派出所") else "职工"
        title = f"{unit}{word}花名册" if rng.random() < 0.6 else None
        fields = clerk.optional(_STAFF_FIELDS, 0.75)
        sheet = _sheet(
            clerk, rng.choice(("Sheet1", f"{word}花名册", "在编人员")), fields, officers, title
        )
        table = clerk.table(
            f"人事/{county}/{unit}{word}花名册.{fmt}", fmt, (sheet,), date(2018, 7, 20)
        )
        planned.append(_Planned(table, {sheet.name: "staff"}, []))
        if auxiliaries:
            fields = clerk.optional(_AUX_FIELDS, 0.8)
            title = f"{unit}辅警花名册" if rng.random() < 0.5 else None
            sheet = _sheet(clerk, "辅警", fields, auxiliaries, title)
            table = clerk.table(
                f"人事/{county}/{unit}辅警花名册.xls", "xls", (sheet,), date(2018, 7, 20)
            )
            planned.append(_Planned(table, {sheet.name: "staff"}, []))
    book = Sheet("通讯录", clerk.headers(_PHONEBOOK_FIELDS), clerk.rows(_PHONEBOOK_FIELDS, staff))
    table = Table(
        f"人事/{county}/职工通讯录.csv", "csv", (book,), clerk.when(date(2018, 8, 1)), "%Y-%m-%d"
    )
    planned.append(_Planned(table, {table.sheet_label(book): "staff"}, []))
    return planned


# --- duty rosters -------------------------------------------------------------------------


def _duty(clerk: _Clerk, county: str, staff: Sequence[StaffMember]) -> list[_Planned]:
    """A month's 值班表 for each police station; a 排班表 of shifts for the jail."""
    rng, planned = clerk.rng, []
    for unit in dict.fromkeys(s.unit for s in staff):
        members = [s for s in staff if s.unit == unit]
        officers = [s for s in members if not s.auxiliary] or members
        auxiliaries = [s for s in members if s.auxiliary] or members
        leaders = [s for s in officers if s.post in ("所长", "副所长", "教导员")] or officers
        month = rng.choice((5, 6, 7))
        days = [date(2018, month, d) for d in range(1, 29)]
        headers: tuple[str, ...]
        rows: tuple[tuple[Cell, ...], ...]
        if unit.endswith("派出所"):
            headers = (
                rng.choice(("日期", "值班日期", "时间")),
                rng.choice(("星期", "周")),
                rng.choice(("带班领导", "值班领导", "带班所领导")),
                rng.choice(("值班民警", "值班人员", "民警")),
                rng.choice(("值班辅警", "辅警", "巡逻辅警")),
                rng.choice(("值班电话", "联系电话")),
            )
            phone = f"0998-{rng.randint(5000000, 5999999)}"
            rows = tuple(_duty_day(rng, d, leaders, officers, auxiliaries, phone) for d in days)
            title = f"{unit}2018年{month}月值班表" if rng.random() < 0.7 else None
            sheet = Sheet(f"{month}月", headers, rows, title)
            rel = f"值班/{county}/{unit}{month}月值班表.xlsx"
            table = clerk.table(rel, "xlsx", (sheet,), date(2018, month, 1))
        else:
            headers = (
                rng.choice(("日期", "排班日期")),
                rng.choice(("班次", "班别")),
                rng.choice(("值班人员", "当班人员", "姓名")),
                rng.choice(("备注", "说明")),
            )
            rows = tuple(
                (d, shift, "、".join(s.name for s in rng.sample(members, min(3, len(members)))), "")
                for d in days
                for shift in ("白班", "夜班")
            )
            sheet = Sheet("排班表", headers, rows, f"{unit}{month}月排班表")
            rel = f"值班/{county}/{unit}排班表.xls"
            table = clerk.table(rel, "xls", (sheet,), date(2018, month, 1))
        planned.append(_Planned(table, {sheet.name: "staff"}, []))
    return planned


def _duty_day(
    rng: random.Random,
    day: date,
    leaders: Sequence[StaffMember],
    officers: Sequence[StaffMember],
    auxiliaries: Sequence[StaffMember],
    phone: str,
) -> tuple[Cell, ...]:
    """One day of a station's 值班表: the leader on duty is not also among the officers."""
    leader = rng.choice(leaders)
    others = [s for s in officers if s is not leader] or list(officers)
    on_duty = rng.sample(others, min(2, len(others)))
    helpers = rng.sample(auxiliaries, min(3, len(auxiliaries)))
    return (
        day,
        f"星期{_WEEKDAYS[day.weekday()]}",
        leader.name,
        "、".join(s.name for s in on_duty),
        "、".join(s.name for s in helpers),
        phone,
    )


# --- inventories and budgets --------------------------------------------------------------

_EQUIPMENT = (
    ("警用对讲机", "摩托罗拉GP328D", "台", 2600.0), ("执法记录仪", "DSJ-V9", "台", 1850.0),
    ("防暴盾牌", "PC材质", "面", 320.0), ("防刺服", "FCF-02", "件", 680.0),
    ("钢叉", "1.8米", "把", 150.0), ("警棍", "T型", "根", 90.0),
    ("防暴头盔", "FBK-01", "顶", 420.0),
    ("强光手电", "JW7620", "只", 380.0), ("台式计算机", "联想启天M4650", "台", 5200.0),
    ("打印机", "HP LaserJet M1136", "台", 1650.0), ("人脸识别门禁", "海康DS-K5604", "套", 9800.0),
    ("监控摄像机", "海康DS-2CD3T46", "台", 1200.0), ("金属探测门", "安检门ZK-800", "套", 12500.0),
    ("手持金属探测器", "GP-3003B1", "只", 260.0), ("警用摩托车", "CF650", "辆", 58000.0),
    ("办公桌", "1.4米", "张", 880.0), ("铁皮文件柜", "四门", "个", 760.0),
    ("空调", "格力KFR-35GW", "台", 3200.0),
)  # fmt: skip
_BUDGET_ITEMS = (
    "办公费", "印刷费", "水电费", "邮电费", "差旅费", "维修(护)费", "会议费", "培训费",
    "公务用车运行维护费", "被装购置费", "专用设备购置费", "信息网络购建", "伙食补助费", "辅警工资",
)  # fmt: skip


def _inventories(clerk: _Clerk, county: str, staff: Sequence[StaffMember]) -> list[_Planned]:
    rng, planned = clerk.rng, []
    units = list(dict.fromkeys(s.unit for s in staff))

    def purchase() -> date:
        return date(2016, 1, 1) + timedelta(days=rng.randrange(940))

    items = []
    for number in range(rng.randint(15, 30)):
        name, spec, measure, price = rng.choice(_EQUIPMENT)
        count = rng.randint(1, 40)
        keeper = rng.choice(staff)
        items.append((f"{county[:2]}GA{number + 1:04d}", name, spec, measure, count, price,
                      round(price * count, 2), purchase(), keeper.name, keeper.unit))  # fmt: skip
    fields = [
        _Field(("装备名称", "品名", "名称"), lambda i: i[1]),
        _Field(("规格型号", "型号", "规格"), lambda i: i[2]),
        _Field(("单位", "计量单位"), lambda i: i[3]),
        _Field(("数量",), lambda i: i[4]),
        _Field(("单价", "单价(元)"), lambda i: i[5]),
        _Field(("金额", "金额(元)", "总价"), lambda i: i[6]),
        _Field(("购置日期", "采购时间", "配发日期"), lambda i: i[7]),
        _Field(("保管人", "责任人", "领用人"), lambda i: i[8]),
        _Field(("存放地点", "使用单位"), lambda i: i[9]),
        _Field(("备注",), lambda i: ""),
    ]
    title = f"{county}公安局装备登记表" if rng.random() < 0.6 else None
    sheet = _sheet(clerk, "装备", fields, items, title)
    table = clerk.table(f"装备/{county}/装备登记表.xlsx", "xlsx", (sheet,), date(2018, 7, 1))
    planned.append(_Planned(table, {sheet.name: "not_people"}, []))

    ledger = [
        _Field(("资产编号", "卡片编号"), lambda i: i[0]),
        _Field(("资产名称", "名称"), lambda i: i[1]),
        _Field(("规格型号",), lambda i: i[2]),
        _Field(("数量",), lambda i: i[4]),
        _Field(("原值", "原值(元)", "账面原值"), lambda i: i[6]),
        _Field(("入库日期", "取得日期", "入账日期"), lambda i: i[7]),
        _Field(("使用人", "保管人"), lambda i: i[8]),
        _Field(("使用部门", "所在部门"), lambda i: i[9]),
    ]
    rng.shuffle(items)
    fixed = Sheet(
        "固定资产", clerk.headers(ledger), clerk.rows(ledger, items), f"{county}公安局固定资产台账"
    )
    goods = ("A4纸", "墨盒", "矿泉水", "方便面", "被褥", "棉大衣", "手套", "电池")
    stock = [
        (rng.choice(goods), rng.choice(("箱", "件", "套", "个")), rng.randint(5, 500),
         purchase(), rng.choice(staff).name)
        for _ in range(rng.randint(10, 20))
    ]  # fmt: skip
    supplies = [
        _Field(("品名", "物资名称"), lambda i: i[0]),
        _Field(("单位",), lambda i: i[1]),
        _Field(("数量", "入库数量"), lambda i: i[2]),
        _Field(("入库日期", "采购时间"), lambda i: i[3]),
        _Field(("经手人", "经办人"), lambda i: i[4]),
    ]
    second = Sheet("低值易耗品", clerk.headers(supplies), clerk.rows(supplies, stock))
    table = clerk.table(
        f"装备/{county}/固定资产台账.xls", "xls", (fixed, second), date(2018, 6, 30)
    )
    planned.append(_Planned(table, {fixed.name: "not_people", second.name: "not_people"}, []))

    csv_sheet = Sheet(
        "Sheet1", clerk.headers(supplies), clerk.rows(supplies, stock[: len(stock) // 2])
    )
    table = Table(
        f"装备/{county}/物资清单.csv",
        "csv",
        (csv_sheet,),
        clerk.when(date(2018, 7, 15)),
        rng.choice(_TEXT_DATES),
    )
    planned.append(_Planned(table, {table.sheet_label(csv_sheet): "not_people"}, []))

    chosen = rng.sample(_BUDGET_ITEMS, k=rng.randint(8, len(_BUDGET_ITEMS)))
    budget = [
        (item, rng.choice(units), round(rng.uniform(0.5, 300.0), 2),
         date(2017, 11, 1) + timedelta(days=rng.randrange(150)))
        for item in chosen
    ]  # fmt: skip
    money = [
        _Field(("项目名称", "支出项目", "科目"), lambda i: i[0]),
        _Field(("预算单位", "申报单位"), lambda i: i[1]),
        _Field(("预算金额(万元)", "金额（万元）", "申请金额"), lambda i: i[2]),
        _Field(("申报日期", "编制日期", "日期"), lambda i: i[3]),
    ]
    sheet = _sheet(clerk, "2018年预算", money, budget, f"{county}公安局2018年经费预算表")
    table = clerk.table(f"财务/{county}/2018年经费预算表.xlsx", "xlsx", (sheet,), date(2018, 3, 31))
    planned.append(_Planned(table, {sheet.name: "not_people"}, []))
    return planned


# --- school lists ---------------------------------------------------------------------------


def _schools(clerk: _Clerk, county: str, residents: Sequence[Person]) -> list[_Planned]:
    """A school's roster and one exam's results, naming the county's children (residents)."""
    rng = clerk.rng
    children = [p for p in residents if date(2003, 9, 1) <= p.birth_date <= date(2010, 8, 31)]
    if not children:
        return []
    pupils = sorted(rng.sample(children, k=min(len(children), 60)), key=lambda p: p.birth_date)
    school = f"{county}{rng.choice(('第一', '第二', '第三'))}九年一贯制学校"

    def entered(p: Person) -> date:  # school starts the September after the 6th birthday
        return date(p.birth_date.year + (8 if p.birth_date.month >= 9 else 7), 9, 1)

    entries = [
        (f"2018{i + 1:04d}", p, f"{2018 - entered(p).year}年级{rng.randint(1, 4)}班", entered(p))
        for i, p in enumerate(pupils)
    ]
    roster = [
        _Field(("学号", "学籍号"), lambda e: e[0]),
        _Field(("姓名", "学生姓名"), lambda e: e[1].full_name_zh),
        _Field(("性别",), lambda e: e[1].sex),
        _Field(("民族",), lambda e: e[1].ethnicity),
        _Field(("出生日期", "出生年月"), lambda e: e[1].birth_date),
        _Field(("身份证号", "身份证件号"), lambda e: e[1].id_number),
        _Field(("班级", "年级班级"), lambda e: e[2]),
        _Field(("入学时间", "进校日期", "入学日期"), lambda e: e[3]),
        _Field(("家庭住址", "住址"), lambda e: e[1].address),
    ]
    fields = clerk.optional(roster, 0.8)
    sheet = _sheet(
        clerk, "学生名单", fields, entries, f"{school}学生花名册" if rng.random() < 0.5 else None
    )
    table = clerk.table(
        f"教育/{county}/{school}学生花名册.xlsx", "xlsx", (sheet,), date(2018, 6, 30)
    )
    planned = [
        _Planned(
            table,
            {sheet.name: "students"},
            [(sheet.name, sheet.first_row + i, e[1]) for i, e in enumerate(entries)],
        )
    ]

    exam_day = date(2018, 6, rng.randint(20, 28))
    results = [(e, [rng.randint(35, 100) for _ in range(3)]) for e in entries]
    scores = [
        _Field(("学号",), lambda r: r[0][0]),
        _Field(("姓名",), lambda r: r[0][1].full_name_zh),
        _Field(("班级",), lambda r: r[0][2]),
        _Field(("国家通用语言", "语文"), lambda r: r[1][0]),
        _Field(("数学",), lambda r: r[1][1]),
        _Field(("思想品德", "道德与法治"), lambda r: r[1][2]),
        _Field(("总分",), lambda r: sum(r[1])),
        _Field(("考试日期", "成绩日期"), lambda r: exam_day),
    ]
    sheet = Sheet(
        "期末成绩",
        clerk.headers(scores),
        clerk.rows(scores, results),
        f"{school}2017-2018学年第二学期期末成绩表",
    )
    table = clerk.table(f"教育/{county}/{school}期末成绩表.xls", "xls", (sheet,), date(2018, 7, 10))
    planned.append(
        _Planned(
            table,
            {sheet.name: "students"},
            [(sheet.name, sheet.first_row + i, e[1]) for i, (e, _) in enumerate(results)],
        )
    )
    return planned


# --- the part's entry point ---------------------------------------------------------------


def write_workbooks(
    out: Path, people: Sequence[Person], config: SynthConfig, truth: Truth
) -> list[Path]:
    """Write the non-register workbooks and record them.

    Truth: "staff" (every member of staff, never a resident), "students" (school list rows,
    each a resident's `person_key`), one "sheets" entry per sheet with its kind, and
    `stats["staff"]`, how many: people in people lists, though never detained nor among the
    residents' adults, and not in `stats["people"]` (the people of the registers).
    """
    staff = generate_staff(config, people)
    clerk = _Clerk(stream(config.seed, "workbooks"))
    planned: list[_Planned] = []
    for county in COUNTIES:
        mine = [s for s in staff if s.county == county.name_zh]
        residents = [p for p in people if county_of(p) == county]
        planned += _rosters(clerk, county.name_zh, mine)
        planned += _duty(clerk, county.name_zh, mine)
        planned += _inventories(clerk, county.name_zh, mine)
        planned += _schools(clerk, county.name_zh, residents)
    written = [write_table(out, p.table) for p in planned]
    sheets = truth.sections.setdefault("sheets", [])
    students = truth.sections.setdefault("students", [])
    for p in planned:
        for sheet in p.table.sheets[: 1 if p.table.fmt == "csv" else None]:
            label = p.table.sheet_label(sheet)
            sheets.append(
                {
                    "path": p.table.rel,
                    "sheet": label,
                    "kind": p.kinds[label],
                    "rows": len(sheet.rows),
                }
            )
        for sheet_name, row, person in p.students:
            locator = {"sheet": sheet_name, "row": row}
            students.append({"path": p.table.rel, "locator": locator, "person_key": person.key})
    truth.sections["staff"] = [s.truth() for s in staff]
    truth.sections["stats"]["staff"] = len(staff)
    return written
