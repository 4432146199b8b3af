"""`veracity people columns`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli, run_ingest
from veracity.case import open_case
from veracity.errors import CaseError


def test_people_columns_shows_each_sheet_and_guess(tmp_path: Path, run_cli: Cli) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "名单.csv").write_text(
        "姓名,备注,出生年月,住址\n"
        "艾山,653121198503120010,1985.03.12,某村\n"
        "古丽,65312119900701002X,1990.07.01,某村\n"
        "买买提,653121197001010011,1970.01.01,某村\n",
        encoding="utf-8",
    )
    (src / "统计.csv").write_text("乡镇,人数,比例\n甲,1,2\n", encoding="utf-8")
    run_ingest(open_case(run_cli.case_dir, create=True), src, workers=1)
    result = run_cli("people", "columns", "--json")
    assert result.exit_code == 0, result.output
    sheets = {row["path"]: row for row in map(json.loads, result.output.splitlines())}
    register = sheets["名单.csv"]
    assert register["register"] and register["header_row"] == 1
    assert [(c["column"], c["field"], c["how"]) for c in register["columns"]] == [
        ("A", "name", "header"),
        ("B", "id_number", "content"),
        ("C", "birth_date", "header"),
        ("D", "address", "header"),
    ]
    assert not sheets["统计.csv"]["register"]
    text = run_cli("people", "columns")
    assert text.exit_code == 0 and "id_number (content)" in text.output
    assert "not a register" in text.output


def test_people_columns_without_a_case_is_a_case_error(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match="no case"):  # main() turns it into one line, exit 2
        Cli(tmp_path / "nowhere")("people", "columns")
