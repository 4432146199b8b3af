"""id_birth_date: the birth date inside an ID number differs from the row's birth-date column."""

from __future__ import annotations

from collections.abc import Iterator

from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView


class IdBirthDate(Check):
    """A register row whose ID encodes one birth date and whose birth-date column says another.

    Registers are filled from the ID card, so the two agree in a genuine row; a row invented
    or edited by hand easily gets one of them wrong. Known false positives: a clerk's typo in
    the column, and a birth date corrected on the card but not in the register (or the reverse).
    """

    NAME = "id_birth_date"
    NEEDS = frozenset({"records"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        for item in view.records():
            record = item.record
            in_id, column = record.id_birth_date, record.birth_date
            if in_id is None or column is None or in_id == column:
                continue
            yield self.finding(
                "warning",
                item.path,
                item.locator,
                f"ID {record.id_number} gives birth date {in_id}, the column says {column}",
                id_number=record.id_number,
                id_birth_date=in_id,
                column_birth_date=column,
            )
