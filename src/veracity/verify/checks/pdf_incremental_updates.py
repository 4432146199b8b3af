"""pdf_incremental_updates: a PDF changed after it was made, with what the change did."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView


class PdfIncrementalUpdates(Check):
    """A PDF with more than one revision (incremental updates appended after the first save).

    Forensic examiners start here: the first revision is what was made, the later ones what
    was added, and the text that differs is in evidence. Not proof of forgery: signing,
    form filling and "save" in Acrobat all append updates, hence `info`.
    """

    NAME = "pdf_incremental_updates"
    NEEDS = frozenset({"documents"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        for item in view.files("pdf"):
            count = item.metadata.get("revisions")
            if not isinstance(count, int) or count < 2:
                continue
            revisions = item.raw.get("Revisions")
            first: dict[str, Any] = {}
            if isinstance(revisions, dict) and isinstance(revisions.get("first_revision"), dict):
                first = revisions["first_revision"]
            yield self.finding(
                "info",
                item.path,
                None,
                f"{count} revisions: changed after it was first saved",
                revisions=count,
                added_text=first.get("added_text"),
                removed_text=first.get("removed_text"),
                first_revision={k: v for k, v in first.items() if not k.endswith("_text")},
                producer=item.metadata.get("producer"),
                modified=item.metadata.get("modified"),
            )
