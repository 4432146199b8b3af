"""Uyghur given names across scripts: the reviewed table in `data/uyghur_names.csv`.

A Uyghur person's name is written in Chinese characters in a register, in Uyghur Latin (ULY)
in testimony and in one of several English spellings in published lists. Matching them needs
a table of what each name really looks like in each script; this module loads that table once
and refuses a malformed one (`DataFileError` names the file and the row), so a bad edit to the
data fails loudly instead of silently weakening the matching.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

from veracity.errors import DataFileError
from veracity.people._csvdata import read_table

__all__ = [
    "NAMES_FILE",
    "UyghurName",
    "fold_latin",
    "load_names",
    "pinyin",
    "read_names",
    "split_name",
]

NAMES_FILE = Path(__file__).parent / "data" / "uyghur_names.csv"

_COLUMNS = ("uly", "sex", "english", "chinese", "arabic")
_ULY = re.compile(r"^[A-ZÜÖÉ][a-zA-Züöé']+$")
_ASCII_NAME = re.compile(r"^[A-Z][a-z]+$")
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_ARABIC = re.compile(r"^[\u0600-\u06ff]*$")
# What registers and lists put between a given name and a father's name: the middle dot and
# its look-alikes (bullet, katakana and half-width dots, full-width full stop), a full stop,
# or spaces (ASCII or ideographic).
_SEPARATORS = re.compile(r"[\s\u00b7\u2022\u2027\u2219\u22c5\u30fb\uff65\uff0e\u3002.]+")


@dataclass(frozen=True)
class UyghurName:
    """One given name in every script the table knows. `chinese[0]` is the usual transcription."""

    uly: str
    sex: Literal["M", "F"]
    english: tuple[str, ...]
    chinese: tuple[str, ...]
    arabic: str  # "" when unknown

    @property
    def zh(self) -> str:
        """The most common Chinese transcription, the one a register prints by default."""
        return self.chinese[0]

    @property
    def latin_spellings(self) -> tuple[str, ...]:
        """The ULY spelling followed by every English spelling, without repeats."""
        return tuple(dict.fromkeys((self.uly, *self.english)))


def fold_latin(text: str) -> str:
    """ULY without diacritics (Gülnar -> Gulnar): how most romanised lists print a ULY name."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _parse_row(path: Path, number: int, row: list[str]) -> UyghurName:
    key = f"line {number} ({row[0]})"

    def bad(problem: str) -> DataFileError:
        return DataFileError(path.name, key, problem)

    uly, sex, english, chinese, arabic = row
    if not _ULY.match(uly):
        raise bad(f"uly {uly!r} is not a capitalised ULY word")
    if sex not in ("M", "F"):
        raise bad(f"sex must be M or F, not {sex!r}")
    spellings = tuple(s for s in english.split("|") if s)
    if not spellings or not all(_ASCII_NAME.match(s) for s in spellings):
        raise bad(f"english {english!r} must be |-separated capitalised ASCII names")
    transcriptions = tuple(s for s in chinese.split("|") if s)
    if not transcriptions or not all(_HAN.match(s) for s in transcriptions):
        raise bad(f"chinese {chinese!r} must be |-separated Chinese characters")
    if len(set(transcriptions)) != len(transcriptions):
        raise bad("a Chinese transcription is listed twice")
    if not _ARABIC.match(arabic):
        raise bad(f"arabic {arabic!r} is not in Arabic script")
    return UyghurName(uly, "M" if sex == "M" else "F", spellings, transcriptions, arabic)


def read_names(path: Path = NAMES_FILE) -> tuple[UyghurName, ...]:
    """Read and validate a name table: every row well formed, ULY and Chinese forms unique.

    A Chinese transcription shared by two names would make a register's name ambiguous, so the
    table forbids it rather than letting the matcher guess.
    """
    names: list[UyghurName] = []
    seen_uly: set[str] = set()
    owner: dict[str, str] = {}
    for number, row in read_table(path, _COLUMNS):
        name = _parse_row(path, number, row)
        if name.uly in seen_uly:
            raise DataFileError(path.name, f"line {number} ({name.uly})", "uly listed twice")
        seen_uly.add(name.uly)
        for zh in name.chinese:
            if zh in owner:
                raise DataFileError(
                    path.name, f"line {number} ({name.uly})", f"{zh} already belongs to {owner[zh]}"
                )
            owner[zh] = name.uly
        names.append(name)
    if not names:
        raise DataFileError(path.name, "rows", "the table is empty")
    return tuple(names)


@cache
def load_names() -> tuple[UyghurName, ...]:
    """The bundled name table, read and validated once per process."""
    return read_names(NAMES_FILE)


def split_name(text: str) -> tuple[str, str | None]:
    """A register's or a query's name as (given name, father's name or None).

    `阿卜杜热合曼·艾山` and `Abdurahman Hasan` split at the separator; a name of three or more
    parts keeps everything after the given name as the father's name. Chinese written without
    a separator (阿卜杜热合曼艾山) is split only where both halves are names the table knows.
    """
    parts = [part for part in _SEPARATORS.split(text) if part]
    if not parts:
        return "", None
    if len(parts) > 1:
        return parts[0], " ".join(parts[1:])
    return _split_known(parts[0])


def _split_known(text: str) -> tuple[str, str | None]:
    known = _known_chinese()
    if _HAN.match(text) and text not in known:
        for cut in range(len(text) - 1, 0, -1):  # the longest known given name first
            if text[:cut] in known and text[cut:] in known:
                return text[:cut], text[cut:]
    return text, None


@cache
def _known_chinese() -> frozenset[str]:
    return frozenset(zh for name in load_names() for zh in name.chinese)


def pinyin(text: str) -> str:
    """Toneless lower-case pinyin, syllables of a part joined, parts separated by a space.

    For display next to the original (阿卜杜热合曼·艾山 -> "abodureheman aishan"); other
    scripts pass through lower-cased. Matching uses `sounds.part_sounds`, not this.
    """
    return " ".join(_part_pinyin(part) for part in _SEPARATORS.split(text) if part)


@lru_cache(maxsize=1 << 16)
def _part_pinyin(part: str) -> str:
    """Cached: a register repeats a few hundred names, and pypinyin is slow per call."""
    from pypinyin import Style, lazy_pinyin  # imported late: loading its dictionary is slow

    return "".join(lazy_pinyin(part, style=Style.NORMAL, v_to_u=True)).lower()
