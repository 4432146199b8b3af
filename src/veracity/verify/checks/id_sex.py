"""id_sex: the sex digit of an ID number contradicts the row's sex column."""

from __future__ import annotations

from collections.abc import Iterator

from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView

#: The column values the comparison trusts; anything else (a typo, a blank) says nothing.
_SEXES = frozenset({"男", "女"})


class IdSex(Check):
    """A register row whose ID's 17th digit (odd male, even female) disagrees with its sex column.

    A genuine row copies both from one card; a fabricated number or a hand-edited row is where
    they part. Known false positives: a clerk ticking the wrong sex, and the rare reissued ID
    after a legal change of sex.
    """

    NAME = "id_sex"
    NEEDS = frozenset({"records"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        for item in view.records():
            record = item.record
            in_id, column = record.id_sex, record.sex
            if in_id is None or column not in _SEXES or in_id == column:
                continue
            yield self.finding(
                "warning",
                item.path,
                item.locator,
                f"ID {record.id_number} has the sex digit of {in_id}, the sex column says {column}",
                id_number=record.id_number,
                id_sex=in_id,
                column_sex=column,
            )
