"""People in the registers: ID numbers, regions, names across scripts, person records.

Linking records into persons, photos and the `people find`/`show` commands come next.
"""

from __future__ import annotations

from veracity.people.idcard import (
    IdCheck,
    IdNumber,
    check,
    check_character,
    is_valid,
    make_id,
    parse,
)
from veracity.people.keys import NameKeys, keys_for, name_key, name_similarity
from veracity.people.names import UyghurName, load_names, pinyin, split_name
from veracity.people.records import build_records
from veracity.people.regions import Region, load_regions, region

__all__ = [
    "IdCheck",
    "IdNumber",
    "NameKeys",
    "Region",
    "UyghurName",
    "build_records",
    "check",
    "check_character",
    "is_valid",
    "keys_for",
    "load_names",
    "load_regions",
    "make_id",
    "name_key",
    "name_similarity",
    "parse",
    "pinyin",
    "region",
    "split_name",
]
