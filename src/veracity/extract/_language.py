"""The main language of a text, as ISO 639-1: a script check first, lingua for the rest.

The script decides most cases cheaply and more surely than any n-gram model: Han characters
are Chinese ("zh"), kana Japanese, hangul Korean. Uyghur, the language of the people a Xinjiang
leak is about, is missing from lingua, so Arabic-script text is told apart by the letters only
Uyghur's alphabet uses (ې ۈ ۆ ۇ ۋ ڭ ە) against those of the Kazakh Arabic alphabet (ٴ and the
hamza-carrying ٵ ٶ ٷ ٸ) and of Arabic, Persian and Urdu, which use none of them. Only
Cyrillic, Latin and plain Arabic-script text go to lingua, restricted to the languages such a
leak holds, so the models loaded stay few and the answer is rarely an exotic neighbour.

Known limits: Uyghur and Uzbek in Latin script come out as Turkish or Azerbaijani (lingua has
neither language); a text mixing scripts gets the language of the script that carries most
of it, Han characters weighing as three letters each since a Chinese character is about a word.
"""

from __future__ import annotations

import functools
import re
from typing import Any

#: Characters looked at: enough to decide, few enough that a 20 MB text costs nothing.
SAMPLE_CHARS = 5000
_SLICES = 5
#: What lingua gets of a long text: plenty for trigrams, and it costs time by the character.
LINGUA_CHARS = 1000

_UYGHUR = frozenset("ېۈۆۇۋڭە")  # ە, ۇ, ۋ, ڭ also Kazakh's; ې, ۈ, ۆ Uyghur's alone (and ۆ Sorani)
_UYGHUR_ONLY = frozenset("ېۈ")
_KAZAKH_ARABIC = frozenset("\u0674\u0675\u0676\u0677\u0678")  # ٴ ٵ ٶ ٷ ٸ
_HAN_WEIGHT = 3
#: Below this many letters lingua's fast mode guesses; see `_lingua`.
SHORT_TEXT_LETTERS = 120
_ENGLISH_WORDS = frozenset(
    {"the", "of", "and", "to", "in", "is", "for", "on", "with", "this", "that", "by", "at"}
    | {"from", "as", "be", "are", "was", "it", "an", "or", "not"}
)


#: Letters of each script, counted with regular expressions (C speed: 5,000 characters in
#: well under a millisecond, against 5 ms for a Python loop over them).
_SCRIPTS = {
    "han": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"),
    "kana": re.compile(r"[\u3040-\u30ff]"),
    "hangul": re.compile(r"[\uac00-\ud7af\u1100-\u11ff]"),
    "arabic": re.compile(r"[\u0620-\u064a\u066e-\u06d5\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
    "cyrillic": re.compile(r"[\u0400-\u052f]"),
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]"),
}
_NOT_LETTERS = re.compile(r"[\W\d_]+")


def sample(text: str, size: int = SAMPLE_CHARS) -> str:
    """At most `size` characters taken from a few places, so a header does not decide alone."""
    if len(text) <= size:
        return text
    step, width = len(text) // _SLICES, size // _SLICES
    return " ".join(text[i * step : i * step + width] for i in range(_SLICES))


def _arabic_script_language(arabic: list[str]) -> str | None:
    uyghur = sum(1 for c in arabic if c in _UYGHUR)
    kazakh = sum(1 for c in arabic if c in _KAZAKH_ARABIC)
    if any(c in _UYGHUR_ONLY for c in arabic) or (uyghur >= 0.03 * len(arabic) and not kazakh):
        return "ug"
    if kazakh and uyghur:
        return "kk"
    return _lingua("".join(arabic))


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the main language of `text` ("zh", "ug", "en", "ru", "kk", …).

    None when the text has too few letters to tell (numbers, a name or two) or lingua is
    unsure.
    """
    part = sample(text)
    found = {script: pattern.findall(part) for script, pattern in _SCRIPTS.items()}
    counts = {script: len(chars) for script, chars in found.items()}
    if sum(counts.values()) < 3:
        return None
    if counts["kana"] and counts["kana"] * 5 >= counts["han"]:  # kana among the kanji
        return "ja"
    weight = {s: n * _HAN_WEIGHT if s == "han" else n for s, n in counts.items()}
    main = max(weight, key=lambda s: weight[s])
    if main == "han":
        return "zh"
    if main == "hangul":
        return "ko"
    if main == "arabic":
        return _arabic_script_language(found["arabic"])
    return _lingua(" ".join(_NOT_LETTERS.sub(" ", sample(text, LINGUA_CHARS)).split()))


@functools.cache
def _detector() -> Any:
    """Built once per process on first use: lingua loads its models lazily, per language."""
    from lingua import Language, LanguageDetectorBuilder

    languages = (
        Language.ENGLISH,
        Language.RUSSIAN,
        Language.KAZAKH,
        Language.UKRAINIAN,
        Language.MONGOLIAN,
        Language.TURKISH,
        Language.AZERBAIJANI,
        Language.GERMAN,
        Language.FRENCH,
        Language.SPANISH,
        Language.ARABIC,
        Language.PERSIAN,
        Language.URDU,
    )
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def _lingua(text: str) -> str | None:
    """lingua's answer, in its fast mode; for a short text only when it is sure.

    The fast mode is reliable from about 120 letters; below that it called "This document uses
    the Calisto MT font." French (0.92). The accurate mode costs 290 MB per worker, so a short
    text with two English function words is taken as English, and otherwise lingua's answer is
    kept only at 0.6 confidence or more.
    """
    if sum(c.isalpha() for c in text) >= SHORT_TEXT_LETTERS:
        found = _detector().detect_language_of(text)
        return None if found is None else str(found.iso_code_639_1.name).lower()
    if len(_ENGLISH_WORDS.intersection(text.lower().split())) >= 2:
        return "en"
    ranked = _detector().compute_language_confidence_values(text)
    if not ranked or ranked[0].value < 0.6:
        return None
    return str(ranked[0].language.iso_code_639_1.name).lower()
