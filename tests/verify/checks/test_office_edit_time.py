"""office_edit_time: ten hours of editing in a document made and saved within one hour trips
it; a normal file and one whose dates run backwards (another check's case) do not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from tests.verify.checks._media import run_check, write_word
from veracity.case import Case
from veracity.verify.checks.office_edit_time import OfficeEditTime


def test_more_editing_than_elapsed_time_trips_it(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    write_word(
        src / "too_long.docx",
        created=datetime(2018, 1, 5, 9),
        modified=datetime(2018, 1, 5, 10),
        total_time=600,
    )
    write_word(src / "normal.docx")  # 60 minutes over three days
    write_word(
        src / "backwards.docx",
        created=datetime(2018, 4, 30, 9),
        modified=datetime(2018, 3, 9),
        total_time=600,
    )
    found = run_check(make_case, src, OfficeEditTime)
    assert list(found) == ["too_long.docx"]
    assert found["too_long.docx"].severity == "warning"
    assert found["too_long.docx"].evidence["total_time_minutes"] == 600
