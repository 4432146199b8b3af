"""What extractors return beyond text: pages, sheet rows, derived files, located members."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import paths_of, run_ingest
from veracity.case import Case, Limits, open_case
from veracity.extract import Child, Extraction, Extractor, Item, Page, derive, registry
from veracity.store import open_store
from veracity.store._migrations import LATEST


class _Register(Extractor):
    """Stands in for a spreadsheet reader: 5000 rows, one page a sheet, a photo on row 3."""

    NAME = "fake_register"

    @classmethod
    def match(cls, item: Item) -> int:
        return 9 if item.extension == "reg" else -1

    def extract(self, item: Item, limits: Limits) -> Extraction:
        item.scratch.mkdir(parents=True, exist_ok=True)
        rows_file = item.scratch / "rows.jsonl"
        with open(rows_file, "w", encoding="utf-8") as fh:
            for n in range(1, 5001):
                fh.write(json.dumps({"sheet": "名单", "row": n, "cells": ["姓名", n, None]}) + "\n")
        photo = item.scratch / "photo.bin"
        photo.write_text("photo bytes")
        thumb = derive(item, "thumbnails", b"thumbnail bytes", ".jpg")
        return Extraction(
            text="名单",
            pages=(Page("sheet", 1, "名单 text"), Page("sheet", 2, "second")),
            rows_file=rows_file,
            derived=(thumb,),
            children=(
                Child("xl/media/image1.png", photo, 11, locator={"sheet": "名单", "row": 3}),
            ),
            metadata={"thumbnail_sha256": thumb.sha256},
            language="zh",
        )


@pytest.fixture
def fake_register(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "EXTRACTORS", (_Register, *registry.EXTRACTORS))


@pytest.mark.usefixtures("fake_register")
def test_pages_rows_derived_and_located_members_reach_the_case(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "village.reg").write_text("register")
    case = make_case()
    run_ingest(case, src)
    rows = paths_of(case)
    sha = rows["village.reg"]["sha256"]
    assert rows["village.reg"]["language"] == "zh"
    member = rows["village.reg!/xl/media/image1.png"]
    assert json.loads(member["locator"]) == {"sheet": "名单", "row": 3}
    store = open_store(case, migrate=False)
    try:
        read = list(store.iter_rows(sha))
        assert len(read) == 5000 and read[2] == ("名单", 3, ["姓名", 3, None])
        assert store.pages_of(sha) == [("sheet", 1, "名单 text"), ("sheet", 2, "second")]
    finally:
        store.close()
    thumb = json.loads(rows["village.reg"]["metadata"])["thumbnail_sha256"]
    assert (case.derived_dir / "thumbnails" / f"{thumb}.jpg").read_bytes() == b"thumbnail bytes"
    assert not any((case.root / "tmp").iterdir()) if (case.root / "tmp").exists() else True


def test_a_case_from_the_first_schema_is_migrated(tmp_path: Path) -> None:
    case_dir = tmp_path / "old"
    case_dir.mkdir()
    with sqlite3.connect(case_dir / "case.db") as conn:
        conn.executescript(
            """
            create table schema_version (version integer primary key, name varchar(200) not null);
            insert into schema_version values (1, 'initial');
            create table sources (id integer primary key, root text not null unique);
            create table files (sha256 varchar(64) primary key, size bigint not null,
                mime varchar(200) not null, magic text not null);
            create table paths (source_id integer, path text, sha256 varchar(64), parent text,
                claimed_mime varchar(200), size bigint, mtime_ns bigint,
                member_modified varchar(32), error_kind varchar(40), error text,
                primary key (source_id, path));
            create table extractions (sha256 varchar(64) primary key, extractor varchar(60),
                version varchar(20), status varchar(20), error_kind varchar(40), error text,
                metadata text, raw text, text text);
            create table findings (id integer primary key, "check" varchar(80),
                severity varchar(10), path text, locator text, message text, evidence text);
            create table runs (id integer primary key, command varchar(40), started_at varchar(32),
                finished_at varchar(32), summary text);
            """
        )
    store = open_store(open_case(case_dir))
    assert store.schema_version() == LATEST
    store.close()
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("text")
    done = subprocess.run(
        [sys.executable, "-m", "veracity", "ingest", str(src), "--case", str(case_dir), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
