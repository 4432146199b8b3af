"""reference_passages: leak documents quoting earlier published documents (`--reference`)."""

from __future__ import annotations

from collections.abc import Iterator

from veracity.verify._reference import reference_view
from veracity.verify._shingles import Overlap, Text, candidates, document_text, overlap, tokenize
from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView

#: LSH proposes pairs from this estimated Jaccard: an excerpt shares a few paragraphs of a
#: longer document, so the whole-text Jaccard of a real pair is low (0.37-0.47 on synthetic
#: excerpts); with LSH_WEIGHTS a pair at 0.3 is proposed 998 times in 1000
LSH_THRESHOLD = 0.2
#: a pair is reported when one shared passage is this long (tokens: Han characters or words)…
LONG_PASSAGE = 150
#: …or when this share of either document's shingles is in the other. Documents from one set
#: of templates share single stock sentences (up to about 110 tokens in a run, half of the
#: shingles of a short text) — below both limits
MIN_CONTAINMENT = 0.6
#: once a pair is reported, every shared passage from this length is quoted in evidence
MIN_PASSAGE = 20


def _is_shared(found: Overlap) -> bool:
    longest = max((p.tokens for p in found.passages), default=0)
    return longest >= LONG_PASSAGE or max(found.containment_a, found.containment_b) >= (
        MIN_CONTAINMENT
    )


class ReferencePassages(Check):
    """Long passages a leak document shares with an earlier published document.

    Corroborating: text that appeared in public before the leak (a speech excerpt in the press,
    an official notice) and reads the same in the leak ties the leak to real sources; passages
    with a few words changed are shown in both versions. Reported as `info`. False positives:
    stock official phrasing is shared by many documents — only long runs count.
    """

    NAME = "reference_passages"
    SCOPE = "collection"
    NEEDS = frozenset({"documents", "reference"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        leak = [Text(f.sha256, f.path) for f in view.documents()]
        with reference_view(view) as ref:
            published = [Text(f.sha256, f.path) for f in ref.documents()]
            stores = {t.key: ref.store for t in published} | {t.key: view.store for t in leak}

            def read(sha256: str) -> str:
                return document_text(stores[sha256], sha256)

            for doc, source in candidates(leak, read, LSH_THRESHOLD, published):
                found = overlap(tokenize(read(doc.key)), tokenize(read(source.key)), MIN_PASSAGE)
                if _is_shared(found):
                    yield self._finding(doc, source, found)

    def _finding(self, doc: Text, source: Text, found: Overlap) -> Finding:
        shared = [p.a for p in found.passages if not p.is_edited]
        edited = [{"leak": p.a, "reference": p.b} for p in found.passages if p.is_edited]
        tokens = sum(p.tokens for p in found.passages)
        return self.finding(
            "info",
            doc.path,
            None,
            f"shares {len(found.passages)} passage(s) ({tokens} characters or words) with the"
            f" earlier published {source.path}"
            + (f", {len(edited)} of them edited" if edited else ""),
            reference_path=source.path,
            containment=round(found.containment_b, 3),
            shared_passages=shared,
            edited_passages=edited,
        )
