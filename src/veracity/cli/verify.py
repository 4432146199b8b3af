"""`veracity verify`."""

from __future__ import annotations

from collections import Counter

import click

from veracity.case import open_case
from veracity.cli._options import case_option, json_option
from veracity.cli._output import emit_lines


@click.command("verify")
@click.option("--check", "checks", multiple=True, help="Run only this check (repeatable).")
@case_option
@json_option
def verify_command(checks: tuple[str, ...], case_dir: str, as_json: bool) -> None:
    """Run every authenticity check over the case and print the findings.

    Re-running a check replaces its earlier findings. With --json: JSON Lines, one finding a
    line (check, severity, path, locator, message, evidence).
    """
    from veracity.store import open_store
    from veracity.verify import run_checks, select_checks

    case = open_case(case_dir)
    selected = select_checks(checks)
    summary = run_checks(case, checks)
    store = open_store(case, migrate=False)
    try:
        for cls in selected:
            findings = store.iter_findings(cls.NAME)
            if as_json:
                emit_lines(findings)
                continue
            result = summary[cls.NAME]
            _print_check(cls.NAME, result, list(findings))
    finally:
        store.close()


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
