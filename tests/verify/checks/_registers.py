"""A tiny hand-made register (one CSV) ingested into a case, and a check run over it."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.conftest import run_ingest
from veracity.case import Case
from veracity.store import open_store
from veracity.verify import Check, Finding
from veracity.verify.view import CaseView

HEADER = ("姓名", "身份证号", "性别", "出生日期", "收押日期")
Row = Sequence[str]


def write_register(folder: Path, rows: Sequence[Row], name: str = "名单.csv") -> Path:
    """A CSV register with `HEADER` and `rows` (missing trailing cells are left empty)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows([*row, *[""] * (len(HEADER) - len(row))] for row in rows)
    return path


def run_on_rows(
    make_case: Callable[..., Case], folder: Path, rows: Sequence[Row], check: Check
) -> list[Finding]:
    """Ingest a register of `rows` into a new case and return what `check` finds in it."""
    write_register(folder, rows)
    case = make_case()
    run_ingest(case, folder)
    store = open_store(case, migrate=False)
    try:
        return list(check.run(CaseView(case, store)))
    finally:
        store.close()


def row_of(finding: Finding) -> int:
    """The register row a finding points at (register findings always have a locator)."""
    assert finding.locator is not None
    return int(finding.locator["row"])
