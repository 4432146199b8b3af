"""Register rows into records: the synthetic leak against its truth, and hostile sheets."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import run_ingest
from veracity.case import Case, open_case
from veracity.people._values import parse_date, parse_sentence, parse_sex
from veracity.people.idcard import make_id
from veracity.people.records import build_records
from veracity.store import PersonRecord, open_store
from veracity.synth import SynthConfig, generate


def _records(case: Case) -> dict[tuple[str, str, int], PersonRecord]:
    store = open_store(case, migrate=False)
    try:
        return {(r.sha256, r.sheet, r.row): r for r in store.iter_records()}
    finally:
        store.close()


def _sha_of(case: Case) -> dict[str, str]:
    store = open_store(case, migrate=False)
    try:
        return {row["path"]: row["sha256"] for row in store.iter_paths()}
    finally:
        store.close()


@pytest.fixture(scope="module")
def synth_case(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Case, dict[str, Any], dict[str, Any]]:
    root = tmp_path_factory.mktemp("people")
    leak = root / "leak"
    result = generate(leak, SynthConfig(seed=5, people=300, photos=10, documents=5))
    case = open_case(root / "case", create=True)
    summary = run_ingest(case, leak)
    return case, json.loads(result.truth_path.read_text(encoding="utf-8")), summary


def test_every_person_row_and_nothing_else_is_a_record(synth_case: Any) -> None:
    case, truth, summary = synth_case
    sha, records = _sha_of(case), _records(case)
    expected = {
        (sha[t["path"]], t["locator"]["sheet"], t["locator"]["row"]): t for t in truth["records"]
    }
    counted = {k for k, r in records.items() if r.register_kind in ("residents", "detainees")}
    assert counted == set(expected)
    # the other lists (staff rosters, school lists) give records of their own kind, and the
    # sheets that list no people (inventories, budgets) none
    kinds = {(sha[s["path"]], s["sheet"]): s["kind"] for s in truth["sheets"]}
    assert {(k, records[k].register_kind) for k in records} == {(k, kinds[k[:2]]) for k in records}
    assert "not_people" not in {r.register_kind for r in records.values()}
    assert summary["people"]["records"] == len(records)
    assert summary["people"]["registers"] >= 10
    for key, t in expected.items():
        assert records[key].id_raw == t["id_as_written"], t
        assert records[key].name_raw == t["name_as_written"], t


def test_planted_id_anomalies_show_and_clean_rows_agree(synth_case: Any) -> None:
    case, truth, _ = synth_case
    sha, records = _sha_of(case), _records(case)
    for t in truth["records"]:
        record = records[(sha[t["path"]], t["locator"]["sheet"], t["locator"]["row"])]
        kinds = set(t["anomalies"])
        expected = "valid"
        if "id_check_character" in kinds:
            expected = "bad_check"
        elif "id_region_unknown" in kinds:
            expected = "unknown_region"
        assert record.id_status == expected, t
        birth_differs = record.id_birth_date != record.birth_date
        assert birth_differs == ("id_birth_date_mismatch" in kinds), t
        assert (record.id_sex != record.sex) == ("id_sex_mismatch" in kinds), t
        assert record.id_number == t["id_as_written"]


def test_detention_and_sentence_are_parsed(synth_case: Any) -> None:
    case, truth, _ = synth_case
    sha, records = _sha_of(case), _records(case)
    people = {p["key"]: p for p in truth["people"]}
    columns_seen = {"start": 0, "sentence": 0, "status": 0}
    for t in truth["records"]:
        record = records[(sha[t["path"]], t["locator"]["sheet"], t["locator"]["row"])]
        person = people[t["person_key"]]
        if record.detention_start is not None:
            assert record.detention_start == person["detention_start"], t
            columns_seen["start"] += 1
        if record.status is not None:
            assert record.status == person["status"], t
            columns_seen["status"] += 1
        if record.sentence_raw is not None:
            assert record.sentence_months and person["status"] == "判刑", t
            columns_seen["sentence"] += 1
        assert record.birth_date is not None and record.address
    assert all(columns_seen.values()), columns_seen
    assert any("楼栋" in r.extra or "楼栋/监室" in r.extra for r in records.values())


def test_rebuild_is_idempotent(synth_case: Any) -> None:
    case, _, summary = synth_case
    before = _records(case)
    assert build_records(case).items() <= summary["people"].items()  # persons figures too
    assert _records(case) == before


# --- hostile sheets -------------------------------------------------------------------------

MAN = make_id("653121", date(1985, 3, 12), 4, "男")
WOMAN_X = next(
    n for n in (make_id("654027", date(1990, 7, 1), s, "女") for s in range(60)) if n[-1] == "X"
)


def _book(path: Path, rows: list[list[Any]], merge_title: bool = True) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "名单"
    for row in rows:
        sheet.append(row)
    if merge_title:
        sheet.merge_cells("A1:H1")
    workbook.save(path)


HEADER = ["序号", "姓名", "身份证号", "性别", "出生日期", "收押日期", "刑期", "备注"]


@pytest.fixture
def hostile_case(tmp_path: Path, make_case: Callable[..., Case]) -> Case:
    src = tmp_path / "src"
    src.mkdir()
    rows: list[list[Any]] = [
        ["某县在押人员名单"],  # 1: merged title
        HEADER,  # 2
        [1, "艾山·买买提", f"{MAN[:6]} {MAN[6:14]} {MAN[14:]}", "男", "1985.03.12", "20170822",
         "15年11个月", "x"],  # 3: spaces
        [2, "古丽·艾山", "".join(chr(ord(c) + 0xFEE0) for c in WOMAN_X.lower()), "女",
         "1990年7月1日", "2018-3-5", "无期", None],  # 4: full-width, lower-case x
        [],  # 5: empty
        [None, None, None, None],  # 6: blank cells
        HEADER,  # 7: the header again (a printed page break)
        ["二组"],  # 8: a section title
        [3, "买买提·吐尔逊", "6.53121E+17", "男", "19850312", None, "16年", None],  # 9
        [4, "吐尔逊·艾力", 653121198503120010, "男", "1985-3-12", None, "死缓", None],  # 10
        [5, "阿依古丽", None, "女", "不详", None, None, "无身份证"],  # 11: no ID
    ]  # fmt: skip
    _book(src / "在押人员名单.xlsx", rows)
    _book(src / "统计表.xlsx", [["乡镇", "人数", "比例"], ["托克扎克镇", 12, 0.3]], False)
    case = make_case()
    run_ingest(case, src, workers=1)
    return case


def test_hostile_rows(hostile_case: Case) -> None:
    records = {r.row: r for r in _records(hostile_case).values()}
    assert sorted(records) == [3, 4, 9, 10, 11]
    spaced, wide, sci, float_id, no_id = (records[n] for n in (3, 4, 9, 10, 11))
    assert (spaced.id_status, spaced.id_number, spaced.id_sex) == ("valid", MAN, "男")
    assert spaced.birth_date == spaced.id_birth_date == "1985-03-12"
    assert (spaced.detention_start, spaced.sentence_months) == ("2017-08-22", 191)
    assert (wide.id_status, wide.id_number) == ("valid", WOMAN_X)
    assert (wide.birth_date, wide.detention_start) == ("1990-07-01", "2018-03-05")
    assert (wide.sentence_raw, wide.sentence_months) == ("无期", None)
    assert (sci.id_status, sci.id_number, sci.id_raw) == ("excel_destroyed", None, "6.53121E+17")
    assert sci.id_birth_date is None and sci.sentence_months == 192
    assert float_id.id_status == "excel_destroyed" and float_id.id_number is None
    assert float_id.birth_date == "1985-03-12" and float_id.sentence_months is None
    assert (no_id.id_status, no_id.name_raw, no_id.birth_date) == ("missing", "阿依古丽", None)
    assert no_id.extra == {"序号": 5, "出生日期": "不详", "备注": "无身份证"}


def test_override_file_remaps_and_excludes(hostile_case: Case) -> None:
    (hostile_case.root / "columns.yaml").write_text(
        "sheets:\n"
        "  - path: '*名单.xlsx'\n"
        "    header_row: 2\n"
        "    columns: {B: null, 备注: reason}\n",
        encoding="utf-8",
    )
    assert build_records(hostile_case)["registers"] == 1
    records = {r.row: r for r in _records(hostile_case).values()}
    assert records[3].name_raw is None and records[3].extra["姓名"] == "艾山·买买提"
    assert records[3].reason == "x" and 11 not in records  # no name, no ID: not a person
    (hostile_case.root / "columns.yaml").write_text(
        "sheets: [{path: '*名单.xlsx', register: false}]\n", encoding="utf-8"
    )
    assert build_records(hostile_case) == {"records": 0, "registers": 0, "kinds": {}}
    assert not _records(hostile_case)


# --- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("1985-03-12", "1985-03-12"), ("1985-03-12T00:00:00", "1985-03-12"),
        ("1985.03.12", "1985-03-12"), ("19850312", "1985-03-12"), (19850312, "1985-03-12"),
        ("1985-3-12", "1985-03-12"), ("1985/3/12", "1985-03-12"), ("1985年3月12日", "1985-03-12"),
        ("１９８５．０３．１２", "1985-03-12"), ("1985.02.30", None), ("1985.03", None),
        ("不详", None), (None, None), (31122.0, None), ("0000-01-01", None),
    ],
)  # fmt: skip
def test_dates(written: Any, iso: str | None) -> None:
    assert parse_date(written) == iso


@pytest.mark.parametrize(
    ("written", "months"),
    [("16年", 192), ("15年11个月", 191), ("8个月", 8), ("有期徒刑 5年", 60), ("1年6月", 18),
     ("无期", None), ("死缓", None), ("无期徒刑", None), ("待定", None), (16, None)],
)  # fmt: skip
def test_sentences(written: Any, months: int | None) -> None:
    raw, got = parse_sentence(written)
    assert got == months and raw == str(written)
    assert parse_sentence(None) == (None, None) and parse_sentence(" ") == (None, None)


def test_sex() -> None:
    assert [parse_sex(v) for v in ("男", "女", "M", "female", " 女 ", None, "?")] == [
        "男", "女", "男", "女", "女", None, "?",
    ]  # fmt: skip


def test_records_are_rebuilt_only_when_they_can_differ(tmp_path: Path) -> None:
    from tests.conftest import run_ingest
    from veracity.case import open_case
    from veracity.synth import SynthConfig, generate

    leak = tmp_path / "leak"
    generate(leak, SynthConfig(seed=3, people=40, photos=10, documents=5))
    case = open_case(tmp_path / "case", create=True)
    first = run_ingest(case, leak)["people"]
    assert first["records"] >= 40
    stamp = case.derived_dir / "people-build.json"
    built_at = stamp.stat().st_mtime_ns
    assert run_ingest(case, leak)["people"] == first
    assert stamp.stat().st_mtime_ns == built_at, "nothing changed: no rebuild"
    (case.root / "columns.yaml").write_text("sheets: []\n")
    run_ingest(case, leak)
    assert stamp.stat().st_mtime_ns != built_at, "the user's overrides changed: rebuilt"
