"""CSV, JSON Lines and Parquet: each read back with its own reader, counts equal the case's."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path

import duckdb
import pytest

from tests.analyze.export.conftest import ID, NAME, counts
from veracity.analyze.export import TABLES, export_case
from veracity.case import Case
from veracity.errors import UsageError


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:  # the BOM is for spreadsheets
        return list(csv.DictReader(f))


def test_csv_reads_back_with_counts_and_the_name(built: Case, tmp_path: Path) -> None:
    done = export_case(built, "csv", out_dir=tmp_path / "out")
    assert [w.table for w in done.written] == list(TABLES)
    read = {w.table: _read_csv(w.path) for w in done.written}
    for w in done.written:
        assert len(read[w.table]) == w.rows == counts(built)[w.table], w.table
    assert {p["name"] for p in read["persons"] if p["id_number"] == ID} == {NAME}
    records = read["records"]
    mine = [r for r in records if r["id_number"] == ID]
    assert sorted((r["path"], r["sheet"], r["row"]) for r in mine) == [
        ("名单.csv", "名单.csv", "2"),
        ("在押人员.csv", "在押人员.csv", "2"),
    ]
    assert len({r["person_id"] for r in mine}) == 1  # linked into one person


def test_jsonl_parses_json_columns(built: Case, tmp_path: Path) -> None:
    done = export_case(built, "jsonl", out_dir=tmp_path)
    by_table = {w.table: w for w in done.written}
    for table, w in by_table.items():
        lines = [json.loads(line) for line in w.path.read_text(encoding="utf-8").splitlines()]
        assert len(lines) == counts(built)[table]
    findings = [json.loads(x) for x in by_table["findings"].path.read_text("utf-8").splitlines()]
    assert findings[0]["evidence"] == {"名": NAME}
    assert findings[0]["locator"] == {"sheet": "名单.csv", "row": 2}
    files = [json.loads(x) for x in by_table["files"].path.read_text("utf-8").splitlines()]
    photo = next(f for f in files if f["path"].endswith(".jpg"))
    assert photo["metadata"]["width"] == 16 and photo["person_ids"]


def test_parquet_has_types_counts_and_the_name(built: Case, tmp_path: Path) -> None:
    done = export_case(built, "parquet", out_dir=tmp_path)
    db = duckdb.connect()
    for w in done.written:
        (n,) = db.execute(f"SELECT count(*) FROM read_parquet('{w.path}')").fetchall()
        assert n[0] == w.rows == counts(built)[w.table]
    persons = tmp_path / "persons.parquet"
    described = db.execute(f"DESCRIBE SELECT * FROM read_parquet('{persons}')").fetchall()
    types = {name: kind for name, kind, *_ in described}
    assert types["birth_date"] == "DATE" and types["records"] == "BIGINT"
    (row,) = db.execute(
        f"SELECT name, birth_date, detention_start, records FROM read_parquet('{persons}') "
        f"WHERE id_number = '{ID}'"
    ).fetchall()
    db.close()
    assert (row[0], str(row[1]), str(row[2]), row[3]) == (NAME, "1985-03-12", "2017-05-02", 2)
    assert not list(tmp_path.glob(".*"))  # the temporary CSVs are gone


def test_files_are_private(built: Case, tmp_path: Path) -> None:
    out = tmp_path / "new" / "exports"
    done = export_case(built, "csv", tables=["persons"], out_dir=out)
    assert done.is_private_dir and _mode(out) == 0o700
    assert [_mode(w.path) for w in done.written] == [0o600]
    (out / "persons.csv").chmod(0o644)  # an old, wider file is narrowed when rewritten
    export_case(built, "csv", tables=["persons"], out_dir=out)
    assert _mode(out / "persons.csv") == 0o600
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    assert not export_case(built, "jsonl", tables=["persons"], out_dir=shared).is_private_dir


def test_default_folder_and_bad_names(built: Case, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown table"):
        export_case(built, "csv", tables=["people"], out_dir=tmp_path)
    with pytest.raises(UsageError, match="unknown export format"):
        export_case(built, "xml", out_dir=tmp_path)
