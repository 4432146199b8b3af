"""`veracity demo`: the whole pipeline on a synthetic leak, as far as it is built."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click

from veracity.case import open_case
from veracity.cli._options import case_option
from veracity.cli.synth import parse_size


@click.command("demo")
@click.option(
    "--leak",
    "leak",
    default="./demo-leak",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the synthetic leak goes.",
)
@case_option
@click.option("--size", default="200MB", show_default=True, help="Size of the synthetic leak.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--fresh", is_flag=True, help="Make the leak again even if it exists.")
def demo_command(leak: Path, case_dir: str, size: str, seed: int, fresh: bool) -> None:
    """Synthesise a leak, ingest it into a case and summarise both.

    Runs again in seconds: the leak is kept, and the ingest reads only what changed.
    """
    # imported here, not at the top: `veracity --help` and other commands stay fast
    from veracity.ingest import for_terminal, ingest
    from veracity.ingest.summary import format_summary
    from veracity.synth import SynthConfig, generate, truth_path

    if fresh or not truth_path(leak).exists():
        started = time.monotonic()
        click.echo(f"1. synth: writing a {size} synthetic leak to {leak} …")
        result = generate(leak, SynthConfig(seed=seed, size_bytes=parse_size(size)), overwrite=True)
        click.echo(
            f"   {result.files} files, {result.size_bytes / 1e6:.0f} MB, {result.anomalies} planted"
            f" anomalies in {time.monotonic() - started:.1f} s; truth: {result.truth_path}"
        )
    else:
        click.echo(f"1. synth: using the leak already at {leak} (--fresh to make it again)")
    truth = json.loads(truth_path(leak).read_text(encoding="utf-8"))
    click.echo(f"2. ingest: {leak} → {case_dir}")
    summary = ingest(open_case(case_dir, create=True), [leak], progress=for_terminal())
    click.echo(format_summary(summary))
    stats = truth.get("stats", {})
    click.echo("3. what the leak holds (ground truth, for scoring the next stages):")
    click.echo(
        f"   {stats.get('people')} people in the registers (and {len(truth.get('staff', []))}"
        f" staff on other lists, never detained), {stats.get('detained', {}).get('total')}"
        f" detained, {len(truth.get('anomalies', []))} planted anomalies;"
        f" {len(truth.get('sheets', []))} sheets, of which"
        f" {sum(s['kind'] in ('residents', 'detainees') for s in truth.get('sheets', []))}"
        " registers"
    )
    _demo_search(case_dir, truth.get("name_queries", [])[:8])
    _demo_fulltext(case_dir, truth.get("name_queries", [])[:1])
    _demo_verify(case_dir, leak, truth.get("anomalies", []))
    _demo_report(case_dir)
    _demo_stats(case_dir, truth.get("stats", {}))
    click.echo(f"   list the files: veracity files --case {case_dir}")


def _demo_verify(case_dir: str, leak: Path, planted: list[dict[str, Any]]) -> None:
    """Every check over the case, scored against the anomalies the generator planted; the
    leak's reference folder (earlier publications, known sites) is what a newsroom would have."""
    from veracity.store import open_store
    from veracity.synth import reference_path
    from veracity.verify import run_checks

    case = open_case(case_dir)
    reference = reference_path(leak)
    sites = reference / "sites.geojson"
    options = {
        "reference": reference if reference.is_dir() else None,
        "sites": sites if sites.is_file() else None,
    }
    summary = run_checks(case, (), options)
    store = open_store(case, migrate=False)
    try:
        flagged = {
            (f["path"], str(f["locator"]))
            for f in store.iter_findings()
            if f["severity"] in ("warning", "critical")
        }
    finally:
        store.close()
    found = sum((a["path"], str(a["locator"])) in flagged for a in planted)
    counts = {k: v.get("findings", 0) for k, v in summary.items() if v.get("findings")}
    click.echo(
        f"5. verify: every authenticity check (veracity verify --reference {reference}"
        f" --sites {sites}):"
    )
    click.echo(
        f"   {sum(counts.values())} findings: " + ", ".join(f"{k} {v}" for k, v in counts.items())
    )
    click.echo(
        f"   {found} of {len(planted)} planted anomalies flagged (warning or worse);"
        f" {len(flagged)} places flagged in all"
    )
    corroborated = {k: summary.get(k, {}).get("findings", 0) for k in _CORROBORATION}
    click.echo("   corroboration: " + ", ".join(f"{k} {v}" for k, v in corroborated.items()))


_CORROBORATION = ("reference_passages", "reference_photos", "photo_gps_clusters")


