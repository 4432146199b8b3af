"""`veracity files`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import click

from veracity.case import open_case
from veracity.cli._options import case_option, json_option
from veracity.cli._output import emit_lines
from veracity.kinds import kind_of
from veracity.store import open_store


def file_rows(case_dir: str) -> Iterator[dict[str, Any]]:
    """The contract's row per path: what it is, where it came from, what was read from it."""
    store = open_store(open_case(case_dir), migrate=False)
    try:
        for row in store.iter_paths():
            error = None
            if row["error_kind"]:
                error = {"kind": row["error_kind"], "message": row["error"]}
            elif row["status"] == "failed":
                error = {"kind": row["x_error_kind"], "message": row["x_error"]}
            metadata = json.loads(row["metadata"]) if row["metadata"] else {}
            yield {
                "path": row["path"],
                "sha256": row["sha256"],
                "size": row["size"],
                "mime": row["mime"],
                "claimed_mime": row["claimed_mime"],
                "parent": row["parent"],
                "error": error,
                "extractor": row["extractor"],
                "kind": kind_of(row["extractor"], row["mime"], metadata),
                "status": row["status"],
                "member_modified": row["member_modified"],
                "locator": json.loads(row["locator"]) if row["locator"] else None,
                "language": row["language"],
                "metadata": metadata,
                "raw": json.loads(row["raw"]) if row["raw"] else {},
            }
    finally:
        store.close()


@click.command("files")
@case_option
@json_option
def files_command(case_dir: str, as_json: bool) -> None:
    """Every path ingested, with its hash, type, parent archive and any error."""
    rows = file_rows(case_dir)
    if as_json:
        emit_lines(rows)
        return
    for row in rows:
        flag = f"  ! {row['error']['kind']}: {row['error']['message']}" if row["error"] else ""
        sha = (row["sha256"] or "-")[:12]
        click.echo(f"{sha}  {row['size'] or 0:>12}  {row['mime'] or '-':<40} {row['path']}{flag}")
