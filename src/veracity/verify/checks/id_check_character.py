"""id_check_character: an ID number whose check character does not fit its first 17 digits."""

from __future__ import annotations

from collections.abc import Iterator

from veracity.people.idcard import check_character
from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView


class IdCheckCharacter(Check):
    """A register row whose 18-character ID fails the ISO 7064 MOD 11-2 check.

    Real IDs are issued with the right check character, so a wrong one means the number was
    mistyped or made up by someone who did not know the rule. Known false positives: a clerk's
    typo in any one of the 18 characters fails the check too (the evidence cannot say which).
    """

    NAME = "id_check_character"
    NEEDS = frozenset({"records"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        for item in view.records(statuses=("bad_check",)):
            record = item.record
            if record.id_status != "bad_check" or record.id_number is None:
                continue
            written = record.id_number
            expected = check_character(written[:17])
            yield self.finding(
                "warning",
                item.path,
                item.locator,
                f"ID {written} ends in {written[17]}; its first 17 digits give {expected}",
                id_number=written,
                written=written[17],
                expected=expected,
            )
