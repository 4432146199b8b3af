"""id_shared: one valid ID number written on rows of people with different names."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from veracity.people.idcard import upgrade_15
from veracity.people.keys import part_similarity
from veracity.people.names import split_name
from veracity.store import PersonRecord
from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView

#: part_similarity from which two parts are one name written two ways. Transcriptions
#: (阿不都/阿布都, 热依木/热衣木, 古丽/古力) sound alike and score near 1; names sharing an
#: opening score high by chance, so both parts must clear a high bar: here the shared number
#: is all that ties the rows together
_SAME_PART = 0.9
#: at most this many other rows are listed in one finding's evidence
_MAX_OTHERS = 10


@dataclass(frozen=True)
class _Row:
    path: str
    locator: dict[str, Any]
    name: str
    given: str
    father: str | None
    birth: str | None  # what the row's own columns say, beside the ID
    sex: str | None
    id_birth: str | None  # what the ID encodes
    id_sex: str | None

    @classmethod
    def of(cls, path: str, locator: dict[str, Any], record: PersonRecord) -> _Row:
        name = record.name_raw or ""
        given, father = split_name(name)
        return cls(
            path, locator, name, given, father, record.birth_date, record.sex,
            record.id_birth_date, record.id_sex,
        )  # fmt: skip


def _same_name(a: _Row, b: _Row) -> bool:
    """Both parts sound alike, in written or swapped order (a register may put the father
    first). A missing father's name agrees with anything: "艾山" and "艾山·吐尔逊" may be one
    person.
    """

    def agree(given_a: str, father_a: str | None, given_b: str, father_b: str | None) -> bool:
        if part_similarity(given_a, given_b) < _SAME_PART:
            return False
        return not (father_a and father_b) or part_similarity(father_a, father_b) >= _SAME_PART

    if agree(a.given, a.father, b.given, b.father):
        return True
    return bool(a.father and b.father) and agree(a.father or "", a.given, b.given, b.father)


def _disagree(row: _Row) -> list[str]:
    """What the row says against its ID: a birth date or sex the number does not encode."""
    found = []
    if row.birth and row.id_birth and row.birth != row.id_birth:
        found.append(f"born {row.birth}, the ID says {row.id_birth}")
    if row.sex and row.id_sex and row.sex != row.id_sex:
        found.append(f"sex {row.sex}, the ID says {row.id_sex}")
    return found


class IdShared(Check):
    """Rows that carry the same valid ID but name different people.

    An ID belongs to one person, so two different names on one number mean a number copied
    from another row or invented (`warning` on each row). Transcriptions of one name, compared
    by how they sound (people/sounds.py), are not findings — unless a row's own birth date or
    sex contradicts the number, which is a warning whatever the names. Known false positives:
    a register listing a relative under the person's ID, and names the sound model cannot
    reconcile (a changed or religious name).
    """

    NAME = "id_shared"
    SCOPE = "collection"
    NEEDS = frozenset({"records"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        by_id: dict[str, list[_Row]] = {}
        for item in view.records():
            record = item.record
            if record.id_status != "valid" or not record.id_number or not record.name_raw:
                continue
            number = record.id_number
            key = upgrade_15(number) if len(number) == 15 else number
            by_id.setdefault(key, []).append(_Row.of(item.path, item.locator, record))
        for number, rows in by_id.items():
            if len(rows) > 1:
                yield from self._group(number, rows)

    def _group(self, number: str, rows: list[_Row]) -> Iterator[Finding]:
        for row in rows:
            others = [o for o in rows if o is not row and not _same_name(row, o)]
            against = _disagree(row)
            if not others and not against:
                continue
            if others:
                message = (
                    f"ID {number} ({row.name}) is also written on {len(others)} row(s) of "
                    "another name"
                )
            else:
                message = (
                    f"ID {number} ({row.name}) is also on {len(rows) - 1} other row(s), and this "
                    f"row says {'; '.join(against)}"
                )
            yield self.finding(
                "warning",
                row.path,
                row.locator,
                message,
                id_number=number,
                name=row.name,
                contradicts_id=against,
                others=[
                    {"path": o.path, "locator": o.locator, "name": o.name}
                    for o in (others or [o for o in rows if o is not row])[:_MAX_OTHERS]
                ],
                other_count=len(others),
            )
