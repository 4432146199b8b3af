"""Search fixtures: small cases ingested from hand-made files, and one small synthetic leak."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_ingest
from veracity.case import Case, open_case
from veracity.search import CaseSearch, open_search
from veracity.synth import SynthConfig, generate

#: small on purpose: other engineers share the two cores
SYNTH = SynthConfig(seed=3, people=150, photos=12, documents=6, workers=1)


def write_files(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (relative path → text or bytes) under `folder`; returns `folder`."""
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return folder


@contextmanager
def searching(case: Case) -> Iterator[CaseSearch]:
    search, store = open_search(case)
    try:
        yield search
    finally:
        store.close()


def hit_paths(case: Case, query: str) -> list[str]:
    """The path of every hit of `query`, all of them, best first."""
    with searching(case) as search:
        return [hit.path or "" for hit in search.iter_hits(query)]


@pytest.fixture
def small_case(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Case]:
    """A case ingested from the given files (one worker)."""
    counter = iter(range(100))

    def build(files: dict[str, str | bytes]) -> Case:
        n = next(counter)
        src = write_files(tmp_path / f"src{n}", files)
        case = open_case(tmp_path / f"case{n}", create=True)
        run_ingest(case, src, workers=1)
        return case

    return build


@dataclass(frozen=True)
class Leak:
    folder: Path
    truth: dict[str, Any]


@pytest.fixture(scope="session")
def synth_leak(tmp_path_factory: pytest.TempPathFactory) -> Leak:
    """A small synthetic leak and its truth, generated once for the run (read only)."""
    out = tmp_path_factory.mktemp("synth") / "leak"
    result = generate(out, SYNTH)
    return Leak(out, json.loads(result.truth_path.read_text(encoding="utf-8")))


def ingest_leak(leak: Leak, root: Path) -> Case:
    case = open_case(root / "case", create=True)
    run_ingest(case, leak.folder, workers=1)
    return case
