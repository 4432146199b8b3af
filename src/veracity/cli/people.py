"""`veracity people`: the people in the registers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import click

from veracity.case import Case, open_case
from veracity.cli._options import case_option, json_option
from veracity.cli._output import emit_lines, emit_object


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
        for book, sheet, kind in sheet_maps(case, store):
            yield {
                "path": book.paths[0],
                "paths": list(book.paths),
                "sha256": book.sha256,
                "sheet": sheet.sheet,
                "register": sheet.is_register and kind.kind != "not_people",
                "kind": kind.kind,
                "kind_how": kind.how,
                "kind_reasons": list(kind.reasons),
                "counted": kind.counted,
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
    """Per spreadsheet and sheet: the kind of list it is and why (residents, detainees, staff,
    students, other people, not people; only residents' and detainees' lists are counted), the
    header row used and the field guessed for each column, with how it was decided (header
    synonym, fuzzy header, content, or the case's columns.yaml).
    """
    rows = column_rows(case_dir)
    if as_json:
        emit_lines(rows)
        return
    for row in rows:
        counted = "counted" if row["counted"] else "not counted"
        how = "set by columns.yaml" if row["kind_how"] == "override" else "guessed"
        click.echo(
            f"{row['path']} [{row['sheet']}] header row {row['header_row']}: "
            f"{row['kind']} ({how}; {counted})"
        )
        if row["kind_reasons"]:
            click.echo(f"  why: {'; '.join(row['kind_reasons'])}")
        for col in row["columns"] if row["register"] else ():
            field = f"{col['field']} ({col['how']})" if col["field"] else "-"
            click.echo(f"  {col['column']:>3}  {col['header'] or '':<16} {field}")


@people_group.command("find")
@case_option
@json_option
@click.argument("text")
@click.option("--limit", default=20, show_default=True, help="At most this many persons.")
@click.option("--born", type=int, default=None, help="Year of birth, if known (±1 year).")
@click.option("--sex", type=click.Choice(["M", "F"], case_sensitive=False), default=None)
@click.option("--place", default=None, help="A place: region name (any script) or code digits.")
def find_command(
    case_dir: str,
    as_json: bool,
    text: str,
    limit: int,
    born: int | None,
    sex: str | None,
    place: str | None,
) -> None:
    """A person by name in any script (Chinese characters, Uyghur Latin, Arabic or Cyrillic
    script, pinyin, an English or Turkish spelling; full or one name) or by ID number or its
    first digits (at least 6). Always lists the nearest persons with their score and what
    matched; below the confidence bar the list is labelled and shows no photos."""
    from veracity.people.search import CONFIDENT, find

    rows = find(open_case(case_dir), text, limit=limit, born=born, sex=sex, place=place)
    if as_json:
        emit_lines(rows)
        return
    if not rows:
        if born is not None or sex or place:
            click.echo("no person near this name fits --born, --sex and --place")
        else:
            click.echo("no persons in this case match (is the case linked? run veracity ingest)")
        return
    if not any(row["confident"] for row in rows):
        click.echo(f"no confident match (score below {CONFIDENT:.2f}) — nearest records:")
    for row in rows:
        click.echo("\n".join(find_lines(row)))
    tied = sum(1 for row in rows if row["score"] == rows[0]["score"])
    if tied > 1 and rows[0]["confident"] and "id_number" not in rows[0]["matched"]:
        more = "or more " if tied == len(rows) == limit else ""
        click.echo(
            f"{tied} {more}persons bear this name equally: a name cannot tell them apart; "
            "--born, --sex or --place can"
        )


def find_lines(row: dict[str, Any]) -> Iterator[str]:
    """One person of `people find` for a reader: score, person, list kinds, what matched."""
    names = " / ".join(row["names"][:3])
    kinds = ", ".join(row["kinds"]) or "unknown list"
    photos = f", {len(row['photos'])} photos" if row["confident"] else ""
    yield (
        f"{row['score']:.2f}  {row['person_id']:<16} {row['id_number'] or '-':<18} "
        f"{row['birth_date'] or '-':<10} {row['sex'] or '-'}  {names}  "
        f"[{kinds}] ({len(row['records'])} records{photos})"
    )
    matched = row["matched"]
    parts = [
        f"{name} {part['query']!r} {part['similarity']:.2f}"
        for name in ("given", "father")
        if isinstance(part := matched.get(name), dict)
    ]
    fields = [
        f"{name} {'agrees' if value else 'unknown' if value is None else 'differs'}"
        for name, value in matched.items()
        if name in ("born", "sex", "place")
    ]
    if matched.get("id_number"):
        parts.append("ID number")
    order = f" ({matched['order']})" if matched.get("order") not in (None, "as written") else ""
    yield "      matched: " + "; ".join(parts + fields) + order


@people_group.command("show")
@case_option
@json_option
@click.argument("person_id")
def show_command(case_dir: str, as_json: bool, person_id: str) -> None:
    """One person: every record with its path and locator, photos, events in date order
    (detention, place, sentence) and the findings about their records."""
    from veracity.people.search import show

    person = show(open_case(case_dir), person_id)
    if as_json:
        emit_object(person)
        return
    for line in show_lines(person):
        click.echo(line)


def show_lines(person: dict[str, Any]) -> Iterator[str]:
    """`people show` for a reader: the person, then records, photos, events and findings."""
    yield f"{person['person_id']}  {' / '.join(person['names']) or '(no name)'}"
    yield f"  ID {person['id_number'] or '-'}  born {person['birth_date'] or '-'}  " + (
        f"sex {person['sex'] or '-'}"
    )
    yield f"records ({len(person['records'])}):"
    for record in person["records"]:
        where = f"[{record['locator']['sheet']}] row {record['locator']['row']}"
        kind = record.get("register_kind") or "unknown list"
        for path in record["paths"]:
            yield (
                f"  {path} {where} [{kind}]: {record['name_raw'] or '-'}, "
                f"ID {record['id_raw'] or '-'}"
            )
    yield f"photos ({len(person['photos'])}):"
    for photo in person["photos"]:
        yield f"  {photo['path']} ({photo['how']})"
    yield f"events ({len(person['events'])}):"
    for event in person["events"]:
        detail = {k: v for k, v in event.items() if k not in ("kind", "date", "sources") and v}
        yield f"  {event['date'] or 'undated'}  {event['kind']}  " + ", ".join(
            f"{k}: {v}" for k, v in detail.items()
        )
    yield f"findings ({len(person['findings'])}):"
    for finding in person["findings"]:
        where = f"{finding['check']}  {finding['path']}"
        yield f"  {finding['severity']}  {where}: {finding['message']}"


@people_group.command("merge")
@case_option
@json_option
@click.argument("person_a")
@click.argument("person_b")
@click.option("--note", default=None, help="Why (kept with the decision).")
def merge_command(
    case_dir: str, as_json: bool, person_a: str, person_b: str, note: str | None
) -> None:
    """Make two persons one (the decision survives re-ingest), and link again."""
    from veracity.people.decisions import merge_persons

    case = open_case(case_dir)
    figures = merge_persons(case, person_a, person_b, note)
    _reindex_persons(case)
    if as_json:
        emit_object(figures)
    else:
        click.echo(f"merged; {figures.get('persons')} persons after linking again")


@people_group.command("split")
@case_option
@json_option
@click.argument("person_id")
@click.option("--sheet", required=True, help="The record's sheet.")
@click.option("--row", type=int, required=True, help="The record's row, as Excel numbers it.")
@click.option("--path", default=None, help="The register's path, when sheet and row are ambiguous.")
@click.option("--note", default=None, help="Why (kept with the decision).")
def split_command(
    case_dir: str,
    as_json: bool,
    person_id: str,
    sheet: str,
    row: int,
    path: str | None,
    note: str | None,
) -> None:
    """Take one record off a person (never to be linked back), and link again."""
    from veracity.people.decisions import split_record

    case = open_case(case_dir)
    figures = split_record(case, person_id, sheet, row, path, note)
    _reindex_persons(case)
    if as_json:
        emit_object(figures)
    else:
        click.echo(f"split; {figures.get('persons')} persons after linking again")


def _reindex_persons(case: Case) -> None:
    """After a merge or split the persons changed: the search index follows at once."""
    from veracity.search import index_dir, update_index
    from veracity.store import open_store

    if not index_dir(case).exists():
        return
    store = open_store(case)
    try:
        update_index(case, store)
    finally:
        store.close()
