"""Bulk photo filler: output MB/s and peak memory of the whole process tree.

Usage: `.venv/bin/python bench/synth_photos.py [MEGABYTES] [WORKERS]` (default 500 MB, 2 workers).
The target is ≥ 50 MB/s on 2 cores with the tree's resident memory under 500 MB.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from veracity.synth._common import SynthConfig, Truth
from veracity.synth.bulk import write_bulk_photos


def tree_rss(proc: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants (workers, forkserver)."""
    total = 0
    for member in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):  # a worker may exit meanwhile
            total += member.memory_info().rss
    return total


def main() -> None:
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    me = psutil.Process()
    peak = [tree_rss(me)]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], tree_rss(me))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    with tempfile.TemporaryDirectory() as tmp:
        truth = Truth(seed=1)
        started = time.perf_counter()
        written = write_bulk_photos(
            Path(tmp) / "leak", SynthConfig(seed=1, workers=workers), truth, megabytes * 10**6
        )
        elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    count = truth.sections["bulk"]["count"]
    print(f"bulk photos: {count} files, {written / 1e6:.0f} MB in {elapsed:.1f} s")
    print(f"throughput: {written / 1e6 / elapsed:.1f} MB/s with {workers} workers (target ≥ 50)")
    print(f"peak RSS of the process tree: {peak[0] / 2**20:.0f} MiB (target < 500)")


if __name__ == "__main__":
    main()
