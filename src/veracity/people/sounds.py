"""How a name part sounds, whatever script wrote it: one phoneme model, similarity on sequences.

A register writes 热依木 or 热衣木, testimony Rehim, a published list Rakhim, a relative in
Almaty Рәһим, an encyclopaedia Rèyīmù. None of these is more correct than another, so every
spelling is read the same way: into *readings*, each a string of phonemes of one small alphabet
(`a e i o u`, consonants as single letters, `S` for sh, `c` for ch, `x` for the /χ/ of kh,
`G` for gh, `N` for ng), and two parts are as similar as their closest pair of readings.

A part has more than one reading because a spelling does not say how it was meant:

- Chinese characters are read by `data/han_syllables.csv` (the Uyghur sound a character
  usually writes: 山 san in 艾山 Hesen) and by the character's Mandarin syllable through
  `keys.sound_of_pinyin` (山 shan; a character with two readings, 柏 bai/bo, both ways). The
  syllable reading makes every homophone alike, so 热依木, 热衣木 and 热伊木 agree whether or
  not the table lists their characters.
- Latin letters are read as a romanised Uyghur, Turkish or English spelling (a part with a
  letter of the Uyghur New Script by its rules: x is sh, h is /χ/), and, when the part
  splits into Mandarin syllables (Wu'erkaixi, Dinigeer, Yīlìhāmù), also as pinyin.
- Cyrillic is read letter by letter (Uyghur, Kazakh, Kyrgyz, Uzbek and Russian letters), and,
  when it splits into Russian's Palladius syllables (Чэнь Цюаньго), also as that Mandarin.
- A part the name table knows (`data/uyghur_names.csv`, by spelling or, for Chinese, by its
  Mandarin syllables) also gets its ULY form's reading, which is how irregular
  transcriptions (司马义 for Ismayil) join in. The table only *adds* a reading, so a listed
  spelling and an unlisted variant of it never disagree.

Readings are compared on *codes*: vowels folded to three classes and consonants to the
classes transcriptions swap (b/p/f, d/t, k/g/q, x/h, j/ch/zh, s/z, l/r, w/v, n/ng), in two
forms, the whole sequence and the consonant skeleton (/h/ dropped, as Chinese often does,
and heard as k, as in 雪克来提 for Shöhret), by normalised Indel similarity (rapidfuzz);
`similarity` blends the two (`_WHOLE`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from rapidfuzz.distance import Indel

__all__ = [
    "PartIndex",
    "PartSounds",
    "code",
    "han_pinyin_reading",
    "palladius_syllables",
    "part_sounds",
    "pinyin_syllables",
    "readings",
    "similarity",
    "skeleton",
]

#: Letters outside ASCII that Latin spellings of Uyghur, Kazakh, Turkish, Tatar or Uzbek names
#: use, with what they sound as in this model (diacritics not listed here are dropped).
_LATIN_SPECIAL = {
    "ş": "sh", "ç": "ch", "ğ": "gh", "ı": "i", "ə": "e", "ɵ": "o", "ⱨ": "h", "ⱪ": "q",
    "ƣ": "gh", "ŋ": "ng", "ʒ": "zh", "ß": "ss", "æ": "e", "ø": "o", "đ": "d", "ł": "l",
    "ñ": "ng", "ž": "zh", "š": "sh", "č": "ch",
}  # fmt: skip

#: Cyrillic: Russian and the Uyghur, Kazakh, Kyrgyz, Tatar, Uzbek and Tajik extra letters.
_CYRILLIC = {
    "а": "a", "ә": "e", "б": "b", "в": "v", "г": "g", "ғ": "gh", "д": "d", "е": "e",
    "ё": "yo", "ж": "j", "җ": "j", "з": "z", "и": "i", "й": "y", "к": "k", "қ": "q",
    "л": "l", "м": "m", "н": "n", "ң": "ng", "о": "o", "ө": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ў": "w", "ф": "f", "х": "kh",
    "һ": "h", "ҳ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "i",
    "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ӯ": "u", "ӣ": "i",
    "ҫ": "s", "ӓ": "e", "ӧ": "o", "ӱ": "u", "ҙ": "z", "ҡ": "q", "ӄ": "q", "ӈ": "ng",
}  # fmt: skip

#: Uyghur Arabic script (UEY) letters, plus the Arabic-only letters of borrowed names.
_ARABIC = {
    "ا": "a", "ە": "e", "ب": "b", "پ": "p", "ت": "t", "ج": "j", "چ": "ch", "خ": "kh",
    "د": "d", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "غ": "gh", "ف": "f",
    "ق": "q", "ك": "k", "گ": "g", "ڭ": "ng", "ل": "l", "م": "m", "ن": "n", "ھ": "h",
    "ه": "h", "و": "o", "ۇ": "u", "ۆ": "o", "ۈ": "u", "ۋ": "w", "ې": "e", "ى": "i",
    "ي": "y", "ئ": "", "ء": "", "ح": "h", "ع": "", "ص": "s", "ض": "z", "ط": "t", "ظ": "z",
    "ث": "s", "ذ": "z", "ة": "e", "أ": "a", "إ": "i", "آ": "a", "ک": "k", "ی": "y",
    "ؤ": "u", "ئە": "e",
}  # fmt: skip

#: The Uyghur New Script (Yëngi Yëziq, 1965-1982) writes sh as x, ch as q, /χ/ as h and
#: /h/ as ⱨ, like pinyin; a part with one of its own letters is read by its rules.
_NEW_SCRIPT_LETTERS = frozenset("əɵⱨⱪƣⱬƏƟⱧⱩƢⱫ")
_NEW_SCRIPT = str.maketrans({
    "x": "sh", "X": "Sh", "q": "ch", "Q": "Ch", "h": "kh", "H": "Kh", "ⱨ": "h", "Ⱨ": "H",
    "ⱪ": "q", "Ⱪ": "Q", "ƣ": "gh", "Ƣ": "Gh", "ⱬ": "zh", "Ⱬ": "Zh", "ə": "e", "Ə": "E",
    "ɵ": "o", "Ɵ": "O",
})  # fmt: skip

_VOWELS = frozenset("aeiou")
# Latin letter groups, longest first: each becomes one phoneme.
_LATIN_UNITS = re.compile("dzh|tch|sch|dj|zh|kh|gh|sh|ch|ph|ck|ng|th|.")
_UNIT = {
    "dzh": "j", "tch": "c", "sch": "S", "dj": "j", "zh": "j", "kh": "x", "gh": "G",
    "sh": "S", "ch": "c", "ph": "f", "ck": "k", "th": "t", "c": "j", "v": "w",
}  # fmt: skip

# Codes: vowels in three classes (a/e, i/y, o/u) and consonants in the classes transcriptions
# swap. Chinese has no voiced stops (巴 ba writes b and p), no r distinct from l in syllables
# like 里 li (克里木 Kérim), no v (瓦 wa), and writes f for p (甫 fu); English and Russian
# write the /χ/ of ULY x as h or kh, the q as k, the j as zh or dzh.
_CODE = str.maketrans({
    "a": "a", "e": "a", "i": "i", "y": "i", "o": "u", "u": "u",
    "b": "P", "p": "P", "f": "P", "d": "T", "t": "T", "k": "K", "g": "K", "q": "K", "G": "K",
    "x": "H", "h": "H", "j": "J", "c": "J", "s": "S", "z": "S", "S": "X", "l": "L", "r": "L",
    "m": "M", "n": "N", "N": "N", "w": "W",
})  # fmt: skip
_DOUBLES = re.compile(r"(.)\1+")
_NOT_CODE = re.compile(r"[^aiuPTKHJSXLMNW]")

#: How much of `similarity` the whole sequence decides; the skeleton decides the rest.
_WHOLE = 0.4


@cache
def pinyin_syllables() -> frozenset[str]:
    """Every toneless Mandarin syllable pypinyin knows (ü as v), to tell pinyin from other
    Latin spellings."""
    from pypinyin.pinyin_dict import pinyin_dict  # late: a large table

    found: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
            plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
            if plain.isascii() and plain.isalpha():
                found.add(plain.lower())
    found -= {"m", "n", "ng", "hm", "hng", "r"}  # interjections: not name syllables
    return frozenset(found)


@cache
def palladius_syllables() -> dict[str, str]:
    """Russian (Palladius) Cyrillic spelling of each Mandarin syllable -> the pinyin syllable:
    how Russian writes Chinese names (陈全国 Чэнь Цюаньго), from pypinyin's own table."""
    from pypinyin import Style, lazy_pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    wanted = set(pinyin_syllables())
    found: dict[str, str] = {}
    for code_point, readings_ in pinyin_dict.items():
        plain = unicodedata.normalize("NFD", readings_.split(",")[0]).replace("u\u0308", "v")
        syllable = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
        if syllable not in wanted:
            continue
        wanted.discard(syllable)
        cyrillic = lazy_pinyin(chr(code_point), style=Style.CYRILLIC)[0]
        cyrillic = "".join(ch for ch in cyrillic if not ch.isdigit())
        if cyrillic:
            found.setdefault(cyrillic, syllable)
    return found


