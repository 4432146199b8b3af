"""pdf_incremental_updates: a PDF with an appended revision is reported (info) with the added
text; a PDF saved once is not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pypdf import PdfWriter

from tests.verify.checks._media import run_check, write_report
from veracity.case import Case
from veracity.verify.checks.pdf_incremental_updates import PdfIncrementalUpdates

NOTE = "（本报告已于2018年5月23日修订，数据以修订稿为准）"


def test_a_revision_that_changed_the_text_is_a_warning_with_the_new_text(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    write_report(tmp_path / "src" / "revised.pdf", revised_note=NOTE)
    write_report(tmp_path / "src" / "once.pdf")
    # an update appended by another library (pypdf) that changes only the document info
    write_report(tmp_path / "once_more.pdf")
    writer = PdfWriter(tmp_path / "once_more.pdf", incremental=True)
    writer.add_metadata({"/Title": "订正后的标题", "/Author": "USER2"})
    writer.write(tmp_path / "src" / "retitled.pdf")
    found = run_check(make_case, tmp_path / "src", PdfIncrementalUpdates)
    assert sorted(found) == ["retitled.pdf", "revised.pdf"]
    assert found["revised.pdf"].severity == "warning"
    assert found["revised.pdf"].evidence["revisions"] == 2
    assert NOTE in found["revised.pdf"].evidence["added_text"]
    assert "changed the visible text" in found["revised.pdf"].message
    assert found["retitled.pdf"].severity == "info"
    assert found["retitled.pdf"].evidence["revisions"] == 2
    assert not found["retitled.pdf"].evidence["added_text"]
    assert "visible text unchanged" in found["retitled.pdf"].message
