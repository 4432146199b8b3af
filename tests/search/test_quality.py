"""Quality on a synthetic leak: every planted phrase is found where it is, and exact substrings
give exactly the units whose text contains them (recall and precision 1.0), checked by brute
force over the same unit texts the index was built from."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest

from tests.search.conftest import Leak, ingest_leak, searching
from veracity.case import Case
from veracity.search.schema import HAN, normalise
from veracity.search.units import Content, person_units, units_of
from veracity.store import open_store

SAMPLES_PER_LENGTH = 25
ID_NUMBER = re.compile(r"\d{17}[\dX]")


@pytest.fixture(scope="module")
def case(synth_leak: Leak, tmp_path_factory: pytest.TempPathFactory) -> Case:
    return ingest_leak(synth_leak, tmp_path_factory.mktemp("quality"))


def _units(case: Case) -> Iterator[tuple[str, str]]:
    store = open_store(case, migrate=False)
    try:
        paths: dict[str, list[str]] = {}
        for sha, path, _, _ in store.iter_content_paths():
            paths.setdefault(sha, []).append(path)
        for sha, row in store.contents_for_index(list(paths)).items():
            content = Content(
                sha256=sha,
                paths=tuple(paths[sha]),
                mime=row["mime"],
                extractor=row["extractor"],
                metadata=row["metadata"],
                text=row["text"],
                language=row["language"],
            )
            for unit in units_of(content, store):
                yield unit.uid, normalise(unit.body)
        for unit in person_units(store):
            yield unit.uid, normalise(unit.body)
    finally:
        store.close()


@pytest.fixture(scope="module")
def texts(case: Case) -> dict[str, str]:
    """uid → indexed text of every unit, rebuilt from the store as the index builds it."""
    return dict(_units(case))


def _han_substrings(texts: dict[str, str]) -> list[str]:
    """Han substrings of 1, 2, 3, 4, 6 and 10 characters, drawn from the unit texts."""
    runs = sorted({run for text in texts.values() for run in HAN.findall(text)})
    rng = random.Random(7)
    out: list[str] = []
    for length in (1, 2, 3, 4, 6, 10):
        long_enough = [run for run in runs if len(run) >= length]
        for run in rng.sample(long_enough, min(SAMPLES_PER_LENGTH, len(long_enough))):
            start = rng.randrange(len(run) - length + 1)
            out.append(run[start : start + length])
    return out


def test_the_index_holds_every_unit(case: Case, texts: dict[str, str]) -> None:
    with searching(case) as search:
        assert search.searcher.num_docs == len(texts)
        assert sum(1 for _ in search.iter_hits("NOT kind:nothing")) == len(texts)


def test_exact_han_substrings_find_exactly_the_units_containing_them(
    case: Case, texts: dict[str, str]
) -> None:
    queries = _han_substrings(texts)
    assert len({len(q) for q in queries}) == 6 and len(queries) > 100
    wrong = []
    with searching(case) as search:
        for query in queries:
            expected = {uid for uid, text in texts.items() if query in text}
            for form in (query, f'"{query}"'):
                found = {hit.uid for hit in search.iter_hits(form)}
                if found != expected:
                    wrong.append((form, len(expected - found), len(found - expected)))
    assert wrong == []  # (query, missed, false hits)


def test_id_numbers_find_exactly_their_rows(case: Case, texts: dict[str, str]) -> None:
    ids = sorted({m.group() for text in texts.values() for m in ID_NUMBER.finditer(text)})
    assert len(ids) > 50
    wrong = []
    with searching(case) as search:
        for number in ids[::3]:
            word = re.compile(rf"(?<![0-9A-Za-z]){number}(?![0-9A-Za-z])", re.I)
            expected = {uid for uid, text in texts.items() if word.search(text)}
            found = {hit.uid for hit in search.iter_hits(number)}
            if found != expected:
                wrong.append(number)
    assert wrong == []


def test_planted_names_are_found_in_their_rows(case: Case, synth_leak: Leak) -> None:
    missed = []
    with searching(case) as search:
        for record in synth_leak.truth["records"]:
            name = record["name_as_written"]
            if not name:
                continue
            place = (record["path"], record["locator"]["sheet"], record["locator"]["row"])
            found = {
                (path, hit.locator["sheet"], hit.locator["row"])
                for hit in search.iter_hits(f'"{name}"')
                if hit.kind == "row" and hit.locator
                for path in hit.paths
            }
            if place not in found:
                missed.append((name, place))
    assert missed == []


def test_planted_titles_and_passages_are_found_in_their_documents(
    case: Case, synth_leak: Leak
) -> None:
    planted = [(d["title"], d["path"]) for d in synth_leak.truth["documents"] if d["title"]]
    for ref in synth_leak.truth["reference_documents"]:
        planted += [(passage, ref["leak_path"]) for passage in ref["shared_passages"]]
        planted += [(edit["leak"], ref["leak_path"]) for edit in ref["edited_passages"]]
    assert len(planted) > 5
    missed = []
    with searching(case) as search:
        for phrase, path in planted:
            runs = HAN.findall(phrase) or [phrase]
            hits = search.iter_hits(" ".join(f'"{run}"' for run in runs))
            if not any(path in hit.paths for hit in hits):
                missed.append((phrase, path))
    assert missed == []