def _segment(word: str, syllables: Collection[str] | None = None) -> list[str] | None:
    """`word` cut into syllables (fewest pieces; pinyin unless `syllables` are given), or
    None if it cannot be."""
    syllables = pinyin_syllables() if syllables is None else syllables
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(1, n + 1):
        for start in range(max(0, end - 6), end):
            head, known = best[start], best[end]
            fewer = known is None or (head is not None and len(head) + 1 < len(known))
            if head is not None and fewer and word[start:end] in syllables:
                best[end] = [*head, word[start:end]]
    return best[n]


def _latin_letters(text: str) -> str:
    """Lower-case a-z (and apostrophes kept as syllable marks) from any Latin spelling."""
    lowered = text.lower()
    mapped = "".join(_LATIN_SPECIAL.get(ch, ch) for ch in lowered)
    decomposed = unicodedata.normalize("NFKD", mapped)
    out = []
    for ch in decomposed:
        if "a" <= ch <= "z":
            out.append(ch)
        elif ch in "'’‘ʼʻ`´ʹ":
            out.append("'")
    return "".join(out)


def _phonemes(latin: str) -> str:
    """Latin letters -> phonemes: digraphs to one letter, y as a vowel unless before one."""
    units = [_UNIT.get(u, u) for u in _LATIN_UNITS.findall(latin.replace("'", ""))]
    out = []
    for i, unit in enumerate(units):
        before_vowel = i + 1 < len(units) and units[i + 1] in _VOWELS
        if unit == "y" and not before_vowel:
            unit = "i"
        elif unit == "ng":  # -ng- before a vowel is n + g in these names (丁格 ding-ge)
            unit = "ng" if before_vowel else "N"
        out.append(unit)
    return _DOUBLES.sub(r"\1", "".join(out))


