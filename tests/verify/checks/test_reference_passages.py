"""reference_passages: an excerpt published earlier trips it; a template sibling does not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import run_ingest
from tests.verify.checks._texts import speech_text, write_text
from veracity.case import Case
from veracity.store import open_store
from veracity.verify._shingles import tokenize
from veracity.verify.checks.reference_passages import ReferencePassages
from veracity.verify.view import CaseView


def _plain(*texts: str) -> str:
    """Texts without punctuation or spaces, as passages are compared."""
    return "|".join("".join(tokenize(t).tokens) for t in texts)


def test_excerpt_is_found_with_its_edit_and_siblings_are_not(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    leak, reference = tmp_path / "leak", tmp_path / "reference"
    text = speech_text(1)
    longest = sorted(text.split("\n"), key=len, reverse=True)[:3]
    paragraphs = [p for p in text.split("\n") if p in longest]  # in the speech's order
    edited = paragraphs[2].replace("要", "必须", 1)
    write_text(leak / "speech.txt", text)
    write_text(leak / "other.txt", speech_text(2))
    write_text(reference / "excerpt.txt", "\n\n".join(("讲话摘编", *paragraphs[:2], edited)))
    case = make_case()
    run_ingest(case, leak)
    store = open_store(case)
    try:
        view = CaseView(case, store, {"reference": reference})
        found = list(ReferencePassages().run(view))
        again = list(ReferencePassages().run(view))  # the sidecar is ingested once, reused
    finally:
        store.close()
    assert [(f.path, f.evidence["reference_path"]) for f in found] == [
        ("speech.txt", "excerpt.txt")
    ]
    assert found == again and found[0].severity == "info"
    evidence = found[0].evidence
    quoted = _plain(*evidence["shared_passages"], *(e["leak"] for e in evidence["edited_passages"]))
    assert all(_plain(p) in quoted for p in paragraphs[:2])
    assert any(
        _plain(paragraphs[2]) in _plain(e["leak"]) and _plain(edited) in _plain(e["reference"])
        for e in evidence["edited_passages"]
    )
    assert (case.derived_dir / "reference" / "case.db").exists()
