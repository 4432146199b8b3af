"""Searching: Chinese by any substring, Latin words folded, snippets, facets, paging, persons."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_ingest
from tests.search.conftest import Leak, ingest_leak, searching, write_files
from veracity.case import Case, open_case
from veracity.search import CaseSearch
from veracity.store import open_store
from veracity.verify import run_checks

FILES: dict[str, str | bytes] = {
    "通知/a.txt": (
        "关于加强教培中心管理的通知\n会议在喀什召开，参加人员有Ömer Tursun和ABC123小组。\n"
    ),
    "通知/b.txt": "型号ＡＢＣ１２３，编号：ＸＪ－２０１８。Hello，世界！\n",
    "ug/c.txt": "ئۆمەر تۇرسۇن مەكتەپتە ئوقۇيدۇ\n",
    "d.txt": "疏附\n县城 and Kashgar city\nÖMER was here\n",
    "long/e.txt": "开头" + "。" * 300 + "这里是要找的独特短语在很长的文字中间" + "。" * 300 + "\n",
}


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    root = tmp_path_factory.mktemp("searcher")
    built = open_case(root / "case", create=True)
    run_ingest(built, write_files(root / "src", dict(FILES)), workers=1)
    return built


@pytest.fixture
def search(case: Case) -> Iterator[CaseSearch]:
    with searching(case) as opened:
        yield opened


def paths(search: CaseSearch, query: str) -> set[str]:
    return {hit.path or "" for hit in search.iter_hits(query)}


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("喀", {"通知/a.txt"}),  # one character
        ("通知", {"通知/a.txt"}),  # two characters
        ("培中", {"通知/a.txt"}),  # inside the word 教培中心
        ("教培中心管", {"通知/a.txt"}),  # across a word boundary
        ("独特短语", {"long/e.txt"}),
        ("世界", {"通知/b.txt"}),
        ("塔城", set()),
    ],
)
def test_chinese_substrings(search: CaseSearch, query: str, found: set[str]) -> None:
    assert paths(search, query) == found


def test_chinese_path_words_find_the_file_by_its_folder(search: CaseSearch) -> None:
    assert paths(search, "path:通知") == {"通知/a.txt", "通知/b.txt"}


def test_mixed_chinese_and_latin(search: CaseSearch) -> None:
    assert paths(search, "喀什 Tursun") == {"通知/a.txt"}
    assert paths(search, "Hello 世界") == {"通知/b.txt"}
    assert paths(search, "ABC123小组") == {"通知/a.txt"}
    assert paths(search, "Kashgar 世界") == set()


def test_full_width_and_half_width_are_the_same(search: CaseSearch) -> None:
    both = {"通知/a.txt", "通知/b.txt"}
    assert paths(search, "ABC123") == both
    assert paths(search, "ＡＢＣ１２３") == both
    assert paths(search, "abc123") == both
    assert paths(search, "XJ-2018") == {"通知/b.txt"}  # written ＸＪ－２０１８
    assert paths(search, "编号：XJ") == {"通知/b.txt"}  # full-width colon in the query
    assert paths(search, "（Hello OR Kashgar）") == {"通知/b.txt", "d.txt"}


@pytest.mark.parametrize("query", ["omer", "OMER", "Ömer", "ömer", "Omer"])
def test_case_and_accents_fold(search: CaseSearch, query: str) -> None:
    assert paths(search, query) == {"通知/a.txt", "d.txt"}  # Ömer and ÖMER


def test_uyghur_arabic_script_words(search: CaseSearch) -> None:
    assert paths(search, "ئۆمەر") == {"ug/c.txt"}
    assert paths(search, '"ئۆمەر تۇرسۇن"') == {"ug/c.txt"}
    assert paths(search, "مەكتەپتە") == {"ug/c.txt"}


def test_phrases_do_not_match_across_a_break(search: CaseSearch) -> None:
    assert paths(search, "疏附") == {"d.txt"}
    assert paths(search, "县城") == {"d.txt"}
    assert paths(search, "疏附县") == set()  # 疏附 and 县城 are on two lines
    assert paths(search, "附县") == set()
    assert paths(search, '"Kashgar city"') == {"d.txt"}
    assert paths(search, '"city Kashgar"') == set()


def test_boolean_and_fields(search: CaseSearch) -> None:
    assert paths(search, "omer -Tursun") == {"d.txt"}
    assert paths(search, "世界 OR 独特") == {"通知/b.txt", "long/e.txt"}
    assert paths(search, "Kashg*") == {"d.txt"}
    assert paths(search, "Kashgr~1") == {"d.txt"}
    assert paths(search, "type:text 喀什") == {"通知/a.txt"}


@pytest.mark.parametrize(
    ("query", "marked"), [("培中", "培中"), ("omer", "Ömer"), ("ＡＢＣ１２３", "ABC123")]
)
def test_snippets_highlight_the_hit(search: CaseSearch, query: str, marked: str) -> None:
    hit = next(h for h in search.iter_hits(query) if h.path == "通知/a.txt")
    assert hit.highlights
    assert [hit.snippet[s:e] for s, e in hit.highlights] == [marked]


def test_a_snippet_is_a_window_around_a_hit_far_into_the_text(search: CaseSearch) -> None:
    (hit,) = search.iter_hits("独特短语")
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert "开头" not in hit.snippet
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["独特短语"]


def test_facets_count_the_hits(search: CaseSearch) -> None:
    results = search.search("kind:block", limit=0)
    assert results.total == len(FILES) and results.hits == []
    assert results.facets["kind"] == {"block": len(FILES)}
    assert results.facets["type"] == {"document": len(FILES)}  # kinds; `type:text` still finds them
    assert results.facets["folder"] == {".": 1, "long": 1, "ug": 1, "通知": 2}
    assert "has_findings" not in results.facets  # nothing verified yet
    files = search.search("kind:file OR kind:block", limit=3)
    assert files.total == 2 * len(FILES) and len(files.hits) == 3
    assert files.facets["kind"] == {"block": len(FILES), "file": len(FILES)}
    assert search.search("塔城", limit=5).facets == {}


def test_paging_goes_to_the_end_with_no_cap(tmp_path: Path) -> None:
    rows = "".join(f"{n},测试记录 item{n}\n" for n in range(1, 1201))
    case = open_case(tmp_path / "case", create=True)
    run_ingest(case, write_files(tmp_path / "src", {"big.csv": "编号,内容\n" + rows}), workers=1)
    with searching(case) as search:
        every = list(search.iter_hits("测试记录"))
        assert len(every) == 1200
        assert len({hit.uid for hit in every}) == 1200
        assert {hit.locator["row"] for hit in every if hit.locator} == set(range(2, 1202))
        last = search.search("测试记录", limit=50, offset=1180, facets=False)
        assert last.total == 1200 and len(last.hits) == 20
        assert [h.uid for h in last.hits] == [h.uid for h in every[1180:]]
        assert search.search("测试记录", limit=10, offset=5000).hits == []
        assert search.count("测试记录") == 1200


# --- on a small synthetic leak ----------------------------------------------------------------


@pytest.fixture(scope="module")
def leak_case(synth_leak: Leak, tmp_path_factory: pytest.TempPathFactory) -> Case:
    return ingest_leak(synth_leak, tmp_path_factory.mktemp("searcher_leak"))


def test_person_query_finds_chinese_rows_from_a_latin_name(
    leak_case: Case, synth_leak: Leak
) -> None:
    records: dict[str, set[tuple[str, str, int]]] = {}
    for record in synth_leak.truth["records"]:
        place = (record["path"], record["locator"]["sheet"], record["locator"]["row"])
        records.setdefault(record["person_key"], set()).add(place)
    queries = synth_leak.truth["name_queries"]
    assert queries
    missed = []
    with searching(leak_case) as search:
        for item in queries:
            hits = list(search.iter_hits(f'person:"{item["query"]}"'))
            found = {
                (path, hit.locator["sheet"], hit.locator["row"])
                for hit in hits
                if hit.kind == "row" and hit.locator
                for path in hit.paths
            }
            wanted = set().union(*(records.get(k, set()) for k in item["person_keys"]))
            if not wanted <= found:
                missed.append((item["query"], sorted(wanted - found)))
            assert any(hit.kind == "person" for hit in hits), item["query"]
    assert missed == []


def test_has_findings_facet_after_verify(tmp_path: Path, synth_leak: Leak) -> None:
    case = ingest_leak(synth_leak, tmp_path)
    with searching(case) as search:
        assert "has_findings" not in search.search("kind:row", limit=1).facets
    run_checks(case, (), {})
    store = open_store(case, migrate=False)
    try:
        flagged = Counter(
            (sha, locator["sheet"], locator["row"])
            for sha, locator in store.finding_places(("warning", "critical"))
            if isinstance(locator, dict) and "row" in locator
        )
    finally:
        store.close()
    assert flagged
    with searching(case) as search:
        rows = search.search("kind:row", limit=1).facets
        assert rows["has_findings"] == {"yes": len(flagged)}
        every = list(search.iter_hits("kind:row"))
        by_place = {(h.sha256, h.locator["sheet"], h.locator["row"]) for h in every if h.locator}
        assert set(flagged) <= by_place


def test_fuzzy_terms_highlight_the_words_they_matched() -> None:
    from veracity.search.compile import compile_query
    from veracity.search.searcher import snippet

    _, needles = compile_query("Abdurahim~1 Urumqi~2")
    text, spans = snippet("他叫 Abdurehim Tursun，住在 Ürümchi，不是 Abdurahman", needles)
    assert [text[s:e] for s, e in spans] == ["Abdurehim", "Ürümchi"]
