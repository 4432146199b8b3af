"""People in the registers: ID numbers, regions, names (and, later, records and linking)."""

from __future__ import annotations

from veracity.people.idcard import IdNumber, check_character, is_valid, make_id, parse
from veracity.people.names import UyghurName, load_names
from veracity.people.regions import Region, load_regions, region

__all__ = [
    "IdNumber",
    "Region",
    "UyghurName",
    "check_character",
    "is_valid",
    "load_names",
    "load_regions",
    "make_id",
    "parse",
    "region",
]
