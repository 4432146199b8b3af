"""`veracity ingest`."""

from __future__ import annotations

from pathlib import Path

import click

from veracity.case import open_case
from veracity.cli._options import case_option, json_option
from veracity.cli._output import emit_object


@click.command("ingest")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--workers", type=click.IntRange(min=0), default=0, help="Worker processes (0: one per core)."
)
@case_option
@json_option
def ingest_command(sources: tuple[Path, ...], workers: int, case_dir: str, as_json: bool) -> None:
    """Hash, identify, unpack and read every file of SOURCE folders into the case.

    Resumable and idempotent: run it again after an interruption, or after new files arrive,
    and only what is new or changed is read.
    """
    # imported here, not at the top: `veracity --help` and other commands stay fast
    from veracity.ingest import SilentProgress, for_terminal, ingest
    from veracity.ingest.summary import format_summary

    case = open_case(case_dir, create=True)
    progress = SilentProgress() if as_json else for_terminal()
    summary = ingest(case, list(sources), workers=workers, progress=progress)
    if as_json:
        emit_object(summary)
    else:
        click.echo(format_summary(summary))
