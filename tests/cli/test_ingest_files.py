"""The command line: `ingest` and `files` as the contract in design.md says."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import Cli

CONTRACT_KEYS = {"path", "sha256", "size", "mime", "parent", "error", "metadata", "raw"}


def test_ingest_json_summary_and_files_json_lines(run_cli: Cli, small_source: Path) -> None:
    with zipfile.ZipFile(small_source / "a.zip", "w") as zf:
        zf.writestr("in/x.txt", "inside")
    result = run_cli("ingest", str(small_source), "--json", "--workers", "1")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["case"]["paths"] == 7
    assert summary["case"]["by_type"]["text/plain"] >= 3

    result = run_cli("files", "--json")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 7
    for row in rows:
        assert row.keys() >= CONTRACT_KEYS
    member = next(r for r in rows if r["path"] == "a.zip!/in/x.txt")
    assert member["parent"] == "a.zip"
    assert member["error"] is None
    assert member["metadata"]["encoding"] == "utf-8"
    by_path = {r["path"]: r for r in rows}
    assert by_path["docs/notice.txt"]["metadata"]["encoding"] == "gb18030"


def test_human_output(run_cli: Cli, small_source: Path) -> None:
    result = run_cli("ingest", str(small_source), "--workers", "1")
    assert result.exit_code == 0
    assert "read 5 files" in result.output and "duplicates" in result.output
    listing = run_cli("files").output
    assert "docs/notice.txt" in listing


def _veracity(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "veracity", *args], capture_output=True, text=True, check=False
    )


def test_user_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    missing_case = _veracity("files", "--case", str(tmp_path / "nope"))
    assert missing_case.returncode == 2
    assert missing_case.stderr.strip().count("\n") == 0 and "no case" in missing_case.stderr
    assert "Traceback" not in missing_case.stderr
    missing_source = _veracity("ingest", str(tmp_path / "absent"), "--case", str(tmp_path / "c"))
    assert missing_source.returncode == 2 and "no such file" in missing_source.stderr
    bad_option = _veracity("ingest")
    assert bad_option.returncode == 2


def test_bad_settings_file_is_a_clear_error(tmp_path: Path, small_source: Path) -> None:
    case = tmp_path / "c"
    case.mkdir()
    (case / "settings.json").write_text('{"max_archive_depth": "deep"}')
    result = _veracity("ingest", str(small_source), "--case", str(case))
    assert result.returncode == 2
    assert "max_archive_depth must be a number" in result.stderr


def test_switches_may_be_zero_limits_may_not(tmp_path: Path) -> None:
    from veracity.case import Limits
    from veracity.errors import CaseError

    assert Limits.from_settings({"ocr": 0}).ocr == 0
    with pytest.raises(CaseError, match="batch_size must be at least 1"):
        Limits.from_settings({"batch_size": 0})
