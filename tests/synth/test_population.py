"""The synthetic population: valid, realistic, deterministic, and its truth figures are right."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from stdnum.cn import ric

from veracity.people.idcard import parse
from veracity.people.names import fold_latin, load_names
from veracity.people.regions import region
from veracity.synth._common import SynthConfig, Truth
from veracity.synth.population import (
    COUNTIES,
    DETAINED_STATUSES,
    Person,
    county_of,
    generate_population,
    uly_to_cyrillic,
)

NAMES = {n.uly: n for n in load_names()}


@pytest.fixture(scope="module")
def made() -> tuple[list[Person], Truth]:
    truth = Truth(seed=5)
    return generate_population(SynthConfig(seed=5, people=3000), truth), truth


def test_count_and_unique_keys_and_ids(made: tuple[list[Person], Truth]) -> None:
    people, _ = made
    assert len(people) == 3000
    assert len({p.key for p in people}) == len({p.id_number for p in people}) == 3000


def test_ids_are_valid_and_agree_with_the_person(made: tuple[list[Person], Truth]) -> None:
    for person in made[0]:
        parsed = parse(person.id_number)
        assert parsed.is_valid and ric.is_valid(person.id_number), person.id_number
        assert parsed.birth_date == person.birth_date and parsed.sex == person.sex
        assert parsed.region_code == person.county_code and parsed.region is not None


def test_counties_are_real_and_people_live_in_them(made: tuple[list[Person], Truth]) -> None:
    for county in COUNTIES:
        known = region(county.code)
        assert known is not None and known.county == county.name_zh
        assert known.prefecture == county.prefecture and known.name_latin == county.name_latin
    people = made[0]
    homes = Counter(county_of(p).code for p in people)
    assert set(homes) == {c.code for c in COUNTIES}
    for county in COUNTIES:
        villages = {p.village for p in people if county_of(p) == county}
        assert 8 <= len(villages) <= 20
    assert sum(p.county_code == county_of(p).code for p in people) > 0.9 * len(people)


def test_names_come_from_the_table(made: tuple[list[Person], Truth]) -> None:
    for person in made[0]:
        given, father = NAMES[person.given_name_latin], NAMES[person.father_name_latin]
        assert person.given_name_zh in given.chinese and person.father_name_zh in father.chinese
        assert given.sex == ("M" if person.sex == "男" else "F") and father.sex == "M"
        assert person.full_name_zh == f"{person.given_name_zh}·{person.father_name_zh}"
        assert person.ethnicity == "维吾尔族"


def test_births_and_statuses_are_realistic(made: tuple[list[Person], Truth]) -> None:
    people = made[0]
    assert all(date(1940, 1, 1) <= p.birth_date <= date(2012, 12, 31) for p in people)
    statuses = Counter(p.status for p in people)
    assert set(statuses) == {"正常", *DETAINED_STATUSES}
    detained = [p for p in people if p.is_detained]
    assert 0.10 <= len(detained) / len(people) <= 0.15
    assert {p.detention_start.year for p in detained if p.detention_start} == {2017, 2018}
    for person in people:
        if person.status == "正常":
            assert person.detention_start is None and person.facility is None
            assert person.sentence_months is None and person.building is None
            continue
        assert person.detention_start is not None
        assert date(2017, 1, 1) <= person.detention_start <= date(2018, 7, 31)
        assert person.facility and county_of(person).name_zh in person.facility
        assert person.building and person.cell and person.reason
        assert (person.sentence_months is not None) == (person.status == "判刑")
    training = {p.facility for p in detained if p.status == "教培"}
    assert "疏附县第二职业技能教育培训中心" in training
    assert {192, 191} <= {p.sentence_months for p in detained}


def test_truth_people_and_stats(made: tuple[list[Person], Truth]) -> None:
    people, truth = made
    entries = {e["key"]: e for e in truth.sections["people"]}
    assert len(entries) == len(people)
    sample = people[17]
    assert entries[sample.key]["id_number"] == sample.id_number
    assert entries[sample.key]["name_zh"] == sample.full_name_zh
    stats = truth.sections["stats"]
    adults = [p for p in people if p.birth_date <= date(2000, 1, 1)]  # 18 on 2018-01-01
    detained = [p for p in people if p.detention_start]
    assert stats["people"] == 3000
    assert stats["adults"] == len(adults)
    assert stats["detained"]["total"] == len(detained)
    assert stats["detained"]["by_year"] == {
        "2017": sum(p.detention_start.year == 2017 for p in detained if p.detention_start),
        "2018": sum(p.detention_start.year == 2018 for p in detained if p.detention_start),
    }
    share = sum(1 for p in adults if p.is_detained) / len(adults)
    assert stats["detained_adult_share"] == round(share, 6)


def test_name_queries_find_exactly_the_people_so_named(made: tuple[list[Person], Truth]) -> None:
    people, truth = made
    queries = truth.sections["name_queries"]
    assert 18 <= len(queries) <= 22
    assert {q["style"] for q in queries} == {"uly", "ascii", "english", "cyrillic"}
    assert any(" " in q["query"] and q["query"].isascii() for q in queries)
    by_id = {p.id_number: p for p in people}
    for query in queries:
        given_text, father_text = query["query"].split(" ")
        assert query["id_number"] in query["id_numbers"]
        named = by_id[query["id_number"]]
        given, father = NAMES[named.given_name_latin], NAMES[named.father_name_latin]
        if query["style"] == "cyrillic":
            assert (given_text, father_text) == (
                uly_to_cyrillic(given.uly),
                uly_to_cyrillic(father.uly),
            )
        else:
            assert given_text in {*given.latin_spellings, fold_latin(given.uly)}
            assert father_text in {*father.latin_spellings, fold_latin(father.uly)}
        same = sorted(
            p.id_number
            for p in people
            if (p.given_name_latin, p.father_name_latin) == (given.uly, father.uly)
        )
        assert query["id_numbers"] == same
    assert sum(len(q["id_numbers"]) == 1 for q in queries) >= 15


def test_uyghur_cyrillic() -> None:
    assert [uly_to_cyrillic(n) for n in ("Abdurehim", "Jappar", "Shöhret", "Abdukérim")] == [
        "Абдурәһим", "Җаппар", "Шөһрәт", "Абдукерим",
    ]  # fmt: skip


def test_deterministic_and_seed_dependent() -> None:
    def run(seed: int) -> tuple[list[Person], str]:
        truth = Truth(seed=seed)
        return generate_population(SynthConfig(seed=seed, people=300), truth), truth.to_json()

    assert run(3) == run(3)
    assert run(3)[0] != run(4)[0]


def test_tiny_population_still_tells_the_whole_story() -> None:
    truth = Truth(seed=9)
    people = generate_population(SynthConfig(seed=9, people=60), truth)
    assert len(people) == 60
    years = truth.sections["stats"]["detained"]["by_year"]
    assert set(years) == {"2017", "2018"}
