"""Batch search: a list of queries in, one CSV of every query's hits out."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.search.conftest import searching
from veracity.case import Case
from veracity.errors import UsageError
from veracity.search.batch import COLUMNS, read_queries, run_batch

FILES: dict[str, str | bytes] = {
    "名单.csv": (
        "姓名,身份证号\n阿卜杜热合曼·艾山,653121198503120010\n古丽·艾山,653121199007010280\n"
    ),
    "通知/a.txt": "关于加强教培中心管理的通知 Kashgar\n",
}


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_read_queries_skips_header_comments_and_blanks(tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    source.write_text('query,note\n# officials\n艾山,x\n\n"a, b"\n  Kashgar  \n', "utf-8-sig")
    assert list(read_queries(source)) == ["艾山", "a, b", "Kashgar"]


def test_each_line_is_one_query_even_with_a_stray_quote(tmp_path: Path) -> None:
    listing = tmp_path / "names.txt"
    listing.write_text('"Abdurehim Tursun"\n"教培中心\nKashgar\n', "utf-8")
    assert list(read_queries(listing)) == ['"Abdurehim Tursun"', '"教培中心', "Kashgar"]
    table = tmp_path / "names.csv"
    table.write_text('query\n"教培中心\nKashgar,x\n', "utf-8")
    assert list(read_queries(table)) == ["教培中心", "Kashgar"]


def test_unreadable_queries_are_a_usage_error(tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    source.write_bytes(b"\xff\xfe\x00\xd8broken")
    with pytest.raises(UsageError, match="cannot read the queries"):
        list(read_queries(source))


def test_every_query_gets_its_hits_and_a_bad_one_its_error(
    small_case: Callable[[dict[str, str | bytes]], Case], tmp_path: Path
) -> None:
    case = small_case(FILES)
    source = tmp_path / "names.txt"
    source.write_text('艾山\n"教培中心\n653121199007010280\n塔城\nkashgar\n', "utf-8")
    out = io.StringIO()
    with searching(case) as search:
        figures = run_batch(search, source, out)
        expected_ai = search.count("艾山")
    assert figures == {"queries": 5, "with_hits": 3, "hits": expected_ai + 2, "errors": 1}
    rows = _rows(out.getvalue())
    assert tuple(rows[0]) == COLUMNS
    by_query: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_query.setdefault(row["query"], []).append(row)
    assert [int(r["rank"]) for r in by_query["艾山"]] == list(range(1, expected_ai + 1))
    assert all("艾山" in r["snippet"] for r in by_query["艾山"] if r["kind"] == "row")
    (bad,) = by_query['"教培中心']
    assert bad["rank"] == "0" and "unclosed quote" in bad["error"]
    (id_hit,) = by_query["653121199007010280"]
    assert id_hit["path"] == "名单.csv" and id_hit["kind"] == "row"
    assert json.loads(id_hit["locator"]) == {"row": 3, "sheet": "名单.csv"}
    assert float(id_hit["score"]) > 0 and id_hit["error"] == ""
    assert "塔城" not in by_query  # no hits, no row
    (kashgar,) = by_query["kashgar"]
    assert kashgar["path"] == "通知/a.txt" and kashgar["locator"] == ""


def test_limit_caps_each_query(
    small_case: Callable[[dict[str, str | bytes]], Case], tmp_path: Path
) -> None:
    case = small_case(FILES)
    source = tmp_path / "names.txt"
    source.write_text("艾山\nkind:row\n", "utf-8")
    out = io.StringIO()
    with searching(case) as search:
        figures = run_batch(search, source, out, limit=1)
    assert figures["hits"] == 2
    assert [r["query"] for r in _rows(out.getvalue())] == ["艾山", "kind:row"]
