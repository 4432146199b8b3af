"""`veracity synth`: a synthetic leak shaped like the Xinjiang Police Files, with its truth.

The leak goes to `OUT/`, the ground truth to `OUT.truth.json` and the "earlier published"
reference material to `OUT.reference/` — both beside the leak, never inside it, so an ingest
of `OUT` sees only what a reporter would receive.

Order matters only through the population: every part draws the same people, and each part has
its own random stream, so the result is byte-identical for a seed.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from veracity.errors import UsageError
from veracity.synth._common import SynthConfig, Truth, reference_path, truth_path
from veracity.synth.bulk import write_bulk_photos
from veracity.synth.documents import write_documents
from veracity.synth.photos import (
    write_camp_photos,
    write_detainee_photos,
    write_reference_photos,
)
from veracity.synth.population import generate_population
from veracity.synth.registers import write_registers
from veracity.synth.workbooks import write_workbooks

__all__ = ["SynthConfig", "SynthResult", "Truth", "generate", "reference_path", "truth_path"]


@dataclass(frozen=True)
class SynthResult:
    out: Path
    truth_path: Path
    reference: Path
    files: int
    size_bytes: int
    anomalies: int


def _size_of(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def generate(out: Path, config: SynthConfig, *, overwrite: bool = False) -> SynthResult:
    """Write the leak, its reference folder and its truth; refuse to mix with old output."""
    out = Path(out)
    targets = (out, reference_path(out), truth_path(out))
    if any(t.exists() for t in targets):
        if not overwrite:
            raise UsageError(f"{out} (or its .truth.json / .reference) exists: use --overwrite")
        for t in targets:
            if t.is_dir():
                shutil.rmtree(t)
            elif t.exists():
                t.unlink()
    out.mkdir(parents=True)
    reference_path(out).mkdir()
    truth = Truth(seed=config.seed)
    people = generate_population(config, truth)
    write_registers(out, people, config, truth)
    write_workbooks(out, people, config, truth)
    leak_photos = write_detainee_photos(out, people, config, truth)
    leak_photos += write_camp_photos(out, config, truth)
    write_reference_photos(out, leak_photos, config, truth)
    write_documents(out, people, config, truth)
    files, size = _size_of(out)
    if config.size_bytes is not None and config.size_bytes > size:
        write_bulk_photos(out, config, truth, config.size_bytes - size)
        files, size = _size_of(out)
    truth.sections["leak"] = {"files": files, "bytes": size}
    truth_path(out).write_text(truth.to_json(), encoding="utf-8")
    return SynthResult(out, truth_path(out), reference_path(out), files, size, len(truth.anomalies))
