"""Full-text search over everything in a case: index (kept in step with ingest), query
language, ranking, snippets and facets."""

from __future__ import annotations

from veracity.search.index import index_dir, update_index
from veracity.search.query import QueryError, parse
from veracity.search.searcher import CaseSearch, Hit, Results, open_search

__all__ = [
    "CaseSearch",
    "Hit",
    "QueryError",
    "Results",
    "index_dir",
    "open_search",
    "parse",
    "update_index",
]
