"""`veracity search`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from veracity.case import open_case
from veracity.cli._options import case_option, json_option
from veracity.cli._output import dumps
from veracity.errors import UsageError


@click.command("search")
@click.argument("query", required=False)
@click.option("--limit", default=20, show_default=True, help="Hits to show; 0 for all of them.")
@click.option("--offset", default=0, show_default=True, help="Skip this many hits (paging).")
@click.option("--facets", "show_facets", is_flag=True, help="Also count hits by type, year, …")
@click.option(
    "--batch",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file of queries, one a line: writes a CSV of every query's hits.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where --batch writes its CSV (default: standard output).",
)
@case_option
@json_option
def search_command(
    query: str | None,
    limit: int,
    offset: int,
    show_facets: bool,
    batch: Path | None,
    out: Path | None,
    case_dir: str,
    as_json: bool,
) -> None:
    """Search everything in the case: documents, OCR, register rows, photo metadata, people.

    Chinese is found by any substring (one character or more); Latin words fold case and
    accents. Phrases in quotes; AND (default), OR, NOT or -word; field:value (author, camera,
    status, path, sheet, name, title, type, kind, lang, folder, year, id); date ranges such as
    taken:2018-01..2018-03; fuzzy Abdurehim~1; prefix Abdu*; person:"Abdurehim Tursun" finds a
    person's records in any script. With --json: JSON Lines (path, locator, score, snippet).
    """
    from veracity.search import open_search
    from veracity.search.batch import run_batch
    from veracity.search.searcher import marked

    if limit < 0 or offset < 0:
        raise UsageError("--limit and --offset must not be negative")
    if (query is None) == (batch is None):
        raise UsageError("give a QUERY, or --batch FILE with one query a line")
    case = open_case(case_dir)
    search, store = open_search(case)
    try:
        if batch is not None:
            if out is None:
                figures = run_batch(search, batch, sys.stdout, limit)
            else:
                with out.open("w", encoding="utf-8", newline="") as fh:
                    figures = run_batch(search, batch, fh, limit)
            click.echo(
                f"{figures['queries']} queries, {figures['with_hits']} with hits, "
                f"{figures['hits']} hits, {figures['errors']} unreadable",
                err=True,
            )
            return
        assert query is not None
        if limit == 0:
            hits = list(search.iter_hits(query))[offset:]
            total = len(hits) + offset
            facets = search.search(query, limit=0).facets if show_facets else {}
        else:
            results = search.search(query, limit=limit, offset=offset, facets=show_facets)
            hits, total, facets = results.hits, results.total, results.facets
        if as_json:
            for hit in hits:
                click.echo(dumps(hit.as_json()))
            if show_facets:  # one line too, so the output stays JSON Lines
                click.echo(dumps({"total": total, "facets": facets}))
            return
        click.echo(
            f"{total} hits" + (f", showing {offset + 1}–{offset + len(hits)}" if hits else "")
        )
        for hit in hits:
            where = hit.path or "(person)"
            if hit.locator:
                where += " " + " ".join(f"{k}={v}" for k, v in hit.locator.items())
            click.echo(f"  {where}  [{hit.kind}, {hit.score:.2f}]")
            if hit.snippet:
                click.echo(f"    {marked(hit.snippet, hit.highlights)}")
        for name, counts in facets.items():
            if counts:
                click.echo(f"{name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    finally:
        store.close()
