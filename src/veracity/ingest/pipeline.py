"""The ingest: walk the sources, read every file in the pool, write outcomes from one writer.

Resumable and idempotent by construction:
- every row is an upsert on a natural key, so writing an outcome twice changes nothing;
- an original whose size and mtime match a completely read entry is skipped without reading;
- an archive stays `pending` until every member below it is written, and a pending archive is
  read again on the next run, so a run killed half-way through an archive redoes that archive;
- outcomes are written in batches, each one transaction: a kill loses at most one batch,
  which the next run redoes.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from veracity.case import Case
from veracity.errors import UsageError
from veracity.extract import Child, Derived
from veracity.ingest.executors import InlinePool, ProcessPool
from veracity.ingest.progress import Progress
from veracity.ingest.walk import Found, Skipped, walk
from veracity.ingest.worker import Outcome, Task, WorkerContext
from veracity.people.stage import check_user_files, update_people
from veracity.search.index import update_index
from veracity.store import Batch, PathRecord, Store, open_store

_DONE_STATES = frozenset({"done", "failed", "unsupported", "ignored"})
_MAX_QUEUED_PER_WORKER = 64
_BATCH_TEXT_CHARS = 32_000_000  # flush early when a batch carries this much text


@dataclass
class _Container:
    """An archive whose members are still being read."""

    sha256: str
    final_status: str
    remaining: int
    parent_task: int | None
    scratch: str | None


@dataclass
class RunStats:
    seen: int = 0
    skipped_unchanged: int = 0
    read: int = 0
    bytes_read: int = 0
    failed: int = 0
    by_status: Counter[str] = field(default_factory=Counter)


class Ingest:
    """One ingest run over one or more sources into a case."""

    def __init__(self, case: Case, workers: int, progress: Progress) -> None:
        self.case = case
        self.store: Store = open_store(case)
        self.workers = workers
        self.progress = progress
        self.stats = RunStats()
        self.batch = Batch()
        self._batch_chars = 0
        self._last_flush = time.monotonic()
        self._next_id = 0
        self._containers: dict[int, _Container] = {}
        self._backlog: list[Task] = []
        self._rows_written = False

    # -- driving ------------------------------------------------------------------------------

    def run(self, sources: Sequence[Path]) -> dict[str, Any]:
        started = time.monotonic()
        roots = [self._check_source(s) for s in sources]
        check_user_files(self.case, self.store)
        run_id = self.store.start_run("ingest")
        tmp = self.case.reset_tmp()
        ctx = WorkerContext(self.case.limits, str(tmp), self.case.database_url)
        hard = max(self.case.limits.file_timeout_s * 1.5, self.case.limits.file_timeout_s + 5)
        pool: ProcessPool | InlinePool = (
            ProcessPool(ctx, self.workers, hard) if self.workers > 1 else InlinePool(ctx)
        )
        try:
            for root in roots:
                self._ingest_source(root, pool)
            self._drain(pool, until_empty=True)
            self.flush()
        finally:
            pool.close()
            self.progress.close()
        shutil.rmtree(tmp, ignore_errors=True)
        people = self._people_stage()
        search = update_index(self.case, self.store)
        summary = self.summary(time.monotonic() - started)
        summary["people"] = people
        summary["search"] = search
        self.store.finish_run(run_id, summary)
        self.store.close()
        return summary

    def _people_stage(self) -> dict[str, Any]:
        return update_people(
            self.case, self.store, rows_written=self._rows_written, files_read=self.stats.read
        )

    @staticmethod
    def _check_source(source: Path) -> Path:
        if not source.exists():
            raise UsageError(f"no such file or folder: {source}")
        return source.resolve()

    def _ingest_source(self, root: Path, pool: ProcessPool | InlinePool) -> None:
        is_file = root.is_file()
        source_id = self.store.source_id(str(root.parent if is_file else root))
        states = self.store.path_states(source_id)
        entries = list(walk(str(root)))
        self.progress.add_total(
            sum(1 for e in entries if isinstance(e, Found)),
            sum(e.size for e in entries if isinstance(e, Found)),
        )
        for entry in entries:
            self.stats.seen += 1
            if isinstance(entry, Skipped):
                self.batch.paths.append(
                    PathRecord(
                        source_id,
                        entry.path,
                        None,
                        None,
                        None,
                        None,
                        error_kind=entry.kind,
                        error=entry.message,
                    )
                )
                continue
            state = states.get(entry.path)
            unchanged = state is not None and (state.size, state.mtime_ns) == (
                entry.size,
                entry.mtime_ns,
            )
            if unchanged and state is not None and state.status in _DONE_STATES:
                self.stats.skipped_unchanged += 1
                self.progress.advance(1, entry.size)
                continue
            if state is not None:
                self.store.forget_members(source_id, entry.path)
            self._backlog.append(
                Task(
                    self._new_id(),
                    source_id,
                    entry.disk_path,
                    entry.path,
                    None,
                    None,
                    0,
                    mtime_ns=entry.mtime_ns,
                )
            )
            self._drain(pool, until_empty=False)

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _drain(self, pool: ProcessPool | InlinePool, *, until_empty: bool) -> None:
        """Keep the pool busy; return when the backlog is short (or, at the end, empty)."""
        limit = max(self.workers, 1) * _MAX_QUEUED_PER_WORKER
        while True:
            while self._backlog and len(pool) < limit:
                pool.submit(self._backlog.pop())
            if not until_empty and len(pool) < limit:
                return
            if not len(pool) and not self._backlog:
                return
            for outcome in pool.results_for(0.2):
                self._handle(outcome)
            if time.monotonic() - self._last_flush > 1.0:
                self.flush()

    # -- outcomes -----------------------------------------------------------------------------

    def _handle(self, outcome: Outcome) -> None:
        task = outcome.task
        self.stats.read += 1
        self.stats.bytes_read += outcome.path.size or 0
        if task.is_original:
            self.progress.advance(1, outcome.path.size or 0)
        if outcome.file is not None:
            self.batch.files.append(outcome.file)
        self.batch.paths.append(outcome.path)
        record = outcome.extraction
        if record is not None:
            self.stats.by_status[record.status] += 1
            self.stats.failed += record.status == "failed"
            self._batch_chars += len(record.text or "")
        elif outcome.path.error_kind:
            self.stats.failed += 1
        if record is not None and outcome.rows_file:
            self._write_rows(record.sha256, Path(outcome.rows_file))
        self._keep_derived(outcome.derived)
        members = self._member_tasks(task, outcome.children)
        if record is not None and members:
            # the archive is complete only when every member below it is written
            self._containers[task.task_id] = _Container(
                record.sha256, record.status, len(members), task.parent_task, outcome.scratch
            )
            record = replace(record, status="pending")
        if record is not None:
            self.batch.extractions.append(record)
        if members:
            self.progress.add_total(
                len(members), sum(os.path.getsize(t.disk_path) for t in members)
            )
            self._backlog.extend(members)
        else:
            if outcome.scratch:
                shutil.rmtree(outcome.scratch, ignore_errors=True)
            self._member_done(task.parent_task)
        if len(self.batch) >= self.case.limits.batch_size or self._batch_chars > _BATCH_TEXT_CHARS:
            self.flush()

    def _write_rows(self, sha256: str, rows_file: Path) -> None:
        """Stream a spreadsheet's rows into the case, after the batch holding its file row."""
        self.flush()
        with open(rows_file, encoding="utf-8") as fh:
            self.store.replace_rows(sha256, (json.loads(line) for line in fh))
        rows_file.unlink(missing_ok=True)
        self._rows_written = True

    def _keep_derived(self, derived: Iterable[Derived]) -> None:
        for item in derived:
            target = self.case.derived_dir / item.kind / f"{item.sha256}{item.suffix}"
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(item.disk_path, target)

    def _member_tasks(self, task: Task, children: Iterable[Child]) -> list[Task]:
        tasks = []
        for child in children:
            path = f"{task.path}!/{child.name}"
            if child.disk_path is None:
                self.batch.paths.append(
                    PathRecord(
                        task.source_id,
                        path,
                        None,
                        task.path,
                        None,
                        child.size,
                        member_modified=child.modified,
                        error_kind=child.error_kind,
                        error=child.error,
                        locator=child.locator,
                    )
                )
                continue
            tasks.append(
                Task(
                    self._new_id(),
                    task.source_id,
                    str(child.disk_path),
                    path,
                    task.path,
                    task.task_id,
                    task.depth + 1,
                    member_modified=child.modified,
                    locator=child.locator,
                )
            )
        return tasks

    def _member_done(self, container_task: int | None) -> None:
        while container_task is not None:
            container = self._containers[container_task]
            container.remaining -= 1
            if container.remaining:
                return
            del self._containers[container_task]
            self.batch.statuses.append((container.sha256, container.final_status))
            if container.scratch:
                shutil.rmtree(container.scratch, ignore_errors=True)
            container_task = container.parent_task

    def flush(self) -> None:
        self.store.write(self.batch)
        self.batch = Batch()
        self._batch_chars = 0
        self._last_flush = time.monotonic()

    # -- reporting ----------------------------------------------------------------------------

    def summary(self, seconds: float) -> dict[str, Any]:
        case_counts = self.store.counts()
        return {
            "seconds": round(seconds, 3),
            "run": {
                "seen": self.stats.seen,
                "skipped_unchanged": self.stats.skipped_unchanged,
                "read": self.stats.read,
                "bytes_read": self.stats.bytes_read,
                "failed": self.stats.failed,
                "files_per_s": round(self.stats.read / seconds, 1) if seconds else None,
            },
            "case": case_counts,
        }


def ingest(
    case: Case, sources: Sequence[Path], *, workers: int = 0, progress: Progress
) -> dict[str, Any]:
    """Read every file of `sources` into `case`; returns the summary printed at the end."""
    return Ingest(case, workers or os.cpu_count() or 1, progress).run(sources)
