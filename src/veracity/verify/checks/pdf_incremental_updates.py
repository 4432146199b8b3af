"""pdf_incremental_updates: a PDF changed after it was made, with what the change did."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView


class PdfIncrementalUpdates(Check):
    """A PDF with more than one revision (incremental updates appended after the first save).

    Forensic examiners start here: the first revision is what was made, the later ones what
    was added. When the visible text of the pages differs between the first revision and the
    last (a figure, a date, a sentence), it is a `warning` with the text before and after in
    evidence. Signing, form filling, annotating and Acrobat's "save" append updates too,
    without changing the pages' text: those are `info`.
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
            added, removed = first.get("added_text"), first.get("removed_text")
            changed = bool(added or removed)
            if changed:
                message = f"{count} revisions: a later revision changed the visible text"
            elif "added_text" in first:
                message = (
                    f"{count} revisions: changed after it was first saved, the visible text "
                    "unchanged (metadata, annotations, form fields or signatures)"
                )
            else:
                note = first.get("diff") or "text not compared"
                message = f"{count} revisions: changed after it was first saved ({note})"
            yield self.finding(
                "warning" if changed else "info",
                item.path,
                None,
                message,
                revisions=count,
                added_text=added,
                removed_text=removed,
                first_revision={k: v for k, v in first.items() if not k.endswith("_text")},
                producer=item.metadata.get("producer"),
                modified=item.metadata.get("modified"),
            )
