"""Resident ID numbers (GB 11643-1999): build, validate and take apart.

An 18-character ID is six digits of region (GB/T 2260), eight of birth date (YYYYMMDD), a
3-digit order code whose last digit gives the sex (odd male, even female) and an ISO 7064
MOD 11-2 check character ('X' stands for 10). Registers copy these numbers by hand, so the
parts that disagree with the rest of a row - a wrong check character, a birth date or sex
that contradicts the columns beside it, a region that does not exist - are strong evidence of
error or fabrication. The 15-digit form issued before 1999 has a 2-digit year and no check.

`parse` never raises: a register cell can hold anything, and the caller wants to know what
could be read from it, not a stack trace.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from veracity.people.regions import Region, region

__all__ = [
    "IdNumber",
    "check_character",
    "is_valid",
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

    @property
    def region(self) -> Region | None:
        """The Xinjiang region the code names; None for unknown codes and other provinces."""
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


def parse(text: object) -> IdNumber:
    """Take a written ID apart. Never raises; fields that cannot be read are None/False."""
    clean = _normalise(text) if isinstance(text, str) else ""
    if _FORM_18.match(clean):
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
