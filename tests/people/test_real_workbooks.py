"""Real public workbooks that are not registers must add no detention to the figures.

A leak is full of rosters, inventories and school lists whose date columns (入学时间, 入库,
hire dates) look like detention dates to a careless reader. These files come from spreadsheet
libraries' test fixtures (tests/data/real/workbooks/SOURCES); `expected.csv` says, sheet by
sheet, what a human calls each one. They are real files rather than ones we made, so the
reader is tested against headers nobody on the project chose.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import Cli, run_ingest
from veracity.case import Case, open_case
from veracity.store import open_store

WORKBOOKS = Path(__file__).parents[1] / "data" / "real" / "workbooks"
#: CC0 Excel 97 files already on the machine; used in place, never copied into the repository.
FORMAT_CORPUS = (
    (Path(__file__).parents[2] / ".." / "shared" / "corpora" / "format-corpus" / "office").resolve()
    / "spreadsheet"
    / "xls"
)
CORPUS_FILES = ("valid.xls", "MonteCarlo.xls")
KINDS = {"residents", "detainees", "staff", "students", "other_people", "not_people"}


def _expected() -> dict[tuple[str, str], str]:
    with (WORKBOOKS / "expected.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert all(r["kind"] in KINDS and r["detentions"] == "0" for r in rows)
    expected = {(r["file"], r["sheet"]): r["kind"] for r in rows}
    if (FORMAT_CORPUS / CORPUS_FILES[0]).is_file():
        for name in CORPUS_FILES:
            expected.update({(name, s): "not_people" for s in _xls_sheets(FORMAT_CORPUS / name)})
    return expected


def _xls_sheets(path: Path) -> list[str]:
    import xlrd

    return list(xlrd.open_workbook(str(path), on_demand=True).sheet_names())


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    """Every workbook of the corpus (and the format corpus' xls, when present) in one case."""
    root = tmp_path_factory.mktemp("real_workbooks")
    source = root / "leak"
    source.mkdir()
    for path in WORKBOOKS.iterdir():
        if path.name not in ("SOURCES", "expected.csv"):
            shutil.copy2(path, source / path.name)
    for name in CORPUS_FILES:
        if (FORMAT_CORPUS / name).is_file():
            shutil.copy2(FORMAT_CORPUS / name, source / name)
    built = open_case(root / "case", create=True)
    run_ingest(built, source, workers=1)
    return built


def test_the_corpus_is_documented_file_by_file() -> None:
    sources = (WORKBOOKS / "SOURCES").read_text(encoding="utf-8")
    files = {p.name for p in WORKBOOKS.iterdir()} - {"SOURCES", "expected.csv"}
    assert len(files) >= 8
    for name in files:
        assert f"\n{name} | https://github.com/" in sources, name
        assert (WORKBOOKS / name).stat().st_size < 200_000, name
    assert {f for f, _ in _expected()} >= files


def test_the_format_corpus_is_used_when_present() -> None:
    if not (FORMAT_CORPUS / CORPUS_FILES[0]).is_file():
        pytest.skip(f"format corpus absent: {FORMAT_CORPUS}")
    assert {f for f, _ in _expected()} >= set(CORPUS_FILES)


def test_no_detention_is_counted_from_non_registers(case: Case) -> None:
    result = Cli(case.root)("stats", "--json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    store = open_store(case, migrate=False)
    try:
        paths = {row["sha256"]: row["path"] for row in store.iter_paths()}
        dated = sorted(
            (paths.get(r.sha256, r.sha256), r.sheet, r.row, r.detention_start)
            for r in store.iter_records()
            if r.detention_start
        )
    finally:
        store.close()
    total = stats["detained"]["total"]
    assert (total, dated) == (0, []), f"{total} detained; records dated: {len(dated)}, {dated[:5]}"


def test_each_sheet_gets_the_kind_a_human_gives_it(case: Case) -> None:
    result = Cli(case.root)("people", "columns", "--json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    if not rows or any("kind" not in row for row in rows):
        pytest.skip("people columns has no kind yet")
    expected = _expected()
    found = {(Path(row["path"]).name, row["sheet"]): row["kind"] for row in rows}
    # a sheet with no rows at all (a chart sheet, an empty one) is not listed: no people
    wrong = {
        key: (found.get(key, "not_people"), kind)
        for key, kind in expected.items()
        if found.get(key, "not_people") != kind
    }
    assert wrong == {}, "sheet: (found, expected)"
