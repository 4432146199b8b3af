"""`veracity verify`: the findings, then the registers' headline consistency figure."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tests.conftest import Cli, run_ingest
from tests.verify.checks._registers import write_register
from veracity.case import open_case
from veracity.people.idcard import make_id


def _case_with_register(tmp_path: Path, run_cli: Cli) -> None:
    good = [(f"艾山{i}", make_id("653121", date(1970 + i, 3, 12), i, "男"), "男") for i in range(3)]
    wrong_sex = ("古丽", make_id("653121", date(1990, 7, 1), 5, "女"), "男")
    write_register(tmp_path / "src", [*good, wrong_sex])
    run_ingest(open_case(run_cli.case_dir, create=True), tmp_path / "src", workers=1)


def test_verify_ends_with_the_consistency_line(tmp_path: Path, run_cli: Cli) -> None:
    _case_with_register(tmp_path, run_cli)
    result = run_cli("verify", "--check", "id_sex")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("id_sex: 1 findings")
    assert lines[-1] == "Registers: 3 of 4 rows (75.0%) internally consistent"


def test_verify_json_prints_only_findings(tmp_path: Path, run_cli: Cli) -> None:
    _case_with_register(tmp_path, run_cli)
    result = run_cli("verify", "--check", "id_sex", "--json")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["check"] for line in result.output.splitlines()] == ["id_sex"]


def test_a_malformed_sites_file_is_one_line_and_exit_2(tmp_path: Path, run_cli: Cli) -> None:
    import subprocess
    import sys

    _case_with_register(tmp_path, run_cli)
    sites = tmp_path / "sites.geojson"
    sites.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                     '"geometry": {"type": "Point", "coordinates": [500, 1]}}]}')  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "veracity", "verify", "--case", str(run_cli.case_dir),
         "--sites", str(sites)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "not a [longitude, latitude]" in done.stderr
