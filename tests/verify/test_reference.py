"""Corroboration against a synthetic leak's reference folder, scored against its truth.

Every truth pair (leak document ↔ earlier published excerpt, leak photo ↔ published copy) must
be found, every shared passage must be quoted, every edited passage shown in both versions,
and no pair beyond the truth may be reported.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_ingest
from veracity.case import open_case
from veracity.store import open_store
from veracity.synth import SynthConfig, generate, reference_path, truth_path
from veracity.verify import CaseView, Finding
from veracity.verify._shingles import tokenize
from veracity.verify.checks.document_near_duplicates import DocumentNearDuplicates
from veracity.verify.checks.reference_passages import ReferencePassages
from veracity.verify.checks.reference_photos import ReferencePhotos


def _plain(text: str) -> str:
    return "".join(tokenize(text).tokens)


@pytest.fixture(scope="module", params=[5, 23])
def scored(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], dict[str, list[Finding]]]:
    """(the truth, findings by check) for one synthetic leak and its reference folder."""
    root = tmp_path_factory.mktemp(f"reference{request.param}")
    out = root / "leak"
    generate(out, SynthConfig(seed=request.param, people=200, photos=60, documents=14))
    case = open_case(root / "case", create=True)
    run_ingest(case, out)
    store = open_store(case)
    try:
        view = CaseView(case, store, {"reference": reference_path(out)})
        checks = (ReferencePassages, ReferencePhotos, DocumentNearDuplicates)
        found = {check.NAME: list(check().run(view)) for check in checks}
    finally:
        store.close()
    return json.loads(Path(truth_path(out)).read_text()), found


def test_reference_documents_are_found_with_their_passages(
    scored: tuple[dict[str, Any], dict[str, list[Finding]]],
) -> None:
    truth, found = scored
    expected = {(r["leak_path"], r["reference_path"]) for r in truth["reference_documents"]}
    by_pair = {(f.path, f.evidence["reference_path"]): f for f in found["reference_passages"]}
    assert set(by_pair) == expected
    for ref in truth["reference_documents"]:
        evidence = by_pair[ref["leak_path"], ref["reference_path"]].evidence
        edits = evidence["edited_passages"]
        quoted = [_plain(p) for p in evidence["shared_passages"]]
        quoted += [_plain(e["leak"]) for e in edits]
        for passage in ref["shared_passages"]:
            assert any(_plain(passage) in q for q in quoted), passage
        for edit in ref["edited_passages"]:
            assert any(
                _plain(edit["leak"]) in _plain(e["leak"])
                and _plain(edit["reference"]) in _plain(e["reference"])
                for e in edits
            ), edit


def test_reference_photos_are_found(
    scored: tuple[dict[str, Any], dict[str, list[Finding]]],
) -> None:
    truth, found = scored
    expected = {(n["leak_path"], n["reference_path"]) for n in truth["near_duplicates"]}
    pairs = {(f.path, f.evidence["reference_path"]) for f in found["reference_photos"]}
    assert pairs == expected


def test_template_documents_are_not_near_duplicates(
    scored: tuple[dict[str, Any], dict[str, list[Finding]]],
) -> None:
    """The synthetic leak has no second version of a document: only shared templates."""
    _, found = scored
    assert found["document_near_duplicates"] == []
    assert all(f.severity == "info" for fs in found.values() for f in fs)
