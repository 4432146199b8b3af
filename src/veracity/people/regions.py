"""Xinjiang administrative division codes (GB/T 2260): the first six digits of an ID number.

An ID number whose region code names no real county is a sign of a fabricated or mistyped
record, and the county behind a real code lets a reader place a person. The codes come from
python-stdnum's loc.dat (see `data/README.md`), copied into a reviewed table so the project
controls exactly which codes it accepts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from veracity.errors import DataFileError
from veracity.people._csvdata import read_table

__all__ = ["REGIONS_FILE", "Region", "load_regions", "read_regions", "region"]

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
)
_CODE = re.compile(r"^65\d{4}$")

Level = Literal["province", "prefecture", "county"]


@dataclass(frozen=True)
class Region:
    """One division. Names above the region's level are filled, those below are None."""

    code: str
    level: Level
    province: str
    prefecture: str | None
    county: str | None
    name_latin: str | None
    valid_from: date | None  # None: not known
    valid_to: date | None

    @property
    def name(self) -> str:
        """The most specific Chinese name: county, else prefecture, else province."""
        return self.county or self.prefecture or self.province


def _date_cell(raw: str, bad: DataFileError) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise bad from None


def _expected_level(code: str) -> Level:
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"


def _parse_row(path: Path, number: int, row: list[str]) -> Region:
    code, level, province, prefecture, county, latin, valid_from, valid_to = row
    key = f"line {number} ({code})"

    def bad(problem: str) -> DataFileError:
        return DataFileError(path.name, key, problem)

    if not _CODE.match(code):
        raise bad("code must be six digits starting with 65")
    if level != _expected_level(code):
        raise bad(f"level {level!r} does not fit the code (expected {_expected_level(code)})")
    names_needed = {"province": (province,), "prefecture": (province, prefecture)}
    if not all(names_needed.get(level, (province, prefecture, county))):
        raise bad(f"a {level} row needs its own and its parents' names")
    start = _date_cell(valid_from, bad(f"valid_from {valid_from!r} is not an ISO date"))
    end = _date_cell(valid_to, bad(f"valid_to {valid_to!r} is not an ISO date"))
    if start and end and end < start:
        raise bad("valid_to is before valid_from")
    return Region(
        code=code,
        level=_expected_level(code),
        province=province,
        prefecture=prefecture or None,
        county=county or None,
        name_latin=latin or None,
        valid_from=start,
        valid_to=end,
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
    """The bundled Xinjiang region table, read and validated once per process."""
    return read_regions(REGIONS_FILE)


def region(code: str) -> Region | None:
    """The region a 6-digit code names, or None for a code that does not exist (e.g. 659999)."""
    return load_regions().get(code)
