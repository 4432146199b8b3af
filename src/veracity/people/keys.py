"""Name keys: what the store, linking and search hold of one name part, built on people/sounds.py.

A name part has three faces here. Its *part key* (`part_key`) says which spelling it is (the
letters of the spelling, folded): `persons` and `person_names` index it, and `name_parts` maps
it to the part's sound codes, which `people find` compares with a query's. Its *link key*
(`link_key`) is the consonant skeleton of its first reading: what splink compares when it links
records without a trusted ID. And `part_similarity` compares two parts as `sounds.similarity`
does, the measure linking, `id_shared` and search all share.

This module also holds the tables the sound model reads Chinese with (`han_syllables.csv` and
`sound_of_pinyin`) and the bundled name table's spellings (`canonical_spelling`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from veracity.errors import DataFileError
from veracity.people._csvdata import read_table
from veracity.people.names import fold_latin, load_names, pinyin, split_name

__all__ = [
    "HAN_FILE",
    "NameKeys",
    "canonical_spelling",
    "keys_for",
    "link_key",
    "load_han_sounds",
    "part_key",
    "part_similarity",
    "read_han_sounds",
    "sound_of_pinyin",
]

HAN_FILE = Path(__file__).parent / "data" / "han_syllables.csv"

_HAN = re.compile(r"^[\u4e00-\u9fff]$")
_HAN_TEXT = re.compile(r"^[\u4e00-\u9fff]+$")
_SOUNDS = re.compile(r"^[a-z]+(\|[a-z]+)*$")
_GLIDE = re.compile(r"^(sh|ch|j)i(?=[aeou])")
#: the longest part key kept: a hostile 5,000-character "name" is still one bounded key
PART_KEY_LENGTH = 64


def sound_of_pinyin(syllable: str) -> str:
    """The Uyghur sound a toneless pinyin syllable usually stands for in a name transcription.

    Pinyin x/q are Uyghur sh/ch (夏 xia = sha), zh is j, f is p (甫 fu = p), a nasal -ng is -n;
    yi is the vowel i (依, 伊). Used to draft `han_syllables.csv` and for characters it lacks.
    """
    py = syllable.lower().replace("ü", "u").replace("v", "u")
    if py.startswith("yi"):
        py = py[1:]  # yin, ying -> in
    for pinyin_initial, sound in (("zh", "j"), ("x", "sh"), ("q", "ch"), ("c", "s"), ("f", "p")):
        if py.startswith(pinyin_initial):
            py = sound + py[len(pinyin_initial) :]
            break
    py = _GLIDE.sub(r"\1", py)  # the glide of xia, qie, jiang
    py = py.removesuffix("g") if py.endswith("ng") else py
    return py.replace("ong", "un").replace("uo", "o").replace("ou", "o").replace("ao", "o")


def read_han_sounds(path: Path = HAN_FILE) -> dict[str, str]:
    """Each character's usual sound (the first one listed), validated; `DataFileError` if bad."""
    table: dict[str, str] = {}
    for number, (han, _pinyin, sounds) in read_table(path, ("han", "pinyin", "sounds")):
        key = f"line {number} ({han})"
        if not _HAN.match(han):
            raise DataFileError(path.name, key, "han must be one Chinese character")
        if not _SOUNDS.match(sounds):
            raise DataFileError(path.name, key, f"sounds {sounds!r} must be |-separated a-z")
        if han in table:
            raise DataFileError(path.name, key, "character listed twice")
        table[han] = sounds.split("|")[0]
    if not table:
        raise DataFileError(path.name, "rows", "the table is empty")
    return table


@cache
def load_han_sounds() -> dict[str, str]:
    """The bundled character table, read once per process (treat it as read-only)."""
    return read_han_sounds(HAN_FILE)


def _lookup_form(text: str) -> str:
    """A spelling's letters, lower case, without accents (Gülnar and GULNAR are one)."""
    if text.isalpha() and unicodedata.is_normalized("NFD", text):  # fast path: most names
        return text.lower()
    return "".join(ch for ch in fold_latin(text).lower() if ch.isalpha())


@cache
def _canonical() -> dict[str, str]:
    found: dict[str, str] = {}
    for name in load_names():
        forms = (*name.latin_spellings, *name.chinese, *((name.arabic,) if name.arabic else ()))
        for form in forms:
            found.setdefault(_lookup_form(form), name.uly)
    return found


@cache
def _canonical_by_reading() -> dict[str, str]:
    from veracity.people.sounds import han_pinyin_reading

    found: dict[str, str] = {}
    for name in load_names():
        for zh in name.chinese:
            found.setdefault(han_pinyin_reading(zh), name.uly)
    return found


def canonical_spelling(text: str) -> str | None:
    """The ULY spelling of a name the bundled table knows in this spelling — or, for Chinese
    characters, in any spelling of the same syllables (热衣木 for the listed 热依木: a clerk's
    homophone is the same transcription) — else None."""
    found = _canonical().get(_lookup_form(text))
    if found is None and _HAN_TEXT.match(text):
        from veracity.people.sounds import han_pinyin_reading

        found = _canonical_by_reading().get(han_pinyin_reading(text))
    return found


@lru_cache(maxsize=1 << 16)
def part_key(text: str) -> str:
    """Which spelling a name part is: its letters folded, at most `PART_KEY_LENGTH` long; ""
    for a part with no letters. Two spellings with one key sound alike by construction."""
    return unicodedata.normalize("NFKC", _lookup_form(text[: 4 * PART_KEY_LENGTH]))[
        :PART_KEY_LENGTH
    ]


@lru_cache(maxsize=1 << 16)
def link_key(text: str) -> str:
    """The consonant skeleton of a part's first reading, for splink's comparisons; ""
    for no letters."""
    from veracity.people.sounds import part_sounds

    found = part_sounds(text)
    return found.skeletons[0] if found.skeletons else ""


@lru_cache(maxsize=1 << 16)
def part_similarity(a: str, b: str) -> float:
    """How alike two name parts sound, 0..1 (`sounds.similarity` of their readings)."""
    from veracity.people.sounds import part_sounds, similarity

    return similarity(part_sounds(a), part_sounds(b))


@dataclass(frozen=True)
class NameKeys:
    """A full name split into its parts, each with its part key, and its pinyin for display."""

    original: str
    given: str
    father: str | None
    given_key: str
    father_key: str | None
    pinyin: str


def keys_for(full_name: str) -> NameKeys:
    """Split a register's or a query's name and key both parts (what linking and search store)."""
    given, father = split_name(full_name)
    return NameKeys(
        original=full_name,
        given=given,
        father=father,
        given_key=part_key(given),
        father_key=None if father is None else part_key(father),
        pinyin=pinyin(full_name),
    )
