"""The `veracity` command: one module per command group, each thin (parse, call, print)."""

from __future__ import annotations

import sys

import click

from veracity import __version__
from veracity.cli.demo import demo_command
from veracity.cli.export import export_command
from veracity.cli.files import files_command
from veracity.cli.ingest import ingest_command
from veracity.cli.people import people_group
from veracity.cli.report import report_command
from veracity.cli.search import search_command
from veracity.cli.stats import stats_group
from veracity.cli.synth import synth_command
from veracity.cli.verify import verify_command
from veracity.errors import UsageError, VeracityError

__all__ = ["cli", "main"]


@click.group()
@click.version_option(__version__, prog_name="veracity")
def cli() -> None:
    """veracity: take a leak apart, prove whether it is authentic, find the people in it."""


for command in (
    ingest_command,
    files_command,
    verify_command,
    search_command,
    report_command,
    export_command,
    people_group,
    stats_group,
    synth_command,
    demo_command,
):
    cli.add_command(command)


def main() -> None:
    """Entry point: our own errors become one line on stderr and exit 2, never a traceback."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except UsageError as exc:
        click.echo(f"veracity: {exc}", err=True)
        sys.exit(2)
    except VeracityError as exc:
        click.echo(f"veracity: {exc}", err=True)
        sys.exit(2)
