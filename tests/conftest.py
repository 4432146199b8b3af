"""Shared fixtures: tiny source folders made on the spot, and a runner for the CLI."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from veracity.case import Case, open_case
from veracity.cli import cli
from veracity.ingest import SilentProgress, ingest
from veracity.store import open_store

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """sha256 and mtime of every file under `folder`: proof that originals were not touched."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[str(path)] = (
                hashlib.sha256(path.read_bytes()).hexdigest(),
                path.stat().st_mtime_ns,
            )
    return out


@pytest.fixture
def make_case(tmp_path: Path) -> Callable[..., Case]:
    """A new case folder, optionally with settings (limits) overridden."""
    counter = iter(range(1000))

    def make(**settings: Any) -> Case:
        root = tmp_path / f"case{next(counter)}"
        root.mkdir()
        if settings:
            (root / "settings.json").write_text(json.dumps(settings))
        return open_case(root, create=True)

    return make


def run_ingest(case: Case, *sources: Path, workers: int = 2) -> dict[str, Any]:
    return ingest(case, list(sources), workers=workers, progress=SilentProgress())


def dump(case: Case) -> dict[str, list[tuple[Any, ...]]]:
    store = open_store(case, migrate=False)
    try:
        return store.dump_content()
    finally:
        store.close()


def paths_of(case: Case) -> dict[str, dict[str, Any]]:
    store = open_store(case, migrate=False)
    try:
        return {row["path"]: row for row in store.iter_paths()}
    finally:
        store.close()


@pytest.fixture
def small_source(tmp_path: Path) -> Path:
    """A few files of several kinds, one duplicated, in nested folders."""
    src = tmp_path / "leak"
    (src / "docs" / "sub").mkdir(parents=True)
    (src / "docs" / "notice.txt").write_text("通知：各单位要加强管理。\n", encoding="gb18030")
    (src / "docs" / "sub" / "copy.txt").write_text("通知：各单位要加强管理。\n", encoding="gb18030")
    (src / "readme.txt").write_text("hello world\n", encoding="utf-8")
    (src / "data.bin").write_bytes(bytes(range(256)) * 8)
    (src / "photo.jpg").write_text("not really a photo", encoding="utf-8")
    return src


class Cli:
    def __init__(self, case_dir: Path) -> None:
        self.case_dir = case_dir
        self.runner = CliRunner()

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(
            cli, [*args, "--case", str(self.case_dir)], catch_exceptions=False
        )


@pytest.fixture
def run_cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "case")


@pytest.fixture(autouse=True)
def _no_network_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VERACITY_DATABASE_URL", raising=False)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
