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
from typing import Any

#: Characters looked at: enough to decide, few enough that a 20 MB text costs nothing.
SAMPLE_CHARS = 5000
_SLICES = 5

_UYGHUR = frozenset("ېۈۆۇۋڭە")  # ە, ۇ, ۋ, ڭ also Kazakh's; ې, ۈ, ۆ Uyghur's alone (and ۆ Sorani)
_UYGHUR_ONLY = frozenset("ېۈ")
_KAZAKH_ARABIC = frozenset("\u0674\u0675\u0676\u0677\u0678")  # ٴ ٵ ٶ ٷ ٸ
_HAN_WEIGHT = 3


def _script(code: int) -> str:
    """The script of one letter, by code point block; 'other' for the rest."""
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "han"
    if 0x20000 <= code <= 0x3134F:
        return "han"
    if 0x3040 <= code <= 0x30FF:
        return "kana"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF:
        return "hangul"
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    if 0x0400 <= code <= 0x052F:
        return "cyrillic"
    if code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
        return "latin"
    return "other"


def sample(text: str, size: int = SAMPLE_CHARS) -> str:
    """At most `size` characters taken from a few places, so a header does not decide alone."""
    if len(text) <= size:
        return text
    step, width = len(text) // _SLICES, size // _SLICES
    return " ".join(text[i * step : i * step + width] for i in range(_SLICES))


def _arabic_script_language(letters: list[str]) -> str | None:
    arabic = [c for c in letters if _script(ord(c)) == "arabic"]
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
    letters = [c for c in sample(text) if c.isalpha()]
    if len(letters) < 3:
        return None
    counts: dict[str, int] = {}
    for c in letters:
        script = _script(ord(c))
        counts[script] = counts.get(script, 0) + 1
    kana = counts.get("kana", 0)
    if kana and kana * 5 >= counts.get("han", 0):  # Japanese mixes kana into its kanji
        return "ja"
    weight = {s: n * _HAN_WEIGHT if s == "han" else n for s, n in counts.items()}
    main = max(weight, key=lambda s: weight[s])
    if main == "han":
        return "zh"
    if main == "hangul":
        return "ko"
    if main == "arabic":
        return _arabic_script_language(letters)
    return _lingua("".join(c if c.isalpha() else " " for c in sample(text)))


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
    found = _detector().detect_language_of(text)
    return None if found is None else str(found.iso_code_639_1.name).lower()
