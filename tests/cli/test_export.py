"""`veracity export`."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from tests.analyze.export.conftest import NAME, build_case, counts
from tests.conftest import Cli
from veracity.case import open_case


@pytest.fixture(scope="module")
def export_case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_case(tmp_path_factory.mktemp("cli_export"))


def test_export_writes_every_table_privately(export_case_dir: Path, tmp_path: Path) -> None:
    case_dir = tmp_path / "case"
    shutil.copytree(export_case_dir, case_dir)  # the default folder is inside the case
    result = Cli(case_dir)("export", "--format", "csv", "--json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert {row["table"]: row["rows"] for row in lines} == counts(open_case(case_dir))
    out = case_dir / "exports"
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(Path(row["path"]).stat().st_mode) == 0o600 for row in lines)
    assert "0600" in result.stderr and "0700" in result.stderr
    assert NAME in (out / "persons.csv").read_text(encoding="utf-8-sig")


def test_export_one_table_to_a_folder(export_case_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    cli = Cli(export_case_dir)
    result = cli("export", "--format", "ftm", "--table", "persons", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["entities.ftm.json"]
    assert "persons: 3 entities" in result.stdout
    bad = cli("export", "--format", "xml")
    assert bad.exit_code == 2 and "xml" in bad.output
