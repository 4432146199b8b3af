"""Ingest speed and memory, as ratios against the Unix tools measured in the same run.

1. Hashing + identification over large files: `veracity ingest` vs `sha256sum` (in parallel,
   one process per core, as fair as it gets) on the same files, page cache warm for both.
2. 20,000 small files: `veracity ingest` files/s vs `sha256sum` + `file --mime-type` over them.
3. Peak memory (PSS summed over the ingest and its workers) during both runs.

Usage: python bench/ingest.py [--large-mb 1024] [--small-files 20000] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil


def _pss(proc: psutil.Process) -> int:
    try:
        return int(proc.memory_full_info().pss)
    except (psutil.AccessDenied, AttributeError):  # PSS is Linux-only
        return int(proc.memory_info().rss)


def timed(cmd: list[str] | str, **kwargs: object) -> tuple[float, int]:
    """Seconds taken and peak memory (bytes) of a command and all its children.

    Memory is PSS summed over the process tree: forked workers share the parent's pages, which
    a sum of RSS would count once per worker.
    """
    started = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, **kwargs)  # type: ignore[call-overload]
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                procs = [proc, *proc.children(recursive=True)]
                peak = max(peak, sum(_pss(p) for p in procs if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = proc.wait()
    done.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"command failed ({code}): {cmd}")
    return time.perf_counter() - started, peak


def veracity(source: Path, case: Path, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "veracity",
        "ingest",
        str(source),
        "--case",
        str(case),
        "--workers",
        str(workers),
        "--json",
    ]


def make_large(folder: Path, total_mb: int, n: int = 8) -> list[Path]:
    folder.mkdir(parents=True)
    chunk = os.urandom(1 << 20)
    files = []
    for i in range(n):
        path = folder / f"video{i}.bin"
        with open(path, "wb") as fh:
            for j in range(total_mb // n):
                fh.write(chunk[j % 7 :] + chunk[: j % 7])
        files.append(path)
    return files


def make_small(folder: Path, count: int) -> None:
    for i in range(count):
        d = folder / f"d{i // 1000:03d}"
        if i % 1000 == 0:
            d.mkdir(parents=True)
        (d / f"r{i:06d}.txt").write_text(f"记录 {i}: 某某村 人员 {i * 7919 % 100000}\n" * 4)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--large-mb", type=int, default=1024)
    parser.add_argument("--small-files", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="veracity-bench-"))
    try:
        large = make_large(work / "large", args.large_mb)
        subprocess.run(
            ["cat", *map(str, large)], stdout=subprocess.DEVNULL, check=True
        )  # warm cache
        peer_s, _ = timed(
            f"printf '%s\\n' {' '.join(map(str, large))} | xargs -P {args.workers} -n 1 sha256sum",
            shell=True,
        )
        ours_s, large_rss = timed(veracity(work / "large", work / "case-large", args.workers))
        mb = args.large_mb
        print(f"large files: {mb} MB in {len(large)} files")
        print(f"  sha256sum x{args.workers}: {mb / peer_s:8.1f} MB/s")
        print(
            f"  veracity  : {mb / ours_s:8.1f} MB/s   ratio {peer_s / ours_s:.2f} (target >= 0.70)"
        )

        make_small(work / "small", args.small_files)
        small_files = f"find {work / 'small'} -type f -print0"
        peer_s, _ = timed(
            f"{small_files} | xargs -0 -P {args.workers} -n 500 sha256sum && "
            f"{small_files} | xargs -0 -P {args.workers} -n 500 file --mime-type",
            shell=True,
        )
        ours_s, small_rss = timed(veracity(work / "small", work / "case-small", args.workers))
        n = args.small_files
        print(f"small files: {n}")
        print(f"  sha256sum + file --mime-type x{args.workers}: {n / peer_s:8.0f} files/s")
        print(
            f"  veracity ingest (hash, type, extract, store): {n / ours_s:8.0f} files/s"
            f"   ratio {peer_s / ours_s:.2f} (target >= 500 files/s)"
        )
        print(
            f"peak memory: large {large_rss / 1e6:.0f} MB, small {small_rss / 1e6:.0f} MB"
            " (target < 300 MB)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
