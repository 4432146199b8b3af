"""Bulk filler for `veracity synth --size`: large, plausible camera photos until a byte budget.

Ingest benchmarks need leaks of many gigabytes, and the bytes must look like real photos:
camera EXIF and thumbnails, noisy content that does not compress to nothing, distinct enough
that a perceptual hash does not call them all duplicates. They carry no anomalies and are not
recorded one by one in the truth (only a count and total in `sections["bulk"]`).

Speed and memory: photos are made in a process pool, a few chunks in flight at a time. A
photo's bytes depend only on the seed and its index (`stream(seed, "bulk", str(index))` and the
noise tile of its fixed-size chunk), so the output does not depend on the number of workers or
on scheduling. The leak keeps the shortest prefix of indices whose sizes reach the budget;
photos made past it by chunks still in flight are deleted.
"""

from __future__ import annotations

import functools
import math
import multiprocessing
import os
import random
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image

from veracity.synth._common import SynthConfig, Truth, jpeg_bytes, set_times, stream
from veracity.synth._exif import (
    BEIJING_OFFSET,
    SITES,
    Camera,
    Shot,
    exif_bytes,
    file_name,
    make_cameras,
    near,
    thumbnail_jpeg,
)

FOLDER = "camp/archive"
CHUNK_PHOTOS = 4  # fixed: chunk boundaries decide which noise tile a photo uses
TILE = 512  # edge of the noise tile, in pixels; one tile per chunk
GRID = 16  # cells across a photo: enough for independent perceptual-hash bits
AMPLITUDES = (40, 50, 60)  # noise ranges; a few, so the lookup tables can be cached
#: One resolution per camera body, from a 12 MP to a 3 MP setting.
SIZES = ((4000, 3000), (3264, 2448), (2592, 1944), (2000, 1500))
ARCHIVE_START = datetime(2017, 1, 2, 8, 0, 0)
ARCHIVE_END = datetime(2018, 7, 31, 20, 0, 0)
#: Below the real average (~4 MB), so the estimated count is high and the timeline, spread over
#: the estimate, ends before ARCHIVE_END.
SMALL_PHOTO_BYTES = 2_000_000
FIRST_GUESS_BYTES = 4_000_000  # average size assumed until the first chunks report


@dataclass(frozen=True)
class _Plan:
    """Everything a worker needs, picklable: where, which cameras, how far apart in time."""

    root: Path
    seed: int
    cameras: tuple[Camera, ...]
    interval_s: float


@dataclass(frozen=True)
class _Written:
    path: Path
    size: int


