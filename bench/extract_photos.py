"""Photo metadata extraction speed against ExifTool, measured in the same run.

The folder: the synthetic leak's photos (detainee and camp photos, plus bulk camera photos up to
`--size-mb`) and the real photos of `../shared/corpora/exif-samples` when present, gathered into
one folder of photos only. Timed, each the best of `--repeat` runs with the page cache warm:

- `exiftool -j -n -r FOLDER` (the peer: one process, header metadata of every photo);
- veracity's image extractor over the same files, without the perceptual hash (EXIF, GPS,
  thumbnail, quantization tables: what ExifTool does) and with it (what the ingest does), in
  2 worker processes (as `veracity ingest` runs by default) and in 1. OCR of text-like
  images is off: it is not photo metadata (the corpus' text TIFFs would cost ~0.5 s each).

Each of ours runs as a fresh `python` process, so interpreter start-up and imports count as
ExifTool's Perl start-up does. Targets (issue 4): without the hash at least 3x ExifTool's files/s,
with it at least as fast.

Usage: python bench/extract_photos.py [--photos 400] [--size-mb 300] [--workers 2] [--repeat 2]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "exif-samples"
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".tif", ".tiff", ".heic", ".heif", ".png", ".webp", ".gif"}


def build_folder(target: Path, photos: int, size_mb: int) -> Path:
    """A folder holding only photos: the synthetic leak's, plus the real corpus when present."""
    from veracity.synth import SynthConfig, generate

    leak = target / "leak"
    generate(leak, SynthConfig(seed=1, photos=photos, size_bytes=size_mb * 10**6))
    folder = target / "photos"
    for source, name in ((leak, "synth"), (CORPUS, "corpus")):
        if not source.is_dir():
            print(f"note: {source} absent, skipped", file=sys.stderr)
            continue
        for path in sorted(source.rglob("*")):
            if "documents" in path.relative_to(source).parts:
                continue  # the leak's scans are documents, for OCR, not photos
            if path.is_file() and path.suffix.lower() in PHOTO_SUFFIXES:
                dest = folder / name / path.relative_to(source)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, dest)
    shutil.rmtree(leak)
    return folder


def _extract_one(args: tuple[str, str, bool]) -> str | None:
    from veracity.case import Limits
    from veracity.errors import ExtractError
    from veracity.extract.base import Item
    from veracity.extract.image import read_image

    path_text, scratch, with_hash = args
    path = Path(path_text)
    item = Item(path, path.name, "", path.stat().st_size, "", path.suffix[1:].lower(), 0,
                Path(scratch) / str(os.getpid()))  # fmt: skip
    limits = dataclasses.replace(Limits.from_settings(), ocr=0)  # photo metadata, not OCR
    try:
        result = read_image(item, limits, perceptual_hash=with_hash)
    except ExtractError as exc:
        return exc.kind
    return result.error_kind


def run_ours(folder: Path, workers: int, with_hash: bool) -> None:
    """The timed body of one of our runs (its own process): every photo, `workers` processes.

    Imports happen before the workers fork, as in `veracity ingest`; prints the files, the
    errors and the seconds spent after start-up.
    """
    import multiprocessing

    import imagehash  # noqa: F401 - imported before forking, as the ingest's workers have it

    import veracity.extract.image  # noqa: F401

    started = time.perf_counter()
    files = sorted(str(p) for p in folder.rglob("*") if p.is_file())
    with tempfile.TemporaryDirectory() as scratch:
        jobs = [(f, scratch, with_hash) for f in files]
        if workers == 1:
            kinds = [_extract_one(job) for job in jobs]
        else:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                kinds = list(pool.imap_unordered(_extract_one, jobs, chunksize=4))
    errors = sum(1 for k in kinds if k is not None)
    seconds = time.perf_counter() - started
    print(json.dumps({"files": len(files), "errors": errors, "seconds": seconds}))


def timed(cmd: list[str], repeat: int) -> tuple[float, float | None]:
    """Best wall-clock seconds of `cmd`, and the best seconds it reports itself (ours do)."""
    best, inner = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(cmd, check=True, capture_output=True, text=True)
        best = min(best, time.perf_counter() - started)
        if done.stdout.startswith("{"):
            seconds = json.loads(done.stdout)["seconds"]
            inner = seconds if inner is None else min(inner, seconds)
    return best, inner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=400)
    parser.add_argument("--size-mb", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--folder", type=Path, help="use this folder of photos instead")
    parser.add_argument("--run-ours", nargs=3, metavar=("FOLDER", "WORKERS", "HASH"),
                        help=argparse.SUPPRESS)  # fmt: skip
    args = parser.parse_args()
    if args.run_ours:
        folder, workers, with_hash = args.run_ours
        run_ours(Path(folder), int(workers), with_hash == "1")
        return
    if shutil.which("exiftool") is None:
        raise SystemExit("exiftool is not installed (Debian: libimage-exiftool-perl)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or build_folder(Path(tmp), args.photos, args.size_mb)
        files = [p for p in folder.rglob("*") if p.is_file()]
        size_mb = sum(p.stat().st_size for p in files) / 1e6
        print(f"{len(files)} photos, {size_mb:.0f} MB in {folder}")
        for path in files:  # warm the page cache for everybody
            path.read_bytes()
        peer, _ = timed(["exiftool", "-j", "-n", "-r", str(folder)], args.repeat)
        print(f"exiftool -j -n -r          {peer:6.2f} s  {len(files) / peer:7.0f} files/s")
        for with_hash in (False, True):
            for workers in sorted({args.workers, 1}, reverse=True):
                cmd = [sys.executable, __file__, "--run-ours", str(folder), str(workers),
                       "1" if with_hash else "0"]  # fmt: skip
                took, inner = timed(cmd, args.repeat)
                label = f"veracity {'+phash' if with_hash else 'no hash'}, {workers} proc"
                print(f"{label:26} {took:6.2f} s  {len(files) / took:7.0f} files/s"
                      f"  ratio {peer / took:5.2f}x exiftool"
                      f"  (after start-up: {inner or 0:.2f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
