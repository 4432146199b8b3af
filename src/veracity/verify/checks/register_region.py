"""register_region: rows whose ID was issued outside the register's county or their address's."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import groupby

from veracity.people.regions import Region, load_regions, region
from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView, RecordView

__all__ = [
    "County",
    "RegisterRegion",
    "county_in",
    "county_of_code",
    "is_outside",
    "register_county",
    "registers",
]

#: a county named by the table's placeholder for a city's urban districts names nowhere
_GENERIC = frozenset({"市辖区"})
#: share of a register's rows that must agree before their county is taken as the register's
_MAJORITY = 0.5
#: at most this many rows are listed in one finding's evidence
_MAX_ROWS = 20


@dataclass(frozen=True)
class County:
    """A county by name (codes change over the years, names rarely), with its prefecture."""

    name: str
    prefecture: str | None


@dataclass(frozen=True)
class _Names:
    """Every county name of the national table, for finding one at the end of a text span:
    the last characters county names end with, their longest length, and name -> County."""

    ends: frozenset[str]
    longest: int
    counties: dict[str, County]


@cache
def _county_names() -> _Names:
    counties = {
        r.county: County(r.county, r.prefecture)
        for r in load_regions().values()
        if r.level == "county" and r.county and r.county not in _GENERIC
    }
    return _Names(frozenset(name[-1] for name in counties), max(map(len, counties)), counties)


def county_in(text: str | None) -> County | None:
    """The county a text (an address, a file path) names; the last one when it names several,
    as an address and a path both go from the largest division to the smallest.

    Read from the end: at each character a county name can end with, the longest name ending
    there wins. Thousands of names make a regex alternation slow on every address; this is a
    set look-up per suffix length."""
    if not text:
        return None
    names = _county_names()
    for end in range(len(text), 0, -1):
        if text[end - 1] not in names.ends:
            continue
        for start in range(max(0, end - names.longest), end - 1):
            found = names.counties.get(text[start:end])
            if found is not None:
                return found
    return None


def county_of_code(code: str | None) -> County | Region | None:
    """The county an ID's region code names; a prefecture-level code gives its `Region`."""
    where = region(code) if code else None
    if where is None or where.level == "province":
        return None
    if where.level == "prefecture":
        return where
    return County(where.county or where.name, where.prefecture)


def is_outside(code: str, county: County) -> bool:
    """Whether an ID region code lies outside `county` (unknown Xinjiang codes: not judged)."""
    if not code.startswith("65"):
        return True  # another province
    named = county_of_code(code)
    if named is None:
        return False  # not in the table: id_region's concern
    if isinstance(named, Region):
        return named.prefecture != county.prefecture  # only the prefecture is known
    return named.name != county.name


def _majority(values: Iterable[County | None]) -> County | None:
    counts = Counter(values)
    total = sum(counts.values())
    counts.pop(None, None)
    if not counts or total == 0:
        return None
    best, n = counts.most_common(1)[0]
    return best if n / total > _MAJORITY else None


def register_county(path: str, rows: list[RecordView]) -> tuple[County | None, str]:
    """The register's county and where it was read: its file path, else most of its rows'
    addresses, else most of its rows' ID codes (`none` when nothing agrees)."""
    named = county_in(path)
    if named is not None:
        return named, "path"
    by_address = _majority(county_in(r.record.address) for r in rows if r.record.address)
    if by_address is not None:
        return by_address, "address"
    codes = (county_of_code(r.record.id_region) for r in rows if r.record.id_region)
    by_code = _majority(c if isinstance(c, County) else None for c in codes)
    return (by_code, "id_codes") if by_code is not None else (None, "none")


def registers(view: CaseView) -> Iterator[tuple[str, list[RecordView]]]:
    """Each register's path and rows (all its sheets), one register at a time: records come
    ordered by content, so only one register is ever held in memory, never the whole leak."""
    for _, group in groupby(view.records(), key=lambda item: item.record.sha256):
        rows = list(group)
        yield rows[0].path, rows


@dataclass
class _Group:
    """Rows of one register whose ID carries one foreign code: reported once, counted."""

    code: str
    rows: list[RecordView] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)


class RegisterRegion(Check):
    """Register rows whose ID was issued outside the register's county, or outside the county
    their own address names.

    A county's register lists mostly people whose IDs carry that county's code; the others
    moved, married or were born elsewhere, which is normal (a few percent), so this is only
    described (`info`), once per register and foreign code with the row count. It matters as
    context: a register whose rows mostly come from elsewhere is looked at by
    register_distributions. The register's county is read from its path, else its rows'
    addresses, else most of its ID codes. Known false positives: lists that are not a county's
    (a city-wide check list), and county names the bundled table lacks.
    """

    NAME = "register_region"
    SCOPE = "collection"
    NEEDS = frozenset({"records"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        for path, rows in registers(view):
            county, source = register_county(path, rows)
            groups: dict[str, _Group] = {}
            for item in rows:
                code = item.record.id_region
                if not code or item.record.id_status not in ("valid", "bad_check"):
                    continue
                reasons = self._reasons(item, code, county)
                if reasons:
                    group = groups.setdefault(code, _Group(code))
                    group.rows.append(item)
                    group.reasons.update(reasons)
            for group in groups.values():
                yield self._note(path, county, source, group)

    @staticmethod
    def _reasons(item: RecordView, code: str, county: County | None) -> list[str]:
        reasons = []
        if county is not None and is_outside(code, county):
            reasons.append("register")
        lives = county_in(item.record.address)
        if lives is not None and is_outside(code, lives):
            reasons.append("address")
        return reasons

    def _note(self, path: str, county: County | None, source: str, group: _Group) -> Finding:
        where = region(group.code)
        issued = where.name if where is not None else "another province"
        home = county.name if county is not None else "no single county"
        return self.finding(
            "info",
            path,
            group.rows[0].locator,
            f"{len(group.rows)} row(s) carry region code {group.code} ({issued}): "
            f"{group.reasons['register']} outside the register's county ({home}), "
            f"{group.reasons['address']} outside their address's (normal: people move)",
            region_code=group.code,
            region=where.name if where is not None else None,
            register_county=home if county is not None else None,
            county_from=source,
            count=len(group.rows),
            outside_register=group.reasons["register"],
            outside_address=group.reasons["address"],
            rows=[r.locator for r in group.rows[:_MAX_ROWS]],
        )
