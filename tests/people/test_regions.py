"""The national region table: every edition's codes, the reviewed Xinjiang rows, periods of use."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import stdnum

from veracity.errors import DataFileError
from veracity.people.regions import REGIONS_FILE, TIMINGS, load_regions, read_regions, region

LOC_DAT = Path(stdnum.__file__).parent / "cn" / "loc.dat"
HEADER = "code,level,province,prefecture,county,name_latin,valid_from,valid_to,source\n"


def _loc_xinjiang() -> dict[str, dict[str, str]]:
    out = {}
    for line in LOC_DAT.read_text(encoding="utf-8").splitlines():
        if line.startswith("65"):
            out[line[:6]] = dict(re.findall(r'(\w+)="([^"]*)"', line))
    return out


def test_every_code_of_the_installed_loc_dat_is_in_the_table() -> None:
    # the national table is a union of editions: no code python-stdnum knows may be missing
    codes = {line[:6] for line in LOC_DAT.read_text(encoding="utf-8").splitlines()
             if re.match(r"[1-9][0-9]{5} ", line)}  # fmt: skip
    assert len(codes) > 3000
    assert codes <= set(load_regions())


def test_every_loc_dat_code_is_in_the_table_with_its_names() -> None:
    loc = _loc_xinjiang()
    regions = load_regions()
    assert len(loc) > 100
    for code, names in loc.items():
        item = regions[code]
        assert item.level == "county"
        assert (item.province, item.prefecture, item.county) == (
            names["province"],
            names["prefecture"],
            names["county"],
        )
    # codes loc.dat lacks (older or newer than its lists) are there only with a documented period
    xinjiang = {code for code, item in regions.items() if code.startswith("65")}
    for code in {code for code in xinjiang if regions[code].level == "county"} - set(loc):
        item = regions[code]
        assert item.periods_known and (item.valid_from or item.valid_to), code


def test_higher_levels_are_derived_from_the_counties() -> None:
    regions = load_regions()
    assert regions["650000"].level == "province" and regions["650000"].name == "新疆维吾尔自治区"
    assert regions["653100"].name == "喀什地区" and regions["653100"].county is None
    for code, item in regions.items():
        parent = regions[code[:4] + "00"] if item.level == "county" else None
        if parent is not None and parent.level == "prefecture":  # not XX00YY: under a province
            assert parent.prefecture == item.prefecture, code


def test_the_counties_of_the_leak() -> None:
    konasheher, tekes = region("653121"), region("654027")
    assert konasheher is not None and konasheher.county == "疏附县"
    assert konasheher.name_latin == "Konasheher" and konasheher.prefecture == "喀什地区"
    assert tekes is not None and tekes.county == "特克斯县" and tekes.name_latin == "Tekes"
    assert region("659999") is None and region("990101") is None and region("") is None


def test_other_provinces_are_in_the_table_with_their_years() -> None:
    # the national table (issue 12): Beijing is known, with the years codes changed
    dongcheng, changping, fangshan = region("110101"), region("110201"), region("110111")
    assert dongcheng is not None and dongcheng.county == "东城区" and dongcheng.province == "北京市"
    assert changping is not None and changping.timing(date(1993, 12, 1)) == "retired_before"
    assert fangshan is not None and fangshan.timing(date(1980, 12, 1)) == "introduced_later"
    assert fangshan.timing(date(1990, 1, 1)) == "in_use"
    # Tekes as python-stdnum's loc.dat marks it: 652427 until 1984, 654127 1984-2001, 654027 since
    old, ili, now = region("652427"), region("654127"), region("654027")
    assert old is not None and ili is not None and now is not None
    assert old.timing(date(1984, 6, 1)) == ili.timing(date(1984, 6, 1)) == "in_use"
    assert ili.timing(date(2001, 6, 1)) == now.timing(date(2001, 6, 1)) == "in_use"
    assert old.timing(date(1990, 1, 1)) == "retired_before"
    assert now.timing(date(1990, 1, 1)) == "introduced_later"
    # residence permits of Hong Kong, Macao and Taiwan residents (2018) carry 81/82/830000
    assert all(region(code) is not None for code in ("810000", "820000", "830000"))


def _day(text: str) -> date:
    return date.fromisoformat(text)


# (code, last day it is surely in use or None, first day it surely is not): documented changes
_CHANGES = [
    ("652101", "2014-06-01", "2016-01-01"),  # county-level 吐鲁番市 -> 高昌区 650402 (2015)
    ("652122", "2014-06-01", "2016-01-01"),  # 鄯善县 -> 650421
    ("652123", "2014-06-01", "2016-01-01"),  # 托克逊县 -> 650422
    ("652201", "2015-06-01", "2017-01-01"),  # county-level 哈密市 -> 伊州区 650502 (2016)
    ("652222", "2015-06-01", "2017-01-01"),  # 巴里坤 -> 650521
    ("652223", "2015-06-01", "2017-01-01"),  # 伊吾 -> 650522
    ("650108", "2006-06-01", "2008-01-01"),  # 东山区 -> 米东区 650109 (2007)
    ("652303", "2006-06-01", "2008-01-01"),  # 米泉市 -> 米东区 650109 (2007)
    ("652923", "2018-06-01", "2020-01-01"),  # 库车县 -> 库车市 652902 (2019)
    ("654223", "2020-06-01", "2022-01-01"),  # 沙湾县 -> 沙湾市 654203 (2021)
    ("654127", "2000-06-01", "2002-01-01"),  # 伊犁地区 特克斯县 -> 654027 (2001)
]
_NEW = [
    ("650402", "2015"), ("650421", "2015"), ("650422", "2015"), ("650400", "2015"),
    ("650502", "2016"), ("650521", "2016"), ("650522", "2016"), ("650500", "2016"),
    ("650109", "2007"), ("652902", "2019"), ("654203", "2021"), ("654027", "2001"),
    ("654004", "2014"), ("659007", "2014"), ("659008", "2015"), ("659009", "2016"),
    ("659010", "2019"), ("659011", "2021"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "in_use", "gone"), _CHANGES)
def test_abolished_codes_are_retired_after_their_change(code: str, in_use: str, gone: str) -> None:
    item = region(code)
    assert item is not None and item.periods_known
    assert item.timing(_day(in_use)) == "in_use"
    assert item.timing(_day(gone)) == "retired_before"


@pytest.mark.parametrize(("code", "year"), _NEW)
def test_new_codes_start_in_their_year(code: str, year: str) -> None:
    item = region(code)
    assert item is not None and item.valid_from == date(int(year), 1, 1)
    assert item.timing(date(int(year) - 1, 12, 31)) == "introduced_later"
    # a date inside the change year is never flagged: the lists only give the year
    assert item.timing(date(int(year), 1, 1)) == item.timing(date(int(year), 12, 31)) == "in_use"
    assert item.timing(date(2022, 6, 1)) == "in_use"


def test_successors_start_the_year_their_predecessors_end() -> None:
    pairs = {"652101": "650402", "652122": "650421", "652123": "650422", "652201": "650502",
             "652222": "650521", "652223": "650522", "652100": "650400", "652200": "650500",
             "650108": "650109", "652303": "650109", "652923": "652902", "654223": "654203",
             "654100": "654000", "654127": "654027", "654001": "654003", "654101": "654002",
             "652322": "652303", "654222": "654202", "652326": "652302", "653021": "653001",
             "652427": "654127", "652524": "654223"}  # fmt: skip
    regions = load_regions()
    for old, new in pairs.items():
        start, end = regions[new].valid_from, regions[old].valid_to
        assert start is not None and end is not None, (old, new)
        # no gap: the new code starts no later than the year the old one ends (the 1980s
        # re-coding is only bracketed by the 1980 and 1985 lists, so there the spans overlap)
        assert start.year <= end.year, (old, new)


def test_old_ili_codes_keep_old_ids_from_looking_invented() -> None:
    # an ID issued in Tekes in the 1990s starts 654127 (伊犁地区), abolished in 2001
    tekes = region("654127")
    assert tekes is not None and tekes.county == "特克斯县" and tekes.prefecture == "伊犁地区"
    assert tekes.timing(date(1975, 5, 1)) == "introduced_later"  # born before, issued later
    assert tekes.timing(date(1990, 5, 1)) == "in_use"
    assert tekes.timing(date(2005, 5, 1)) == "retired_before"


def test_codes_without_period_data_say_unknown() -> None:
    for code in ("650101", "650201", "659000"):  # 市辖区 placeholders, not in the MCA lists
        item = region(code)
        assert item is not None and not item.periods_known and item.source is None
        assert item.valid_from is None and item.valid_to is None
        assert item.timing(date(1990, 1, 1)) == "unknown"


def test_unchanged_codes_are_in_use_at_any_date() -> None:
    konasheher = region("653121")
    assert konasheher is not None and konasheher.periods_known
    assert konasheher.valid_from is None and konasheher.valid_to is None  # open both ways
    assert konasheher.timing(date(1940, 1, 1)) == konasheher.timing(date(2020, 1, 1)) == "in_use"


def test_the_data_file_is_consistent() -> None:
    regions = load_regions()
    for code, item in regions.items():
        assert len(code) == 6 and code.isdigit() and code[0] != "0"
        if item.valid_from and item.valid_to:
            assert item.valid_from <= item.valid_to, code
        if item.valid_from or item.valid_to:
            assert item.source, code
        for bound in (item.valid_from, item.valid_to):
            assert bound is None or 1949 <= bound.year <= 2030, code
        assert {item.timing(date(y, 6, 30)) for y in (1950, 1990, 2010, 2024)} <= set(TIMINGS)
        if item.level == "county":  # a county's prefecture row covers the county's period
            parent = regions[code[:4] + "00"]
            if parent.periods_known and item.periods_known:
                assert parent.timing(item.valid_from or date(1980, 12, 31)) == "in_use", code


def test_loaded_once_and_read_only() -> None:
    assert load_regions() is load_regions()
    with pytest.raises(TypeError):
        load_regions()["659999"] = load_regions()["653121"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("650000,province,新疆,,,,,,\n750100,county,新疆,喀什,县,,,,\n", "line 4 (750100)"),
        ("650000,province,新疆,,,,,,\n653100,county,新疆,喀什,,,,,\n", "line 4 (653100)"),
        ("650000,province,新疆,,,,,,\n653100,prefecture,新疆,,,,,,\n", "line 4 (653100)"),
        ("650000,province,新疆,,,,2020-13-01,,s\n", "line 3 (650000)"),
        ("650000,province,新疆,,,,2020-01-01,2019-01-01,s\n", "line 3 (650000)"),
        ("650000,province,新疆,,,,2020,2019,s\n", "line 3 (650000)"),
        ("650000,province,新疆,,,,20x0,,s\n", "line 3 (650000)"),
        ("650000,province,新疆,,,,0000,,s\n", "line 3 (650000)"),
        ("650000,province,新疆,,,,2015,,\n", "line 3 (650000)"),  # a period without a source
        ("650000,province,新疆,,,,,,\n650000,province,新疆,,,,,,\n", "line 4 (650000)"),
        ("650000,province,新疆,,,,,\n", "line 3 (650000)"),
        ("650000,province,新疆,,,,,,\n653121,county,新疆,喀什地区,疏附县,,,,\n", "653121"),
    ],
)
def test_bad_rows_name_file_and_key(tmp_path: Path, body: str, key: str) -> None:
    path = tmp_path / "regions.csv"
    path.write_text("# comment\n" + HEADER + body, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_regions(path)
    assert caught.value.file == "regions.csv" and caught.value.key == key


def test_a_year_spans_the_whole_year(tmp_path: Path) -> None:
    path = tmp_path / "regions.csv"
    path.write_text(HEADER + "650000,province,新疆,,,,2015,2016,src\n", encoding="utf-8")
    item = read_regions(path)["650000"]
    assert (item.valid_from, item.valid_to) == (date(2015, 1, 1), date(2016, 12, 31))
    path.write_text(HEADER + "650000,province,新疆,,,,2015-03-16,,src\n", encoding="utf-8")
    assert read_regions(path)["650000"].valid_from == date(2015, 3, 16)


def test_bad_header(tmp_path: Path) -> None:
    path = tmp_path / "regions.csv"
    path.write_text("code,name\n650000,新疆\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="header"):
        read_regions(path)


def test_bundled_file_is_the_default() -> None:
    assert read_regions() == dict(load_regions())
    assert REGIONS_FILE.name == "regions.csv"