def _pinyin_reading(letters: str, tones: bool) -> str | None:
    """A Latin part read as Mandarin pinyin, if every piece between apostrophes is pinyin."""
    from veracity.people.keys import sound_of_pinyin

    pieces = [p for p in letters.split("'") if p]
    syllables: list[str] = []
    for piece in pieces:
        found = _segment(piece)
        if found is None:
            return None
        syllables += found
    if not syllables or (len(syllables) < 2 and not tones):
        return None
    return _phonemes("".join(sound_of_pinyin(s) for s in syllables))


def _palladius_reading(text: str) -> str | None:
    """A Cyrillic part read as Russian's spelling of Mandarin (Цюаньго is quan-guo), if every
    word of it is made of such syllables."""
    from veracity.people.keys import sound_of_pinyin

    table = palladius_syllables()
    words = re.split(r"[\sъ\-]+", text.lower())
    syllables: list[str] = []
    for word in (w for w in words if w):
        found = _segment(word, table)
        if found is None:
            return None
        syllables += [table[piece] for piece in found]
    if not syllables:
        return None
    return _phonemes("".join(sound_of_pinyin(s) for s in syllables))


def _script(ch: str) -> str:
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff":
        return "han"
    if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff":
        return "arabic"
    if "\u0400" <= ch <= "\u04ff":
        return "cyrillic"
    return "latin"


@lru_cache(maxsize=1 << 14)
def _han_pinyin_sounds(ch: str) -> tuple[str, str]:
    """A character's Mandarin syllable as a sound, and its second reading's if it has one
    (柏 bai, bo: 阿古柏 is Agubo)."""
    from pypinyin import Style, pinyin  # late: slow to load

    from veracity.people.keys import sound_of_pinyin

    found = [
        sound_of_pinyin(r)
        for r in pinyin(ch, style=Style.NORMAL, heteronym=True)[0]
        if r.isascii() and r.isalpha()
    ]
    if not found:
        return "", ""
    return found[0], found[1] if len(found) > 1 else found[0]


