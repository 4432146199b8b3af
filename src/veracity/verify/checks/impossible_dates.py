"""impossible_dates: register dates that cannot be true (detained unborn, future, before 1900)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from veracity.store import PersonRecord
from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView

#: No one in a register of the 2010s can be born before this.
_EARLIEST_BIRTH = "1900-01-01"


def _problems(record: PersonRecord, today: str) -> list[tuple[str, dict[str, str]]]:
    """(what is wrong, the dates that show it) for each impossibility of one row."""
    out: list[tuple[str, dict[str, str]]] = []
    birth = record.birth_date or record.id_birth_date
    detained = record.detention_start
    if birth is not None and detained is not None and detained < birth:
        out.append((f"detained on {detained}, before the birth on {birth}",
                    {"birth_date": birth, "detention_start": detained}))  # fmt: skip
    for field in ("birth_date", "id_birth_date", "detention_start"):
        value: str | None = getattr(record, field)
        if value is not None and value > today:
            out.append((f"{field} {value} is in the future", {field: value, "today": today}))
    for field in ("birth_date", "id_birth_date"):
        value = getattr(record, field)
        if value is not None and value < _EARLIEST_BIRTH:
            out.append((f"{field} {value} is before 1900", {field: value}))
    return out


class ImpossibleDates(Check):
    """A register row with a date that cannot be right: a detention before the person's birth,
    a birth or detention date after today, or a birth before 1900.

    A genuine register is written at one time about living people; such dates come from
    careless fabrication or from a date column shifted onto the wrong row. Known false
    positives: typos in the year, and Excel's 1900 epoch shown for an empty date cell.
    """

    NAME = "impossible_dates"
    NEEDS = frozenset({"records"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        today = date.today().isoformat()
        for item in view.records():
            for message, evidence in _problems(item.record, today):
                yield self.finding("warning", item.path, item.locator, message, **evidence)
