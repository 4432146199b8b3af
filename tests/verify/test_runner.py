"""The verification runner: findings stored per check, replaced on re-run; a failing check
stops nothing; the CLI prints the contract's JSON Lines."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import run_ingest
from veracity.case import Case
from veracity.cli import cli
from veracity.errors import UsageError
from veracity.store import open_store
from veracity.verify import CaseView, Check, Finding, registry, run_checks


class _Broken(Check):
    NAME = "broken"

    def run(self, view: CaseView) -> Iterator[Finding]:
        raise RuntimeError("this check has a bug")


class _NeedsRecords(Check):
    NAME = "needs_records"
    NEEDS = frozenset({"records"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        yield from ()


@pytest.fixture
def copies(make_case: Callable[..., Case], tmp_path: Path) -> Case:
    src = tmp_path / "src"
    (src / "a").mkdir(parents=True)
    (src / "a" / "notice.txt").write_text("通知", encoding="utf-8")
    shutil.copy(src / "a" / "notice.txt", src / "copy.txt")
    (src / "other.txt").write_text("other", encoding="utf-8")
    case = make_case()
    run_ingest(case, src)
    return case


def test_findings_are_stored_and_replaced_on_re_run(copies: Case) -> None:
    summary = run_checks(copies, ["identical_files"])
    assert summary["identical_files"]["findings"] == 1
    again = run_checks(copies, ["identical_files"])
    assert again["identical_files"]["findings"] == 1
    store = open_store(copies, migrate=False)
    try:
        rows = list(store.iter_findings("identical_files"))
    finally:
        store.close()
    assert len(rows) == 1
    assert rows[0]["severity"] == "info"
    assert {rows[0]["path"], rows[0]["evidence"]["other_path"]} == {"a/notice.txt", "copy.txt"}


def test_a_failing_check_is_reported_and_the_others_run(
    copies: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "CHECKS", (_Broken, *registry.CHECKS, _NeedsRecords))
    summary = run_checks(copies)
    assert summary["broken"]["error"] == "RuntimeError: this check has a bug"
    assert summary["identical_files"]["findings"] == 1
    assert summary["needs_records"] == {"skipped": "the case has no records"}


def test_unknown_check_is_a_usage_error(copies: Case) -> None:
    with pytest.raises(UsageError, match="unknown check"):
        run_checks(copies, ["no_such_check"])


def test_cli_prints_json_lines_in_the_contract(copies: Case) -> None:
    result = CliRunner().invoke(
        cli, ["verify", "--case", str(copies.root), "--json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows and all(
        set(r) == {"check", "severity", "path", "locator", "message", "evidence"} for r in rows
    )
    human = CliRunner().invoke(cli, ["verify", "--case", str(copies.root)])
    assert "identical_files: 1 findings (1 info)" in human.output
