"""Phonetic keys that make one Uyghur name look the same in every script.

A register writes 阿卜杜热合曼 (or 阿不都热合曼), testimony writes Abdurehman, a published list
Abdurakhman. Every script is first turned into rough Latin sounds — Chinese per character from
`data/han_syllables.csv` (pypinyin for characters it lacks), Uyghur Arabic letter by letter,
Latin as written — and then folded to a coarse consonant skeleton: the spellings differ mostly
in vowels (Memet/Mamat/买买提 mai-mai-ti), in digraphs (kh/x/h, q/k, gh/g, v/w, f/p) and in the
vowels Chinese adds after a final consonant (提 ti for t, 木 mu for m), so vowels are dropped
except a class marker for a leading one (a/e/i or o/u). A name the bundled table knows maps to
its ULY spelling's key first, so its irregular transcriptions (司马义 for Ismayil) still agree;
a name it does not know still gets a close key from the general model.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from veracity.errors import DataFileError
from veracity.people._csvdata import read_table
from veracity.people.names import UyghurName, fold_latin, load_names, pinyin, split_name

__all__ = [
    "HAN_FILE",
    "Keyer",
    "NameKeys",
    "keys_for",
    "load_han_sounds",
    "name_key",
    "name_similarity",
    "read_han_sounds",
    "sound_of_pinyin",
]

HAN_FILE = Path(__file__).parent / "data" / "han_syllables.csv"

_HAN = re.compile(r"^[\u4e00-\u9fff]$")
_SOUNDS = re.compile(r"^[a-z]+(\|[a-z]+)*$")

#: Uyghur Arabic script (UEY) letters, plus the Arabic-only letters of borrowed names.
_ARABIC = {
    "ا": "a", "ە": "e", "ب": "b", "پ": "p", "ت": "t", "ج": "j", "چ": "ch", "خ": "kh",
    "د": "d", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "غ": "gh", "ف": "f",
    "ق": "q", "ك": "k", "گ": "g", "ڭ": "ng", "ل": "l", "م": "m", "ن": "n", "ھ": "h",
    "ه": "h", "و": "o", "ۇ": "u", "ۆ": "o", "ۈ": "u", "ۋ": "w", "ې": "e", "ى": "i",
    "ي": "y", "ئ": "", "ء": "", "ح": "h", "ع": "", "ص": "s", "ض": "z", "ط": "t", "ظ": "z",
    "ث": "s", "ذ": "z", "ة": "e", "أ": "a", "إ": "i", "آ": "a", "ک": "k", "ی": "y",
}  # fmt: skip

# Latin digraphs first (longest first), then single letters: ULY x and Russian kh are /χ/,
# English spells ULY q as k, Turkish spells w as v, Chinese and English swap f and p, and
# Chinese, having no syllables ri or ra, writes them with l (克里木 Kérim, 巴拉提 Barat).
_DIGRAPHS = re.compile("dzh|dj|zh|kh|gh|sh|ch|ph|nm")
_DIGRAPH_CODE = {
    "dzh": "j", "dj": "j", "zh": "j", "kh": "h", "gh": "g", "sh": "S", "ch": "C", "ph": "p",
    "nm": "m",  # Chinese writes a final m as -n + 木 (阿依仙木 Ayshem)
}  # fmt: skip
_LETTERS = str.maketrans({"x": "h", "q": "k", "v": "w", "f": "p", "c": "k", "r": "l"})
_DOUBLES = re.compile(r"(.)\1+")
_LEAD = re.compile(r"^(?:h(?=[aeiou])|w(?=[uo]))")
_CLASS = {"a": "a", "e": "a", "i": "a", "o": "u", "u": "u"}  # English: Emin for Imin
_DEVOICE = {"b": "p", "d": "t", "g": "k"}
_DROP = str.maketrans("", "", "aeiouy")
_GLIDE = re.compile(r"^(sh|ch|j)i(?=[aeou])")


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


@lru_cache(maxsize=4096)
def _odd_char(ch: str) -> str:
    """A character outside the fast tables: an accented letter, a rare Chinese one, or junk."""
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
        from pypinyin import lazy_pinyin  # imported late: slow to load, rarely needed here

        return sound_of_pinyin(lazy_pinyin(ch)[0])
    base = fold_latin(ch).lower()
    return base if base.isascii() and base.isalpha() else ""


def _fold(sounds: str) -> str:
    """Rough Latin sounds -> consonant skeleton with a class marker for a leading vowel."""
    s = _DIGRAPHS.sub(lambda m: _DIGRAPH_CODE[m.group()], sounds).translate(_LETTERS)
    s = _LEAD.sub("", _DOUBLES.sub(r"\1", s))
    if not s:
        return ""
    head = _CLASS.get(s[0], s[0])
    body = _DOUBLES.sub(r"\1", (head + s[1:].translate(_DROP)))
    if len(body) > 1 and body[-1] in _DEVOICE:
        body = body[:-1] + _DEVOICE[body[-1]]
    return body


def _lookup_form(text: str) -> str:
    """How a spelling is looked up in the name table: letters only, lower case, no accents."""
    if text.isalpha() and unicodedata.is_normalized("NFD", text):  # fast path: most names
        return text.lower()
    return "".join(ch for ch in fold_latin(text).lower() if ch.isalpha())


class Keyer:
    """Computes name keys from a name table (the bundled one by default; tests pass others)."""

    def __init__(self, names: Iterable[UyghurName], han: dict[str, str] | None = None) -> None:
        self._chars: dict[str, str] = {chr(c): chr(c) for c in range(ord("a"), ord("z") + 1)}
        self._chars.update({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})
        self._chars.update(_ARABIC)
        self._chars.update(load_han_sounds() if han is None else han)
        self._known: dict[str, str] = {}
        for name in names:
            canonical = self.general_key(name.uly)
            forms = (*name.latin_spellings, *name.chinese, *((name.arabic,) if name.arabic else ()))
            for form in forms:
                self._known.setdefault(_lookup_form(form), canonical)

    def general_key(self, text: str) -> str:
        """The key from sounds alone, ignoring the name table."""
        chars = self._chars
        sounds = "".join([chars[ch] if ch in chars else _odd_char(ch) for ch in text])
        return _fold(sounds)

    def key(self, text: str) -> str:
        """The table's key for a name it knows in any spelling, else the general key."""
        known = self._known.get(_lookup_form(text))
        return known if known is not None else self.general_key(text)


