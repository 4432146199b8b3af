"""A small synthetic leak, ingested once per run, for the statistics tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_ingest
from veracity.case import Case, open_case
from veracity.synth import SynthConfig, generate, truth_path


@dataclass(frozen=True)
class Leak:
    case: Case
    truth: dict[str, Any]


def build_leak(root: Path, people: int = 300) -> Leak:
    """synth (fixed seed) -> ingest: a case whose figures the truth file gives."""
    out = root / "leak"
    generate(out, SynthConfig(seed=3, people=people, photos=20, documents=6, workers=1))
    case = open_case(root / "case", create=True)
    run_ingest(case, out, workers=1)
    return Leak(case, json.loads(truth_path(out).read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def stats_leak(tmp_path_factory: pytest.TempPathFactory) -> Leak:
    return build_leak(tmp_path_factory.mktemp("stats"))
