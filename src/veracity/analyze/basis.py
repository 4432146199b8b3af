"""What each figure rests on: which registers, which of their columns, and which were guessed.

A figure quoted in a newspaper must say where it comes from. Every sheet the people stage read
is in the `registers` table with its kind of list (and why), and the field of each column (and
how it was decided). This module turns that into the `basis` of `veracity stats`: per figure,
the registers it was counted from and the columns it read, every guess among them flagged (a
kind decided from a single sign, a column mapped from a longer header rather than a listed
one), and the lists that were left out because they are not detention or population lists.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from veracity.store import COUNTED_KINDS, POPULATION_KINDS, RegisterSheet, Store

__all__ = ["FIGURE_FIELDS", "figure_basis"]

#: the figures whose basis is listed, and the register fields each reads
FIGURE_FIELDS: Mapping[str, tuple[str, ...]] = {
    "detained": ("detention_start",),
    "detained_adult_share": ("birth_date", "detention_start"),
    "status": ("status",),
    "detentions_by.place": ("place",),
    "sentences": ("sentence", "reason"),
}
_FIRM_HOWS = ("header", "override")
_FIRM_SIGNS = 2  # a kind guessed from fewer signs than this is flagged


def _register_entry(sheet: RegisterSheet, path: str) -> dict[str, Any]:
    fields = {
        str(c["field"]): {"column": c["column"], "header": c["header"], "how": c["how"]}
        for c in sheet.columns
        if c.get("field")
    }
    guesses = []
    if sheet.kind_how == "guess" and len(sheet.kind_reasons) < _FIRM_SIGNS:
        why = "; ".join(sheet.kind_reasons) or "no sign"
        guesses.append(f"kind {sheet.kind!r} guessed from one sign ({why})")
    wanted = {f for names in FIGURE_FIELDS.values() for f in names}
    for name in sorted(wanted & set(fields)):
        column = fields[name]
        if column["how"] not in _FIRM_HOWS:
            guesses.append(
                f"column {column['column']} {column['header']!r} taken for {name} "
                f"by {column['how']} match"
            )
    return {
        "path": path,
        "sheet": sheet.sheet,
        "kind": sheet.kind,
        "kind_how": sheet.kind_how,
        "kind_reasons": list(sheet.kind_reasons),
        "records": sheet.records,
        "counted": sheet.kind in COUNTED_KINDS,
        "population": sheet.kind in POPULATION_KINDS,
        "fields": fields,
        "guesses": guesses,
    }


def _figure(
    entries: Sequence[dict[str, Any]], names: tuple[str, ...], kinds: tuple[str, ...]
) -> dict[str, Any]:
    used = [e for e in entries if e["kind"] in kinds and any(n in e["fields"] for n in names)]
    return {
        "registers": len(used),
        "records": sum(e["records"] for e in used),
        "by_kind": dict(Counter(e["kind"] for e in used)),
        "fields": list(names),
        "guesses": [f"{e['path']} [{e['sheet']}]: {g}" for e in used for g in e["guesses"]],
    }


def figure_basis(store: Store) -> dict[str, Any]:
    """The `basis` object of `veracity stats` (see the module)."""
    sheets = list(store.iter_registers())
    paths = store.first_paths(sorted({s.sha256 for s in sheets}))
    entries = [_register_entry(s, paths.get(s.sha256, s.sha256)) for s in sheets]
    entries.sort(key=lambda e: (e["path"], e["sheet"]))
    figures = {
        name: _figure(
            entries, names, POPULATION_KINDS if name == "detained_adult_share" else COUNTED_KINDS
        )
        for name, names in FIGURE_FIELDS.items()
    }
    left_out: dict[str, dict[str, int]] = {}
    for entry in entries:
        if not entry["counted"]:
            tally = left_out.setdefault(entry["kind"], {"registers": 0, "records": 0})
            tally["registers"] += 1
            tally["records"] += entry["records"]
    return {
        "counted_kinds": list(COUNTED_KINDS),
        "population_kinds": list(POPULATION_KINDS),
        "figures": figures,
        "left_out": left_out,
        "registers": entries,
    }