@cache
def _default_keyer() -> Keyer:
    return Keyer(load_names())


@lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """The phonetic key of ONE name part (a given name or a father's name), in any script.

    Deterministic; "" for text with no letters (digits, emoji, punctuation); never raises.
    Abdurahman, Abdurehman, Abdurakhman, 阿卜杜热合曼 and 阿不都热合曼 share one key.
    """
    return _default_keyer().key(text)


def jaro_matches(a: str, b: str) -> tuple[int, int]:
    """Jaro's matching characters of `a` and `b` (greedy, in a window of max(len)/2 - 1), and
    how many of them stand in a different order — the part of Jaro-Winkler both our keys'
    similarity and the Spark copy of DuckDB's function share; each rounds the rest its way."""
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    used = [False] * len(b)
    a_matched: list[str] = []
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not used[j] and b[j] == ch:
                used[j] = True
                a_matched.append(ch)
                break
    b_matched = [ch for j, ch in enumerate(b) if used[j]]
    return len(a_matched), sum(x != y for x, y in zip(a_matched, b_matched, strict=True))


def name_similarity(a_key: str, b_key: str) -> float:
    """Jaro-Winkler similarity of two keys, 0..1; an empty key matches nothing.

    Jaro-Winkler rewards a shared beginning, which suits keys: the leading consonants and the
    vowel class are the most reliable part of a transcription, the ending the least.
    """
    if not a_key or not b_key:
        return 0.0
    if a_key == b_key:
        return 1.0
    if len(a_key) > len(b_key):
        a_key, b_key = b_key, a_key
    m, out_of_order = jaro_matches(a_key, b_key)
    if not m:
        return 0.0
    transpositions = out_of_order / 2
    jaro = (m / len(a_key) + m / len(b_key) + (m - transpositions) / m) / 3
    prefix = 0
    for x, y in zip(a_key[:4], b_key[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


@dataclass(frozen=True)
class NameKeys:
    """A full name split into its parts, each with its key, and its pinyin for display."""

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
        given_key=name_key(given),
        father_key=None if father is None else name_key(father),
        pinyin=pinyin(full_name),
    )