def han_pinyin_reading(text: str) -> str:
    """The Mandarin syllables of a Chinese spelling's characters, each by its first reading:
    what every homophone spelling of it shares (热依木, 热衣木: re-yi-mu)."""
    return "".join(_han_pinyin_sounds(ch)[0] for ch in text if _script(ch) == "han")


def _han_readings(text: str) -> list[str]:
    from veracity.people.keys import load_han_sounds

    table = load_han_sounds()
    by_table, by_pinyin, by_other = [], [], []
    for ch in text:
        if _script(ch) != "han":
            continue
        first, other = _han_pinyin_sounds(ch)
        by_pinyin.append(first)
        by_other.append(other)
        by_table.append(table.get(ch, first))
    found = [_phonemes("".join(by_table)), _phonemes("".join(by_pinyin))]
    if by_other != by_pinyin:
        found.append(_phonemes("".join(by_other)))
    return found


def _general_readings(text: str) -> list[str]:
    """Readings of a part from its letters alone (no name table), by the script of most of
    its letters; the other letters are read by their own script."""
    normal = unicodedata.normalize("NFKC", text)
    scripts = [_script(ch) for ch in normal if ch.isalpha()]
    if not scripts:
        return []
    if "han" in scripts:
        return _han_readings(normal)
    latin = []
    for ch, script in zip(normal, (_script(c) for c in normal), strict=True):
        if script == "cyrillic":
            latin.append(_CYRILLIC.get(ch.lower(), ""))
        elif script == "arabic":
            latin.append(_ARABIC.get(ch, ""))
        else:
            latin.append(ch)
    joined = "".join(latin)
    if _NEW_SCRIPT_LETTERS & set(joined):
        joined = joined.translate(_NEW_SCRIPT)
    letters = _latin_letters(joined)
    found = [_phonemes(letters)]
    if all(s == "latin" for s in scripts):
        tones = any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", normal))
        as_pinyin = _pinyin_reading(letters, tones)
        if as_pinyin:
            found.append(as_pinyin)
    elif all(s == "cyrillic" for s in scripts):
        as_mandarin = _palladius_reading(normal)
        if as_mandarin:
            found.append(as_mandarin)
    return found


def readings(text: str, *, table: bool = True) -> tuple[str, ...]:
    """Every reading of one name part, without repeats, the spelling's own first; with
    `table`, also the reading of its ULY form when the name table knows the spelling."""
    from veracity.people.keys import canonical_spelling

    found = _general_readings(text)
    canonical = canonical_spelling(text) if table else None
    if canonical is not None:
        found += _general_readings(canonical)[:1]
    return tuple(dict.fromkeys(r for r in found if r))


def code(reading: str) -> str:
    """A reading in the classes transcriptions swap, doubled letters collapsed; a leading
    glide before its own vowel dropped (吾 wu, 伊 yi: Chinese writes a bare u or i so)."""
    coded = _DOUBLES.sub(r"\1", _NOT_CODE.sub("", reading.translate(_CODE)))
    if coded[:2] in ("Wu", "ii", "Ha", "Hi", "Hu"):  # Chinese: 艾山 for Hesen, 吾 for u
        coded = coded[1:]
    return coded


def skeleton(coded: str, h: str = "") -> str:
    """The consonants of a code, after a mark (`V`) when the part begins with a vowel; `h`
    is what an /h/ or /χ/ becomes ("" dropped, or "K").

    Transcriptions differ most in vowels: Chinese adds one after a final consonant (提 ti for
    t, 木 mu for m) and writes ai for e (买买提 for Memet); the consonants are what stays.
    """
    coded = coded.replace("H", h)
    body = "".join(ch for ch in coded if ch.isupper()).replace("X", "S")  # 山 shan for sen
    lead = "V" if coded and coded[0].islower() else ""
    return _DOUBLES.sub(r"\1", lead + body)


