"""Administrative division codes of all China (GB/T 2260): the first six digits of an ID number.

An ID number whose region code names no real county is a sign of a fabricated or mistyped
record, and the county behind a real code lets a reader place a person. The codes come from the
Ministry of Civil Affairs lists (1980-2019) and python-stdnum's loc.dat (years from Wikipedia,
for later changes), built into one table by `scripts/build_regions.py`; the Xinjiang rows are
reviewed by hand (see `data/README.md`). The project controls exactly which codes it accepts.

Codes change over the years (Turpan and Hami became prefecture-level cities in 2015 and 2016, the
Ili prefecture was abolished in 2001), and an ID keeps the code of the place and time it was first
issued. So each code carries the years it was in use, where the lists document them, and
`Region.timing` says how a date relates to them. A period given as a year spans the whole year
(from 1 January, to 31 December): the lists are year-end snapshots, so the table only says a
change happened during that year, and a date inside it must never be flagged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from veracity.errors import DataFileError
from veracity.people._csvdata import read_table

__all__ = ["REGIONS_FILE", "TIMINGS", "Region", "Timing", "load_regions", "read_regions", "region"]

REGIONS_FILE = Path(__file__).parent / "data" / "regions.csv"

_COLUMNS = (
    "code",
    "level",
    "province",
    "prefecture",
    "county",
    "name_latin",
    "valid_from",
    "valid_to",
    "source",
)
_CODE = re.compile(r"^[1-9]\d{5}$")
_YEAR = re.compile(r"^[0-9]{4}$")

Level = Literal["province", "prefecture", "county"]
#: How a date relates to a code's period of use: `in_use` (no known bound excludes it),
#: `introduced_later` (before the code existed: normal for an ID, which takes the code of the
#: place and time it was issued, often years after birth), `retired_before` (after the code was
#: abolished: no ID can have been issued under it then), `unknown` (the table has no period data).
Timing = Literal["in_use", "introduced_later", "retired_before", "unknown"]
TIMINGS: tuple[Timing, ...] = ("in_use", "introduced_later", "retired_before", "unknown")


@dataclass(frozen=True)
class Region:
    """One division. Names above the region's level are filled, those below are None."""

    code: str
    level: Level
    province: str
    prefecture: str | None
    county: str | None
    name_latin: str | None
    valid_from: date | None  # first day the code may have been in use; None: open or unknown
    valid_to: date | None  # last day it may have been in use; None: still in use, or unknown
    #: where the period comes from; None when the table has no period data for the code (then
    #: both bounds are None and mean "not known"); with a source, a None bound is open
    source: str | None = None

    @property
    def name(self) -> str:
        """The most specific Chinese name: county, else prefecture, else province."""
        return self.county or self.prefecture or self.province

    @property
    def periods_known(self) -> bool:
        """True when the table documents when the code was in use (its source is given)."""
        return self.source is not None

    def timing(self, at: date) -> Timing:
        """How `at` relates to the code's period of use (see `Timing`); never a guess."""
        if not self.periods_known:
            return "unknown"
        if self.valid_from is not None and at < self.valid_from:
            return "introduced_later"
        if self.valid_to is not None and at > self.valid_to:
            return "retired_before"
        return "in_use"


def _date_cell(raw: str, end: bool, bad: Callable[[], DataFileError]) -> date | None:
    """An ISO date, or a year: its first day for a start, its last day for an end.

    `bad` makes the error only when needed: the national table has thousands of rows.
    """
    if not raw:
        return None
    try:
        if _YEAR.match(raw):
            return date(int(raw), 12, 31) if end else date(int(raw), 1, 1)
        return date.fromisoformat(raw)
    except ValueError:
        raise bad() from None


def _expected_level(code: str) -> Level:
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"


def _parse_row(path: Path, number: int, row: list[str]) -> Region:
    code, level, province, prefecture, county, latin, valid_from, valid_to, source = row
    key = f"line {number} ({code})"

    def bad(problem: str) -> DataFileError:
        return DataFileError(path.name, key, problem)

    if not _CODE.match(code):
        raise bad("code must be six digits, not starting with 0")
    if level != _expected_level(code):
        raise bad(f"level {level!r} does not fit the code (expected {_expected_level(code)})")
    names_needed = {"province": (province,), "prefecture": (province, prefecture)}
    if not all(names_needed.get(level, (province, prefecture, county))):
        raise bad(f"a {level} row needs its own and its parents' names")
    start = _date_cell(
        valid_from, False, lambda: bad(f"valid_from {valid_from!r} is not a date or year")
    )
    end = _date_cell(valid_to, True, lambda: bad(f"valid_to {valid_to!r} is not a date or year"))
    if start and end and end < start:
        raise bad("valid_to is before valid_from")
    if (start or end) and not source:
        raise bad("a validity period needs its source")
    return Region(
        code=code,
        level=_expected_level(code),
        province=province,
        prefecture=prefecture or None,
        county=county or None,
        name_latin=latin or None,
        valid_from=start,
        valid_to=end,
        source=source or None,
    )


def read_regions(path: Path = REGIONS_FILE) -> Mapping[str, Region]:
    """Read and validate a region table into a read-only mapping code -> Region."""
    regions: dict[str, Region] = {}
    for number, row in read_table(path, _COLUMNS):
        item = _parse_row(path, number, row)
        if item.code in regions:
            raise DataFileError(path.name, f"line {number} ({item.code})", "code listed twice")
        regions[item.code] = item
    for item in regions.values():
        parent = item.code[:4] + "00"
        if item.level == "county" and parent not in regions:
            raise DataFileError(path.name, item.code, f"its prefecture {parent} is missing")
    return MappingProxyType(regions)


@cache
def load_regions() -> Mapping[str, Region]:
    """The bundled national region table, read and validated once per process (a dict lookup
    per register row after that)."""
    return read_regions(REGIONS_FILE)


def region(code: str) -> Region | None:
    """The region a 6-digit code names, or None for a code that does not exist (e.g. 659999)."""
    return load_regions().get(code)
