"""One tiny case for every export test: two registers, a photo, a finding (built once)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import run_ingest
from veracity.case import Case, open_case
from veracity.store import open_store

#: A Chinese-written Uyghur name that every format must carry through unchanged.
NAME = "阿卜杜热合曼·艾山"
ID = "653121198503120010"


def write_source(src: Path) -> None:
    (src / "photos").mkdir(parents=True)
    (src / "名单.csv").write_text(
        "姓名,身份证号,性别,羁押时间,羁押地点\n"
        f"{NAME},{ID},男,2017-05-02,看守所\n"
        "古丽·艾山,653121199007010280,女,,\n",
        encoding="utf-8",
    )
    (src / "在押人员.csv").write_text(
        f"姓名,身份证号,状态\n{NAME},{ID},收押\n买买提·吐尔逊,65312119700101001X,正常\n",
        encoding="utf-8",
    )
    Image.new("RGB", (16, 16), "gray").save(src / "photos" / f"20180312_101010_{ID}.jpg")


def build_case(root: Path) -> Path:
    """Ingest the tiny source under `root` and add one finding; the case's folder."""
    write_source(root / "src")
    case = open_case(root / "case", create=True)
    run_ingest(case, root / "src", workers=1)
    store = open_store(case, migrate=False)
    try:
        finding = {
            "severity": "warning",
            "path": "名单.csv",
            "locator": {"sheet": "名单.csv", "row": 2},
            "message": f"{NAME}: test finding",
            "evidence": {"名": NAME},
        }
        store.replace_findings("test_check", [finding])
    finally:
        store.close()
    return case.root


@pytest.fixture(scope="session")
def export_case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built case's folder; tests export into their own folders, never into it."""
    return build_case(tmp_path_factory.mktemp("export"))


@pytest.fixture
def built(export_case_dir: Path) -> Case:
    return open_case(export_case_dir)


def counts(case: Case) -> dict[str, int]:
    """Rows per exported table, counted straight from the store."""
    store = open_store(case, migrate=False)
    try:
        return {
            "persons": sum(1 for _ in store.iter_person_rows()),
            "records": store.count_records(),
            "files": sum(1 for _ in store.iter_paths()),
            "findings": sum(1 for _ in store.iter_findings()),
        }
    finally:
        store.close()
