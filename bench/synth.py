"""Synthetic leak generation speed and memory, against writing random bytes with `head`.

Runs `veracity synth OUT --size N` (default 2 GB) and prints MB/s and peak RSS (summed over
the process tree), then `head -c N /dev/urandom > file` on the same disk as the peer: the
ratio shows how close to "just writing bytes" the generator runs.

Usage: python bench/synth.py [--size-gb 2] [--workers 0]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from bench.ingest import timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-gb", type=float, default=2.0)
    args = parser.parse_args()
    size = int(args.size_gb * 1e9)
    work = Path(tempfile.mkdtemp(prefix="veracity-bench-synth-"))
    try:
        ours_s, rss = timed(
            [sys.executable, "-m", "veracity", "synth", str(work / "leak"), "--size", str(size)]
        )
        peer_s, _ = timed(f"head -c {size} /dev/urandom > {work / 'random.bin'}", shell=True)
        mb = size / 1e6
        print(f"synth --size {args.size_gb} GB: {mb / ours_s:7.1f} MB/s (target >= 50 MB/s)")
        print(f"head -c /dev/urandom:      {mb / peer_s:7.1f} MB/s   ratio {peer_s / ours_s:.2f}")
        print(f"peak memory of synth: {rss / 1e6:.0f} MB (target < 500 MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
