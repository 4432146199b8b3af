"""ID numbers: hand-checked published examples, garbage in, and python-stdnum as the oracle."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest
import stdnum
from stdnum.cn import ric

from veracity.people.idcard import (
    WEIGHTS,
    check,
    check_character,
    is_valid,
    lookup_region,
    make_id,
    parse,
    upgrade_15,
)

LOC_DAT = Path(stdnum.__file__).parent / "cn" / "loc.dat"


def test_weights_are_the_standard_ones() -> None:
    assert WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        # GB 11643-1999's own example; by hand: the weighted sum is 167, 167 % 11 = 2 -> 'X'
        ("11010519491231002", "X"),
        # the other example quoted with the standard: sum 195, 195 % 11 = 8 -> '4'
        ("44052418800101001", "4"),
        # stdnum's doctest number
        ("36042619910101007", "1"),
    ],
)
def test_check_character_of_published_examples(first17: str, check: str) -> None:
    assert check_character(first17) == check
    assert is_valid(first17 + check)


def test_check_character_by_hand() -> None:
    # 65312119850312001 by hand: 42+45+30+5+16+4+2+9+48+15+0+27+10+10+0+0+2 = 265;
    # 265 % 11 = 1, and (12 - 1) % 11 = 0
    digits = [6, 5, 3, 1, 2, 1, 1, 9, 8, 5, 0, 3, 1, 2, 0, 0, 1]
    assert sum(d * w for d, w in zip(digits, WEIGHTS, strict=True)) == 265
    assert check_character("65312119850312001") == "0"
    assert is_valid("653121198503120010") and not is_valid("653121198503120011")


@pytest.mark.parametrize(
    "bad",
    ["", "1234", "1101051949123100X", "110105194912310021", "１１０１０５１９４９１２３１００２"],
)
def test_check_character_refuses_anything_but_17_ascii_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        check_character(bad)


def test_make_id_sets_sex_digit_and_round_trips() -> None:
    born = date(1985, 3, 12)
    man = make_id("653121", born, 5, "男")
    woman = make_id("653121", born, 5, "女")
    assert man[:14] == "65312119850312" and man[14:17] == "011"
    assert woman[14:17] == "010"
    for number, sex in ((man, "男"), (woman, "女")):
        parsed = parse(number)
        assert parsed.is_valid and parsed.check_ok
        assert (parsed.region_code, parsed.birth_date, parsed.sex, parsed.form) == (
            "653121",
            born,
            sex,
            18,
        )
        assert parsed.region is not None and parsed.region.county == "疏附县"
    assert make_id("653121", born, 5, "M") == man
    assert len({make_id("654027", born, s, "F") for s in range(500)}) == 500


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("65312", date(1985, 1, 1), 1, "男"), "region"),
        (("653121", date(1985, 1, 1), 500, "男"), "sequence"),
        (("653121", date(1985, 1, 1), -1, "男"), "sequence"),
        (("653121", date(1985, 1, 1), 1, "x"), "sex"),
    ],
)
def test_make_id_refuses_bad_parts(args: tuple[str, date, int, str], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        make_id(*args)


@pytest.mark.parametrize(
    "garbage",
    [None, "", "abc", 653121198503120011, "6531211985031200", "65312119850312001Y", "😀" * 18,
     "65312119850230001X", "653121198513120011", "٦٥٣١٢١١٩٨٥٠٣١٢٠٠١١"],
)  # fmt: skip
def test_parse_never_raises_on_garbage(garbage: object) -> None:
    parsed = parse(garbage)
    assert not parsed.is_valid
    assert not is_valid(garbage)


def test_parse_reads_what_it_can_from_a_bad_date() -> None:
    parsed = parse("653121198502300011")  # 30 February
    assert parsed.form == 18 and parsed.birth_date is None and parsed.region_code == "653121"
    assert parsed.sex == "男" and not parsed.is_valid


def test_parse_normalises_spacing_case_and_full_width() -> None:
    number = make_id("653121", date(1962, 7, 1), 3, "女")
    spaced = f" {number[:6]} {number[6:14]} {number[14:]} ".lower()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    for text in (spaced, full_width, number.lower()):
        assert parse(text).text == number
        assert is_valid(text)


def test_wrong_check_character_is_read_but_invalid() -> None:
    number = make_id("653121", date(1990, 1, 2), 7, "男")
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    parsed = parse(wrong)
    assert parsed.birth_date == date(1990, 1, 2) and not parsed.check_ok and not parsed.is_valid


def test_unknown_region_keeps_valid_arithmetic() -> None:
    first17 = "65999919900102001"
    parsed = parse(first17 + check_character(first17))
    assert parsed.is_valid and parsed.region is None


def test_fifteen_digit_form() -> None:
    parsed = parse("653121850312011")
    assert parsed.form == 15 and parsed.birth_date == date(1985, 3, 12)
    assert parsed.sequence == "011" and parsed.sex == "男" and not parsed.is_valid
    upgraded = upgrade_15("653121850312011")
    assert upgraded[:17] == "65312119850312011" and is_valid(upgraded) and ric.is_valid(upgraded)
    with pytest.raises(ValueError):
        upgrade_15("653121198503120011")


def _loc_codes() -> list[str]:
    lines = LOC_DAT.read_text(encoding="utf-8").splitlines()
    return [line[:6] for line in lines if line[:6].isdigit()]


def test_agrees_with_stdnum_on_random_numbers() -> None:
    rng = random.Random(11643)
    codes = _loc_codes()
    for _ in range(400):
        born = date(1900, 1, 1) + timedelta(days=rng.randrange(120 * 365))
        digits = f"{rng.choice(codes)}{born:%Y%m%d}{rng.randrange(1000):03d}"
        if rng.random() < 0.2:  # an impossible month or day now and then
            month_day = rng.choice(("13", "00", "02")) + rng.choice(("30", "00", "31"))
            digits = digits[:10] + month_day + digits[14:]
        check = check_character(digits) if rng.random() < 0.6 else rng.choice("0123456789X")
        number = digits + check
        assert is_valid(number) == ric.is_valid(number), number


# --- check(): one status per written ID ----------------------------------------------------


def _id(code: str = "653121", born: date = date(1985, 3, 12), seq: int = 5) -> str:
    return make_id(code, born, seq, "男")


@pytest.mark.parametrize(
    ("written", "status"),
    [
        (None, "missing"),
        ("  ", "missing"),
        ("6.53121E+17", "excel_destroyed"),
        ("6.53121198503120E+17", "excel_destroyed"),
        (6.531211985031201e17, "excel_destroyed"),
        ("653121198503120000", "excel_destroyed"),  # 15 digits kept, then Excel's zeros
        ("abc", "malformed"),
        ("6531211985031200", "malformed"),
        ("653121198502300011", "bad_date"),
        ("110105194912310021", "bad_check"),
        ("653121850312011", "valid"),  # the 15-digit form has no check character to fail
        (653121850312011, "valid"),
    ],
)
def test_check_sorts_every_kind_of_cell(written: object, status: str) -> None:
    assert check(written).status == status


def test_check_normalises_spaces_full_width_and_lower_case_x() -> None:
    number = next(n for n in (_id(seq=s) for s in range(60)) if n.endswith("X"))
    spaced = f"{number[:6]} {number[6:14]}\u3000{number[14:]}".lower()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number.lower())
    for written in (spaced, full_width, f"\t{number.lower()} "):
        result = check(written)
        assert result.status == "valid" and result.normalised == number


def test_excel_destroyed_invents_no_digits() -> None:
    for written in ("6.53121E+17", 6.531211985031201e17):
        result = check(written)
        assert result.normalised is None and result.number.region_code is None
        assert result.number.birth_date is None and result.number.excel_destroyed


def test_region_lookup_judges_every_province() -> None:
    first17 = "65999919900102001"
    unknown = check(first17 + check_character(first17))
    assert unknown.status == "unknown_region" and unknown.region is not None
    assert unknown.region.status == "not_in_table" and unknown.region.region is None
    # the table is national (issue 12): Beijing is known, province 99 and 110199 are in no edition
    beijing = check("11010519491231002X")
    assert beijing.status == "valid" and beijing.region is not None
    assert beijing.region.status == "known" and beijing.region.region is not None
    assert beijing.region.region.county == "朝阳区"
    for code in ("990426", "110199"):
        nowhere = check(_id_at(code, date(1991, 12, 1)))
        assert nowhere.status == "unknown_region" and nowhere.region is not None
        assert nowhere.region.status == "not_in_table"
    # other provinces have periods too: 房山区 110111 from 1986, 昌平县 110201 until 1982
    later = check(_id_at("110111", date(1980, 12, 1)))
    assert later.status == "valid" and later.region is not None
    assert later.region.timing == "introduced_later"
    gone = check(_id_at("110201", date(1993, 12, 1)))
    assert gone.status == "valid" and gone.region is not None
    assert gone.region.timing == "retired_before"
    known = lookup_region("653121")
    assert known.status == "known" and known.region is not None
    assert known.region.county == "疏附县"
    # 疏附县's code is in every list from 1980 on: its period is known and open
    assert known.periods_known is True and known.timing is None  # no date asked about
    assert lookup_region("653121", date(1985, 3, 12)).timing == "in_use"


def _id_at(code: str, born: date) -> str:
    return make_id(code, born, 7, "女")


@pytest.mark.parametrize(
    ("code", "born", "timing"),
    [
        # Turpan became a prefecture-level city in 2015: 高昌区 650402 replaced 652101
        ("650402", date(1985, 3, 12), "introduced_later"),  # normal: ID issued after 2015
        ("650402", date(2016, 3, 12), "in_use"),
        ("652101", date(1985, 3, 12), "in_use"),
        ("652101", date(2017, 3, 12), "retired_before"),  # no ID issued under it after 2015
        # Hami in 2016: 伊州区 650502 replaced 652201
        ("650502", date(1990, 1, 1), "introduced_later"),
        ("652201", date(2018, 1, 1), "retired_before"),
        ("652222", date(2010, 1, 1), "in_use"),
        # 东山区 650108 and 米泉市 652303 merged into 米东区 650109 in 2007
        ("650109", date(2000, 1, 1), "introduced_later"),
        ("650108", date(2009, 1, 1), "retired_before"),
        ("652303", date(2009, 1, 1), "retired_before"),
        # the 2019-2021 cities
        ("659010", date(1999, 1, 1), "introduced_later"),
        ("652902", date(2020, 1, 1), "in_use"),
        ("654203", date(2001, 1, 1), "introduced_later"),
        # a 1990s Tekes ID under the Ili prefecture code abolished in 2001
        ("654127", date(1970, 1, 1), "introduced_later"),
        ("654127", date(1995, 1, 1), "in_use"),
        ("654127", date(2003, 1, 1), "retired_before"),
        # placeholders without period data
        ("650101", date(1990, 1, 1), "unknown"),
    ],
)
def test_check_judges_the_region_against_the_birth_date(code: str, born: date, timing: str) -> None:
    result = check(_id_at(code, born))
    # the timing is a note beside the status, never a reason to call the number invalid
    assert result.status == "valid" and result.region is not None
    assert result.region.status == "known" and result.region.timing == timing
    assert result.region.periods_known is (timing != "unknown")


def test_a_code_that_never_existed_stays_not_in_table() -> None:
    result = check(_id_at("659999", date(1990, 1, 1)))
    assert result.status == "unknown_region" and result.region is not None
    assert result.region.status == "not_in_table" and result.region.timing == "unknown"
    assert not result.region.periods_known
    beijing = lookup_region("110105", date(1990, 1, 1))  # national table: judged, in use
    assert beijing.status == "known" and beijing.timing == "in_use"
    assert lookup_region("659999").timing is None


def test_timing_needs_a_readable_birth_date() -> None:
    bad_date = check("65312119851332001" + check_character("65312119851332001"))
    assert bad_date.status == "bad_date" and bad_date.region is not None
    assert bad_date.region.status == "known" and bad_date.region.timing is None


def test_fifteen_digit_ids_are_judged_too() -> None:
    # 15-digit IDs from Tekes under the 伊犁地区 code (1981-2001): a child born in 1985, and a man
    # born in 1965 who got his first card after the code was introduced
    child, man = check("654127850101124"), check("654127650101123")
    assert child.status == man.status == "valid"
    assert child.region is not None and child.region.timing == "in_use"
    assert man.region is not None and man.region.timing == "introduced_later"
