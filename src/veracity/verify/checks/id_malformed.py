"""id_malformed: an ID number that is not one - wrong length, stray characters, no real date."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from veracity.people.idcard import check, explain
from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView, RecordView

#: the statuses this check speaks for; a wrong check character and an unknown region have their
#: own checks (`id_check_character`, `id_region`), so no row hears of one problem twice
_WARNED = frozenset({"malformed", "bad_date"})


class IdMalformed(Check):
    """A register row whose ID has no ID's shape (not 18 or 15 characters, a letter inside) or
    whose birth-date digits are no date (month 13, 30 February): `warning`, saying why.

    A clerk copying from a card writes a real date and the right number of digits, so these are
    typos at best and invented numbers at worst. A cell Excel rounded (`6.53121E+17`) lost its
    last digits through no one's intent: noted once per register (`info`), with the count.
    Known false positives: a cell holding two IDs or a note, and registers that pad IDs.
    """

    NAME = "id_malformed"
    NEEDS = frozenset({"records"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        destroyed: dict[str, list[RecordView]] = {}
        for item in view.records(statuses=(*_WARNED, "excel_destroyed")):
            status = item.record.id_status
            if status == "excel_destroyed":
                destroyed.setdefault(item.path, []).append(item)
            elif status in _WARNED:
                yield self._warning(item)
        for rows in destroyed.values():
            yield self._note(rows)

    def _warning(self, item: RecordView) -> Finding:
        record = item.record
        result = check(record.id_raw)
        why = explain(result) or f"ID {record.id_raw} is {record.id_status}"
        return self.finding(
            "warning",
            item.path,
            item.locator,
            why,
            id_raw=record.id_raw,
            id_status=record.id_status,
            length=len(result.number.text),
        )

    def _note(self, rows: list[RecordView]) -> Finding:
        first = rows[0]
        locators: list[dict[str, Any]] = [r.locator for r in rows[:20]]
        return self.finding(
            "info",
            first.path,
            first.locator,
            f"{len(rows)} ID cell(s) hold numbers Excel rounded to 15 significant digits (e.g. "
            f"{first.record.id_raw}): their last digits are lost and cannot be checked",
            id_status="excel_destroyed",
            count=len(rows),
            rows=locators,
        )
