"""Resident ID numbers (GB 11643-1999): build, validate and take apart.

An 18-character ID is six digits of region (GB/T 2260), eight of birth date (YYYYMMDD), a
3-digit order code whose last digit gives the sex (odd male, even female) and an ISO 7064
MOD 11-2 check character ('X' stands for 10). Registers copy these numbers by hand, so the
parts that disagree with the rest of a row - a wrong check character, a birth date or sex
that contradicts the columns beside it, a region that does not exist - are strong evidence of
error or fabrication. The 15-digit form issued before 1999 has a 2-digit year and no check.

`parse` never raises: a register cell can hold anything, and the caller wants to know what
could be read from it, not a stack trace. `check` sorts a written ID into one status
(`IdStatus`) for the records table. Excel shows an 18-digit number as `6.53121E+17` and keeps
only 15 significant digits of it; such a cell is reported as destroyed by Excel, and its lost
digits are never guessed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

from veracity.people.regions import Region, Timing, region

__all__ = [
    "ID_STATUSES",
    "IdCheck",
    "IdNumber",
    "IdStatus",
    "RegionLookup",
    "check",
    "check_character",
    "explain",
    "is_valid",
    "lookup_region",
    "make_id",
    "parse",
    "sex_of",
    "upgrade_15",
]

#: Weight of each of the first 17 digits: 2^(17-i) mod 11.
WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
#: The check character for each weighted sum mod 11.
_CHECK = "10X98765432"
_FORM_18 = re.compile(r"^[0-9]{17}[0-9X]$")
_FORM_15 = re.compile(r"^[0-9]{15}$")
#: What Excel makes of a long number: `6.53121E+17`, `6.53121198503120E+17`.
_SCIENTIFIC = re.compile(r"^[0-9](\.[0-9]+)?E\+?[0-9]+$")
_INT_EXACT = 2**53  # a float below this holds an integer exactly (a 15-digit ID survives)
_MALE = frozenset({"男", "M", "m", "male"})
_FEMALE = frozenset({"女", "F", "f", "female"})


@dataclass(frozen=True)
class IdNumber:
    """What could be read from one written ID number. Unreadable parts are None."""

    text: str  # the input, normalised (full-width to ASCII, spaces removed, 'x' -> 'X')
    form: int | None  # 18, 15, or None when the text has neither shape
    region_code: str | None
    birth_date: date | None  # None when the digits are not a real date
    sequence: str | None  # the 3-digit order code, sex digit included
    sex: str | None  # "男" / "女", from the parity of the sequence's last digit
    check_ok: bool  # the 18-character form's check character is right (False for 15-digit)
    #: the cell held a number Excel had rounded (a float, `6.53121E+17`, or 18 digits ending in
    #: 000 that fail the check): the digits after the 15th are lost, none is read from it
    excel_destroyed: bool = False

    @property
    def region(self) -> Region | None:
        """The region the code names (any province); None for a code in no edition."""
        return region(self.region_code) if self.region_code else None

    @property
    def is_valid(self) -> bool:
        """An 18-character number with a real birth date and the right check character."""
        return self.form == 18 and self.check_ok and self.birth_date is not None


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits of an ID."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"need exactly 17 ASCII digits, got {first17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return _CHECK[total % 11]


def sex_of(value: str) -> str:
    """'男' or '女' from the spellings callers use (男/女, M/F, male/female)."""
    if value in _MALE:
        return "男"
    if value in _FEMALE:
        return "女"
    raise ValueError(f"unknown sex {value!r}: use 男/女 or M/F")


def make_id(region_code: str, birth_date: date, sequence: int, sex: str) -> str:
    """A valid 18-character ID.

    `sequence` (0-499) numbers the people of one sex born on one day in one region; it becomes
    the order code `2 * sequence + 1` for a man and `2 * sequence` for a woman, so the sex digit
    is always right and distinct sequences give distinct numbers.
    """
    if len(region_code) != 6 or not region_code.isdigit():
        raise ValueError(f"region code must be 6 digits, got {region_code!r}")
    if not 0 <= sequence < 500:
        raise ValueError(f"sequence must be 0-499, got {sequence}")
    if not 1000 <= birth_date.year <= 9999:
        raise ValueError(f"birth year {birth_date.year} does not fit four digits")
    order = 2 * sequence + (1 if sex_of(sex) == "男" else 0)
    first17 = f"{region_code}{birth_date:%Y%m%d}{order:03d}"
    return first17 + check_character(first17)


def _normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", folded).upper()


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _as_text(value: object) -> str | None:
    """The cell as text; None for a float, which cannot hold 18 digits exactly."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value) or value < 1e9:
            return ""
        return str(int(value)) if value.is_integer() and value < _INT_EXACT else None
    return _normalise(value) if isinstance(value, str) else ""


