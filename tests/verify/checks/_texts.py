"""Chinese documents written from the synthetic leak's templates, as plain text files."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from veracity.synth._texts import speech


def speech_text(seed: int) -> str:
    """A speech of the synthetic leak: stock phrases shared with every other speech."""
    doc = speech(random.Random(seed), "疏附县", date(2017, 11, 20))
    return "\n".join((doc.title, *(b for b in doc.blocks if isinstance(b, str))))


def write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
