"""`people find` on real published spellings of public figures (tests/data/real/names).

The figures' Chinese names, as published, stand in a register among synthetic residents (a
third written with homophone characters the name table does not list); every other published
spelling — Latin, ULY, pinyin, Uyghur Arabic, Cyrillic — must find its person. The spellings
were collected from encyclopaedias and news sites by other hands than the sound model's.
bench/people_find.py `recall` runs the same measure on a larger case.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import run_ingest
from veracity.case import Case, open_case
from veracity.people.idcard import make_id
from veracity.people.names import load_names
from veracity.people.search import find
from veracity.synth.homophones import homophone_variant

SPELLINGS = Path(__file__).parent.parent / "data" / "real" / "names" / "spellings.csv"


def _spellings() -> list[dict[str, str]]:
    lines = SPELLINGS.read_text("utf-8").splitlines()
    return list(csv.DictReader(line for line in lines if not line.startswith("#")))


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> tuple[Case, dict[str, str]]:
    """A case whose one register lists the figures and 1,500 synthetic residents; the
    figures' ID numbers by person id."""
    rng = random.Random(29)
    figures: dict[str, str] = {}
    for row in _spellings():
        figures.setdefault(row["person"], row["chinese"])
    rows: list[tuple[str, str]] = []
    ids: dict[str, str] = {}
    for number, (person, chinese) in enumerate(sorted(figures.items())):
        ids[person] = make_id("653121", date(1930, 1, 1) + timedelta(days=211 * number), 7, "男")
        rows.append((chinese, ids[person]))
    names = load_names()
    for number in range(1500):
        given, father = rng.choice(names).zh, rng.choice(names).zh
        if rng.random() < 1 / 3:
            given = homophone_variant(rng, given)
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(50 * 365))
        rows.append((f"{given}·{father}", make_id("653122", born, number % 499, "女")))
    rng.shuffle(rows)
    leak = tmp_path_factory.mktemp("real_names") / "leak"
    leak.mkdir()
    with (leak / "居民名单.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["序号", "姓名", "公民身份号码"])
        writer.writerows((i, name, ident) for i, (name, ident) in enumerate(rows, 1))
    case = open_case(leak.parent / "case", create=True)
    run_ingest(case, leak)
    return case, ids


def test_real_spellings_find_their_person(register: tuple[Case, dict[str, str]]) -> None:
    case, ids = register
    ranks: dict[str, list[int | None]] = defaultdict(list)
    for row in _spellings():
        if row["spelling"] == row["chinese"]:
            continue
        found = find(case, row["spelling"], limit=10)
        assert found, row  # never an empty answer while the case has persons
        wanted = ids[row["person"]]
        rank = next((n for n, p in enumerate(found, 1) if p["id_number"] == wanted), None)
        ranks[row["script"]].append(rank)
        ranks["all"].append(rank)
    every = ranks["all"]
    assert len(every) >= 200 and len({r["person"] for r in _spellings()}) >= 40
    top10 = sum(r is not None for r in every) / len(every)
    first = sum(r == 1 for r in every) / len(every)
    print(f"real spellings: top 10 {top10:.1%}, first {first:.1%} of {len(every)}")
    assert top10 >= 0.93 and first >= 0.85
    cyrillic = ranks["cyrillic"]
    assert len(cyrillic) >= 30 and sum(r is not None for r in cyrillic) / len(cyrillic) >= 0.9
    for script in ("pinyin", "uly"):  # these spell the register's own syllables or name
        assert sum(r == 1 for r in ranks[script]) / len(ranks[script]) >= 0.95, script


def test_a_confident_first_answer_is_mostly_right(register: tuple[Case, dict[str, str]]) -> None:
    """The label is a claim: among first answers called confident, the right person."""
    case, ids = register
    confident = right = 0
    for row in _spellings():
        if row["spelling"] == row["chinese"]:
            continue
        best = find(case, row["spelling"], limit=1)[0]
        if best["confident"]:
            confident += 1
            right += best["id_number"] == ids[row["person"]]
    assert confident >= 150 and right / confident >= 0.85, (right, confident)
