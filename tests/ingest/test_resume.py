"""Killed with SIGKILL at any point and started again, the ingest ends as if never interrupted."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from tests.conftest import dump, run_ingest
from veracity.case import Case


@pytest.fixture(scope="module")
def many_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("resume") / "leak"
    for folder in range(30):
        d = src / f"dir{folder:02d}"
        d.mkdir(parents=True)
        for i in range(100):
            (d / f"note{i:03d}.txt").write_text(
                f"记录 {folder} {i} " * (i % 7 + 1), encoding="utf-8"
            )
    for n in range(6):
        with zipfile.ZipFile(src / f"bundle{n}.zip", "w") as zf:
            for i in range(150):
                zf.writestr(f"inner/{i:03d}.txt", f"bundle {n} member {i}")
            inner = src / f"tmp-inner{n}.zip"
            with zipfile.ZipFile(inner, "w") as iz:
                for i in range(50):
                    iz.writestr(f"deep/{i}.txt", f"nested {n} {i}")
            zf.write(inner, "nested.zip")
            inner.unlink()
    return src


def _count_paths(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as conn:
            return int(conn.execute("select count(*) from paths").fetchone()[0])
    except sqlite3.Error:
        return 0


def _start(src: Path, case: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "veracity",
            "ingest",
            str(src),
            "--case",
            str(case),
            "--workers",
            "2",
            "--json",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
@pytest.mark.parametrize("kill_after_paths", [1, 1200, 3300])
def test_resume_after_kill_9_matches_a_clean_run(
    make_case: Callable[..., Case], many_files: Path, kill_after_paths: int
) -> None:
    clean = make_case()
    run_ingest(clean, many_files)
    expected = dump(clean)
    total = len(expected["paths"])
    assert total > 3300

    interrupted = make_case()
    proc = _start(many_files, interrupted.root)
    deadline = time.monotonic() + 60
    while _count_paths(interrupted.db_path) < kill_after_paths and proc.poll() is None:
        assert time.monotonic() < deadline, "the ingest made no progress"
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _count_paths(interrupted.db_path)
    assert partial < total, "killed too late to test anything"

    summary = run_ingest(interrupted, many_files)
    assert dump(interrupted) == expected
    assert summary["run"]["skipped_unchanged"] > 0 or kill_after_paths == 1
    assert (
        not any((interrupted.root / "tmp").iterdir())
        if (interrupted.root / "tmp").exists()
        else True
    )
    # and once more: nothing left to do
    assert run_ingest(interrupted, many_files)["run"]["read"] == 0
    # the killed ingest's workers noticed and left: no orphan lingers
    deadline = time.monotonic() + 15
    while _orphans(interrupted.root) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _orphans(interrupted.root)


def _orphans(case_root: Path) -> list[int]:
    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if "ingest" in cmdline and str(case_root) in cmdline:
            found.append(proc.info["pid"])
    return found
