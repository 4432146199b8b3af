"""One file in, one outcome out: what a worker process does with each task.

Runs in a worker process (or inline): hash and type the file, then — unless this content was
read completely before — hand it to its extractor under a time limit. Nothing here writes to
the case database; the outcome goes back to the single writer.
"""

from __future__ import annotations

import logging
import shutil
import signal
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from veracity.case import Limits
from veracity.errors import ExtractError, LimitExceeded
from veracity.extract import Child, Derived, Item, choose, detect_language
from veracity.ingest.identify import Identity, claimed_type, identify
from veracity.store import ExtractionRecord, FileRecord, PageRecord, PathRecord, Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Task:
    """A file to read: an original in a source folder, or a member taken out of an archive."""

    task_id: int
    source_id: int
    disk_path: str
    path: str
    parent: str | None
    parent_task: int | None
    depth: int
    mtime_ns: int | None = None
    member_modified: str | None = None
    locator: dict[str, Any] | None = None

    @property
    def is_original(self) -> bool:
        return self.parent is None


@dataclass(frozen=True)
class Outcome:
    task: Task
    path: PathRecord
    file: FileRecord | None = None
    extraction: ExtractionRecord | None = None
    children: tuple[Child, ...] = ()
    scratch: str | None = None  # folder holding the children's bytes, removed when all are read
    rows_file: str | None = None  # JSON Lines of spreadsheet rows, in `scratch`
    derived: tuple[Derived, ...] = ()  # files to keep in the case's derived/, in `scratch`


@dataclass(frozen=True)
class WorkerContext:
    limits: Limits
    tmp_dir: str
    database_url: str


def _extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def path_record(
    task: Task, ident: Identity | None, error_kind: str | None = None, error: str | None = None
) -> PathRecord:
    return PathRecord(
        source_id=task.source_id,
        path=task.path,
        sha256=ident.sha256 if ident else None,
        parent=task.parent,
        claimed_mime=claimed_type(task.path),
        size=ident.size if ident else None,
        mtime_ns=task.mtime_ns,
        member_modified=task.member_modified,
        locator=task.locator,
        error_kind=error_kind,
        error=error,
    )


def file_record(ident: Identity) -> FileRecord:
    return FileRecord(ident.sha256, ident.size, ident.mime, ident.magic)


_ALARM_SECONDS = [0.0]  # the limit in force, for the error message


def _on_alarm(_signum: int, _frame: FrameType | None) -> None:
    raise LimitExceeded("file_timeout_s", _ALARM_SECONDS[0], _ALARM_SECONDS[0])


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Stop a parser that loops in Python; the pool's watchdog kills one stuck in C code."""
    if seconds <= 0 or not hasattr(signal, "setitimer"):
        yield
        return
    _ALARM_SECONDS[0] = seconds
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Worker:
    """Processes tasks in one process; keeps its own read-only view of the store."""

    def __init__(self, ctx: WorkerContext) -> None:
        self.ctx = ctx
        self._store: Store | None = None
        #: set before extraction so a watchdog that kills this process still knows the file
        self.identity: Identity | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.ctx.database_url)
        return self._store

    def close(self) -> None:
        """Closes the worker's connection (an inline worker shares the ingest's process)."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def process(self, task: Task) -> Outcome:
        self.identity = None
        try:
            ident = identify(task.disk_path, no_follow=task.is_original)
        except OSError as exc:
            if not task.is_original:
                Path(task.disk_path).unlink(missing_ok=True)
            return Outcome(
                task, path_record(task, None, "unreadable", f"cannot read: {exc.strerror or exc}")
            )
        self.identity = ident
        try:
            return self._extract(task, ident)
        finally:
            if not task.is_original:
                Path(task.disk_path).unlink(missing_ok=True)

    def _extract(self, task: Task, ident: Identity) -> Outcome:
        scratch = Path(self.ctx.tmp_dir) / f"t{task.task_id}"
        item = Item(
            disk_path=Path(task.disk_path),
            path=task.path,
            sha256=ident.sha256,
            size=ident.size,
            mime=ident.mime,
            extension=_extension(task.path),
            depth=task.depth,
            scratch=scratch,
        )
        extractor = choose(item)
        path = path_record(task, ident)
        if extractor is None:
            record = ExtractionRecord(ident.sha256, "none", "1", "unsupported")
            return Outcome(task, path, file_record(ident), record)
        if not extractor.IS_CONTAINER and self.store.is_extracted(ident.sha256):
            return Outcome(task, path, file_record(ident))  # same content read before
        name, version = extractor.NAME, extractor.VERSION
        try:
            with time_limit(self.ctx.limits.file_timeout_s):
                result = extractor.extract(item, self.ctx.limits)
        except ExtractError as exc:
            shutil.rmtree(scratch, ignore_errors=True)
            record = ExtractionRecord(ident.sha256, name, version, "failed", exc.kind, str(exc))
            return Outcome(task, path, file_record(ident), record)
        except Exception as exc:  # recorded, never fatal: one odd file must not stop a leak
            shutil.rmtree(scratch, ignore_errors=True)
            log.warning("extractor %s failed on %s:\n%s", name, task.path, traceback.format_exc())
            message = f"{type(exc).__name__}: {exc}"[:2000]
            record = ExtractionRecord(ident.sha256, name, version, "failed", "internal", message)
            return Outcome(task, path, file_record(ident), record)
        status = "failed" if result.error_kind else "done"
        language = result.language
        if language is None and result.text:
            # one place decides the language of every text, whichever extractor read it
            language = detect_language(result.text)
        record = ExtractionRecord(
            ident.sha256,
            name,
            version,
            status,
            result.error_kind,
            result.error,
            result.metadata,
            result.raw,
            result.text,
            language,
            tuple(PageRecord(p.kind, p.number, p.text, p.is_ocr) for p in result.pages),
        )
        keeps = bool(result.children or result.rows_file or result.derived)
        has_scratch = keeps and scratch.exists()
        if not has_scratch:
            shutil.rmtree(scratch, ignore_errors=True)
        return Outcome(
            task,
            path,
            file_record(ident),
            record,
            result.children,
            str(scratch) if has_scratch else None,
            str(result.rows_file) if result.rows_file else None,
            result.derived,
        )


def lost_outcome(task: Task, ident: Identity | None, kind: str, message: str) -> Outcome:
    """The outcome of a task whose worker was killed or died: recorded like any failure."""
    path = path_record(task, ident)
    if ident is None:
        return Outcome(task, path_record(task, None, kind, message))
    record = ExtractionRecord(ident.sha256, "unknown", "1", "failed", kind, message)
    if not task.is_original:
        Path(task.disk_path).unlink(missing_ok=True)
    return Outcome(task, path, file_record(ident), record)
