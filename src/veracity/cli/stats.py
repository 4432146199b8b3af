"""`veracity stats`: the case in figures, and `stats explain KEY`: the rows behind one."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import click

from veracity.case import open_case
from veracity.cli._options import case_option, json_option
from veracity.cli._output import emit_lines, emit_object


@click.group("stats", invoke_without_command=True)
@case_option
@json_option
@click.option(
    "--plot",
    "plot_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write the charts (PNG and SVG) to this folder.",
)
@click.pass_context
def stats_group(ctx: click.Context, case_dir: str, as_json: bool, plot_dir: Path | None) -> None:
    """The case in figures: files, people, detentions by year, month, place and status, age at
    detention, sentences, photos by month and camera. `veracity stats explain KEY` shows how
    any figure was counted and from which records."""
    if ctx.invoked_subcommand is not None:
        return
    from veracity.analyze.stats import compute_stats

    stats = compute_stats(open_case(case_dir))
    if plot_dir is not None:
        from veracity.analyze.plots import write_plots

        write_plots(stats, plot_dir)
    if as_json:
        emit_object(stats)
        return
    for line in summary_lines(stats):
        click.echo(line)


def summary_lines(stats: dict[str, Any]) -> list[str]:
    """A few readable lines of the headline figures."""
    detained = stats["detained"]
    years = ", ".join(f"{y}: {n}" for y, n in detained["by_year"].items()) or "-"
    categories = ", ".join(f"{c} {n}" for c, n in stats["status"]["by_category"].items() if n)
    unknown = stats["status"]["unknown"]
    ages = stats["age_at_detention"]
    lines = [
        f"files {stats['files']} (photos {stats['photos']}, documents {stats['documents']}, "
        f"spreadsheets {stats['spreadsheets']})",
        f"records {stats['records']}, people {stats['people']} in the registers "
        f"({stats['people_in_any_list']} on any list of people)",
        f"detained {detained['total']} ({years})",
        f"adults on 2018-01-01 in residents' registers {stats['adults']}, detained "
        f"{stats['detained_adults']} ({stats['detained_adult_share'] * 100:.1f}%; per register: "
        "stats explain detained_adult_share_by_register)",
        f"status: {categories or '-'}",
    ]
    if unknown:
        lines.append("unknown status words: " + ", ".join(f"{w} {n}" for w, n in unknown.items()))
    if ages.get("count"):
        lines.append(
            f"age at detention: median {ages['median']} (min {ages['min']}, max {ages['max']})"
        )
    sentences = stats["sentences"]
    if sentences["count"] or sentences["life_or_death"]:
        lines.append(
            f"sentences: {sentences['count']}, median {sentences['months'].get('median')} "
            f"months, life or death {sentences['life_or_death']}"
        )
    lines += basis_lines(stats)
    lines.append("explain any figure: veracity stats explain KEY (e.g. detained.by_year.2018)")
    return lines


def basis_lines(stats: dict[str, Any]) -> list[str]:
    """What the figures rest on, what they leave out, and every guess among their sources."""
    basis = stats["basis"]
    lines = []
    for name, figure in basis["figures"].items():
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(figure["by_kind"].items())) or "none"
        lines.append(
            f"{name} rests on {figure['registers']} register(s) ({kinds}), "
            f"{figure['records']} rows, columns {', '.join(figure['fields'])}"
        )
        lines += [f"  guess: {g}" for g in figure["guesses"]]
    left = basis["left_out"]
    if left:
        parts = ", ".join(
            f"{k} {v['registers']} sheet(s), {v['records']} rows" for k, v in sorted(left.items())
        )
        lines.append(f"never counted (not residents' or detainee lists): {parts}")
    excluded = {k: n for k, n in stats["excluded"].items() if n}
    if excluded:
        parts = ", ".join(f"{k} {n}" for k, n in excluded.items())
        lines.append(
            f"left out as impossible (newest dated file {stats['newest_file_date']}): {parts}"
        )
    return lines


@stats_group.command("explain")
@case_option
@json_option
@click.argument("key")
@click.option(
    "--csv",
    "csv_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the rows to this CSV file (UTF-8 with BOM, for spreadsheets) instead.",
)
def explain_command(case_dir: str, as_json: bool, key: str, csv_file: Path | None) -> None:
    """How the figure KEY (e.g. detained.by_year.2017, status.by_category.sentenced) is counted,
    and the records or files it was counted from."""
    from veracity.analyze.explain import explain

    found = explain(open_case(case_dir), key)
    if csv_file is not None:
        with csv_file.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=list(found.columns))
            writer.writeheader()
            n = 0
            for row in found.rows:
                writer.writerow(row)
                n += 1
        click.echo(f"{found.key}: {found.rule}", err=True)
        click.echo(f"{n} rows written to {csv_file}", err=True)
        return
    if as_json:
        emit_lines(found.rows)
        return
    click.echo(f"{found.key}: {found.rule}")
    click.echo("\t".join(found.columns))
    for row in found.rows:
        click.echo("\t".join("" if row[c] is None else str(row[c]) for c in found.columns))
