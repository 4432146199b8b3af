"""The headline figure: how many register rows are internally consistent, and why the rest are not.

A row is consistent when its ID number is valid and no check raised a warning or worse at it
(at any of the paths its register was found under). The report and `veracity verify` both show
this figure, so it is computed here once, from the stored findings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from veracity.verify.view import CaseView

__all__ = ["SERIOUS", "Consistency", "RegisterConsistency", "consistency", "row_key"]

SERIOUS = frozenset({"warning", "critical"})

RowKey = tuple[str, str, int]


@dataclass
class RegisterConsistency:
    """One register's rows and how many of them are consistent."""

    total: int = 0
    consistent: int = 0


@dataclass(frozen=True)
class Consistency:
    """Rows in all, consistent rows, and the rows per reason and per register.

    A reason is `id_status:<status>` for an ID that is not valid (`bad_check`, `bad_date`,
    `missing`, …) or the name of a check that warned at the row (`id_sex`, `id_region`,
    `impossible_dates`, `id_shared`, …); a row may count under several.
    """

    total: int
    consistent: int
    reasons: dict[str, int] = field(default_factory=dict)
    registers: dict[str, RegisterConsistency] = field(default_factory=dict)

    @property
    def percent(self) -> float:
        return 100.0 * self.consistent / self.total if self.total else 0.0


def row_key(path: str, locator: Any) -> RowKey | None:
    """(path, sheet, row) of a finding's locator; None when it points at no row."""
    if not isinstance(locator, dict) or "row" not in locator:
        return None
    try:
        return (path, str(locator.get("sheet")), int(locator["row"]))
    except (TypeError, ValueError):
        return None


def _flagged(findings: Iterable[dict[str, Any]]) -> dict[RowKey, set[str]]:
    """Each row a check warned at (or worse), with the names of those checks."""
    out: dict[RowKey, set[str]] = {}
    for f in findings:
        if f["severity"] not in SERIOUS or f["path"] is None:
            continue
        key = row_key(str(f["path"]), f["locator"])
        if key is not None:
            out.setdefault(key, set()).add(str(f["check"]))
    return out


def consistency(view: CaseView, findings: Iterable[dict[str, Any]]) -> Consistency:
    """Count the case's consistent register rows against stored findings (`store` rows)."""
    flagged = _flagged(findings)
    reasons: Counter[str] = Counter()
    registers: dict[str, RegisterConsistency] = {}
    total = consistent = 0
    for rv in view.records():
        why: set[str] = set()
        if rv.record.id_status != "valid":
            why.add(f"id_status:{rv.record.id_status}")
        for path in rv.paths or (rv.path,):
            key = row_key(path, rv.locator)
            why |= flagged.get(key, set()) if key is not None else set()
        register = registers.setdefault(rv.path, RegisterConsistency())
        register.total += 1
        total += 1
        if why:
            reasons.update(why)
        else:
            register.consistent += 1
            consistent += 1
    return Consistency(total, consistent, dict(reasons.most_common()), registers)
