"""Shared fixtures: tiny source folders made on the spot, and a runner for the CLI."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
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


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throw-away PostgreSQL server on a Unix socket (no TCP), for the whole test run.

    Skips when Debian's PostgreSQL server is not installed (`.ci/run` installs it). Its folder
    is a fresh one in the system temp folder, not under pytest's `pytest-of-<user>`: pytest
    resets that folder to mode 0700 whenever another test session starts, which would lock
    the `postgres` user out of a running server's data.
    """
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL server not installed (Debian package postgresql)")
    root = Path(tempfile.mkdtemp(prefix="veracity-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
        root.chmod(0o755)
    run = functools.partial(subprocess.run, check=True, capture_output=True)
    run([*as_user, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"])
    options = f"-k {sock} -c listen_addresses='' -p 54329 -c fsync=off"
    # the server keeps its output open: send it to a log, not to a pipe this process waits on
    log = root / "server.log"
    start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]
    run([*as_user, *start], timeout=60)
    try:
        yield f"postgresql+psycopg://postgres@/{{db}}?host={sock}&port=54329"
    finally:
        run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A new empty database on the test server."""
    import sqlalchemy

    name = f"t{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(
        postgres_server.format(db="postgres"),
        isolation_level="AUTOCOMMIT",
        poolclass=sqlalchemy.pool.NullPool,  # closed when released: nothing left open
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return postgres_server.format(db=name)
