"""`veracity synth` and `veracity demo` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from veracity.cli import cli
from veracity.cli.synth import parse_size


def test_parse_size() -> None:
    assert parse_size("200MB") == 200_000_000
    assert parse_size("1.5GiB") == int(1.5 * 2**30)
    assert parse_size("1234") == 1234
    with pytest.raises(click.BadParameter):
        parse_size("lots")


def test_synth_then_demo_on_a_small_leak(tmp_path: Path) -> None:
    runner = CliRunner()
    leak = tmp_path / "leak"
    args = ["synth", str(leak), "--people", "60", "--photos", "20", "--documents", "6", "--json"]
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    made = json.loads(result.output)
    assert made["files"] > 20 and made["anomalies"] > 5
    again = runner.invoke(cli, ["synth", str(leak)])
    assert again.exit_code != 0 and "--overwrite" in str(again.exception)
    case = tmp_path / "case"
    demo = runner.invoke(
        cli, ["demo", "--leak", str(leak), "--case", str(case)], catch_exceptions=False
    )
    assert demo.exit_code == 0, demo.output
    assert "using the leak already at" in demo.output
    assert "0 failed" in demo.output and "planted anomalies" in demo.output
    assert (case / "case.db").exists()
