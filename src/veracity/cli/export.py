"""`veracity export`."""

from __future__ import annotations

from pathlib import Path

import click

from veracity.analyze.export import FORMATS, TABLES, export_case
from veracity.case import open_case
from veracity.cli._options import case_option, json_option
from veracity.cli._output import emit_lines


@click.command("export")
@case_option
@json_option
@click.option("--format", "fmt", required=True, type=click.Choice(FORMATS), help="File format.")
@click.option(
    "--table",
    "tables",
    multiple=True,
    type=click.Choice(TABLES),
    help="A table to export (repeatable; default: all).",
)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write to  [default: CASE/exports/]")  # fmt: skip
def export_command(
    case_dir: str, as_json: bool, fmt: str, tables: tuple[str, ...], out_dir: Path | None
) -> None:
    """Export persons, records, files and findings as CSV, JSON Lines, Parquet or FtM."""
    done = export_case(open_case(case_dir), fmt, tables or TABLES, out_dir)
    rows = [{"path": str(w.path), "table": w.table, "rows": w.rows} for w in done.written]
    if as_json:
        emit_lines(rows)
    else:
        for row in rows:
            unit = "entities" if fmt == "ftm" else "rows"
            click.echo(f"wrote {row['path']}  ({row['table']}: {row['rows']} {unit})")
    folder = "0700" if done.is_private_dir else "open to other users: narrow it (chmod 700)"
    click.echo(
        "These files hold persons' most sensitive data: each is readable by you only (0600); "
        f"folder {done.out_dir}: {folder}.",
        err=True,
    )
