"""The people stage the ingest ends with: records, persons, photos — rebuilt only when needed.

Records can differ when rows were written in this run or the user's `columns.yaml` changed;
persons also when the user's merge/split decisions did, or the newest dated file of the leak
(which bounds the detention dates that may be counted). Otherwise the last build's figures
stand (kept in `derived/people-build.json`), and a re-run of the ingest stays free.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from veracity.case import Case
from veracity.people.columns import load_overrides
from veracity.people.linking import build_persons
from veracity.people.photos import attach_photos
from veracity.people.records import build_records, check_overrides, spreadsheets
from veracity.store import Store

#: what the person tables hold; a case built under another layout is read and linked again
#: (2: every person's name keys in `person_names`; 3: each record's kind of list, detention
#: starts only from countable rows; 4: part keys and `name_parts`, links vouched by ID or birth
#: date and place)
LAYOUT = 4


def check_user_files(case: Case, store: Store) -> None:
    """Refuse a broken `CASE/columns.yaml` before an ingest changes anything: a field given to
    two columns, an unknown field or kind, a key given twice, a sheet its files lack (among
    the spreadsheets already in the case; new ones are checked before records are rebuilt)."""
    rules = load_overrides(case.root)
    if any(rule.sheet is not None for rule in rules):
        check_overrides(rules, spreadsheets(store))


def update_people(
    case: Case, store: Store, *, rows_written: bool, files_read: int
) -> dict[str, Any]:
    """Bring records, persons and photos up to date; returns the figures for the summary."""
    stamp_file = case.derived_dir / "people-build.json"
    overrides = case.root / "columns.yaml"
    overrides_sha = (
        hashlib.sha256(overrides.read_bytes()).hexdigest() if overrides.exists() else None
    )
    decisions = list(store.person_decisions_stamp())
    try:
        stamp = json.loads(stamp_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stamp = {}
    newest = store.newest_file_date()  # bounds the countable detention dates
    layout_current = stamp.get("layout") == LAYOUT
    records_current = (
        not rows_written and stamp.get("columns_yaml", "") == overrides_sha and layout_current
    )
    persons_current = (
        stamp.get("decisions") == decisions and layout_current and stamp.get("newest") == newest
    )
    if records_current and persons_current:
        if files_read:  # new photos may name persons already linked
            attach_photos(case, store)
        return dict(stamp.get("result", {}))
    result = dict(stamp.get("result", {})) if records_current else {}
    if not records_current:
        result = dict(build_records(case, store))
    result.update(build_persons(case, store))
    attach_photos(case, store)  # after linking: photos go to the linked persons
    stamp_file.write_text(
        json.dumps(
            {
                "columns_yaml": overrides_sha,
                "decisions": decisions,
                "layout": LAYOUT,
                "newest": newest,
                "result": result,
            }
        )
    )
    return result
