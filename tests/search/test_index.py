"""The index is built by ingest and kept in step with it, touching only what changed."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from tests.conftest import run_ingest
from tests.search.conftest import hit_paths, searching, write_files
from veracity.case import Case, open_case
from veracity.people.decisions import merge_persons
from veracity.people.search import find
from veracity.search import index_dir, update_index
from veracity.store import open_store

FILES: dict[str, str | bytes] = {
    "通知/a.txt": "关于加强教培中心管理的通知\n喀什地区各县市\n",
    "讲话/b.txt": "在政法工作会议上的讲话 Kashgar\n",
}


def _case(tmp_path: Path) -> tuple[Case, Path]:
    src = write_files(tmp_path / "src", dict(FILES))
    case = open_case(tmp_path / "case", create=True)
    return case, src


def test_ingest_builds_the_index(tmp_path: Path) -> None:
    case, src = _case(tmp_path)
    summary = run_ingest(case, src, workers=1)
    assert summary["search"]["contents"] == 2
    assert summary["search"]["index_units"] >= 2
    assert index_dir(case).is_dir()
    assert hit_paths(case, "教培") == ["通知/a.txt"]
    assert hit_paths(case, "kashgar") == ["讲话/b.txt"]


def test_re_ingest_indexes_nothing(tmp_path: Path) -> None:
    case, src = _case(tmp_path)
    first = run_ingest(case, src, workers=1)["search"]
    again = run_ingest(case, src, workers=1)["search"]
    assert again["contents"] == 0 and again["units"] == 0
    assert not again["persons_reindexed"]
    assert again["index_units"] == first["index_units"]


def test_a_new_file_is_indexed_by_the_next_ingest(tmp_path: Path) -> None:
    case, src = _case(tmp_path)
    run_ingest(case, src, workers=1)
    assert hit_paths(case, "收押人员") == []
    write_files(src, {"通知/c.txt": "关于报送收押人员统计数据的通知\n"})
    again = run_ingest(case, src, workers=1)["search"]
    assert again["contents"] == 1
    assert hit_paths(case, "收押人员") == ["通知/c.txt"]
    assert hit_paths(case, "教培") == ["通知/a.txt"]  # the others are still there, once


def test_a_content_at_a_new_path_is_found_by_that_path(tmp_path: Path) -> None:
    case, src = _case(tmp_path)
    run_ingest(case, src, workers=1)
    (src / "copies" / "2018").mkdir(parents=True)
    shutil.copy(src / "通知" / "a.txt", src / "copies" / "2018" / "a-copy.txt")
    again = run_ingest(case, src, workers=1)["search"]
    assert again["contents"] == 1  # same content, one more path: its units are redone
    with searching(case) as search:
        hits = list(search.iter_hits("path:copies 教培"))
        assert len(hits) == 1
        assert set(hits[0].paths) == {"通知/a.txt", "copies/2018/a-copy.txt"}
        assert search.count("教培") == 1  # one content, one hit, whatever its paths
        assert search.count("folder:copies/2018 教培") == 1


def test_an_update_killed_half_way_leaves_no_duplicates(tmp_path: Path) -> None:
    case, src = _case(tmp_path)
    run_ingest(case, src, workers=1)
    with searching(case) as search:
        before = search.count("kind:file OR kind:block")
    store = open_store(case)
    try:
        # tantivy committed, the digests were never recorded: what a kill between them leaves
        state = store.search_state()
        store.set_search_state([(key, "interrupted") for key in state if key != "index_version"])
        done = update_index(case, store)
        assert done["contents"] == 2 and done["persons_reindexed"]
        assert update_index(case, store)["contents"] == 0  # and then it is finished
    finally:
        store.close()
    with searching(case) as search:
        assert search.count("kind:file OR kind:block") == before
        assert search.count("教培") == 1
        assert search.count("kashgar") == 1


def test_a_new_index_layout_rebuilds_from_scratch(tmp_path: Path) -> None:
    case, src = _case(tmp_path)
    run_ingest(case, src, workers=1)
    store = open_store(case)
    try:
        store.set_search_state([("index_version", "0")])
        done = update_index(case, store)
    finally:
        store.close()
    assert done["contents"] == 2 and done["index_units"] == done["units"]
    assert hit_paths(case, "教培") == ["通知/a.txt"]


REGISTER = (
    "姓名,身份证号,羁押时间,羁押地点\n"
    "阿卜杜热合曼·艾山,653121198503120010,2017-05-02,看守所\n"
    "古丽·艾山,653121199007010280,,\n"
)


def test_persons_are_re_indexed_after_people_merge(
    small_case: Callable[[dict[str, str | bytes]], Case],
) -> None:
    case = small_case({"名单.csv": REGISTER})
    with searching(case) as search:
        persons = list(search.iter_hits("kind:person"))
    assert len(persons) == 2
    a, b = (hit.locator["person"] for hit in persons if hit.locator)
    merge_persons(case, a, b, "same person, say their relatives")
    store = open_store(case)
    try:
        done = update_index(case, store)  # what the next ingest does
    finally:
        store.close()
    assert done["persons_reindexed"] and done["contents"] == 0
    merged = find(case, "653121198503120010", limit=1)[0]["person_id"]
    with searching(case) as search:
        persons = list(search.iter_hits("kind:person"))
        assert [hit.locator for hit in persons] == [{"person": merged}]
        assert search.count("kind:person 古丽 阿卜杜热合曼") == 1


def test_people_merge_command_refreshes_the_index_at_once(
    small_case: Callable[[dict[str, str | bytes]], Case],
) -> None:
    """`veracity people merge` re-indexes the persons itself: no stale person until the next
    ingest."""
    from click.testing import CliRunner

    from veracity.cli import cli

    case = small_case({"名单.csv": REGISTER})
    with searching(case) as search:
        a, b = (hit.locator["person"] for hit in search.iter_hits("kind:person") if hit.locator)
    result = CliRunner().invoke(
        cli, ["people", "merge", a, b, "--case", str(case.root)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    with searching(case) as search:
        assert search.count("kind:person") == 1
        assert search.count("kind:person 古丽 阿卜杜热合曼") == 1