def write_bulk_photos(out: Path, config: SynthConfig, truth: Truth, budget_bytes: int) -> int:
    """Add photos under `OUT/camp/archive/<yyyy-mm>/` until `budget_bytes`; return bytes kept.

    The total reaches the budget and overshoots it by less than the last photo's size.
    """
    rng = stream(config.seed, "bulk", "cameras")
    cameras = tuple(make_cameras(rng, 3))
    estimate = max(1, budget_bytes // SMALL_PHOTO_BYTES)
    interval_s = (ARCHIVE_END - ARCHIVE_START).total_seconds() / estimate
    plan = _Plan(out, config.seed, cameras, interval_s)
    kept = (
        _run(plan, budget_bytes, config.workers or os.cpu_count() or 1) if budget_bytes > 0 else []
    )
    total = sum(w.size for w in kept)
    truth.sections["bulk"] = {"folder": FOLDER, "count": len(kept), "bytes": total}
    return total


def _run(plan: _Plan, budget_bytes: int, workers: int) -> list[_Written]:
    """Submit chunks in index order, at most `2 * workers` in flight, until the budget is met."""
    in_flight: dict[Future[list[_Written]], int] = {}
    results: dict[int, list[_Written]] = {}
    kept: list[_Written] = []
    extra: list[_Written] = []  # past the budget; deleted once no worker writes any more
    total, next_chunk, accounted_chunk = 0, 0, 0
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        while total < budget_bytes:
            average = total / len(kept) if kept else FIRST_GUESS_BYTES
            pending = (next_chunk - accounted_chunk) * CHUNK_PHOTOS * average
            while len(in_flight) < 2 * workers and total + pending < budget_bytes:
                in_flight[pool.submit(_make_chunk, plan, next_chunk)] = next_chunk
                next_chunk += 1
                pending += CHUNK_PHOTOS * average
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                results[in_flight.pop(future)] = future.result()
            while accounted_chunk in results and total < budget_bytes:
                for written in results.pop(accounted_chunk):
                    if total < budget_bytes:
                        kept.append(written)
                        total += written.size
                    else:
                        extra.append(written)
                accounted_chunk += 1
        for future in in_flight:  # chunks past the budget: let them finish, then undo them
            future.cancel()
    for future in in_flight:
        if not future.cancelled():
            results[in_flight[future]] = future.result()
    for written in [*extra, *(w for chunk in results.values() for w in chunk)]:
        _discard(written)
    return kept


def _discard(written: _Written) -> None:
    """Remove a photo made past the budget, and its month folder if it is left empty."""
    written.path.unlink()
    folder = written.path.parent
    if not any(folder.iterdir()):
        folder.rmdir()


def _make_chunk(plan: _Plan, chunk: int) -> list[_Written]:
    """Worker: make and write the photos of one chunk; return their paths and sizes."""
    tile_rng = stream(plan.seed, "bulk", "tile", str(chunk))
    tile = Image.frombytes("L", (TILE, TILE), tile_rng.randbytes(TILE * TILE))
    written = []
    for index in range(chunk * CHUNK_PHOTOS, (chunk + 1) * CHUNK_PHOTOS):
        relative, data, when = _photo(plan, index, tile)
        path = plan.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        set_times(path, when)
        written.append(_Written(path, len(data)))
    return written


def _photo(plan: _Plan, index: int, tile: Image.Image) -> tuple[str, bytes, datetime]:
    """Photo `index`: camera `index % n`, its next file number, a time on the archive timeline."""
    rng = stream(plan.seed, "bulk", str(index))
    slot = index % len(plan.cameras)
    camera = plan.cameras[slot]
    width, height = SIZES[slot % len(SIZES)]
    jitter = rng.uniform(0, plan.interval_s / 2)  # < interval: each camera's times increase
    taken_at = ARCHIVE_START + timedelta(seconds=round(index * plan.interval_s + jitter))
    site = SITES[slot % len(SITES)]
    shot = Shot(
        taken_at, width, height, subsec=f"{rng.randrange(100):02d}",
        gps=near(rng, site, 300.0), gps_time=taken_at - BEIJING_OFFSET,
    )  # fmt: skip
    img = _noisy_picture(rng, tile, width, height)
    exif = exif_bytes(camera, shot, thumbnail_jpeg(img))
    data = jpeg_bytes(img, camera.quality, subsampling=camera.subsampling, exif=exif)
    name = file_name(camera, camera.first_number + index // len(plan.cameras) + 1)
    return f"{FOLDER}/{taken_at:%Y-%m}/{name}", data, taken_at


def _noisy_picture(rng: random.Random, tile: Image.Image, width: int, height: int) -> Image.Image:
    """A 16-cell-wide mosaic of luminance noise, each cell tinted its own colour.

    Each cell is a random crop of the chunk's noise tile, recoloured through cached lookup
    tables: ~3 ms per megapixel, against ~30 ms for `Image.effect_noise`. The cell colours
    follow a blend of four corner colours plus a large random shade per cell, so that every
    bit of an 8x8 perceptual hash is close to a coin toss and no two photos look alike to a
    near-duplicate check, while the noise keeps them from compressing to nothing.
    """
    amplitude = rng.choice(AMPLITUDES)
    corners = [[rng.randrange(90, 170) for _ in range(3)] for _ in range(4)]
    cell = math.ceil(width / GRID)
    cols, rows = GRID, math.ceil(height / cell)
    img = Image.new("RGB", (width, height))
    for row in range(rows):
        for col in range(cols):
            fx, fy = col / (cols - 1), row / max(1, rows - 1)
            weights = ((1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy)
            shade = rng.randrange(-45, 46)
            x, y = rng.randrange(TILE - cell), rng.randrange(TILE - cell)
            noise = tile.crop((x, y, x + cell, y + cell))
            bands = []
            for channel in range(3):
                blend = sum(w * c[channel] for w, c in zip(weights, corners, strict=True))
                base = min(255, max(0, round(blend) + shade + rng.randrange(-10, 11)))
                bands.append(noise.point(_lut(base, amplitude)))
            img.paste(Image.merge("RGB", bands), (col * cell, row * cell))
    return img


@functools.lru_cache(maxsize=len(AMPLITUDES) * 256)
def _lut(base: int, amplitude: int) -> list[int]:
    """Noise around `base`, `amplitude` wide: the table `Image.point` maps a noise tile with."""
    return [min(255, max(0, base + (v - 128) * amplitude // 255)) for v in range(256)]
