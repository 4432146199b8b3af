"""The status table: shipped words, a case's override, unknown words listed, bad files refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import run_ingest
from veracity.analyze.stats import compute_stats
from veracity.analyze.status import CATEGORIES, OVERRIDE_FILE, load_table, shipped_table
from veracity.case import Case, open_case
from veracity.errors import UsageError
from veracity.people.idcard import make_id

ROWS = (
    ("艾山·买买提", date(1980, 3, 1), "男", "正常", ""),
    ("古丽·艾山", date(1985, 4, 2), "女", "教培", "2017-05-01"),
    ("买买提·吐尔逊", date(1975, 5, 3), "男", "刑拘", "2017-06-01"),
    ("阿依古丽·肉孜", date(1990, 6, 4), "女", "学习", "2018-02-01"),
    ("吐尔逊·阿卜杜拉", date(1970, 7, 5), "男", " 学习 ", "2018-03-01"),
)


def _case(tmp_path: Path) -> Case:
    src = tmp_path / "src"
    src.mkdir()
    lines = ["姓名,身份证号,性别,出生日期,状态,收押日期,现住址"]
    for n, (name, born, sex, status, start) in enumerate(ROWS):
        idn = make_id("653121", born, n, sex)
        lines.append(f"{name},{idn},{sex},{born.isoformat()},{status},{start},疏附县站敏乡某村1号")
    (src / "名单.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    case = open_case(tmp_path / "case", create=True)
    run_ingest(case, src, workers=1)
    return case


def test_shipped_table_maps_the_leak_vocabulary() -> None:
    table = shipped_table()
    expected = {
        "正常": "normal",
        "教培": "education_camp",
        "教育转化": "education_camp",
        "收押": "custody",
        "拘留": "custody",
        "行政拘留": "custody",
        "刑拘": "custody",
        "刑事拘留": "custody",
        "在押": "custody",
        "判刑": "sentenced",
        "服刑": "sentenced",
        "释放": "released",
        "死亡": "deceased",
        "外出": "absent",
    }
    assert {w: table[w] for w in expected} == expected
    assert set(table.values()) <= set(CATEGORIES)


def test_unknown_word_is_listed_and_override_changes_category(tmp_path: Path) -> None:
    case = _case(tmp_path)
    status = compute_stats(case)["status"]
    assert status["unknown"] == {"学习": 2}  # spaces trimmed: one word, two persons
    assert status["by_category"]["custody"] == 1
    assert status["by_category"]["education_camp"] == 1
    (case.root / OVERRIDE_FILE).write_text(
        "categories:\n  education_camp: [学习]\n  sentenced: [刑拘]\n", encoding="utf-8"
    )
    status = compute_stats(case)["status"]
    assert status["unknown"] == {}
    assert status["by_category"]["education_camp"] == 3
    assert status["by_category"]["custody"] == 0
    assert status["by_category"]["sentenced"] == 1
    assert status["by_value"]["学习"] == {"category": "education_camp", "persons": 2}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("categories: [a]\n", "expected a mapping under 'categories'"),
        ("categories:\n  camp: [学习]\n", "unknown category 'camp'"),
        ("categories:\n  normal: 学习\n", "must list status words"),
        ("categories:\n  normal: [学习]\n  absent: [学习]\n", "is listed under normal and"),
        ("categories: [\n", "cannot read"),
    ],
)
def test_bad_override_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / OVERRIDE_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_table(tmp_path)
