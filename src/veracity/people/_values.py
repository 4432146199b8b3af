"""Register cell values read into fields: dates, sex, prison terms, plain text.

Clerks write one date six ways (a real Excel date, `1985.03.12`, `19850312`, `1985-3-12`,
`1985/3/12`, `1985年3月12日`) and a term as `16年`, `15年11个月` or `无期`; these readers
accept those forms and return None for anything else, so a value is never half-guessed (the
caller keeps what it could not read as written).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

__all__ = ["LIFE_TERMS", "parse_date", "parse_sentence", "parse_sex", "text_of"]

_SEPARATED = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?:[T ].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TERM = re.compile(r"^(?:(\d{1,3})年)?(?:(\d{1,3})个?月)?$")
_TERM_NOISE = re.compile(r"有期徒刑|判处|判刑|\s")
#: Terms with no number of months: life, and death with or without reprieve.
LIFE_TERMS = ("无期徒刑", "无期", "死缓", "死刑缓期执行", "死刑")
_SEX = {
    "男": "男", "男性": "男", "m": "男", "male": "男", "ئەر": "男", "er": "男",
    "女": "女", "女性": "女", "f": "女", "female": "女", "ئايال": "女", "ayal": "女",
}  # fmt: skip
_FIRST_YEAR, _LAST_YEAR = 1880, 2100


def text_of(value: object) -> str | None:
    """A cell as stripped text (NFKC-folded); None when empty."""
    if value is None or isinstance(value, bool):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text or None


def parse_date(value: object) -> str | None:
    """An ISO date (`YYYY-MM-DD`) from the forms registers use; None for anything else."""
    if isinstance(value, (bool, float)):
        return None
    text = text_of(value)
    if text is None:
        return None
    match = _SEPARATED.match(text) or _COMPACT.match(text)
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_sex(value: object) -> str | None:
    """'男' or '女' from the spellings registers use; the text as written when unrecognised."""
    text = text_of(value)
    if text is None:
        return None
    return _SEX.get(text.lower(), text)


def parse_sentence(value: object) -> tuple[str | None, int | None]:
    """(the term as written, its length in months): `16年` → 192, `15年11个月` → 191.

    Life and death terms (`无期`, `死缓`) and anything unreadable keep their text with no months.
    """
    raw = text_of(value)
    if raw is None:
        return None, None
    core = _TERM_NOISE.sub("", raw)
    if core.startswith(LIFE_TERMS):
        return raw, None
    match = _TERM.match(core)
    if match is None or not any(match.groups()):
        return raw, None
    years, months = (int(part) if part else 0 for part in match.groups())
    return raw, years * 12 + months
