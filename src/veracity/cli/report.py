"""`veracity report`."""

from __future__ import annotations

from pathlib import Path

import click

from veracity.case import open_case
from veracity.cli._options import case_option


@click.command("report")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The HTML file to write.",
)
@click.option("--rerun", is_flag=True, help="Run every check first, even if findings are stored.")
@case_option
def report_command(out: Path, rerun: bool, case_dir: str) -> None:
    """Write one self-contained HTML authenticity report (no external requests).

    Reads the findings `veracity verify` stored; runs the checks first when there are none
    (or with --rerun). Shows the headline consistency figures, each check with its worst
    examples and how it works, a camera table, a timeline of shots and a map of GPS points.
    """
    from veracity.report import write_report

    data = write_report(open_case(case_dir), out, rerun=rerun)
    h = data.headline
    source = "checks run now" if data.ran_checks else "stored findings"
    click.echo(
        f"wrote {out}: {h.consistent_records}/{h.records} records consistent, "
        f"{h.findings['critical']} critical, {h.findings['warning']} warning, "
        f"{h.findings['info']} info ({source})"
    )
