"""What every part of the synthetic leak generator shares: settings, randomness, truth, helpers.

Determinism is the contract here: the same seed must give the same bytes. Every part draws from
its own named random stream (`stream(seed, "photos")`), so adding a draw in one part does not
shift another part's output, and every timestamp a library would take from the clock is given
explicitly instead (`FIXED_NOW`, `normalize_zip`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

#: Where the leak "was taken": no file in the leak is newer than this.
FIXED_NOW = datetime(2018, 8, 15, 9, 30, 0)

#: A CJK font from Debian's fonts-wqy-microhei (installed by `make` and `.ci/run`), used to
#: draw Chinese text into scanned pages and labels. Looked up here only, so one place says why.
CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


@dataclass(frozen=True)
class SynthConfig:
    """How large a leak to make. `size_bytes`, when set, adds bulk photos until reached."""

    seed: int = 1
    people: int = 3000
    photos: int = 400
    documents: int = 40
    size_bytes: int | None = None
    workers: int = 0  # 0: all cores


@dataclass(frozen=True)
class Anomaly:
    """One planted defect: where it is and what kind, so a check can be scored against it."""

    path: str
    locator: dict[str, Any] | None
    kind: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Truth:
    """The ground truth written to `OUT.truth.json`, beside (never inside) the leak."""

    seed: int
    anomalies: list[Anomaly] = field(default_factory=list)
    #: free-form sections filled by the parts: "people", "same_person", "stats",
    #: "name_queries", "files", "reference", "sheets", "staff", "students", …
    sections: dict[str, Any] = field(default_factory=dict)

    def add(self, path: str, locator: dict[str, Any] | None, kind: str, **detail: Any) -> None:
        self.anomalies.append(Anomaly(path, locator, kind, detail))

    def to_json(self) -> str:
        body = {
            "seed": self.seed,
            "anomalies": sorted(
                (asdict(a) for a in self.anomalies),
                key=lambda a: (a["path"], json.dumps(a["locator"], sort_keys=True), a["kind"]),
            ),
            **self.sections,
        }
        return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True, default=str)


def stream(seed: int, *name: str) -> random.Random:
    """An independent random stream for one part of the leak (stable across Python versions)."""
    digest = hashlib.sha256(":".join([str(seed), *name]).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def cjk_font(size: int) -> ImageFont.FreeTypeFont:
    """A font that can draw Chinese; a clear error when the Debian font package is missing."""
    for candidate in CJK_FONT_CANDIDATES:
        if os.path.exists(candidate):
            return ImageFont.truetype(candidate, size)
    raise RuntimeError(
        "no CJK font found: install Debian's fonts-wqy-microhei (make does this for you)"
    )


def noise_image(rng: random.Random, width: int, height: int, spread: int) -> Image.Image:
    """Grey grain around 128 (±`spread`) drawn from `rng`.

    Not `Image.effect_noise`: that reads the C library's `rand()`, whose state carries over
    between calls, so the same seed gave different pixels on a second run in one process.
    """
    grain = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    return grain.point(lambda v: 128 + (v - 128) * spread // 128)


def abstract_image(rng: random.Random, width: int, height: int, label: str = "") -> Image.Image:
    """A gradient with noise and a short label: never a face, never a depiction of a person."""
    base = Image.linear_gradient("L").resize((width, height))
    tint = tuple(rng.randrange(40, 220) for _ in range(3))
    other = tuple(rng.randrange(40, 220) for _ in range(3))
    img = Image.merge(
        "RGB",
        [
            base.point(lambda v, a=a, b=b: a + (b - a) * v // 255)
            for a, b in zip(tint, other, strict=True)
        ],
    )
    noise = noise_image(rng, width, height, rng.randrange(10, 40)).convert("RGB")
    img = Image.blend(img, noise, 0.25)
    if label:
        draw = ImageDraw.Draw(img)
        size = max(10, min(width, height) // 10)
        draw.text((size // 2, size // 2), label, fill=(255, 255, 255), font=cjk_font(size))
    return img


def jpeg_bytes(img: Image.Image, quality: int = 85, **save_args: Any) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, **save_args)
    return buf.getvalue()


def set_times(path: Path, when: datetime) -> None:
    """Give a leak file a plausible modification time instead of 'now' (deterministic too)."""
    ts = when.timestamp()
    os.utime(path, (ts, ts))


def normalize_zip(path: Path, when: datetime) -> None:
    """Rewrite a zip-based file (docx, pptx, xlsx, zip) with every member dated `when`.

    Office libraries stamp zip members with the current clock; rewriting them keeps the output
    byte-identical for a seed and makes the members' dates agree with the document's story.
    """
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            fresh = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fresh.compress_type = info.compress_type
            fresh.external_attr = info.external_attr
            dst.writestr(fresh, data)
    path.write_bytes(buf.getvalue())


def truth_path(out: Path) -> Path:
    """`OUT.truth.json`: beside the leak, never inside it."""
    return out.parent / f"{out.name}.truth.json"


def reference_path(out: Path) -> Path:
    """`OUT.reference/`: the "earlier published" material, outside the leak."""
    return out.parent / f"{out.name}.reference"


def relpath(root: Path, path: Path) -> str:
    """The contract's path form: relative to the leak root, '/'-separated."""
    return path.relative_to(root).as_posix()
