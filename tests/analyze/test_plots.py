"""`write_plots`: one PNG and one SVG per chart with data, deterministic, CJK labels drawn."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from PIL import Image

from tests.analyze.conftest import Leak
from veracity.analyze.plots import CHARTS, detentions_by_year, write_plots
from veracity.analyze.stats import compute_stats
from veracity.cli import cli
from veracity.errors import UsageError

#: a hand-made stats dict in the shared shape (compute_stats' output), small on purpose
STATS: dict[str, Any] = {
    "files": 80, "photos": 60, "documents": 14, "spreadsheets": 6, "records": 600, "people": 500,
    "detained": {"total": 70, "by_year": {"2018": 30, "2017": 40},
                 "by_month": {"2017-03": 10, "2017-01": 30, "2018-02": 30}},
    "adults": 400, "detained_adult_share": 0.1546,
    "status": {"by_category": {"normal": 430, "education_camp": 40, "custody": 10,
                               "sentenced": 20},
               "by_value": {"教培": {"category": "education_camp", "persons": 40}},
               "unknown": {"待定": 3}},
    "detentions_by": {"county": {"疏附县": 70}, "township": {"托格拉克乡": 30, "阿克其镇": 40},
                      "village": {}, "place": {}},
    "age_at_detention": {"count": 70, "min": 16, "q1": 25, "median": 33, "q3": 45, "max": 70,
                         "histogram": {"男": {"0-17": 1, "18-24": 10, "25-34": 20},
                                       "女": {"0-17": 0, "18-24": 5, "25-34": 4}}},
    "sentences": {"count": 20, "months": {"min": 6, "q1": 24, "median": 60, "q3": 120, "max": 240},
                  "histogram": {"0-12": 2, "13-60": 10, "61-120": 6, "121+": 2},
                  "life_or_death": 0, "by_reason": {}},
    "photos_by": {"month": {"2018-01": 30, "2018-02": 30},
                  "camera": {"Canon EOS 5D Mark III": 50, "NIKON D7100": 10}},
}  # fmt: skip


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_plots(STATS, tmp_path_factory.mktemp("plots"))


def test_every_chart_is_written_as_png_and_svg(written: list[Path]) -> None:
    expected = [f"{c.name}.{fmt}" for c in CHARTS for fmt in ("png", "svg")]
    assert [p.name for p in written] == expected
    for path in written:
        assert path.is_file() and path.stat().st_size > 1000


def test_pngs_are_images_pillow_opens(written: list[Path]) -> None:
    for path in (p for p in written if p.suffix == ".png"):
        with Image.open(path) as image:
            image.verify()
            assert image.format == "PNG"
            assert image.size[0] == 1200  # 8 in at 150 dpi


def test_svgs_parse_and_carry_their_labels_and_caption(written: list[Path]) -> None:
    for path in (p for p in written if p.suffix == ".svg"):
        text = path.read_text(encoding="utf-8")
        assert ElementTree.fromstring(text).tag.endswith("svg")
        explain = next(c.explain for c in CHARTS if c.name == path.stem)
        assert f"veracity stats explain {explain}" in text
    by_name = {p.name: p.read_text(encoding="utf-8") for p in written if p.suffix == ".svg"}
    # glyphs are outlines; matplotlib keeps each string as a comment beside them
    assert "托格拉克乡" in by_name["detentions_by_township.svg"]
    assert "男" in by_name["age_at_detention.svg"] and "女" in by_name["age_at_detention.svg"]
    assert "Detentions by month" in by_name["detentions_by_month.svg"]


def test_the_cjk_font_draws_the_chinese_labels(written: list[Path]) -> None:
    """Without a CJK font the township names would be empty boxes ("tofu")."""
    text = next(p for p in written if p.name == "detentions_by_township.svg").read_text("utf-8")
    assert "WenQuanYi" in text or "wqy" in text.lower()


def test_output_is_deterministic(written: list[Path], tmp_path: Path) -> None:
    again = write_plots(STATS, tmp_path)
    for first, second in zip(written, again, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name
    assert b"<dc:date>" not in next(p for p in again if p.suffix == ".svg").read_bytes()


def test_charts_without_data_are_skipped(tmp_path: Path) -> None:
    stats = copy.deepcopy(STATS)
    stats["photos_by"] = {"month": {}, "camera": {}}
    stats["sentences"] = {"count": 0, "histogram": {"0-12": 0}}
    del stats["detentions_by"]
    stats["age_at_detention"]["histogram"]["女"] = {"0-17": 0}
    names = {p.stem for p in write_plots(stats, tmp_path, formats=("svg",))}
    assert names == {
        "detentions_by_month", "detentions_by_year", "status_categories", "age_at_detention",
    }  # fmt: skip
    assert "女" not in (tmp_path / "age_at_detention.svg").read_text(encoding="utf-8")
    assert write_plots({"people": 0}, tmp_path / "empty") == []


def test_long_lists_show_the_largest_and_say_so(tmp_path: Path) -> None:
    stats = {"photos_by": {"camera": {f"camera {n:02d}": n for n in range(1, 41)}}}
    [svg] = write_plots(stats, tmp_path, formats=("svg",))
    text = svg.read_text(encoding="utf-8")
    assert "largest 25 of 40" in text
    assert "camera 40" in text and "camera 16" in text and "camera 15" not in text


def test_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="gif"):
        write_plots(STATS, tmp_path, formats=("gif",))


def test_every_caption_names_a_key_explain_knows() -> None:
    from veracity.analyze.explain import find_rule

    for chart in CHARTS:
        rule, param = find_rule(chart.explain)
        assert (rule.prefix, param) == (chart.explain, None), chart.name


def test_months_without_detentions_are_bars_of_zero() -> None:
    from veracity.analyze.plots import detentions_by_month

    bars = detentions_by_month({"detained": {"by_month": {"2018-02": 3, "2017-11": 1}}})
    assert bars is not None
    assert dict(bars.series[""]) == {"2017-11": 1, "2017-12": 0, "2018-01": 0, "2018-02": 3}


def test_stats_plot_draws_a_real_cases_figures(stats_leak: Leak, tmp_path: Path) -> None:
    """`veracity stats --plot DIR` on the small synthetic leak: the truth's figures, drawn."""
    args = ["stats", "--plot", str(tmp_path), "--case", str(stats_leak.case.root)]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    written = {p.name for p in tmp_path.iterdir()}
    assert {"detentions_by_year.svg", "detentions_by_month.png", "photos_by_camera.svg"} <= written
    by_year = (tmp_path / "detentions_by_year.svg").read_text(encoding="utf-8")
    for year in stats_leak.truth["stats"]["detained"]["by_year"]:
        assert f"<!-- {year} -->" in by_year
    bars = detentions_by_year(compute_stats(stats_leak.case))
    assert bars is not None
    assert bars.series[""] == stats_leak.truth["stats"]["detained"]["by_year"]
