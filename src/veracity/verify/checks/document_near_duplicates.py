"""document_near_duplicates: two leak documents that are versions of one text."""

from __future__ import annotations

from collections.abc import Iterator

from veracity.verify._shingles import Text, candidates, document_text, overlap, tokenize
from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView

#: shingle Jaccard from which two documents are one text. Documents written from one set of
#: templates (stock openings, classification lines, the same required phrases) reach about
#: 0.35 on a synthetic leak; versions of one speech share far more
MIN_JACCARD = 0.6
#: LSH proposes pairs estimated somewhat below MIN_JACCARD: with LSH_WEIGHTS a pair at 0.6 is
#: proposed 988 times in 1000, at 0.65 997 times
LSH_THRESHOLD = 0.5
#: shared or differing runs shorter than this many tokens are not quoted in evidence
MIN_PASSAGE = 20
MAX_PASSAGES = 10


class DocumentNearDuplicates(Check):
    """Leak documents that share most of their text: another version of the same document.

    Corroborating: a speech and its revised draft, a notice forwarded with a new header. Each
    pair is `info`, with its similarity and the longest shared passages, so an editor can
    compare versions. False positives: forms or tables filled in from one template can share
    most of their words.
    """

    NAME = "document_near_duplicates"
    SCOPE = "collection"
    NEEDS = frozenset({"documents"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        texts = [Text(f.sha256, f.path) for f in view.documents()]

        def read(sha256: str) -> str:
            return document_text(view.store, sha256)

        for a, b in candidates(texts, read, LSH_THRESHOLD):
            first, second = sorted((a, b), key=lambda t: t.path)
            found = overlap(tokenize(read(first.key)), tokenize(read(second.key)), MIN_PASSAGE)
            if found.jaccard < MIN_JACCARD:
                continue
            longest = sorted(found.passages, key=lambda p: -p.tokens)[:MAX_PASSAGES]
            yield self.finding(
                "info",
                first.path,
                None,
                f"another version of {second.path}: {found.jaccard:.0%} of their text is shared",
                other_path=second.path,
                jaccard=round(found.jaccard, 3),
                containment=[round(found.containment_a, 3), round(found.containment_b, 3)],
                shared_passages=[p.a for p in longest if not p.is_edited],
                edited_passages=[{"this": p.a, "other": p.b} for p in longest if p.is_edited],
            )
