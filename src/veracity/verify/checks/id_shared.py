"""id_shared: one valid ID number written on rows of people with different names."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from veracity.people.idcard import upgrade_15
from veracity.people.keys import NameKeys, keys_for, name_similarity
from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView

#: name_similarity from which two keys are one name part written two ways. Keys are built so
#: that transcriptions (阿不都/阿布都, 古丽/古力) agree exactly; Jaro-Winkler scores common
#: openings high by chance (Abdu-rehim and Abliz 0.8, Abdulla as a prefix of Abdurexit 0.93), so
#: both parts must clear a high bar: here the shared number is all that ties the rows together
_SAME_PART = 0.9
#: at most this many other rows are listed in one finding's evidence
_MAX_OTHERS = 10


@dataclass(frozen=True)
class _Row:
    path: str
    locator: dict[str, Any]
    name: str
    keys: NameKeys


def _same_name(a: NameKeys, b: NameKeys) -> bool:
    """Both parts agree, in written or swapped order (a register may put the father first).

    A missing father's name agrees with anything: "艾山" and "艾山·吐尔逊" may be one person.
    """

    def agree(given_a: str, father_a: str | None, given_b: str, father_b: str | None) -> bool:
        if name_similarity(given_a, given_b) < _SAME_PART:
            return False
        return not (father_a and father_b) or name_similarity(father_a, father_b) >= _SAME_PART

    if agree(a.given_key, a.father_key, b.given_key, b.father_key):
        return True
    return bool(a.father_key and b.father_key) and agree(
        a.father_key or "", a.given_key, b.given_key, b.father_key
    )


class IdShared(Check):
    """Rows that carry the same valid ID but name different people.

    An ID belongs to one person, so two different names on one number mean a number copied
    from another row or invented (`warning` on each row). Transcriptions of one name, compared
    by phonetic keys, are not findings. Known false positives: a register listing a relative
    under the person's ID, and names the keys cannot reconcile (a changed or religious name).
    """

    NAME = "id_shared"
    SCOPE = "collection"
    NEEDS = frozenset({"records"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        by_id: dict[str, list[tuple[str, dict[str, Any], str]]] = {}
        for item in view.records():
            record = item.record
            if record.id_status != "valid" or not record.id_number or not record.name_raw:
                continue
            number = record.id_number
            key = upgrade_15(number) if len(number) == 15 else number
            by_id.setdefault(key, []).append((item.path, item.locator, record.name_raw))
        for number, members in by_id.items():
            if len(members) > 1:
                rows = [_Row(path, loc, name, keys_for(name)) for path, loc, name in members]
                yield from self._group(number, rows)

    def _group(self, number: str, rows: list[_Row]) -> Iterator[Finding]:
        for row in rows:
            others = [o for o in rows if o is not row and not _same_name(row.keys, o.keys)]
            if not others:
                continue
            yield self.finding(
                "warning",
                row.path,
                row.locator,
                f"ID {number} ({row.name}) is also written on {len(others)} row(s) of another name",
                id_number=number,
                name=row.name,
                others=[
                    {"path": o.path, "locator": o.locator, "name": o.name}
                    for o in others[:_MAX_OTHERS]
                ],
                other_count=len(others),
            )
