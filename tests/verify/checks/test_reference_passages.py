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


def test_broken_and_hostile_reference_files_are_recorded_and_the_rest_still_counts(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    """The reference folder is as untrusted as the leak: it goes through the same ingest, so a
    truncated Word file, a zip-slip archive and a bomb are recorded against themselves, the
    originals stay as they were, and the good excerpt beside them is still found."""
    import io
    import zipfile

    from tests.conftest import snapshot
    from veracity.case import open_case

    leak, reference = tmp_path / "leak", tmp_path / "reference"
    text = speech_text(1)
    write_text(leak / "speech.txt", text)
    write_text(reference / "excerpt.txt", "\n\n".join(sorted(text.split("\n"), key=len)[-3:]))
    (reference / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    slip = io.BytesIO()
    with zipfile.ZipFile(slip, "w") as zf:
        zf.writestr("../../escape.txt", "outside")
    (reference / "slip.zip").write_bytes(slip.getvalue())
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.txt", b"\x00" * 50_000_000)
    (reference / "bomb.zip").write_bytes(bomb.getvalue())
    before = snapshot(reference)
    case = make_case()
    run_ingest(case, leak)
    store = open_store(case)
    try:
        found = list(ReferencePassages().run(CaseView(case, store, {"reference": reference})))
    finally:
        store.close()
    assert [(f.path, f.evidence["reference_path"]) for f in found] == [
        ("speech.txt", "excerpt.txt")
    ]
    assert snapshot(reference) == before
    assert not (tmp_path / "escape.txt").exists() and not (reference.parent / "escape.txt").exists()
    sidecar = open_store(open_case(case.derived_dir / "reference"), migrate=False)
    try:
        errors = {
            row["path"]: row["error_kind"] or row["x_error_kind"] for row in sidecar.iter_paths()
        }
    finally:
        sidecar.close()
    assert errors["broken.docx"] and errors["slip.zip!/../../escape.txt"] == "refused"
    assert errors["bomb.zip"] or errors.get("bomb.zip!/zeros.txt")