def _demo_stats(case_dir: str, truth: dict[str, Any]) -> None:
    """The figures a story quotes, beside what the generator knows they must be; charts and
    an export to Aleph."""
    from veracity.analyze.export.runner import export_case
    from veracity.analyze.plots import write_plots
    from veracity.analyze.stats import compute_stats
    from veracity.cli.stats import basis_lines

    case = open_case(case_dir)
    started = time.perf_counter()
    stats = compute_stats(case)
    seconds = time.perf_counter() - started
    click.echo(f"7. stats (veracity stats, {seconds:.1f} s) — found / truth:")
    detained, expected = stats["detained"], truth.get("detained", {})
    click.echo(
        f"   people {stats['people']} / {truth.get('people')}; detained {detained['total']} /"
        f" {expected.get('total')}, by year {detained['by_year']} / {expected.get('by_year')}"
    )
    click.echo(
        f"   adults {stats['adults']} / {truth.get('adults')}; detained adult share"
        f" {100 * stats['detained_adult_share']:.1f}% /"
        f" {100 * float(truth.get('detained_adult_share', 0)):.1f}%"
    )
    for line in basis_lines(stats):  # what each figure rests on, what was never counted
        click.echo(f"   {line}")
    charts = write_plots(stats, case.root / "charts", ("svg",))
    click.echo(f"   {len(charts)} charts in {case.root / 'charts'} (veracity stats --plot DIR)")
    export = export_case(case, "ftm")
    entities: dict[Path, int] = {}
    for item in export.written:
        entities[item.path] = entities.get(item.path, 0) + item.rows
    for path, n in entities.items():
        click.echo(f"   FollowTheMoney for Aleph: {path} ({n} entities, mode 0600)")


def _demo_report(case_dir: str) -> None:
    from veracity.report import write_report

    case = open_case(case_dir)
    out = case.root / "report.html"
    data = write_report(case, out)
    head = data.headline
    click.echo(
        f"6. report: {out} — open it in a browser ({head.consistent_records} of"
        f" {head.records} register records internally consistent)"
    )


def _demo_fulltext(case_dir: str, names: list[dict[str, Any]]) -> None:
    """Full-text search: Chinese substrings of one and more characters, a field, a person."""
    from veracity.search import open_search

    queries = ["教培中心", "县", '"重点人员" year:2017', "camera:Canon taken:2018-01..2018-03"]
    queries += [f'person:"{q["query"]}"' for q in names]
    search, store = open_search(open_case(case_dir))
    try:
        click.echo("4b. full-text search (veracity search):")
        for query in queries:
            started = time.perf_counter()
            results = search.search(query, limit=1, facets=False)
            ms = (time.perf_counter() - started) * 1000
            top = results.hits[0] if results.hits else None
            where = f"{top.path or top.kind} {top.locator or ''}".strip() if top else "-"
            click.echo(f"   {query!r}: {results.total} hits in {ms:.1f} ms; best: {where}")
    finally:
        store.close()


def _demo_search(case_dir: str, queries: list[dict[str, Any]]) -> None:
    """A relative's spelling (Latin or Cyrillic), found in the Chinese-script registers; a
    name no register holds, answered with the nearest records, labelled so."""
    from veracity.people import find

    case = open_case(case_dir)
    click.echo("4. names across scripts (a relative abroad types a Latin or Cyrillic spelling):")
    firsts: dict[str, list[bool]] = {}
    for query in queries:
        hits = find(case, query["query"], limit=10)
        right = set(query.get("id_numbers") or [query.get("id_number")])
        rank = next((n for n, h in enumerate(hits, 1) if h["id_number"] in right), None)
        tied = rank is not None and hits[rank - 1]["score"] == hits[0]["score"]
        firsts.setdefault(query.get("style", "latin"), []).append(tied)
        best = hits[0]["names"][0] if hits else "-"
        where = f"right person at rank {rank}" if rank else "right person not in the top 10"
        if tied and rank != 1:
            where = f"right person tied first with another person of that name, listed at {rank}"
        label = "" if hits and hits[0]["confident"] else " — no confident match"
        click.echo(f"   veracity people find {query['query']!r} → {best} ({where}){label}")
    summary = ", ".join(f"{style} {sum(f)}/{len(f)}" for style, f in sorted(firsts.items()))
    click.echo(f"   right person first (or tied first), by spelling: {summary}")
    stranger = find(case, "Zzyzx Qwvbnm", limit=3)
    label = "confident" if stranger and stranger[0]["confident"] else "no confident match"
    click.echo(
        f"   veracity people find 'Zzyzx Qwvbnm' → {label} — nearest records: "
        f"{len(stranger)} listed, score {stranger[0]['score'] if stranger else 0:.2f}, no photos"
    )
