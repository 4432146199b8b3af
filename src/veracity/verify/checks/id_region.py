"""id_region: an ID's region code that names no division, or one abolished before the birth."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from veracity.people.idcard import RegionLookup, check
from veracity.people.regions import region
from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView, RecordView


@dataclass
class _Later:
    """Rows of one register whose code came into use after their birth: noted once, counted."""

    first: RecordView
    where: RegionLookup
    rows: list[dict[str, Any]] = field(default_factory=list)


def _nowhere(code: str) -> str:
    """Why a code is in no edition, at the widest level that fails: province, then prefecture."""
    province = region(code[:2] + "0000")
    if province is None:
        return f"names no province ({code[:2]} is no province code in any edition)"
    prefecture = region(code[:4] + "00")
    if prefecture is None:
        return f"names no prefecture of {province.name} in any edition of the division lists"
    return f"names no county of {prefecture.name} in any edition of the division lists"


class IdRegion(Check):
    """A register row whose ID begins with a region code the division table does not support.

    Every real ID starts with the code of an existing county, so a code in no edition of the
    national table (province 99, county 110199), or one abolished before its holder was born,
    is a made-up or mistyped number (`warning`). A code introduced after the birth is normal
    (an ID takes the code of the place and time it was issued), so it is noted once per
    register and code (`info`). Known false positives: a real division every list missed, and
    the years between two lists, which the table widens rather than guesses.
    """

    NAME = "id_region"
    NEEDS = frozenset({"records"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        later: dict[tuple[str, str], _Later] = {}
        for item in view.records():
            if item.record.id_region is None:
                continue  # no readable ID: nothing to say about its region
            where = check(item.record.id_raw).region
            if where is None:
                continue
            if where.status == "not_in_table" or where.timing == "retired_before":
                yield self._warning(item, where)
            elif where.timing == "introduced_later":
                group = later.setdefault((item.path, where.code), _Later(item, where))
                group.rows.append(item.locator)
        for group in later.values():
            yield self._note(group)

    def _warning(self, item: RecordView, where: RegionLookup) -> Finding:
        record = item.record
        if where.region is None:
            why = _nowhere(where.code)
        else:
            why = (
                f"({where.region.name}) was abolished on {where.region.valid_to}, before the birth"
            )
        return self.finding(
            "warning",
            item.path,
            item.locator,
            f"region code {where.code} of ID {record.id_number} {why}",
            id_number=record.id_number,
            region_code=where.code,
            table_status=where.status,
            timing=where.timing,
            region=where.region.name if where.region is not None else None,
            id_birth_date=record.id_birth_date,
        )

    def _note(self, group: _Later) -> Finding:
        region = group.where.region
        since = region.valid_from if region is not None else None
        return self.finding(
            "info",
            group.first.path,
            group.first.locator,
            f"{len(group.rows)} row(s) carry region code {group.where.code}, in use from {since}, "
            "though born before it (normal: an ID takes the code current when it was issued)",
            region_code=group.where.code,
            region=region.name if region is not None else None,
            valid_from=str(since),
            timing="introduced_later",
            count=len(group.rows),
            rows=group.rows[:20],
        )
