"""`veracity people`: the people in the registers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import click

from veracity.case import open_case
from veracity.cli._options import case_option, json_option
from veracity.cli._output import emit_lines


@click.group("people")
def people_group() -> None:
    """The people in the registers: how the registers were read."""


def column_rows(case_dir: str) -> Iterator[dict[str, Any]]:
    """One object per sheet of every spreadsheet: header row and each column's guessed field."""
    from veracity.people.records import sheet_maps
    from veracity.store import open_store

    case = open_case(case_dir)
    store = open_store(case, migrate=False)
    try:
        for book, sheet in sheet_maps(case, store):
            yield {
                "path": book.paths[0],
                "paths": list(book.paths),
                "sha256": book.sha256,
                "sheet": sheet.sheet,
                "register": sheet.is_register,
                "header_row": sheet.header_row,
                "columns": [
                    {"column": c.letter, "header": c.header, "field": c.field, "how": c.how}
                    for c in sheet.columns
                ],
            }
    finally:
        store.close()


@people_group.command("columns")
@case_option
@json_option
def columns_command(case_dir: str, as_json: bool) -> None:
    """Per spreadsheet and sheet: the header row used and the field guessed for each column,
    with how it was decided (header synonym, fuzzy header, content, or the case's columns.yaml).
    """
    rows = column_rows(case_dir)
    if as_json:
        emit_lines(rows)
        return
    for row in rows:
        kind = "register" if row["register"] else "not a register"
        click.echo(f"{row['path']} [{row['sheet']}] header row {row['header_row']}: {kind}")
        for col in row["columns"] if row["register"] else ():
            field = f"{col['field']} ({col['how']})" if col["field"] else "-"
            click.echo(f"  {col['column']:>3}  {col['header'] or '':<16} {field}")
