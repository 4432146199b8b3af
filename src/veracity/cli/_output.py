"""All command output goes through here: JSON Lines for machines, short text for people."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import click


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=False, default=str)


def emit_lines(rows: Iterable[dict[str, Any]]) -> int:
    """JSON Lines on stdout; returns how many."""
    n = 0
    for row in rows:
        click.echo(dumps(row))
        n += 1
    return n


def emit_object(obj: dict[str, Any]) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))
