"""identical_files: the same bytes found at more than one path."""

from __future__ import annotations

from collections.abc import Iterator

from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView


class IdenticalFiles(Check):
    """The same content (SHA-256) at several paths of the leak.

    Descriptive, not suspicious: leaks are full of copies (a register attached to several
    e-mails, a photo in two folders). Reported as `info` so an editor can see which copies
    corroborate each other; false positives are impossible, the hashes are equal.
    """

    NAME = "identical_files"
    SCOPE = "collection"

    def run(self, view: CaseView) -> Iterator[Finding]:
        for item in view.files():
            if len(item.paths) < 2:
                continue
            for other in item.paths[1:]:
                yield self.finding(
                    "info",
                    item.path,
                    None,
                    f"identical to {other}",
                    other_path=other,
                    sha256=item.sha256,
                    copies=len(item.paths),
                )