def _with_skeletons(codes: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Each code with its skeletons: /h/ dropped (Rahile 热依拉, Ilham 伊力哈木), and where
    the code has one, /h/ heard as k (Shöhret 雪克来提, Qasim 哈斯木)."""
    pairs = []
    for coded in codes:
        pairs.append((coded, skeleton(coded)))
        if "H" in coded:
            pairs.append((coded, skeleton(coded, "K")))
    return tuple(c for c, _ in pairs), tuple(k for _, k in pairs)


@dataclass(frozen=True)
class PartSounds:
    """One name part's readings as codes, ready to compare: `codes[i]` with `skeletons[i]`
    (a code comes twice when it has two skeletons)."""

    codes: tuple[str, ...]
    skeletons: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.codes

    def encode(self) -> str:
        """The part's codes as one string ("|"-separated) for the store."""
        return "|".join(dict.fromkeys(self.codes))

    @classmethod
    def decode(cls, stored: str) -> PartSounds:
        return cls(*_with_skeletons([c for c in stored.split("|") if c]))


@lru_cache(maxsize=1 << 16)
def part_sounds(text: str, *, table: bool = True) -> PartSounds:
    """The codes of every reading of one name part ("" or junk: none). Only the first 200
    characters are read: no name is longer, and a hostile one costs no more."""
    found = readings(text[:200], table=table)
    codes = list(dict.fromkeys(c for c in (code(r) for r in found) if c))
    return PartSounds(*_with_skeletons(codes))


def _pair_similarity(a_code: str, a_skel: str, b_code: str, b_skel: str) -> float:
    whole = Indel.normalized_similarity(a_code, b_code)
    bones = Indel.normalized_similarity(a_skel, b_skel) if a_skel and b_skel else whole
    return _WHOLE * whole + (1 - _WHOLE) * bones


def similarity(a: PartSounds, b: PartSounds) -> float:
    """How alike two parts sound, 0..1: their closest pair of readings, 1.0 when two readings
    are one code. Nothing matches an empty part (a name of digits or punctuation)."""
    if a.empty or b.empty:
        return 0.0
    if set(a.codes) & set(b.codes):
        return 1.0
    return max(
        _pair_similarity(ac, ak, bc, bk)
        for ac, ak in zip(a.codes, a.skeletons, strict=True)
        for bc, bk in zip(b.codes, b.skeletons, strict=True)
    )


class PartIndex:
    """Many name parts' codes in flat arrays, compared with one query part at C speed.

    `people find` compares a query with every distinct name part of a case (tens of thousands
    in a large leak) instead of looking up one key, so that a spelling no key foresaw is still
    ranked by how it sounds. `similarities` gives exactly what `similarity` would, per part.
    """

    def __init__(self, parts: Sequence[PartSounds]) -> None:
        import numpy as np

        self.size = len(parts)
        codes: list[str] = []
        skeletons: list[str] = []
        owners: list[int] = []
        for index, part in enumerate(parts):
            codes += part.codes
            skeletons += part.skeletons
            owners += [index] * len(part.codes)
        self._codes = codes
        self._skeletons = skeletons
        self._owners = np.asarray(owners, dtype=np.int64)
        self._has_skeleton = np.asarray([bool(k) for k in skeletons], dtype=bool)

    def similarities(self, query: PartSounds) -> Any:
        """A float array: `similarity(query, part)` for every part, in order."""
        import numpy as np
        from rapidfuzz.process import cdist

        best = np.zeros(self.size, dtype=np.float64)
        if query.empty or not self._codes:
            return best
        whole = cdist(
            list(query.codes), self._codes, scorer=Indel.normalized_similarity, dtype=np.float64
        )
        bones = cdist(
            list(query.skeletons), self._skeletons, scorer=Indel.normalized_similarity,
            dtype=np.float64,
        )  # fmt: skip
        for row, skeleton_ in enumerate(query.skeletons):
            usable = self._has_skeleton & bool(skeleton_)
            mixed = np.where(usable, _WHOLE * whole[row] + (1 - _WHOLE) * bones[row], whole[row])
            mixed = np.where(whole[row] == 1.0, 1.0, mixed)
            np.maximum.at(best, self._owners, mixed)
        exact = np.zeros(self.size, dtype=bool)
        for row in range(len(query.codes)):
            exact[self._owners[whole[row] == 1.0]] = True
        best[exact] = 1.0
        return best
