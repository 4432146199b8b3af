"""Register status words (正常, 教培, 收押…) mapped to the categories a story counts.

The mapping is data (`data/status_categories.yaml`) because every prefecture wrote its own
words; a case adds its own in `CASE/status_categories.yaml`, merged over the shipped table so a
journalist can settle a word without touching the package. Words that neither table knows are
reported, never dropped: an unknown word may be a detention nobody has counted yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from veracity.errors import UsageError
from veracity.yamlfile import read_user_yaml

OVERRIDE_FILE = "status_categories.yaml"

#: The categories a status word may map to, in the order figures list them.
CATEGORIES = (
    "normal",
    "education_camp",
    "custody",  # held by police or a detention centre, before any sentence
    "sentenced",
    "released",
    "deceased",
    "absent",
)


def _parse(data: Any, source: str) -> dict[str, str]:
    """word -> category from one table; a malformed table is a clear one-line error."""
    if not isinstance(data, dict) or not isinstance(data.get("categories"), dict):
        raise UsageError(f"{source}: expected a mapping under 'categories'")
    out: dict[str, str] = {}
    for category, words in data["categories"].items():
        if category not in CATEGORIES:
            raise UsageError(
                f"{source}: unknown category {category!r} (one of {', '.join(CATEGORIES)})"
            )
        if not isinstance(words, list) or not all(isinstance(w, str | int) for w in words):
            raise UsageError(f"{source}: category {category!r} must list status words")
        for word in words:
            key = str(word).strip()
            if key in out:
                where = "twice" if out[key] == category else f"under {out[key]} and {category}"
                raise UsageError(f"{source}: {key!r} is listed {where}")
            out[key] = category
    return out


def shipped_table() -> dict[str, str]:
    """The package's own word -> category table."""
    text = resources.files("veracity.analyze").joinpath("data", OVERRIDE_FILE).read_text("utf-8")
    return _parse(yaml.safe_load(text), f"veracity/analyze/data/{OVERRIDE_FILE}")


def load_table(case_root: Path) -> Mapping[str, str]:
    """The shipped table with the case's `status_categories.yaml` merged over it."""
    table = shipped_table()
    path = case_root / OVERRIDE_FILE
    if path.exists():
        table.update(_parse(read_user_yaml(path, OVERRIDE_FILE), str(path)))
    return table
