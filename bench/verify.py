"""`veracity verify` on a large case: a 2 GB synthetic leak (~300,000 register rows, ~10,000
photos) synthesised, ingested, then every check timed. The issue's target: under 2 minutes on
2 cores. No other tool runs these checks; ExifTool's own pass over the same photos is printed
as a yardstick of what merely reading their metadata costs.

Usage: python -m bench.verify [--people 250000] [--photos 10000] [--size 2GB]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.ingest import timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=250_000)
    parser.add_argument("--photos", type=int, default=10_000)
    parser.add_argument("--size", default="2GB")
    parser.add_argument("--keep", type=Path, help="reuse/keep the leak and case in this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="veracity-bench-verify-"))
    leak, case = work / "leak", work / "case"
    veracity = [sys.executable, "-m", "veracity"]
    try:
        if not leak.exists():
            started = time.perf_counter()
            subprocess.run(
                [*veracity, "synth", str(leak), "--people", str(args.people),
                 "--photos", str(args.photos), "--size", args.size],
                check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            print(f"synth: {time.perf_counter() - started:.0f} s")
        if not (case / "case.db").exists():
            ingest_s, _ = timed([*veracity, "ingest", str(leak), "--case", str(case)])
            print(f"ingest: {ingest_s:.0f} s")
        reference = work / "leak.reference"
        options = ["--reference", str(reference), "--sites", str(reference / "sites.geojson")]
        verify_s, peak = timed([*veracity, "verify", "--case", str(case), *options, "--json"])
        summary = json.loads(
            subprocess.run(
                [*veracity, "ingest", str(leak), "--case", str(case), "--json"],
                check=True, capture_output=True, text=True,
            ).stdout
        )  # fmt: skip
        people = summary.get("people", {})
        photos = summary["case"]["by_type"].get("image/jpeg", 0)
        print(f"case: {people.get('records')} records, {people.get('persons')} persons,"
              f" {photos} JPEG photos")  # fmt: skip
        print(f"veracity verify, every check: {verify_s:.1f} s (target < 120 s),"
              f" peak PSS {peak / 2**20:.0f} MB")  # fmt: skip
        if shutil.which("exiftool"):
            exif_s, _ = timed(["exiftool", "-j", "-n", "-r", "-q", str(leak / "photos")])
            print(f"yardstick: exiftool reading the detainee photos' metadata: {exif_s:.1f} s")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
