"""Batch search: a list of names or phrases in, one CSV of hits out, as newsrooms work with
lists of officials or of relatives' names."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from veracity.errors import UsageError
from veracity.search.query import QueryError
from veracity.search.searcher import CaseSearch

COLUMNS = ("query", "rank", "path", "locator", "score", "kind", "snippet", "error")


def read_queries(source: Path) -> Iterator[str]:
    """One query a line; blank lines and lines starting with # are skipped. A CSV's first
    column is the query (a header cell `query` is skipped). Lines are read one by one, even in
    a CSV: a query with a stray quote must not swallow the lines after it, and in a plain list
    the quotes of a phrase query are the query's own."""
    is_csv = source.suffix.lower() == ".csv"
    try:
        with source.open(encoding="utf-8-sig", newline="") as fh:
            for number, line in enumerate(fh, 1):
                cells = next(csv.reader([line]), []) if is_csv else [line]
                text = cells[0].strip() if cells else ""
                if not text or text.startswith("#") or (number == 1 and text.lower() == "query"):
                    continue
                yield text
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"cannot read the queries in {source}: {exc}") from exc


def run_batch(search: CaseSearch, source: Path, out: IO[str], limit: int = 0) -> dict[str, int]:
    """Every query's hits (all when `limit` is 0) as CSV rows; a bad query is a row with its
    error, and the others still run."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    figures = {"queries": 0, "with_hits": 0, "hits": 0, "errors": 0}
    for query in read_queries(source):
        figures["queries"] += 1
        n = 0
        try:
            for hit in search.iter_hits(query):
                n += 1
                writer.writerow(
                    (
                        query,
                        n,
                        hit.path or "",
                        json.dumps(hit.locator, ensure_ascii=False) if hit.locator else "",
                        round(hit.score, 4),
                        hit.kind,
                        hit.snippet,
                        "",
                    )
                )
                if limit and n >= limit:
                    break
        except QueryError as exc:
            figures["errors"] += 1
            writer.writerow((query, 0, "", "", "", "", "", str(exc)))
            continue
        figures["hits"] += n
        figures["with_hits"] += 1 if n else 0
    return figures
