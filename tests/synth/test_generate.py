"""The whole synthetic leak: layout, truth beside it, determinism, and a clean ingest of it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import paths_of, run_ingest
from veracity.case import Case
from veracity.errors import UsageError
from veracity.synth import SynthConfig, generate, reference_path, truth_path

SMALL = SynthConfig(seed=7, people=200, photos=40, documents=10)


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def leak(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "leak"
    generate(out, SMALL)
    return out


def test_layout_truth_and_reference_sit_beside_the_leak(leak: Path) -> None:
    truth = json.loads(truth_path(leak).read_text(encoding="utf-8"))
    assert truth_path(leak).parent == leak.parent and reference_path(leak).is_dir()
    assert not list(leak.rglob("*.truth.json"))
    for section in ("people", "stats", "name_queries", "records", "anomalies"):
        assert truth[section], section
    kinds = {a["kind"] for a in truth["anomalies"]}
    assert {"id_check_character", "photo_edited_software", "office_created_after_modified"} <= kinds
    for anomaly in truth["anomalies"]:
        assert (leak / anomaly["path"].split("!/")[0]).is_file(), anomaly["path"]
    assert truth["leak"]["files"] == len(_digest(leak))


def test_same_seed_same_bytes_other_seed_other_bytes(leak: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(again, SMALL)
    assert _digest(again) == _digest(leak)
    assert truth_path(again).read_bytes() == truth_path(leak).read_bytes()
    other = tmp_path / "other"
    generate(other, SynthConfig(seed=8, people=200, photos=40, documents=10))
    assert _digest(other) != _digest(leak)


def test_existing_output_is_not_overwritten_silently(leak: Path) -> None:
    with pytest.raises(UsageError, match="--overwrite"):
        generate(leak, SMALL)


def test_size_is_reached_with_bulk_photos(tmp_path: Path) -> None:
    result = generate(
        tmp_path / "big",
        SynthConfig(seed=1, people=50, photos=20, documents=5, size_bytes=30_000_000),
    )
    assert 30_000_000 <= result.size_bytes < 36_000_000


def test_the_leak_ingests_without_errors(leak: Path, make_case: Callable[..., Case]) -> None:
    case = make_case()
    summary = run_ingest(case, leak)
    rows = paths_of(case)
    assert summary["case"]["errors"] == 0
    on_disk = set(_digest(leak))
    assert on_disk <= set(rows)
    members = [p for p in rows if "!/" in p]
    assert any(p.count("!/") == 2 for p in members), "the nested zip is unpacked"
    assert {r["mime"] for r in rows.values()} >= {
        "image/jpeg",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
