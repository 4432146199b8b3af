"""Keeping the case's search index in step with the case, touching only what changed.

The store remembers a digest per content of everything its units are built from (its paths,
its extraction's status and version, the index layout); a content whose digest differs — new,
re-read, found at a new path — has its units deleted and written again. Persons are one group,
re-indexed when the people build changed. The digests are recorded only after tantivy has
committed, and every content's units are deleted before they are added, so an index update
killed half-way is finished by the next run without duplicates: resumable like the ingest.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import time
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

import tantivy

from veracity.case import Case
from veracity.iterate import chunked
from veracity.search.schema import (
    INDEX_VERSION,
    SCHEMA,
    SUBTYPE_FIELD,
    WORD_FIELDS,
    han_pairs,
    normalise,
    open_index,
)
from veracity.search.units import STORED_CHARS, Content, Unit, locator_text, person_units, units_of
from veracity.store import Store

log = logging.getLogger(__name__)

_CONTENTS_PER_READ = 200
_COMMIT_UNITS = 100_000
_HEAP_BYTES = 256_000_000
_VERSION_KEY = "index_version"
_PERSONS_KEY = "persons"


def index_dir(case: Case) -> Path:
    return case.root / "search"


def to_document(unit: Unit) -> tantivy.Document:
    """The tantivy document of one unit; the text is normalised once, for every field."""
    text = normalise(unit.body)
    doc = tantivy.Document()
    doc.add_text("uid", unit.uid)
    doc.add_text("sha256", unit.sha256)
    doc.add_text("locator", locator_text(unit.locator))
    doc.add_text("body", text)
    doc.add_text("shown", unit.body[:STORED_CHARS])  # as written, for snippets
    doc.add_text("zh1", text)
    doc.add_text("zh2", han_pairs(text))
    for path in unit.paths:
        doc.add_text("path", path)
        doc.add_text("folder", path.rsplit("/", 1)[0] if "/" in path else ".")
    doc.add_text("kind", unit.kind)
    doc.add_text("type", unit.type)
    if unit.subtype:
        doc.add_text(SUBTYPE_FIELD, unit.subtype)
    if unit.lang:
        doc.add_text("lang", unit.lang)
    if unit.camera_model:
        doc.add_text("camera_model", unit.camera_model)
    if unit.year is not None:
        doc.add_integer("year", unit.year)
    for name, value in unit.fields.items():
        if name in WORD_FIELDS:
            doc.add_text(name, normalise(value))
    for name, number in unit.dates.items():
        doc.add_integer(name, number)
    return doc


def _digest(*parts: object) -> str:
    h = hashlib.sha256(INDEX_VERSION.encode())
    for part in parts:
        h.update(b"\x00" + str(part).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:32]


def _changed_contents(
    store: Store, state: dict[str, str]
) -> Iterator[tuple[str, tuple[str, ...], str]]:
    """(sha256, paths, digest) of every content the index does not hold as it is now."""
    for sha, group in groupby(store.iter_content_paths(), key=lambda row: row[0]):
        rows = list(group)
        paths = tuple(row[1] for row in rows)
        digest = _digest(rows[0][2], rows[0][3], *paths)
        if state.get(sha) != digest:
            yield sha, paths, digest


def _persons_digest(case: Case, store: Store) -> str:
    stamp = case.derived_dir / "people-build.json"
    text = stamp.read_text(encoding="utf-8") if stamp.exists() else ""
    return _digest(text, store.count_records())


class _Writer:
    """One tantivy writer; commits every so many units and then records what it committed."""

    def __init__(self, index: tantivy.Index, store: Store, threads: int) -> None:
        self.writer = index.writer(_HEAP_BYTES, threads)
        self.store = store
        self.pending: list[tuple[str, str]] = []
        self.units = 0
        self._since_commit = 0

    def replace(self, key_field: str, key: str, units: Iterable[Unit]) -> None:
        self.writer.delete_documents_by_term(key_field, key)
        for unit in units:
            self.writer.add_document(to_document(unit))
            self.units += 1
            self._since_commit += 1

    def done(self, key: str, digest: str) -> None:
        self.pending.append((key, digest))
        if self._since_commit >= _COMMIT_UNITS:
            self.commit()

    def commit(self) -> None:
        self.writer.commit()
        self.store.set_search_state(self.pending)
        self.pending = []
        self._since_commit = 0

    def close(self) -> None:
        self.commit()
        self.writer.wait_merging_threads()


def update_index(case: Case, store: Store, *, threads: int = 0) -> dict[str, Any]:
    """Bring the index up to date with the case; returns what it did, for the summary."""
    started = time.monotonic()
    folder = index_dir(case)
    state = store.search_state()
    if state.get(_VERSION_KEY) != INDEX_VERSION:
        if folder.exists():
            shutil.rmtree(folder)  # a layout from another version: build it afresh
        store.clear_search_state()
        state = {}
    index = open_index(folder)
    writer = _Writer(index, store, threads)
    writer.pending.append((_VERSION_KEY, INDEX_VERSION))
    contents = 0
    for batch in chunked(_changed_contents(store, state), _CONTENTS_PER_READ):
        found = store.contents_for_index([sha for sha, _, _ in batch])
        for sha, paths, digest in batch:
            row = found.get(sha)
            if row is None:
                continue
            content = Content(
                sha256=sha,
                paths=paths,
                mime=row["mime"],
                extractor=row["extractor"],
                metadata=row["metadata"],
                text=row["text"],
                language=row["language"],
            )
            writer.replace("sha256", sha, units_of(content, store))
            writer.done(sha, digest)
            contents += 1
    persons_digest = _persons_digest(case, store)
    persons_indexed = state.get(_PERSONS_KEY) != persons_digest
    if persons_indexed:
        writer.replace("kind", "person", person_units(store))
        writer.done(_PERSONS_KEY, persons_digest)
    writer.close()
    index.reload()
    return {
        "contents": contents,
        "units": writer.units,
        "persons_reindexed": persons_indexed,
        "index_units": index.searcher().num_docs,
        "seconds": round(time.monotonic() - started, 2),
    }


__all__ = ["SCHEMA", "index_dir", "to_document", "update_index"]
