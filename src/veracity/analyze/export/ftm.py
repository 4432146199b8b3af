"""FollowTheMoney entities for OCCRP Aleph / OpenAleph, built with `followthemoney`'s model.

One JSON Lines file, `entities.ftm.json`, as `ftm` and `aleph` read it:

- a `Person` per linked person: every name it was written under (Chinese, pinyin, and the
  Uyghur Latin and Arabic spellings the name table knows), ID numbers, birth date, sex,
  addresses, ethnicity, status; `proof` points at each register it was read from, and `notes`
  give each record's path, sheet and row (the provenance a reader checks);
- a `Table` per register path, an `Image` per photo (`pictured`: the persons it shows), a
  `Document` per other path, with name, type, size, dates and camera;
- a `Note` per finding, on the file it concerns.

Ids are hashes of our own stable keys (person id, path, finding), never random, so a second
export of the same case gives the same entities and Aleph updates rather than duplicates them.
`contentHash` is left out: FtM's checksum type is SHA-1, and we hold SHA-256 (in `notes`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import Any

from followthemoney import EntityProxy, model
from followthemoney.util import make_entity_id

from veracity.analyze.export.base import Exporter, Tables, Written, private_file
from veracity.kinds import PHOTO
from veracity.people import UyghurName, load_names, split_name

FILE_NAME = "entities.ftm.json"
_GENDER = {"男": "male", "女": "female"}


def _make_id(*parts: str) -> str:
    entity_id = make_entity_id("veracity", *parts)
    assert entity_id is not None  # None only when every part is empty; ours never are
    return entity_id


def file_id(path: str) -> str:
    return _make_id("file", path)


def person_id(pid: str) -> str:
    return _make_id("person", pid)


def _entity(schema: str, entity_id: str) -> EntityProxy:
    entity = model.make_entity(schema)
    entity.id = entity_id
    return entity


@cache
def _by_chinese() -> dict[str, UyghurName]:
    return {zh: name for name in load_names() for zh in name.chinese}


def other_scripts(name: str) -> list[str]:
    """The Uyghur Latin and Arabic spellings of a Chinese-written name, when all parts are known."""
    given, father = split_name(name)
    parts = [_by_chinese().get(part) for part in (given, father) if part]
    if not parts or any(part is None for part in parts):
        return []
    known = [part for part in parts if part is not None]
    spellings = [" ".join(part.uly for part in known)]
    if all(part.arabic for part in known):
        spellings.append(" ".join(part.arabic for part in known))
    return spellings


def _where(record: dict[str, Any]) -> str:
    return f"{record['path']} · sheet {record['sheet']} · row {record['row']}"


def person_entity(person: dict[str, Any], records: Sequence[dict[str, Any]]) -> EntityProxy:
    """A Person from a `persons` row and all its records (with their paths)."""
    entity = _entity("Person", person_id(person["person_id"]))
    names = [person["name"], *(r["name_raw"] for r in records)]
    entity.add("name", names)
    entity.add("firstName", person["given_name"])
    entity.add("fatherName", person["father_name"])
    entity.add("alias", person["pinyin"])
    for name in dict.fromkeys(n for n in names if n):
        entity.add("alias", other_scripts(name))
    entity.add("idNumber", [person["id_number"], *(r["id_number"] for r in records)])
    entity.add("birthDate", person["birth_date"])
    entity.add("gender", _GENDER.get(person["sex"] or ""))
    entity.add("country", "cn")
    for field in ("address", "ethnicity", "status"):
        entity.add(field, [r[field] for r in records])
    entity.add("proof", [file_id(r["path"]) for r in records if r["path"]])
    entity.add("notes", [f"Record: {_where(r)}" for r in records])
    if person["detention_start"]:
        entity.add("description", f"Detention began {person['detention_start']} (registers)")
    return entity


def _schema(row: dict[str, Any]) -> str:
    if row["kind"] == PHOTO:
        return "Image"
    return "Table" if row["records"] else "Document"


def _camera(make: str, model_name: str) -> str:
    """ "Canon EOS 5D Mark III", not "Canon Canon EOS 5D Mark III": models often repeat the make."""
    if model_name.lower().startswith(make.lower()):
        return model_name
    return f"{make} {model_name}".strip()


def file_entity(row: dict[str, Any]) -> EntityProxy:
    """A Table, Image or Document for one row of the `files` export."""
    entity = _entity(_schema(row), file_id(row["path"]))
    meta = row["metadata"] or {}
    name = row["path"].rsplit("!/", 1)[-1].rsplit("/", 1)[-1]
    entity.add("fileName", name)
    entity.add("title", meta.get("title") or name)
    entity.add("mimeType", row["mime"] or row["claimed_mime"])
    entity.add("fileSize", row["size"])
    entity.add("author", meta.get("author"))
    entity.add("createdAt", meta.get("created"))
    entity.add("modifiedAt", meta.get("modified"))
    entity.add("date", meta.get("taken_at") or meta.get("created"))
    camera = _camera(meta.get("camera_make") or "", meta.get("camera_model") or "")
    entity.add("generator", camera or meta.get("application") or meta.get("producer"))
    inside = f" (inside {row['parent']})" if row["parent"] else ""
    entity.add("notes", f"Path: {row['path']}{inside}; sha256: {row['sha256'] or 'unread'}")
    if entity.schema.is_a("Table"):
        entity.add("rowCount", row["records"])
    if entity.schema.is_a("Image"):
        entity.add("pictured", [person_id(p) for p in sorted((row["person_ids"] or "").split())])
    error = row["error"] or (row["status"] == "failed" and "extraction failed")
    if error:
        entity.add("processingStatus", "failure")
        entity.add("processingError", error)
    return entity


def finding_entity(row: dict[str, Any], number: int) -> EntityProxy:
    """A Note on the file a finding concerns (id: the check, path, locator and its rank)."""
    key = json.dumps([row["check"], row["path"], row["locator"], number], ensure_ascii=False)
    entity = _entity("Note", _make_id("finding", key))
    if row["path"]:
        entity.add("entity", file_id(row["path"]))
    entity.add("name", f"{row['severity']}: {row['check']}")
    entity.add("description", row["message"])
    entity.add("notes", json.dumps(row["evidence"], ensure_ascii=False, sort_keys=True))
    return entity


def person_entities(tables: Tables) -> Iterator[EntityProxy]:
    """Each person with all its records, grouped while streaming (never all in memory)."""
    pairs = tables.store.iter_person_records()
    for _, group in groupby(pairs, key=lambda pair: pair[0]["person_id"]):
        items = list(group)
        yield person_entity(items[0][0], [record for _, record in items])


def _findings(tables: Tables) -> Iterator[EntityProxy]:
    for number, row in enumerate(tables.records("findings")):
        yield finding_entity(row, number)


def _write(out: Any, entities: Iterable[EntityProxy]) -> int:
    n = 0
    for entity in entities:
        out.write(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        n += 1
    return n


class FtmExporter(Exporter):
    """Persons (with their records as provenance), files and findings as FtM entities."""

    FORMAT = "ftm"

    def write(self, tables: Tables, names: Sequence[str], out_dir: Path) -> list[Written]:
        path = out_dir / FILE_NAME
        groups = []
        if "persons" in names or "records" in names:
            groups.append(("persons", person_entities(tables)))
        if "files" in names:
            groups.append(("files", map(file_entity, tables.records("files"))))
        if "findings" in names:
            groups.append(("findings", _findings(tables)))
        with private_file(path) as out:
            return [Written(path, table, _write(out, entities)) for table, entities in groups]
