"""What the search index reads from the case, and what it remembers having indexed."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from sqlalchemy import Engine, select

from veracity.store import schema

_CHUNK = 500  # bound parameters per IN (...)


class SearchSources:
    """Store methods for search/index.py; mixed into `Store`."""

    engine: Engine

    def _upsert(self, table: Any, rows: Any, keys: Any) -> Any:  # provided by Store
        raise NotImplementedError

    def iter_content_paths(self) -> Iterator[tuple[str, str, str | None, str | None]]:
        """(sha256, path, extraction status, extractor version) of every hashed path, by content.

        Light on purpose (no metadata, no text): the index compares a digest of these with what
        it holds to find the contents that are new or changed since it last ran.
        """
        p, e = schema.paths.c, schema.extractions.c
        query = (
            select(p.sha256, p.path, e.status, e.version)
            .select_from(schema.paths.outerjoin(schema.extractions, p.sha256 == e.sha256))
            .where(p.sha256.is_not(None))
            .order_by(p.sha256, p.path)
        )
        with self.engine.connect() as conn:
            for sha, path, status, version in conn.execution_options(yield_per=5000).execute(query):
                yield str(sha), str(path), status, version

    def contents_for_index(self, sha256s: Collection[str]) -> dict[str, dict[str, Any]]:
        """Type, extraction metadata, language and whole text of each content."""
        f, e = schema.files.c, schema.extractions.c
        out: dict[str, dict[str, Any]] = {}
        items = list(sha256s)
        with self.engine.connect() as conn:
            for start in range(0, len(items), _CHUNK):
                query = (
                    select(f.sha256, f.mime, e.extractor, e.status, e.metadata, e.text, e.language)
                    .select_from(schema.files.outerjoin(schema.extractions, f.sha256 == e.sha256))
                    .where(f.sha256.in_(items[start : start + _CHUNK]))
                )
                for sha, mime, extractor, status, metadata, text, language in conn.execute(query):
                    out[str(sha)] = {
                        "mime": mime or "",
                        "extractor": extractor,
                        "status": status,
                        "metadata": json.loads(metadata) if metadata else {},
                        "text": text,
                        "language": language,
                    }
        return out

    def pages_for_index(self, sha256: str) -> list[tuple[str, int, str, bool]]:
        """(kind, number, text, is_ocr) of each page, slide or sheet of one content."""
        p = schema.pages.c
        query = (
            select(p.kind, p.number, p.text, p.is_ocr)
            .where(p.sha256 == sha256)
            .order_by(p.kind, p.number)
        )
        with self.engine.connect() as conn:
            return [(str(k), int(n), str(t), bool(o)) for k, n, t, o in conn.execute(query)]

    def has_pages(self, sha256: str) -> bool:
        p = schema.pages.c
        with self.engine.connect() as conn:
            return (
                conn.execute(select(p.number).where(p.sha256 == sha256).limit(1)).first()
                is not None
            )

    def search_state(self) -> dict[str, str]:
        """The digest of every content (and of the persons) the index holds."""
        s = schema.search_state.c
        with self.engine.connect() as conn:
            return {str(k): str(d) for k, d in conn.execute(select(s.key, s.digest))}

    def set_search_state(self, items: Iterable[tuple[str, str]]) -> None:
        rows = [{"key": k, "digest": d} for k, d in items]
        if not rows:
            return
        with self.engine.begin() as conn:
            for start in range(0, len(rows), _CHUNK):
                conn.execute(
                    *self._upsert(schema.search_state, rows[start : start + _CHUNK], ("key",))
                )

    def clear_search_state(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(schema.search_state.delete())

    def finding_places(self, severities: Collection[str]) -> list[tuple[str, Any]]:
        """(sha256, locator) of every finding of these severities, through its path."""
        fi, p = schema.findings.c, schema.paths.c
        query = (
            select(p.sha256, fi.locator)
            .select_from(schema.findings.join(schema.paths, fi.path == p.path))
            .where(fi.severity.in_(list(severities)), p.sha256.is_not(None))
        )
        with self.engine.connect() as conn:
            return [
                (str(sha), json.loads(loc) if loc else None) for sha, loc in conn.execute(query)
            ]
