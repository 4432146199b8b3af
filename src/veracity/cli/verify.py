"""`veracity verify`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from veracity.case import Case, open_case
from veracity.cli._options import case_option, json_option
from veracity.cli._output import emit_lines

if TYPE_CHECKING:
    from veracity.store import Store


@click.command("verify")
@click.option("--check", "checks", multiple=True, help="Run only this check (repeatable).")
@click.option(
    "--reference",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of earlier published documents and photos to corroborate the leak against.",
)
@click.option(
    "--sites",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="GeoJSON of known facilities; each photo cluster gets its distance to the nearest.",
)
@case_option
@json_option
def verify_command(
    checks: tuple[str, ...],
    reference: Path | None,
    sites: Path | None,
    case_dir: str,
    as_json: bool,
) -> None:
    """Run every authenticity check over the case and print the findings.

    Re-running a check replaces its earlier findings. With --json: JSON Lines, one finding a
    line (check, severity, path, locator, message, evidence).
    """
    from veracity.store import open_store
    from veracity.verify import run_checks, select_checks

    case = open_case(case_dir)
    selected = select_checks(checks)
    if sites is not None:
        from veracity.verify.checks.photo_gps_clusters import load_sites

        load_sites(sites)  # a malformed file is the user's to fix, even with no photo to place
    summary = run_checks(case, checks, {"reference": reference, "sites": sites})
    store = open_store(case, migrate=False)
    try:
        for cls in selected:
            findings = store.iter_findings(cls.NAME)
            if as_json:
                emit_lines(findings)
                continue
            result = summary[cls.NAME]
            _print_check(cls.NAME, result, list(findings))
        if not as_json:
            _print_consistency(case, store)
    finally:
        store.close()


def _print_consistency(case: Case, store: Store) -> None:
    """The headline figure, last, as the report shows it."""
    from veracity.verify import CaseView
    from veracity.verify.consistency import consistency

    result = consistency(CaseView(case, store), store.iter_findings())
    click.echo(
        f"Registers: {result.consistent} of {result.total} rows ({result.percent:.1f}%) "
        "internally consistent"
    )


def _print_check(name: str, result: dict[str, object], findings: list[dict[str, object]]) -> None:
    if "skipped" in result or "error" in result:
        click.echo(f"{name}: {result.get('skipped') or result.get('error')}")
        return
    counts = Counter(str(f["severity"]) for f in findings)
    by_severity = ", ".join(
        f"{counts[s]} {s}" for s in ("critical", "warning", "info") if counts[s]
    )
    click.echo(f"{name}: {len(findings)} findings" + (f" ({by_severity})" if by_severity else ""))
    for f in findings[:5]:
        where = f"{f['path']}" + (f" {f['locator']}" if f["locator"] else "")
        click.echo(f"  [{f['severity']}] {where}: {f['message']}")
    if len(findings) > 5:
        click.echo(f"  … {len(findings) - 5} more (--json for all)")
