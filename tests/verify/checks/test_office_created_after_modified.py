"""office_created_after_modified: created a month after its last save trips it; a normal file
and a second of clock noise do not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from tests.verify.checks._media import run_check, write_word
from veracity.case import Case
from veracity.verify.checks.office_created_after_modified import OfficeCreatedAfterModified


def test_created_after_modified_trips_it(make_case: Callable[..., Case], tmp_path: Path) -> None:
    src = tmp_path / "src"
    write_word(
        src / "backwards.docx", created=datetime(2018, 4, 30, 9), modified=datetime(2018, 3, 9)
    )
    write_word(src / "normal.docx")
    write_word(
        src / "noise.docx",
        created=datetime(2018, 1, 5, 16, 0, 30),
        modified=datetime(2018, 1, 5, 16),
    )
    found = run_check(make_case, src, OfficeCreatedAfterModified)
    assert list(found) == ["backwards.docx"]
    assert found["backwards.docx"].severity == "warning"
    assert found["backwards.docx"].evidence["created"].startswith("2018-04-30")
