"""document_near_duplicates: a revised version trips it; a speech from the same template not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.verify.checks._media import run_check
from tests.verify.checks._texts import speech_text, write_text
from veracity.case import Case
from veracity.verify.checks.document_near_duplicates import DocumentNearDuplicates


def test_versions_are_paired_and_template_siblings_are_not(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    draft = speech_text(1)
    paragraphs = draft.split("\n")
    long = max(range(len(paragraphs)), key=lambda i: len(paragraphs[i]))
    revised = paragraphs.copy()
    revised[long] = paragraphs[long].replace("要", "必须", 1)
    write_text(src / "draft.txt", draft)
    write_text(src / "revised.txt", "\n".join(revised))
    write_text(src / "other.txt", speech_text(2))
    found = run_check(make_case, src, DocumentNearDuplicates)
    assert list(found) == ["draft.txt"]
    finding = found["draft.txt"]
    assert finding.severity == "info" and finding.evidence["other_path"] == "revised.txt"
    assert finding.evidence["jaccard"] >= 0.6
    edited = finding.evidence["edited_passages"]
    assert any("必须" in e["other"] and "必须" not in e["this"] for e in edited)
