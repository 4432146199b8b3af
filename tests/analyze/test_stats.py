"""`compute_stats` on a synthetic leak: every figure equals what the truth file says."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.analyze.conftest import Leak
from tests.conftest import run_ingest
from veracity.analyze.stats import (
    AGE_BINS,
    adult_born_by,
    compute_stats,
    histogram,
    quartiles,
    township_village,
)
from veracity.case import Case
from veracity.people.regions import region
from veracity.store import open_store


@pytest.fixture(scope="module")
def stats(stats_leak: Leak) -> dict[str, Any]:
    return compute_stats(stats_leak.case)


def _people(leak: Leak) -> list[dict[str, Any]]:
    return list(leak.truth["people"])


def _age(birth: str, day: str) -> int:
    b, d = date.fromisoformat(birth), date.fromisoformat(day)
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


def test_contract_figures_equal_the_truth(stats: dict[str, Any], stats_leak: Leak) -> None:
    truth = stats_leak.truth["stats"]
    assert stats["people"] == truth["people"]
    assert stats["detained"]["total"] == truth["detained"]["total"]
    assert stats["detained"]["by_year"] == truth["detained"]["by_year"]
    assert stats["adults"] == truth["adults"]
    assert abs(stats["detained_adult_share"] - truth["detained_adult_share"]) < 0.001
    registers = stats["basis"]["registers"]
    assert sum(r["records"] for r in registers if r["counted"]) == len(stats_leak.truth["records"])
    assert stats["records"] == sum(r["records"] for r in registers)  # staff and school lists too


def test_detentions_by_month_and_village_equal_the_truth(
    stats: dict[str, Any], stats_leak: Leak
) -> None:
    detained = [p for p in _people(stats_leak) if p["detention_start"]]
    by_month = Counter(p["detention_start"][:7] for p in detained)
    assert stats["detained"]["by_month"] == dict(sorted(by_month.items()))
    assert stats["detentions_by"]["village"] == {
        k: v for k, v in Counter(p["village"] for p in detained).items()
    }
    townships = Counter(township_village(p["village"])[0] for p in detained)
    assert stats["detentions_by"]["township"] == dict(townships)
    counties = Counter(region(p["id_number"][:6]).county for p in detained)  # type: ignore[union-attr]
    assert stats["detentions_by"]["county"] == dict(counties)
    assert sum(stats["detentions_by"]["place"].values()) == len(detained)


def test_status_by_value_and_category_equal_the_truth(
    stats: dict[str, Any], stats_leak: Leak
) -> None:
    words = Counter(p["status"] for p in _people(stats_leak))
    assert {w: v["persons"] for w, v in stats["status"]["by_value"].items()} == dict(words)
    category = {"正常": "normal", "教培": "education_camp", "收押": "custody", "拘留": "custody"}
    by_category = Counter(category.get(p["status"], "sentenced") for p in _people(stats_leak))
    assert {c: n for c, n in stats["status"]["by_category"].items() if n} == dict(by_category)
    assert stats["status"]["unknown"] == {}


def test_age_at_detention_equals_the_truth(stats: dict[str, Any], stats_leak: Leak) -> None:
    detained = [p for p in _people(stats_leak) if p["detention_start"]]
    ages = [_age(p["birth_date"], p["detention_start"]) for p in detained]
    q1, median, q3 = statistics.quantiles(ages, n=4, method="inclusive")
    figures = stats["age_at_detention"]
    assert figures["count"] == len(ages)
    assert (figures["min"], figures["max"]) == (min(ages), max(ages))
    assert figures["q1"] == pytest.approx(q1, abs=0.01)
    assert figures["median"] == pytest.approx(median, abs=0.01)
    assert figures["q3"] == pytest.approx(q3, abs=0.01)
    for sex in ("男", "女"):
        mine = Counter(
            _age(p["birth_date"], p["detention_start"]) for p in detained if p["sex"] == sex
        )
        assert figures["histogram"][sex] == histogram(mine, AGE_BINS)


def test_sentences_equal_the_records(stats: dict[str, Any], stats_leak: Leak) -> None:
    store = open_store(stats_leak.case, migrate=False)
    try:
        person_of = {(x.sha256, x.sheet, x.row): x.person_id for x in store.iter_person_links()}
        longest: dict[str, int] = {}
        for r in store.iter_records():
            if r.sentence_months is not None:
                pid = person_of[(r.sha256, r.sheet, r.row)]
                longest[pid] = max(longest.get(pid, 0), r.sentence_months)
    finally:
        store.close()
    sentenced = sum(1 for p in _people(stats_leak) if p["status"] == "判刑")
    figures = stats["sentences"]
    assert figures["count"] == len(longest) == sentenced
    assert figures["months"]["median"] == pytest.approx(statistics.median(longest.values()))
    assert 192 in longest.values()  # the leak's "16 years" (synth plants it)
    assert sum(figures["histogram"].values()) == len(longest)
    assert figures["life_or_death"] == 0 and figures["by_reason"] == {}  # synth has neither


def test_photos_by_month_and_camera_equal_the_metadata(
    stats: dict[str, Any], stats_leak: Leak
) -> None:
    store = open_store(stats_leak.case, migrate=False)
    try:
        rows = {r["sha256"]: r for r in store.iter_paths() if r["extractor"] == "image"}
    finally:
        store.close()
    metas = [json.loads(r["metadata"]) for r in rows.values()]
    assert stats["photos"] == len(metas)
    months = Counter(m["taken_at"][:7] for m in metas if m.get("taken_at"))
    assert stats["photos_by"]["month"] == dict(sorted(months.items()))
    assert sum(stats["photos_by"]["camera"].values()) == sum(
        1 for m in metas if m.get("camera_make") or m.get("camera_model")
    )


def test_quartiles_match_numpy_convention() -> None:
    values = [3, 1, 4, 1, 5, 9, 2, 6]
    q = quartiles(Counter(values))
    assert q is not None
    assert [q["q1"], q["median"], q["q3"]] == pytest.approx(
        statistics.quantiles(values, n=4, method="inclusive")
    )
    assert quartiles({}) is None


def test_adult_cut_off_and_address_parts() -> None:
    assert adult_born_by() == "2000-01-01"
    assert township_village("新疆维吾尔自治区伊犁哈萨克自治州特克斯县特克斯镇铁热克村7组107号") == (
        "特克斯镇",
        "特克斯镇铁热克村",
    )
    assert township_village("乌鲁木齐市天山区燕儿窝街道") == ("燕儿窝街道", None)
    assert township_village("某地") == (None, None)


def test_sentences_by_reason_and_life_or_death(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    """A register with a reason column and life and suspended-death sentences (the synthetic
    leak has neither): each is counted, once per person, by its stated reason."""
    from veracity.people.idcard import make_id

    born = date(1975, 5, 1)
    rows = [
        ("买买提·吐尔逊", make_id("653121", born, 11, "男"), "判刑", "5年", "宗教极端"),
        ("艾力·艾山", make_id("653121", born, 13, "男"), "判刑", "10年6个月", "宗教极端"),
        ("阿不都拉·麦麦提", make_id("653121", born, 15, "男"), "判刑", "无期徒刑", "分裂国家"),
        ("古丽·买买提", make_id("653121", born, 22, "女"), "判刑", "死缓", "分裂国家"),
        ("阿依古丽·艾力", make_id("653121", born, 24, "女"), "正常", "", ""),
    ]
    src = tmp_path / "src"
    src.mkdir()
    lines = ["姓名,身份证号,状态,刑期,原因"] + [",".join(r) for r in rows]
    (src / "判刑人员.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    case = make_case()
    run_ingest(case, src, workers=1)
    sentences = compute_stats(case)["sentences"]
    assert sentences["count"] == 2 and sentences["life_or_death"] == 2
    assert sentences["months"]["min"] == 60 and sentences["months"]["max"] == 126
    assert sentences["by_reason"] == {
        "宗教极端": {"count": 2, "median_months": 93.0, "life_or_death": 0},
        "分裂国家": {"count": 0, "median_months": None, "life_or_death": 2},
    }
