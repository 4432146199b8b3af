"""Progress of a long ingest: a bar on a terminal, a plain line every few seconds elsewhere."""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO

from rich.progress import (
    BarColumn,
    DownloadColumn,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.progress import Progress as RichProgress


class Progress(Protocol):
    def add_total(self, files: int, size_bytes: int) -> None: ...
    def advance(self, files: int, size_bytes: int) -> None: ...
    def close(self) -> None: ...


class SilentProgress:
    def add_total(self, files: int, size_bytes: int) -> None:
        pass

    def advance(self, files: int, size_bytes: int) -> None:
        pass

    def close(self) -> None:
        pass


class BarProgress:
    """Files and bytes done, rate and time left, redrawn on the terminal."""

    def __init__(self) -> None:
        self._bar = RichProgress(
            TextColumn("ingest {task.fields[files]}/{task.fields[total_files]} files"),
            BarColumn(),
            TaskProgressColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
        )
        self._files = self._total_files = 0
        self._task = self._bar.add_task("ingest", total=0, files=0, total_files=0)
        self._bar.start()

    def add_total(self, files: int, size_bytes: int) -> None:
        self._total_files += files
        total = (self._bar.tasks[0].total or 0) + size_bytes
        self._bar.update(self._task, total=total, total_files=self._total_files)

    def advance(self, files: int, size_bytes: int) -> None:
        self._files += files
        self._bar.update(self._task, advance=size_bytes, files=self._files)

    def close(self) -> None:
        self._bar.stop()


class LogProgress:
    """One line every `every_s` seconds: for logs, pipes and CI."""

    def __init__(self, out: TextIO = sys.stderr, every_s: float = 5.0) -> None:
        self.out = out
        self.every_s = every_s
        self.total_files = self.total_bytes = self.files = self.bytes = 0
        self.started = self.last = time.monotonic()

    def add_total(self, files: int, size_bytes: int) -> None:
        self.total_files += files
        self.total_bytes += size_bytes

    def advance(self, files: int, size_bytes: int) -> None:
        self.files += files
        self.bytes += size_bytes
        now = time.monotonic()
        if now - self.last >= self.every_s:
            self.last = now
            self._line(now)

    def _line(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        rate = self.files / elapsed
        left = (self.total_files - self.files) / rate if rate else 0
        print(
            f"ingest: {self.files}/{self.total_files} files, {self.bytes / 1e6:.1f}/"
            f"{self.total_bytes / 1e6:.1f} MB, {rate:.0f} files/s,"
            f" {self.bytes / elapsed / 1e6:.1f} MB/s,"
            f" about {left:.0f} s left",
            file=self.out,
            flush=True,
        )

    def close(self) -> None:
        pass


def for_terminal(quiet: bool = False) -> Progress:
    if quiet:
        return SilentProgress()
    return BarProgress() if sys.stderr.isatty() else LogProgress()
