"""The summary an ingest ends with, for people."""

from __future__ import annotations

from typing import Any


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1000
    return f"{n:.1f} TB"


def format_summary(summary: dict[str, Any]) -> str:
    run, case = summary["run"], summary["case"]
    lines = [
        f"read {run['read']} files ({_size(run['bytes_read'])}) in {summary['seconds']:.1f} s"
        f" — {run['skipped_unchanged']} unchanged skipped, {run['failed']} failed",
        f"case: {case['paths']} paths, {case['files']} distinct files, {_size(case['bytes'])},"
        f" {case['duplicates']} duplicates, {case['errors']} with errors",
    ]
    found = case.get("extraction")
    if found:
        langs = ", ".join(f"{k} {v}" for k, v in list(found["languages"].items())[:6]) or "-"
        lines += [
            f"extracted: {found['rows']} spreadsheet rows, {found['pages']} pages/slides/sheets"
            f" ({found['ocr_pages']} by OCR), {found['photos_with_gps']} photos with GPS,"
            f" {found['thumbnails']} EXIF thumbnails kept, {found['located_members']} pictures"
            " located in their row or slide",
            f"languages: {langs}",
        ]
    people = summary.get("people")
    if people:
        lines.append(
            f"people: {people.get('records', 0)} person records from"
            f" {people.get('registers', 0)} register sheets, {people.get('persons', 0)} persons"
        )
        kinds = people.get("kinds") or {}
        if kinds:  # what lists they are; only residents' and detainee lists are counted
            listed = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
            lines.append(f"lists of people by kind: {listed} (veracity people columns)")
    lines.append("by type:")
    lines += [f"  {count:>8}  {mime}" for mime, count in list(case["by_type"].items())[:15]]
    return "\n".join(lines)