def _destroyed(text: str) -> IdNumber:
    return IdNumber(text, None, None, None, None, None, False, excel_destroyed=True)


def parse(text: object) -> IdNumber:
    """Take a written ID apart. Never raises; fields that cannot be read are None/False."""
    clean = _as_text(text)
    if clean is None:
        return _destroyed(repr(text))
    if _SCIENTIFIC.match(clean):
        return _destroyed(clean)
    if _FORM_18.match(clean):
        if clean.endswith("000") and check_character(clean[:17]) != "0":
            return _destroyed(clean)  # 15 significant digits then zeros: Excel's rounding
        return IdNumber(
            text=clean,
            form=18,
            region_code=clean[:6],
            birth_date=_date_or_none(int(clean[6:10]), int(clean[10:12]), int(clean[12:14])),
            sequence=clean[14:17],
            sex="男" if int(clean[16]) % 2 else "女",
            check_ok=check_character(clean[:17]) == clean[17],
        )
    if _FORM_15.match(clean):
        return IdNumber(
            text=clean,
            form=15,
            region_code=clean[:6],
            birth_date=_date_or_none(1900 + int(clean[6:8]), int(clean[8:10]), int(clean[10:12])),
            sequence=clean[12:15],
            sex="男" if int(clean[14]) % 2 else "女",
            check_ok=False,
        )
    return IdNumber(clean, None, None, None, None, None, False)


def is_valid(text: object) -> bool:
    """True for an 18-character ID with a real birth date and the right check character.

    Whether the region exists is a separate question (`parse(text).region`): a check of the
    number's arithmetic should not depend on which division list one trusts.
    """
    return parse(text).is_valid


def upgrade_15(text: str) -> str:
    """The 18-character form of a 15-digit ID: the year gains '19' and a check is added."""
    old = parse(text)
    if old.form != 15:
        raise ValueError(f"not a 15-digit ID: {text!r}")
    first17 = f"{old.text[:6]}19{old.text[6:]}"
    return first17 + check_character(first17)


# --- one status per written ID, for the records table -------------------------------------

IdStatus = Literal[
    "valid", "bad_check", "bad_date", "unknown_region", "excel_destroyed", "malformed", "missing"
]
ID_STATUSES: tuple[IdStatus, ...] = (
    "valid", "bad_check", "bad_date", "unknown_region", "excel_destroyed", "malformed", "missing"
)  # fmt: skip


@dataclass(frozen=True)
class RegionLookup:
    """What the region table says of a code.

    `known`: the code is in the table; `not_in_table`: no edition of the national table holds it
    (it never existed - province 99, county 110199 - or names a division every list missed).
    `periods_known` is False when the table gives no validity dates for the code: whether the
    code was in use is then not checked, rather than guessed.

    `timing` (only when a date was asked about, else None) says how that date - for an ID, the
    birth date - relates to the code's period: `introduced_later` is normal (an ID takes the
    code of the place and time it was issued, often years after birth), `retired_before` is
    worth a note (no ID can have been issued under a code abolished before its holder was
    born), `unknown` when there is no period data or no region.
    """

    code: str
    status: Literal["known", "not_in_table"]
    region: Region | None
    periods_known: bool
    timing: Timing | None = None


@dataclass(frozen=True)
class IdCheck:
    """A written ID, taken apart, with one status saying whether it can be trusted."""

    status: IdStatus
    number: IdNumber
    region: RegionLookup | None  # None when no region code could be read

    @property
    def normalised(self) -> str | None:
        """The ID as one string of digits (and X) when its shape is right, else None."""
        return self.number.text if self.number.form else None


#: first digit of the foreigner's permanent residence ID (GB 11643-style, issued from 2023)
_FOREIGNER = "9"


