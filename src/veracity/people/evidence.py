"""Which register values may be counted: the rule every detention figure rests on.

A detention is counted from a row only when the row is on a list that records detentions (a
residents' register or a detainee list, `register_kinds.COUNTED_KINDS`) and its date is
possible: not after the newest dated file of the leak (a list cannot record what had not
happened when the leak was taken), and not before the person on the row was born. Rows that
fail are not guessed right; they are left out of every figure and listed as excluded
(`veracity stats explain excluded.<reason>`), whose SQL is `store/_analyze_sql.py`'s
`excluded_condition`, kept in step with `detention_exclusion` here by
tests/analyze/test_evidence.py (the rows SQL lists are the ones linking did not count).
"""

from __future__ import annotations

from veracity.people.register_kinds import COUNTED_KINDS
from veracity.store import PersonRecord

__all__ = ["EXCLUSIONS", "countable_detention", "detention_exclusion"]

#: why a row's detention date is left out of the figures, in the order they are tested
EXCLUSIONS = ("detention_after_newest_file", "detention_before_birth")


def detention_exclusion(record: PersonRecord, newest: str | None) -> str | None:
    """Why the row's detention date cannot be counted (one of `EXCLUSIONS`), or None."""
    start = record.detention_start
    if start is None or record.register_kind not in COUNTED_KINDS:
        return None
    if newest is not None and start > newest:
        return EXCLUSIONS[0]
    born = record.birth_date or record.id_birth_date
    if born is not None and start < born:
        return EXCLUSIONS[1]
    return None


def countable_detention(record: PersonRecord, newest: str | None) -> str | None:
    """The row's detention start if it may be counted, else None (see the module)."""
    if record.register_kind not in COUNTED_KINDS:
        return None
    return None if detention_exclusion(record, newest) else record.detention_start
