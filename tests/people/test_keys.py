"""Name keys across scripts: explicit spellings, the general model alone, the synthetic leak."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from veracity.errors import DataFileError
from veracity.people.keys import (
    NameKeys,
    canonical_spelling,
    keys_for,
    link_key,
    load_han_sounds,
    part_key,
    part_similarity,
    read_han_sounds,
    sound_of_pinyin,
)
from veracity.people.names import load_names, split_name
from veracity.people.sounds import PartSounds, part_sounds, similarity
from veracity.synth import SynthConfig, generate

Truth = dict[str, list[dict[str, object]]]

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
    assert part_similarity(latin, chinese) >= 0.85


def test_the_general_model_alone_agrees_with_the_table() -> None:
    """With no table, most recorded spellings still sound (nearly) like their ULY name; with
    it, every one does."""

    def bare(a: str, b: str) -> float:
        return similarity(part_sounds(a, table=False), part_sounds(b, table=False))

    forms = [(f, n.uly) for n in load_names() for f in (*n.english, *n.chinese, n.arabic)]
    sims = [bare(form, uly) for form, uly in forms]
    assert len(sims) > 1000
    assert sum(s >= 0.85 for s in sims) / len(sims) >= 0.9
    assert all(part_similarity(form, uly) == 1.0 for form, uly in forms)


def test_homophones_of_a_listed_transcription_are_the_listed_name() -> None:
    assert canonical_spelling("热依木") == canonical_spelling("热衣木") is not None
    assert canonical_spelling("Zzyzx") is None


@pytest.mark.parametrize("junk", ["", "   ", "12345", "😀😀", "·", "Ab😀阿3ي", "\x00", "ǅ", "𠀀"])
def test_junk_never_raises(junk: str) -> None:
    key = part_key(junk)
    assert isinstance(key, str) and part_key(junk) == key and isinstance(link_key(junk), str)
    assert keys_for(junk).given_key == part_key(split_name(junk)[0])


def test_part_keys_are_folded_and_bounded() -> None:
    assert part_key("Gülnar") == part_key("GULNAR") == "gulnar"
    assert part_key("Abdul'ahat") == "abdulahat" and part_key("12") == ""
    assert len(part_key("阿" * 5000)) == 64


def test_keys_for_splits_and_keys_both_parts() -> None:
    keys = keys_for("阿卜杜热合曼·艾山")
    assert keys == NameKeys(
        original="阿卜杜热合曼·艾山",
        given="阿卜杜热合曼",
        father="艾山",
        given_key="阿卜杜热合曼",
        father_key="艾山",
        pinyin="abodureheman aishan",
    )
    latin = keys_for("Abdurakhman Hasan")
    assert (latin.given_key, latin.father_key) == ("abdurakhman", "hasan")
    assert part_similarity(latin.given, keys.given) == 1.0
    assert link_key(latin.given) == link_key(keys.given)
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


@pytest.fixture(scope="module")
def truth(tmp_path_factory: pytest.TempPathFactory) -> Truth:
    out = tmp_path_factory.mktemp("leak") / "leak"
    result = generate(out, SynthConfig(seed=11, people=300, photos=10, documents=5))
    loaded: Truth = json.loads(result.truth_path.read_text("utf-8"))
    return loaded


Sounds = Callable[[str], PartSounds]


def _pair(a: tuple[PartSounds, PartSounds], b: tuple[PartSounds, PartSounds]) -> float:
    return (similarity(a[0], b[0]) + similarity(a[1], b[1])) / 2


def _ranks(truth: Truth, sounds: Sounds) -> list[int]:
    """Each query's rank, counting every other person scoring at least as high (ties lose)."""
    people = {}
    for person in truth["people"]:
        given, father = split_name(str(person["name_zh"]))
        people[str(person["id_number"])] = (sounds(given), sounds(father or ""))
    ranks = []
    for query in truth["name_queries"]:
        given, father = split_name(str(query["query"]))
        asked = (sounds(given), sounds(father or ""))
        wanted = {str(i) for i in query["id_numbers"]}  # type: ignore[attr-defined]
        best = max(_pair(asked, people[i]) for i in wanted)
        ranks.append(1 + sum(_pair(asked, k) >= best for i, k in people.items() if i not in wanted))
    return ranks


def test_latin_queries_find_their_person(truth: Truth) -> None:
    ranks = _ranks(truth, part_sounds)
    assert len(ranks) >= 15
    assert sum(r <= 10 for r in ranks) / len(ranks) >= 0.95
    assert sum(r == 1 for r in ranks) / len(ranks) >= 0.9


def test_latin_queries_by_the_general_model_alone(
    truth: Truth,
) -> None:
    ranks = _ranks(truth, lambda text: part_sounds(text, table=False))
    assert sum(r <= 10 for r in ranks) / len(ranks) >= 0.9


def test_every_record_keys_like_its_person(truth: Truth) -> None:
    people = {p["key"]: keys_for(str(p["name_zh"])) for p in truth["people"]}
    variants = 0
    for record in truth["records"]:
        written = keys_for(str(record["name_as_written"]))
        person = people[record["person_key"]]
        variants += written.original != person.original
        assert written.father is not None and person.father is not None
        alike = _pair(
            (part_sounds(written.given), part_sounds(written.father)),
            (part_sounds(person.given), part_sounds(person.father)),
        )
        assert alike >= 0.9, (written, person)
    assert variants > 0  # the leak does use other transcriptions
