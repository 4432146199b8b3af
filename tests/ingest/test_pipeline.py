"""The ingest end to end: idempotence, duplicates, changes, failures, untouched originals."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import dump, paths_of, run_ingest, snapshot
from veracity.case import Case, Limits
from veracity.extract import Extraction, Extractor, Item, registry
from veracity.store import open_store


def test_reads_every_file_with_hash_and_types(
    make_case: Callable[..., Case], small_source: Path
) -> None:
    case = make_case()
    summary = run_ingest(case, small_source)
    rows = paths_of(case)
    assert set(rows) == {
        "docs/notice.txt",
        "docs/sub/copy.txt",
        "readme.txt",
        "data.bin",
        "photo.jpg",
    }
    assert summary["run"]["read"] == 5
    notice = rows["docs/notice.txt"]
    assert notice["mime"] == "text/plain" and notice["status"] == "done"
    assert notice["claimed_mime"] == "text/plain"
    # the name claims a JPEG, the content says text: both kept, the mismatch is evidence
    assert rows["photo.jpg"]["claimed_mime"] == "image/jpeg"
    assert rows["photo.jpg"]["mime"] == "text/plain"
    assert rows["data.bin"]["status"] == "unsupported"


def test_duplicates_are_one_file_under_two_paths(
    make_case: Callable[..., Case], small_source: Path
) -> None:
    case = make_case()
    summary = run_ingest(case, small_source)
    rows = paths_of(case)
    assert rows["docs/notice.txt"]["sha256"] == rows["docs/sub/copy.txt"]["sha256"]
    assert summary["case"]["duplicates"] == 1
    assert summary["case"]["files"] == 4
    files = dump(case)["extractions"]
    assert len([r for r in files if r[0] == rows["docs/notice.txt"]["sha256"]]) == 1


def test_reingest_is_idempotent_and_reads_nothing(
    make_case: Callable[..., Case], small_source: Path
) -> None:
    case = make_case()
    run_ingest(case, small_source)
    before = dump(case)
    again = run_ingest(case, small_source)
    assert again["run"]["read"] == 0
    assert again["run"]["skipped_unchanged"] == 5
    assert dump(case) == before


def test_changed_and_new_files_are_read_again(
    make_case: Callable[..., Case], small_source: Path
) -> None:
    case = make_case()
    run_ingest(case, small_source)
    (small_source / "readme.txt").write_text("changed text\n")
    os.utime(small_source / "readme.txt", ns=(1, 1))
    (small_source / "new.txt").write_text("a new file\n")
    again = run_ingest(case, small_source)
    assert again["run"]["read"] == 2
    rows = paths_of(case)
    assert "new.txt" in rows
    assert rows["readme.txt"]["size"] == len("changed text\n")


def test_originals_are_never_written(make_case: Callable[..., Case], small_source: Path) -> None:
    before = snapshot(small_source)
    listing = sorted(p.name for p in small_source.rglob("*"))
    run_ingest(make_case(), small_source)
    assert snapshot(small_source) == before
    assert sorted(p.name for p in small_source.rglob("*")) == listing


class _Raising(Extractor):
    NAME = "raising"
    EXTENSIONS = frozenset({"boom"})
    MIME_TYPES = frozenset()
    SCORE = 9

    @classmethod
    def match(cls, item: Item) -> int:
        return cls.SCORE if item.extension == "boom" else -1

    def extract(self, item: Item, limits: Limits) -> Extraction:
        raise ValueError("parser exploded")


class _Sleeping(_Raising):
    NAME = "sleeping"
    MODE: ClassVar[str] = "python"

    @classmethod
    def match(cls, item: Item) -> int:
        return cls.SCORE if item.extension == "slow" else -1

    def extract(self, item: Item, limits: Limits) -> Extraction:
        if item.path.endswith("stuck.slow"):
            # like a parser stuck in C code: the alarm cannot interrupt it
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        if item.path.endswith("crash.slow"):
            os._exit(7)
        time.sleep(60)
        return Extraction()


@pytest.fixture
def hostile_extractors(monkeypatch: pytest.MonkeyPatch) -> None:
    # workers are forked, so the patched registry is theirs too
    monkeypatch.setattr(registry, "EXTRACTORS", (_Raising, _Sleeping, *registry.EXTRACTORS))


@pytest.mark.usefixtures("hostile_extractors")
@pytest.mark.parametrize("workers", [1, 2])
def test_a_raising_extractor_is_recorded_and_the_run_goes_on(
    make_case: Callable[..., Case], small_source: Path, workers: int
) -> None:
    (small_source / "bad.boom").write_text("x")
    case = make_case()
    summary = run_ingest(case, small_source, workers=workers)
    rows = paths_of(case)
    assert rows["bad.boom"]["status"] == "failed"
    assert rows["bad.boom"]["x_error_kind"] == "internal"
    assert "ValueError: parser exploded" in rows["bad.boom"]["x_error"]
    assert rows["readme.txt"]["status"] == "done"
    assert summary["run"]["failed"] == 1


@pytest.mark.usefixtures("hostile_extractors")
def test_hanging_and_crashing_parsers_are_stopped(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "slow"
    src.mkdir()
    for name in ("loop.slow", "stuck.slow", "crash.slow", "fine.txt"):
        (src / name).write_text(name)
    case = make_case(file_timeout_s=1)
    started = time.monotonic()
    run_ingest(case, src, workers=2)
    assert time.monotonic() - started < 30
    rows = paths_of(case)
    assert rows["loop.slow"]["x_error_kind"] == "limit"  # the alarm stopped it
    assert rows["stuck.slow"]["x_error_kind"] == "timeout"  # the watchdog killed it
    assert rows["crash.slow"]["x_error_kind"] == "crash"
    for name in ("stuck.slow", "crash.slow"):
        assert rows[name]["sha256"], "a killed file keeps its hash, so a re-run skips it"
    assert rows["fine.txt"]["status"] == "done"
    again = run_ingest(case, src, workers=2)
    assert again["run"]["read"] == 0


def test_links_and_special_files_are_recorded_not_followed(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.txt").write_text("ok")
    (src / "passwd").symlink_to("/etc/passwd")
    (src / "loop").symlink_to(src)
    os.mkfifo(src / "pipe")
    case = make_case()
    run_ingest(case, src)
    rows = paths_of(case)
    assert rows["passwd"]["error_kind"] == "link" and rows["passwd"]["sha256"] is None
    assert rows["loop"]["error_kind"] == "link"
    assert rows["pipe"]["error_kind"] == "refused"
    assert rows["ok.txt"]["status"] == "done"


def test_non_utf8_file_names_are_decoded(make_case: Callable[..., Case], tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    name = "名单.txt".encode("gbk")
    with open(os.path.join(os.fsencode(src), name), "wb") as fh:
        fh.write(b"x")
    case = make_case()
    run_ingest(case, src)
    assert "名单.txt" in paths_of(case)


def test_a_single_file_can_be_a_source(make_case: Callable[..., Case], small_source: Path) -> None:
    case = make_case()
    run_ingest(case, small_source / "readme.txt")
    assert set(paths_of(case)) == {"readme.txt"}


def test_a_task_lost_between_queue_and_worker_is_handed_out_again(
    make_case: Callable[..., Case], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from veracity.ingest import executors

    monkeypatch.setattr(executors, "_STALL_S", 0.5)
    case = make_case()
    open_store(case).close()
    pool = executors.ProcessPool(
        executors.WorkerContext(case.limits, str(tmp_path), case.database_url),
        workers=1,
        hard_timeout_s=60,
    )
    try:
        (tmp_path / "a.txt").write_text("a")
        task = executors.Task(1, 1, str(tmp_path / "a.txt"), "a.txt", None, None, 0)
        pool.in_flight[task.task_id] = task  # as if a worker had taken it and died at once
        outcomes: list[executors.Outcome] = []
        deadline = time.monotonic() + 20
        while not outcomes and time.monotonic() < deadline:
            outcomes += pool.results_for(0.2)
        assert [o.task.path for o in outcomes] == ["a.txt"]
        assert outcomes[0].extraction is not None and outcomes[0].extraction.status == "done"
    finally:
        pool.close()
