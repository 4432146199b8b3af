"""`veracity search`: JSON Lines in the contract's shape, paging, batch, and one-line errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Cli, run_ingest
from tests.search.conftest import write_files
from veracity.case import open_case
from veracity.errors import UsageError
from veracity.store import open_store

FILES: dict[str, str | bytes] = {
    "名单.csv": (
        "姓名,身份证号\n阿卜杜热合曼·艾山,653121198503120010\n古丽·艾山,653121199007010280\n"
    ),
    "通知/a.txt": "关于加强教培中心管理的通知\n会议在喀什召开 Kashgar\n",
    "通知/b.txt": "喀什地区\n",
}


@pytest.fixture
def cli(tmp_path: Path, run_cli: Cli) -> Cli:
    src = write_files(tmp_path / "src", dict(FILES))
    run_ingest(open_case(run_cli.case_dir, create=True), src, workers=1)
    return run_cli


def _lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines()]


def test_json_lines_carry_path_locator_score_snippet(cli: Cli) -> None:
    result = cli("search", "喀什", "--json")
    assert result.exit_code == 0, result.output
    hits = _lines(result.output)
    assert {h["path"] for h in hits} == {"通知/a.txt", "通知/b.txt"}
    for hit in hits:
        assert {"path", "locator", "score", "snippet"} <= set(hit)
        assert isinstance(hit["score"], float) and hit["score"] > 0
        assert isinstance(hit["snippet"], str) and "喀什" in hit["snippet"]
    row = _lines(cli("search", "653121198503120010", "--json").output)
    assert [(h["path"], h["locator"]) for h in row if h["kind"] == "row"] == [
        ("名单.csv", {"row": 2, "sheet": "名单.csv"})
    ]
    assert {h["kind"] for h in row} == {"row", "person"}  # the person carries the ID too


def test_facets_stay_json_lines(cli: Cli) -> None:
    result = cli("search", "喀什", "--json", "--facets", "--limit", "1")
    assert result.exit_code == 0, result.output
    first, summary = _lines(result.output)
    assert "path" in first
    assert summary["total"] == 2
    assert summary["facets"]["folder"] == {"通知": 2}  # type: ignore[index]


def test_paging_and_limit_zero(cli: Cli) -> None:
    every = _lines(cli("search", "kind:row OR 喀什", "--json", "--limit", "0").output)
    assert len(every) == 5 and sum(h["kind"] == "row" for h in every) == 3  # header too
    tail = _lines(cli("search", "kind:row OR 喀什", "--json", "--offset", "3").output)
    assert tail == every[3:]
    text = cli("search", "kind:row OR 喀什", "--limit", "2", "--offset", "1")
    assert text.exit_code == 0
    assert text.output.startswith(f"{len(every)} hits, showing 2–3")


def test_text_output_marks_the_hit(cli: Cli) -> None:
    result = cli("search", "教培")
    assert result.exit_code == 0
    assert "通知/a.txt" in result.output and "«教培»" in result.output


def test_batch_writes_a_csv(cli: Cli, tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("艾山\n(broken\n", encoding="utf-8")
    out = tmp_path / "hits.csv"
    result = cli("search", "--batch", str(names), "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {r["query"] for r in rows} == {"艾山", "(broken"}
    assert "2 queries, 1 with hits" in result.stderr


def test_query_or_batch_is_required(cli: Cli) -> None:
    with pytest.raises(UsageError, match="give a QUERY"):
        cli("search")


def _run(*args: str, case_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "veracity", "search", *args, "--case", str(case_dir)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"教培', "unclosed quote"),
        ("(a OR b", "unclosed parenthesis"),
        ("foo:bar", "unknown field 'foo'"),
        ("taken:2018-13", "is not a date"),
        ("a AND", "the query ends where a word was expected"),
    ],
)
def test_bad_syntax_exits_2_with_one_line(cli: Cli, query: str, message: str) -> None:
    done = _run(query, "--json", case_dir=cli.case_dir)
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("veracity: ") and message in line


def test_a_case_without_an_index_says_so(tmp_path: Path) -> None:
    case = open_case(tmp_path / "case", create=True)
    open_store(case).close()  # a case, never ingested
    done = _run("喀什", case_dir=case.root)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert "no search index" in line
