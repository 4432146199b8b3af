"""`veracity synth`."""

from __future__ import annotations

import re
from pathlib import Path

import click

from veracity.cli._options import json_option
from veracity.cli._output import emit_object

_UNITS = {
    "": 1,
    "B": 1,
    "KB": 10**3,
    "MB": 10**6,
    "GB": 10**9,
    "TB": 10**12,
    "KIB": 2**10,
    "MIB": 2**20,
    "GIB": 2**30,
}


def parse_size(text: str) -> int:
    """'200MB', '10GB', '1.5GiB' or a number of bytes."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", text)
    if not match or match.group(2).upper() not in _UNITS:
        raise click.BadParameter(f"not a size: {text!r} (try 200MB or 10GB)")
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


@click.command("synth")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--people", type=click.IntRange(min=10), default=3000, show_default=True)
@click.option("--photos", type=click.IntRange(min=10), default=400, show_default=True)
@click.option("--documents", type=click.IntRange(min=5), default=40, show_default=True)
@click.option(
    "--size", "size", default=None, help="Total size to reach with bulk camera photos (e.g. 10GB)."
)
@click.option("--overwrite", is_flag=True, help="Replace OUT, OUT.truth.json and OUT.reference.")
@json_option
def synth_command(
    out: Path,
    seed: int,
    people: int,
    photos: int,
    documents: int,
    size: str | None,
    overwrite: bool,
    as_json: bool,
) -> None:
    """Write a synthetic leak to OUT, its ground truth to OUT.truth.json and reference
    material to OUT.reference/ (registers, detainee and camp photos, documents, anomalies)."""
    # imported here, not at the top: `veracity --help` and other commands stay fast
    from veracity.synth import SynthConfig, generate

    config = SynthConfig(
        seed=seed,
        people=people,
        photos=photos,
        documents=documents,
        size_bytes=parse_size(size) if size else None,
    )
    result = generate(out, config, overwrite=overwrite)
    summary = {
        "out": str(result.out),
        "truth": str(result.truth_path),
        "reference": str(result.reference),
        "files": result.files,
        "bytes": result.size_bytes,
        "anomalies": result.anomalies,
    }
    if as_json:
        emit_object(summary)
    else:
        click.echo(
            f"wrote {result.files} files ({result.size_bytes / 1e6:.1f} MB) to {result.out}, "
            f"{result.anomalies} planted anomalies; truth in {result.truth_path}"
        )
