"""The people stage the ingest ends with: records, persons, photos — rebuilt only when needed.

Records can differ when rows were written in this run or the user's `columns.yaml` changed;
persons also when the user's merge/split decisions did. Otherwise the last build's figures
stand (kept in `derived/people-build.json`), and a re-run of the ingest stays free.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from veracity.case import Case
from veracity.people.linking import build_persons
from veracity.people.photos import attach_photos
from veracity.people.records import build_records
from veracity.store import Store

#: what the person tables hold; a case linked under another layout is linked again (2: every
#: person's name keys in `person_names`)
LAYOUT = 2


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
    records_current = not rows_written and stamp.get("columns_yaml", "") == overrides_sha
    persons_current = stamp.get("decisions") == decisions and stamp.get("layout") == LAYOUT
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
                "result": result,
            }
        )
    )
    return result
