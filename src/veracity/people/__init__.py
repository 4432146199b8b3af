"""People in the registers: ID numbers, regions, names across scripts, records, persons.

Registers become records (`records.py`), records are linked into persons (`linking.py`),
photos are attached (`photos.py`), and `search.py` finds and shows them; `stage.py` runs the
first three at the end of every ingest.
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
from veracity.people.keys import NameKeys, keys_for, part_key, part_similarity
from veracity.people.linking import build_persons, merge_records, split_records
from veracity.people.names import UyghurName, load_names, pinyin, split_name
from veracity.people.photos import attach_photos
from veracity.people.records import build_records
from veracity.people.regions import Region, load_regions, region
from veracity.people.search import find, show

__all__ = [
    "IdCheck",
    "IdNumber",
    "NameKeys",
    "Region",
    "UyghurName",
    "attach_photos",
    "build_persons",
    "build_records",
    "check",
    "check_character",
    "find",
    "is_valid",
    "keys_for",
    "load_names",
    "load_regions",
    "make_id",
    "merge_records",
    "parse",
    "part_key",
    "part_similarity",
    "pinyin",
    "region",
    "show",
    "split_name",
    "split_records",
]
