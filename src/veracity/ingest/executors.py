"""Where tasks run: a pool of worker processes with a watchdog, or inline in this process.

`concurrent.futures` cannot stop one stuck task, and a parser stuck in C code ignores Python's
alarm; so each worker publishes, in shared memory, which task it is on, since when, and the
identity of the file (hash, type) as soon as it is known. The watchdog kills a worker that
overruns the hard limit, records the file as timed out — with its hash, so a re-run does not
try it again — and starts a fresh worker. A worker that dies (a crash in a C library) is
handled the same way.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import queue
import time
from collections.abc import Iterator
from dataclasses import asdict
from multiprocessing.process import BaseProcess
from typing import Any

from veracity.ingest.identify import Identity
from veracity.ingest.worker import Outcome, Task, Worker, WorkerContext, lost_outcome

_SLOT = 1024  # bytes of shared memory per worker for the current file's identity
_IDLE = -1
#: every worker idle, no outcome arriving, yet tasks outstanding for this long: a worker died
#: between taking a task and announcing it, so the outstanding tasks are handed out again
_STALL_S = 10.0


class _Shared:
    """Per-worker state the watchdog reads without asking the worker."""

    def __init__(self, ctx: Any, n: int) -> None:
        self.current = ctx.Array("q", [_IDLE] * n, lock=False)
        self.started = ctx.Array("d", [0.0] * n, lock=False)
        self.identity = ctx.Array("c", _SLOT * n, lock=False)

    def publish(self, slot: int, ident: Identity) -> None:
        data = json.dumps(asdict(ident)).encode()[: _SLOT - 1]
        self.identity[slot * _SLOT : slot * _SLOT + len(data) + 1] = data + b"\0"

    def read_identity(self, slot: int) -> Identity | None:
        raw = bytes(self.identity[slot * _SLOT : (slot + 1) * _SLOT]).split(b"\0", 1)[0]
        try:
            return Identity(**json.loads(raw)) if raw else None
        except (ValueError, TypeError):
            return None


class _PublishingWorker(Worker):
    def __init__(self, ctx: WorkerContext, shared: _Shared, slot: int) -> None:
        super().__init__(ctx)
        self.shared = shared
        self.slot = slot

    def process(self, task: Task) -> Outcome:
        self.shared.identity[self.slot * _SLOT] = b"\0"
        return super().process(task)

    def _extract(self, task: Task, ident: Identity) -> Outcome:
        self.shared.publish(self.slot, ident)
        return super()._extract(task, ident)


def _worker_main(
    slot: int, tasks: Any, results: Any, shared: _Shared, ctx: WorkerContext, parent_pid: int
) -> None:
    worker = _PublishingWorker(ctx, shared, slot)
    while True:
        try:
            task = tasks.get(timeout=1.0)
        except queue.Empty:
            if os.getppid() != parent_pid:
                # the ingest was killed: leave at once. A normal exit would wait for the result
                # queue's feeder thread to flush into a pipe nobody reads any more, for ever.
                os._exit(0)
            continue
        if task is None:
            return
        shared.started[slot] = time.monotonic()
        shared.current[slot] = task.task_id
        outcome = worker.process(task)
        shared.current[slot] = _IDLE
        results.put(outcome)


class ProcessPool:
    """N worker processes fed from one queue; results come back in completion order."""

    def __init__(self, ctx: WorkerContext, workers: int, hard_timeout_s: float) -> None:
        self._mp = mp.get_context("fork")
        self.ctx = ctx
        self.hard_timeout_s = hard_timeout_s
        self.tasks: Any = self._mp.Queue()
        self.results: Any = self._mp.Queue()
        self.shared = _Shared(self._mp, workers)
        self.in_flight: dict[int, Task] = {}
        self._stalled_since: float | None = None
        self.procs: list[BaseProcess] = [self._start(slot) for slot in range(workers)]

    def _start(self, slot: int) -> BaseProcess:
        self.shared.current[slot] = _IDLE
        proc = self._mp.Process(
            target=_worker_main,
            args=(slot, self.tasks, self.results, self.shared, self.ctx, os.getpid()),
            daemon=True,
        )
        proc.start()
        return proc

    def submit(self, task: Task) -> None:
        self.in_flight[task.task_id] = task
        self.tasks.put(task)

    def __len__(self) -> int:
        return len(self.in_flight)

    def results_for(self, wait_s: float) -> Iterator[Outcome]:
        """Outcomes that arrive within `wait_s`, then the watchdog's verdicts."""
        deadline = time.monotonic() + wait_s
        while self.in_flight:
            try:
                outcome: Outcome = self.results.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            self._stalled_since = None
            if self.in_flight.pop(outcome.task.task_id, None) is not None:
                yield outcome
        yield from self._watchdog()
        self._resubmit_if_stalled()

    def _resubmit_if_stalled(self) -> None:
        if not self.in_flight or any(c != _IDLE for c in self.shared.current):
            self._stalled_since = None
            return
        now = time.monotonic()
        if self._stalled_since is None:
            self._stalled_since = now
        elif now - self._stalled_since > _STALL_S:
            # a duplicate outcome, should the task turn up after all, is dropped above
            for task in self.in_flight.values():
                self.tasks.put(task)
            self._stalled_since = None

    def _watchdog(self) -> Iterator[Outcome]:
        now = time.monotonic()
        for slot, proc in enumerate(self.procs):
            task_id = self.shared.current[slot]
            overdue = task_id != _IDLE and now - self.shared.started[slot] > self.hard_timeout_s
            if proc.is_alive() and not overdue:
                continue
            if proc.is_alive():
                proc.kill()
                kind, why = "timeout", f"stopped after {self.hard_timeout_s:.0f} s"
            else:
                kind, why = "crash", f"the reader crashed (exit code {proc.exitcode})"
            proc.join()
            task = self.in_flight.pop(task_id, None) if task_id != _IDLE else None
            if task is not None:
                yield lost_outcome(task, self.shared.read_identity(slot), kind, why)
            self.procs[slot] = self._start(slot)

    def close(self) -> None:
        for _ in self.procs:
            self.tasks.put(None)
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
        self.tasks.close()
        self.results.close()


class InlinePool:
    """Runs tasks in this process, one at a time: for one worker, debugging and tests."""

    def __init__(self, ctx: WorkerContext) -> None:
        self.worker = Worker(ctx)
        self.queue: list[Task] = []

    def submit(self, task: Task) -> None:
        self.queue.append(task)

    def __len__(self) -> int:
        return len(self.queue)

    def results_for(self, wait_s: float) -> Iterator[Outcome]:
        while self.queue:
            yield self.worker.process(self.queue.pop(0))

    def close(self) -> None:
        self.queue.clear()
        self.worker.close()
