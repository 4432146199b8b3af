"""`veracity people columns`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, run_ingest
from veracity.case import open_case
from veracity.errors import CaseError, UsageError
from veracity.store import open_store


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
    assert "统计.csv [统计.csv] header row 1: not_people (guessed; not counted)" in text.output
    assert register["kind"] == "residents" and register["counted"]  # 住址: a population
    assert sheets["统计.csv"]["kind"] == "not_people"


def test_people_columns_without_a_case_is_a_case_error(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match="no case"):  # main() turns it into one line, exit 2
        Cli(tmp_path / "nowhere")("people", "columns")


def test_people_find_and_show(tmp_path: Path, run_cli: Cli) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "名单.csv").write_text(
        "姓名,身份证号,羁押时间,羁押地点\n"
        "阿卜杜热合曼·艾山,653121198503120010,2017-05-02,看守所\n"
        "古丽·艾山,653121199007010280,,\n",
        encoding="utf-8",
    )
    (src / "copy").mkdir()
    (src / "copy" / "名单.csv").write_bytes((src / "名单.csv").read_bytes())
    run_ingest(open_case(run_cli.case_dir, create=True), src)

    found = run_cli("people", "find", "Abdurehman Hesen", "--json", "--limit", "5")
    assert found.exit_code == 0, found.output
    rows = [json.loads(line) for line in found.output.splitlines()]
    best = rows[0]
    assert set(best) == {
        "person_id", "names", "id_number", "birth_date", "sex", "score", "records", "photos",
        "confident", "matched", "kinds",
    }  # fmt: skip
    assert best["id_number"] == "653121198503120010" and best["names"] == ["阿卜杜热合曼·艾山"]
    assert [(r["path"], r["locator"]) for r in best["records"]] == [
        ("copy/名单.csv", {"sheet": "名单.csv", "row": 2}),
        ("名单.csv", {"sheet": "名单.csv", "row": 2}),
    ]
    assert all(r["kind"] in best["kinds"] for r in best["records"]) and best["kinds"]
    assert best["confident"] and best["score"] >= 0.95
    assert best["matched"]["given"]["query"] == "Abdurehman"
    assert best["matched"]["father"] == {"query": "Hesen", "similarity": 1.0}
    text = run_cli("people", "find", "65312119850")
    assert text.exit_code == 0 and "阿卜杜热合曼·艾山" in text.output
    readable = run_cli("people", "find", "Абдурахман Хасан")  # Cyrillic
    assert readable.exit_code == 0 and "阿卜杜热合曼·艾山" in readable.output.splitlines()[0]
    assert "matched: given 'Абдурахман'" in readable.output

    def ids(*args: str) -> list[str]:
        done = run_cli("people", "find", *args, "--json")
        assert done.exit_code == 0, done.output
        return [json.loads(line)["id_number"] for line in done.output.splitlines()]

    assert "bear this name equally" not in readable.output
    common = run_cli("people", "find", "Hesen")  # both persons' fathers are Hesen
    assert "2 persons bear this name equally" in common.output
    assert ids("Abdurehman Hesen", "--born", "1984")[0] == "653121198503120010"  # ±1 year
    assert "653121198503120010" not in ids("Abdurehman Hesen", "--born", "1970")
    assert ids("Hesen", "--sex", "F") == [None]  # 古丽·艾山, whose ID is damaged
    assert "653121198503120010" in ids("Hesen", "--sex", "M")
    assert ids("Abdurehman", "--place", "疏附")[0] == "653121198503120010"
    assert ids("Abdurehman", "--place", "Konasheher")[0] == "653121198503120010"
    assert "653121198503120010" not in ids("Abdurehman", "--place", "特克斯")
    assert run_cli("people", "find", "Hesen", "--sex", "X").exit_code == 2

    nobody = run_cli("people", "find", "Zzyzx Qwvbnm")  # no one by that name: the nearest
    assert nobody.exit_code == 0
    assert nobody.output.startswith("no confident match") and "photos" not in nobody.output
    nearest = [json.loads(line) for line in run_cli("people", "find", "Zzyzx", "--json").output
               .splitlines()]  # fmt: skip
    assert nearest and not any(row["confident"] or row["photos"] for row in nearest)

    shown = run_cli("people", "show", best["person_id"], "--json")
    assert shown.exit_code == 0, shown.output
    person = json.loads(shown.output)
    assert person["events"][0]["kind"] == "detention"
    assert person["events"][0]["date"] == "2017-05-02"
    assert person["records"][0]["paths"] == ["copy/名单.csv", "名单.csv"]
    readable = run_cli("people", "show", best["person_id"])
    assert readable.exit_code == 0 and "2017-05-02  detention" in readable.output


def test_people_show_of_an_unknown_person_is_one_line_exit_2(tmp_path: Path) -> None:
    case_dir = tmp_path / "case"
    open_store(open_case(case_dir, create=True)).close()  # an empty case
    done = subprocess.run(
        [sys.executable, "-m", "veracity", "people", "show", "nobody", "--case", str(case_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no person 'nobody'" in done.stderr


def test_people_merge_and_split_survive_a_re_ingest(tmp_path: Path, run_cli: Cli) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "名单.csv").write_text(
        "姓名,身份证号\n阿卜杜热合曼·艾山,653121198503120010\n古丽·艾山,653121199007010280\n",
        encoding="utf-8",
    )
    case = open_case(run_cli.case_dir, create=True)
    run_ingest(case, src)

    def person_of(query: str) -> dict[str, Any]:
        found = run_cli("people", "find", query, "--json", "--limit", "1")
        return dict(json.loads(found.output.splitlines()[0]))

    a, b = person_of("653121198503120010"), person_of("653121199007010280")
    assert a["person_id"] != b["person_id"]
    merged = run_cli("people", "merge", a["person_id"], b["person_id"], "--note", "same person")
    assert merged.exit_code == 0, merged.output
    one = person_of("653121198503120010")
    assert len(one["records"]) == 2
    run_ingest(case, src)  # nothing changed: the decision still holds
    assert len(person_of("653121198503120010")["records"]) == 2

    split = run_cli("people", "split", one["person_id"], "--sheet", "名单.csv", "--row", "3")
    assert split.exit_code == 0, split.output
    assert len(person_of("653121198503120010")["records"]) == 1
    assert len(person_of("653121199007010280")["records"]) == 1
    with pytest.raises(UsageError, match="no record at sheet"):  # main(): one line, exit 2
        run_cli("people", "split", one["person_id"], "--sheet", "名单.csv", "--row", "99")
