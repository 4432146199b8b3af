"""Transcriptions no table lists: a name's characters swapped for homophones, as clerks do.

Registers transcribe a Uyghur name with whatever characters sound right to the clerk: 热依木
and 热衣木, 波拉提 and 坡拉提. The bundled name table lists only the common forms, so a
synthetic leak that used only those would never test a spelling the matcher was not told
about. A variant here replaces one character by another of the same Mandarin syllable (tone
ignored) that the name table never uses, chosen among the characters of GB 2312 (the set a
clerk's input method offers first), never a character of the original itself.

The homophone list is built from CC-CEDICT-derived pypinyin readings of GB 2312 characters,
not from the character table the sound model reads (`people/data/han_syllables.csv`), so the
variants are not made by the code they test.
"""

from __future__ import annotations

import random
from functools import cache

from veracity.people.names import load_names

__all__ = ["homophone_variant", "homophones"]


@cache
def _by_syllable() -> dict[str, tuple[str, ...]]:
    """Toneless syllable -> GB 2312 characters read so (their first reading), none of which
    the name table uses."""
    from pypinyin import Style, lazy_pinyin

    listed = {ch for name in load_names() for zh in name.chinese for ch in zh}
    found: dict[str, list[str]] = {}
    for high in range(0xB0, 0xF8):  # GB 2312 levels 1 and 2: rows 16-87
        for low in range(0xA1, 0xFF):
            try:
                ch = bytes((high, low)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            if ch in listed:
                continue
            syllable = lazy_pinyin(ch, style=Style.NORMAL)[0]
            if syllable.isascii() and syllable.isalpha():
                found.setdefault(syllable, []).append(ch)
    return {s: tuple(chars) for s, chars in found.items()}


def homophones(ch: str) -> tuple[str, ...]:
    """Characters read like `ch` that the name table does not use (may be empty)."""
    from pypinyin import Style, lazy_pinyin

    syllable = lazy_pinyin(ch, style=Style.NORMAL)[0]
    return tuple(c for c in _by_syllable().get(syllable, ()) if c != ch)


def homophone_variant(rng: random.Random, written: str) -> str:
    """`written` with one character replaced by a homophone the name table never lists;
    `written` itself when none of its characters has one."""
    positions = [i for i, ch in enumerate(written) if homophones(ch)]
    if not positions:
        return written
    at = rng.choice(positions)
    # the first homophones are the most common characters (GB 2312 level 1 comes first)
    choice = rng.choice(homophones(written[at])[:8])
    return written[:at] + choice + written[at + 1 :]