def lookup_region(code: str, at: date | None = None) -> RegionLookup:
    """Look a 6-digit code up in the bundled national table (see `RegionLookup`).

    With `at` (an ID's birth date), the answer also says how that date relates to the code's
    period of use; without it, `timing` is None.
    """
    found = region(code)
    if found is not None:
        timing = found.timing(at) if at is not None else None
        return RegionLookup(code, "known", found, found.periods_known, timing)
    return RegionLookup(code, "not_in_table", None, False, "unknown" if at is not None else None)


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not _normalise(value))


def check(value: object) -> IdCheck:
    """Sort a register's ID cell into one status, the most basic problem first.

    missing (empty cell) > excel_destroyed > malformed (neither 18 nor 15 characters) >
    bad_date > bad_check > unknown_region > valid. A 15-digit ID with a real date is valid: its
    form has no check character to fail. The region's timing against the birth date
    (`result.region.timing`) is reported beside the status, never folded into it: a code newer
    than the birth date is normal, and one abolished before it is a note for verification, not
    proof that the number is wrong.
    """
    if _is_empty(value):
        return IdCheck("missing", parse(""), None)
    number = parse(value)
    if number.excel_destroyed:
        return IdCheck("excel_destroyed", number, None)
    if number.form is None or number.region_code is None:
        return IdCheck("malformed", number, None)
    # the birth date, when readable, is the date the region's period is judged against
    where = lookup_region(number.region_code, number.birth_date)
    if number.form == 18 and number.text[0] == _FOREIGNER and where.status == "not_in_table":
        # the foreigner's permanent residence ID (2023): 9, the issuing province, a 3-digit
        # nationality; only the province is a division, and it has no period to judge
        province = lookup_region(f"{number.text[1:3]}0000")
        where = province if province.status == "known" else where
    status: IdStatus = "valid"
    if number.birth_date is None:
        status = "bad_date"
    elif number.form == 18 and not number.check_ok:
        status = "bad_check"
    elif where.status == "not_in_table":
        status = "unknown_region"
    return IdCheck(status, number, where)


# --- why an ID cannot be trusted, in plain words (verification findings, `people show`) ------

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def _shape_problem(text: str) -> str:
    """Why a written ID has neither the 18- nor the 15-character shape."""
    strays = [(i, c) for i, c in enumerate(text, 1) if not c.isdigit() and (c, i) != ("X", 18)]
    if len(text) == 18 and strays:
        at, char = strays[0]
        return f"ID {text} has {char!r} at position {at}: only digits (and a final X) belong in it"
    if strays:
        at, char = strays[0]
        return (
            f"ID {text} has {len(text)} characters, not 18, and {char!r} at position {at} "
            "(only digits and a final X belong in it)"
        )
    if len(text) == 15 and text.endswith("X"):
        return f"ID {text} has 15 characters ending in X: only the 18-character form has an X"
    return f"ID {text} has {len(text)} characters, not 18 (or 15 for the pre-1999 form)"


def _date_problem(number: IdNumber) -> str:
    """Why the birth-date digits of a well-shaped ID are no date (month 13, 30 February)."""
    text = number.text
    digits = text[6:14] if number.form == 18 else text[6:12]
    year = int(text[6:10]) if number.form == 18 else 1900 + int(text[6:8])
    month, day = int(digits[-4:-2]), int(digits[-2:])
    if not 1 <= month <= 12:
        why = f"there is no month {month:02d}"
    elif year < 1:
        why = f"there is no year {year:04d}"
    else:
        why = f"{_MONTHS[month - 1]} {year} has no day {day:02d}"
    return f"birth date {digits} in ID {text} is not a date: {why}"


def explain(result: IdCheck) -> str | None:
    """The plain-words reason an unreadable ID is untrustworthy; None for the other statuses.

    Covers `malformed` (length, stray characters), `bad_date` (which part of the date is
    impossible) and `excel_destroyed`; a wrong check character or an unknown region have their
    own checks, which say more (the expected character, the region's history).
    """
    number = result.number
    if result.status == "malformed":
        return _shape_problem(number.text)
    if result.status == "bad_date":
        return _date_problem(number)
    if result.status == "excel_destroyed":
        return (
            f"ID cell {number.text} holds a number Excel rounded to 15 significant digits: "
            "its last digits are lost and cannot be checked"
        )
    return None
