"""Photos tied to persons: by an ID number in the name, folder or description, or by the row.

Intake photos of the Xinjiang Police Files are named after the person's ID number
(`20180312_101010_653121198503120010.jpg`), some sit in a folder named after it, and some
cameras write it into the EXIF ImageDescription or XMP description; registers carry the photo
in the person's row. Only a number `idcard.parse` accepts as an ID (18 characters with a right
check character and real birth date, or the old 15-digit form with a real date) counts, so a
time stamp or a serial number in a file name is never mistaken for a person.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from veracity.case import Case
from veracity.people.idcard import parse, upgrade_15
from veracity.store import Store

__all__ = ["attach_photos", "ids_in"]

# Digits not glued to other digits: a run of 18 (the last may be X) or exactly 15.
_ID_RUN = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])")
#: Raw tags (any group) whose text may carry an ID: EXIF, XMP, IPTC descriptions and captions.
_DESCRIPTION_TAGS = frozenset(
    {"ImageDescription", "Description", "Caption-Abstract", "UserComment", "Title", "Headline"}
)


def ids_in(text: str) -> list[str]:
    """The ID numbers written in `text`, as the forms a person's `id_number` may take.

    A 15-digit ID is given in both its own and its 18-character form, since a person keeps
    whichever the registers wrote.
    """
    found: list[str] = []
    for match in _ID_RUN.finditer(text):
        number = parse(match.group())
        if number.form == 18 and number.is_valid:
            found.append(number.text)
        elif number.form == 15 and number.birth_date is not None:
            found.extend((number.text, upgrade_15(number.text)))
    return list(dict.fromkeys(found))


def _parts(path: str) -> tuple[str, list[str]]:
    """A path's file name and its folders (archive names included), outermost first."""
    parts = [part for part in re.split(r"!?/", path) if part]
    return (parts[-1] if parts else ""), parts[:-1]


def _descriptions(metadata: str | None, raw: str | None) -> Iterator[str]:
    """Every description-like text of a photo's extraction (metadata and raw tags)."""
    meta = json.loads(metadata or "{}")
    if isinstance(meta.get("description"), str):
        yield meta["description"]
    groups = json.loads(raw or "{}")
    for tags in groups.values() if isinstance(groups, dict) else ():
        if isinstance(tags, dict):
            for tag, value in tags.items():
                if tag in _DESCRIPTION_TAGS and value is not None:
                    yield value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _by_id(photo: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(ID number, how) for each ID a photo's name, folders or descriptions carry."""
    name, folders = _parts(photo["path"])
    for id_number in ids_in(name):
        yield id_number, "file_name"
    for folder in reversed(folders):  # the nearest folder first
        for id_number in ids_in(folder):
            yield id_number, "folder"
    for text in _descriptions(photo["metadata"], photo["raw"]):
        for id_number in ids_in(text):
            yield id_number, "exif"


def _row_of(photo: dict[str, Any]) -> tuple[str, str, int] | None:
    """(register content, sheet, row) of a picture anchored in a spreadsheet row, else None.

    Only a spreadsheet locates a member by sheet and row, so the locator says it all.
    """
    if not photo["locator"] or not photo["parent_sha256"]:
        return None
    locator = json.loads(photo["locator"])
    if not isinstance(locator, dict) or "sheet" not in locator or "row" not in locator:
        return None
    return str(photo["parent_sha256"]), str(locator["sheet"]), int(locator["row"])


def attach_photos(case: Case, store: Store) -> int:
    """Tie every photo to the persons it shows; rewrite `person_photos` whole; how many ties.

    Run after linking: the persons and their records must exist. `case` is taken for symmetry
    with the other people stages (settings may one day limit what counts as a photo).
    """
    del case
    wanted: dict[tuple[int, str], list[tuple[str, str]]] = {}
    cells: dict[tuple[int, str], tuple[str, str, int]] = {}
    for photo in store.iter_photo_paths():
        where = (int(photo["source_id"]), str(photo["path"]))
        wanted[where] = list(_by_id(photo))
        row = _row_of(photo)
        if row is not None:
            cells[where] = row
    holders = store.person_ids_by_id_number({i for ids in wanted.values() for i, _ in ids})
    row_persons = {sha: store.persons_of_rows(sha) for sha in {r[0] for r in cells.values()}}
    ties: dict[tuple[str, int, str], str] = {}
    for (source_id, path), ids in wanted.items():
        for id_number, how in ids:
            for person_id in holders.get(id_number, ()):
                ties.setdefault((person_id, source_id, path), how)
        if (source_id, path) in cells:
            sha256, sheet, number = cells[(source_id, path)]
            holder = row_persons[sha256].get((sheet, number))
            if holder is not None:
                ties.setdefault((holder, source_id, path), "cell")
    return store.replace_person_photos(
        (person_id, source_id, path, how) for (person_id, source_id, path), how in ties.items()
    )
