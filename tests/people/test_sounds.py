"""The sound model: every script read alike, homophones, pinyin, junk, speed, the table's role."""

from __future__ import annotations

import random
import time

import pytest

from veracity.people.names import load_names
from veracity.people.sounds import (
    PartIndex,
    PartSounds,
    part_sounds,
    pinyin_syllables,
    readings,
    similarity,
)
from veracity.synth.homophones import homophone_variant, homophones


def sim(a: str, b: str) -> float:
    return similarity(part_sounds(a), part_sounds(b))


SAME_NAME = [
    ["Abdurahman", "Abdurehman", "Abdurakhman", "阿卜杜热合曼", "阿不都热合曼", "Абдурахман"],
    ["Hasan", "Hesen", "艾山", "艾散", "ھەسەن", "Хасан", "Һәсән"],
    ["Memet", "Mehmet", "Mamat", "买买提", "麦麦提", "Мәмәт"],
    ["Abdurehim", "阿不都热依木", "阿不都热衣木", "Абдурәһим", "ئابدۇرەھىم", "Abdureyim"],
    ["Jappar", "Җаппар", "加帕尔", "Zhappar", "Djappar", "Cappar"],
]


@pytest.mark.parametrize("spellings", SAME_NAME)
def test_every_spelling_of_a_name_sounds_alike(spellings: list[str]) -> None:
    for a in spellings:
        for b in spellings:
            assert sim(a, b) >= 0.85, (a, b, sim(a, b))


def test_different_names_do_not() -> None:
    for a, b in [("Abdurahman", "Hasan"), ("Memet", "Tursun"), ("阿卜杜热合曼", "Tursun"),
                 ("Ablet", "Abdulla"), ("古丽", "Mahmut"), ("Abdurehim", "Abliz")]:  # fmt: skip
        assert sim(a, b) < 0.75, (a, b, sim(a, b))


@pytest.mark.parametrize(
    ("one", "other"),
    [("热依木", "热衣木"), ("波拉提", "坡拉提"), ("热依木", "热伊木"), ("吐尔逊", "吐尔孙")],
)
def test_homophone_transcriptions_agree_whether_or_not_the_table_lists_them(
    one: str, other: str
) -> None:
    assert sim(one, other) >= 0.95


def test_a_known_spelling_and_an_unknown_variant_never_disagree() -> None:
    """Every listed transcription, one character swapped for a homophone the table does not
    use: still the same name, and still as close to its ULY form as the original (nearly)."""
    rng = random.Random(3)
    checked = 0
    for name in load_names():
        for zh in name.chinese:
            variant = homophone_variant(rng, zh)
            if variant == zh:
                continue
            checked += 1
            assert sim(zh, variant) >= 0.9, (zh, variant)
            assert sim(variant, name.uly) >= sim(zh, name.uly) - 0.15, (zh, variant, name.uly)
    assert checked > 300


def test_homophones_are_never_table_characters() -> None:
    listed = {ch for n in load_names() for zh in n.chinese for ch in zh}
    assert homophones("依") and not set(homophones("依")) & listed


@pytest.mark.parametrize(
    ("spelling", "chinese"),
    [
        ("Wu'erkaixi", "吾尔开希"),  # pinyin with an apostrophe
        ("Zhākè'ěr", "扎克尔"),  # tone marks and an apostrophe
        ("Zhākè’ěr", "扎克尔"),  # a typographic apostrophe
        ("Dinigeer", "迪妮格尔"),  # toneless pinyin of a Uyghur name
        ("Āgǔbó", "阿古柏"),  # 柏 read bo, its second reading
        ("Yīlìhāmù", "伊力哈木"),
        ("Shi-chang", "市长"),  # a hyphen
    ],
)
def test_pinyin_spellings_read_as_the_characters(spelling: str, chinese: str) -> None:
    assert sim(spelling, chinese) == 1.0


@pytest.mark.parametrize(
    ("spelling", "other"),
    [
        ("Шөһрәт", "Shöhret"),  # Uyghur Cyrillic
        ("Әбілмәжін", "Abilmazhin"),  # Kazakh Cyrillic
        ("Ахметжан", "Ehmetjan"),  # Russian-style
        ("Əⱨmət", "Exmet"),  # Uyghur New Script: ⱨ is h, h is x
        ("Xəmxinur", "Shemshinur"),  # ... and x is sh
        ("Türe", "Töre"),
        ("Şähidi", "Shehidi"),  # Turkish/Tatar letters
        ("İsmail", "Ismail"),
    ],
)
def test_scripts_and_alphabets(spelling: str, other: str) -> None:
    assert sim(spelling, other) >= 0.9, (readings(spelling), readings(other))


def test_the_table_adds_a_reading_and_takes_none_away() -> None:
    assert readings("司马义", table=False) == readings("司马义")[:-1]
    assert sim("司马义", "Ismayil") > similarity(
        part_sounds("司马义", table=False), part_sounds("Ismayil", table=False)
    )


def test_pinyin_syllables_are_mandarin_only() -> None:
    syllables = pinyin_syllables()
    assert {"zhang", "lv", "er", "a", "xi"} <= syllables
    assert not {"ng", "m", "r", "nur", "bek"} & syllables


@pytest.mark.parametrize(
    "junk",
    ["", "   ", "12345", "😀😀", "·", "'''", "\x00\x01\x1b[31m", "ǅ", "𠀀", "-–—", "Ab😀阿3ي"],
)
def test_junk_never_raises(junk: str) -> None:
    found = part_sounds(junk)
    assert isinstance(found, PartSounds)
    if not any(ch.isalpha() for ch in junk):
        assert found.empty and sim(junk, "Abdulla") == 0.0


def test_hostile_names_are_fast() -> None:
    for hostile in ("a" * 5000, "阿" * 5000, "😀" * 5000, "'" * 5000, "\x00" * 5000,
                    "Ab'" * 2000, "ⱨ" * 5000):  # fmt: skip
        start = time.perf_counter()
        part_sounds.__wrapped__(hostile)
        assert time.perf_counter() - start < 0.05, hostile[:5]


def test_one_name_in_well_under_a_millisecond() -> None:
    words = [f"{n.uly}{i}" for i in range(5) for n in load_names()]
    words += [f"{zh}{n.zh}" for n in load_names() for zh in n.chinese]
    part_sounds.__wrapped__("阿")  # load the tables first
    start = time.perf_counter()
    for word in words:
        part_sounds.__wrapped__(word)
    per_name = (time.perf_counter() - start) / len(words)
    assert per_name < 0.001, per_name


def test_the_index_gives_what_similarity_gives() -> None:
    names = [c for n in load_names() for c in (*n.chinese, *n.english, n.arabic) if c]
    parts = [part_sounds(c) for c in names] + [part_sounds("")]
    index = PartIndex(parts)
    for query in ("Abdurehim", "Zhākè'ěr", "Өркәш", "热衣木", "", "Xəmxinur"):
        wanted = part_sounds(query)
        got = index.similarities(wanted)
        assert len(got) == len(parts)
        assert max(abs(g - similarity(wanted, p)) for g, p in zip(got, parts, strict=True)) < 1e-9


def test_codes_survive_the_store() -> None:
    found = part_sounds("阿不都热依木")
    assert PartSounds.decode(found.encode()) == found
