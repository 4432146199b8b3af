"""pdf_incremental_updates: a PDF with an appended revision is reported (info) with the added
text; a PDF saved once is not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.verify.checks._media import run_check, write_report
from veracity.case import Case
from veracity.verify.checks.pdf_incremental_updates import PdfIncrementalUpdates

NOTE = "（本报告已于2018年5月23日修订，数据以修订稿为准）"


def test_a_revised_pdf_is_reported_with_its_new_text(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    write_report(tmp_path / "src" / "revised.pdf", revised_note=NOTE)
    write_report(tmp_path / "src" / "once.pdf")
    found = run_check(make_case, tmp_path / "src", PdfIncrementalUpdates)
    assert list(found) == ["revised.pdf"]
    assert found["revised.pdf"].severity == "info"
    assert found["revised.pdf"].evidence["revisions"] == 2
    assert NOTE in found["revised.pdf"].evidence["added_text"]
