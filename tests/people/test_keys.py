"""Name keys across scripts: explicit spellings, the general model alone, the synthetic leak."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from veracity.errors import DataFileError
from veracity.people.keys import (
    Keyer,
    NameKeys,
    keys_for,
    load_han_sounds,
    name_key,
    name_similarity,
    read_han_sounds,
    sound_of_pinyin,
)
from veracity.people.names import load_names, split_name
from veracity.synth import SynthConfig, generate

Truth = dict[str, list[dict[str, object]]]

SAME_NAME = [
    ["Abdurahman", "Abdurehman", "Abdurakhman", "Abdurrahman", "阿卜杜热合曼", "阿不都热合曼"],
    ["Hasan", "Hesen", "艾山", "艾散", "ھەسەن"],
    ["Memet", "Mehmet", "Mamat", "买买提", "麦麦提"],
]


@pytest.mark.parametrize("spellings", SAME_NAME)
def test_one_key_for_every_spelling(spellings: list[str]) -> None:
    assert len({name_key(s) for s in spellings}) == 1, {s: name_key(s) for s in spellings}


def test_different_names_differ() -> None:
    assert name_key("Abdurahman") != name_key("Hasan") != name_key("Memet")
    assert name_similarity(name_key("阿卜杜热合曼"), name_key("Tursun")) < 0.6


# Made-up but plausible names, absent from the table, each in Latin and standard characters.
UNKNOWN = [
    ("Tursunmemet", "吐尔逊买买提"),
    ("Abdumenan", "阿不都麦南"),
    ("Nurahmet", "努尔艾合买提"),
    ("Gulbanur", "古丽巴努尔"),
    ("Mamutjan", "马木提江"),
    ("Sulaiman", "苏来曼"),
]


@pytest.mark.parametrize(("latin", "chinese"), UNKNOWN)
def test_names_outside_the_table_match_by_the_general_model(latin: str, chinese: str) -> None:
    known = {s for n in load_names() for s in (*n.latin_spellings, *n.chinese)}
    assert latin not in known and chinese not in known
    assert name_similarity(name_key(latin), name_key(chinese)) >= 0.9


def test_the_general_model_alone_agrees_with_the_table() -> None:
    """With no table, most recorded spellings still key (nearly) like their ULY name."""
    bare = Keyer(())
    sims = [
        name_similarity(bare.key(form), bare.key(name.uly))
        for name in load_names()
        for form in (*name.english, *name.chinese, name.arabic)
    ]
    assert len(sims) > 1000
    assert sum(s == 1.0 for s in sims) / len(sims) >= 0.92
    assert sum(s >= 0.9 for s in sims) / len(sims) >= 0.95
    # the table fixes the irregular ones: every form then keys exactly like its ULY name
    table = Keyer(load_names())
    assert all(
        table.key(form) == table.key(name.uly)
        for name in load_names()
        for form in (*name.english, *name.chinese, name.arabic)
    )


@pytest.mark.parametrize("junk", ["", "   ", "12345", "😀😀", "·", "Ab😀阿3ي", "\x00", "ǅ", "𠀀"])
def test_junk_never_raises(junk: str) -> None:
    key = name_key(junk)
    assert isinstance(key, str) and name_key(junk) == key
    assert keys_for(junk).given_key == name_key(split_name(junk)[0])


def test_empty_keys_match_nothing() -> None:
    assert name_key("") == name_key("123") == ""
    assert name_similarity("", "") == 0.0 and name_similarity("abc", "") == 0.0
    assert name_similarity("abc", "abc") == 1.0
    assert 0.0 <= name_similarity("abdlhmn", "xyz") < 0.5
    assert name_similarity("abdlhmn", "abdlhm") == name_similarity("abdlhm", "abdlhmn") > 0.9


def test_keys_for_splits_and_keys_both_parts() -> None:
    keys = keys_for("阿卜杜热合曼·艾山")
    assert keys == NameKeys(
        original="阿卜杜热合曼·艾山",
        given="阿卜杜热合曼",
        father="艾山",
        given_key=name_key("Abdurehman"),
        father_key=name_key("Hesen"),
        pinyin="abodureheman aishan",
    )
    latin = keys_for("Abdurakhman Hasan")
    assert (latin.given_key, latin.father_key) == (keys.given_key, keys.father_key)
    assert keys_for("Abdurahman").father is None and keys_for("Abdurahman").father_key is None


def test_sound_of_pinyin() -> None:
    assert [sound_of_pinyin(p) for p in ("xia", "qi", "zhu", "fu", "jiang", "yi", "ying")] == [
        "sha", "chi", "ju", "pu", "jan", "i", "in",
    ]  # fmt: skip


def test_han_table_covers_the_name_table() -> None:
    han = load_han_sounds()
    assert {ch for n in load_names() for zh in n.chinese for ch in zh} <= set(han)
    assert han["阿"] == "a" and han["山"] == "san" and han["逊"] == "sun"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("ab,a,a\n", "one Chinese"),
        ("阿,a,A\n", "sounds"),
        ("阿,a,a\n阿,a,a\n", "twice"),
        ("", "empty"),
    ],
)
def test_bad_han_table(tmp_path: Path, body: str, problem: str) -> None:
    path = tmp_path / "han.csv"
    path.write_text("# c\nhan,pinyin,sounds\n" + body, encoding="utf-8")
    with pytest.raises(DataFileError, match=problem):
        read_han_sounds(path)


def test_name_key_is_fast() -> None:
    """Uncached keys of distinct strings; the cached `name_key` is much faster on registers."""
    bare = Keyer(load_names())
    words = [f"{n.uly}{i}" for i in range(20) for n in load_names()]
    words += [f"{zh}{n.zh}" for n in load_names() for zh in n.chinese]
    start = time.perf_counter()
    for word in words:
        bare.key(word)
    rate = len(words) / (time.perf_counter() - start)
    assert rate > 30_000, rate


@pytest.fixture(scope="module")
def truth(tmp_path_factory: pytest.TempPathFactory) -> Truth:
    out = tmp_path_factory.mktemp("leak") / "leak"
    result = generate(out, SynthConfig(seed=11, people=300, photos=10, documents=5))
    loaded: Truth = json.loads(result.truth_path.read_text("utf-8"))
    return loaded


def _pair(a: tuple[str, str], b: tuple[str, str]) -> float:
    return (name_similarity(a[0], b[0]) + name_similarity(a[1], b[1])) / 2


def _ranks(truth: Truth, key: Callable[[str], str]) -> list[int]:
    """Each query's rank, counting every other person scoring at least as high (ties lose)."""
    people = {}
    for person in truth["people"]:
        given, father = split_name(str(person["name_zh"]))
        people[str(person["id_number"])] = (key(given), key(father or ""))
    ranks = []
    for query in truth["name_queries"]:
        given, father = split_name(str(query["query"]))
        asked = (key(given), key(father or ""))
        wanted = {str(i) for i in query["id_numbers"]}  # type: ignore[attr-defined]
        best = max(_pair(asked, people[i]) for i in wanted)
        ranks.append(1 + sum(_pair(asked, k) >= best for i, k in people.items() if i not in wanted))
    return ranks


def test_latin_queries_find_their_person(truth: Truth) -> None:
    ranks = _ranks(truth, name_key)
    assert len(ranks) >= 15
    assert sum(r <= 10 for r in ranks) / len(ranks) >= 0.95
    assert sum(r == 1 for r in ranks) / len(ranks) >= 0.9


def test_latin_queries_by_the_general_model_alone(
    truth: Truth,
) -> None:
    ranks = _ranks(truth, Keyer(()).key)
    assert sum(r <= 10 for r in ranks) / len(ranks) >= 0.9


def test_every_record_keys_like_its_person(truth: Truth) -> None:
    people = {p["key"]: keys_for(str(p["name_zh"])) for p in truth["people"]}
    variants = 0
    for record in truth["records"]:
        written = keys_for(str(record["name_as_written"]))
        person = people[record["person_key"]]
        variants += written.original != person.original
        assert written.father_key is not None and person.father_key is not None
        similarity = _pair(
            (written.given_key, written.father_key), (person.given_key, person.father_key)
        )
        assert similarity >= 0.9, (written, person)
    assert variants > 0  # the leak does use other transcriptions
