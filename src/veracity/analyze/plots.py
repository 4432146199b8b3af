"""Charts of the case's figures for a story: `veracity stats --plot DIR` writes PNG and SVG.

Every chart is drawn from the `compute_stats` dict alone, so a chart never shows a number that
`veracity stats --json` does not, and its caption names the `veracity stats explain KEY` that
lists the records behind it. One function per chart returns its bars (or None when the case
has no such data: an empty chart would suggest a count of zero); `CHARTS` registers them.

Output is deterministic (same stats, same bytes) so a newsroom can diff and archive it: fixed
figure sizes, a fixed SVG hash salt, no dates in the metadata. Figures are made with
`matplotlib.figure.Figure`, never pyplot, so no GUI backend or global figure list is involved;
PNG goes through Agg. Chinese labels (townships, 男/女) need a CJK font: Debian's WenQuanYi
Micro Hei, found by path or through fontconfig, never downloaded.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from veracity.errors import UsageError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.typing import RcKeyType

__all__ = ["CHARTS", "FORMATS", "Bars", "Chart", "write_plots"]

#: metadata each format would otherwise stamp with the time of drawing
FORMATS: Mapping[str, Mapping[str, Any]] = {"png": {}, "svg": {"Date": None}}
CJK_FONT_PATHS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",)
CJK_FONT_NAME = "WenQuanYi Micro Hei"
#: the longest bar lists (townships, cameras) are cut to their largest entries
MAX_BARS = 25
WIDTH_IN = 8.0
DPI = 150
#: register sex values -> (legend order, legend label); others are shown as written, last
SEXES = {"男": (0, "male (男)"), "女": (1, "female (女)")}
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


@dataclass(frozen=True)
class Bars:
    """What one chart shows: one or more series of bars over the same categories."""

    title: str
    x_label: str
    y_label: str
    #: legend label -> category -> value; a single series has the label ""
    series: Mapping[str, Mapping[str, float]]
    horizontal: bool = False  # long category names (townships, cameras) read better sideways
    note: str = ""  # e.g. "largest 25 of 40"

    @property
    def categories(self) -> list[str]:
        """Every series' categories, in first-seen order: the bars' positions."""
        return list(dict.fromkeys(c for counts in self.series.values() for c in counts))


@dataclass(frozen=True)
class Chart:
    """A registered chart: its file name, the stats key that explains it, and its bars."""

    name: str
    explain: str  # `veracity stats explain KEY` lists the records behind the chart
    bars: Callable[[Mapping[str, Any]], Bars | None]


def _dig(stats: Mapping[str, Any], *keys: str) -> Mapping[str, Any]:
    """A nested mapping of the stats, or {} when any level is missing or not a mapping."""
    node: Any = stats
    for key in keys:
        node = node.get(key) if isinstance(node, Mapping) else None
    return node if isinstance(node, Mapping) else {}


def _counts(values: Mapping[str, Any]) -> dict[str, float]:
    """The numeric entries, keys as text; others (a nested dict, None) are not bars."""
    return {
        str(k): float(v)
        for k, v in values.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    }


def _largest(counts: Mapping[str, float], limit: int = MAX_BARS) -> tuple[dict[str, float], str]:
    """The `limit` largest entries, ties by name, and a note when some were cut."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    note = f"largest {limit} of {len(ranked)}" if len(ranked) > limit else ""
    return dict(ranked[:limit]), note


def _months(counts: Mapping[str, float]) -> dict[str, float]:
    """Counts by "YYYY-MM" in order, months without any listed as 0 so the axis is time."""
    valid = sorted(
        k for k in counts if len(k) == 7 and k[4] == "-" and k.replace("-", "").isdigit()
    )
    if not valid:
        return dict(sorted(counts.items()))
    year, month = int(valid[0][:4]), int(valid[0][5:])
    filled: dict[str, float] = {}
    while (key := f"{year:04d}-{month:02d}") <= valid[-1]:
        filled[key] = counts.get(key, 0.0)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return filled | {k: v for k, v in sorted(counts.items()) if k not in filled}


def _single(counts: Mapping[str, float], title: str, x: str, y: str, **kw: Any) -> Bars | None:
    return Bars(title, x, y, {"": counts}, **kw) if any(counts.values()) else None


# --- the charts, one function each -----------------------------------------------------------


def detentions_by_month(stats: Mapping[str, Any]) -> Bars | None:
    counts = _months(_counts(_dig(stats, "detained", "by_month")))
    return _single(counts, "Detentions by month", "Month", "Persons")


def detentions_by_year(stats: Mapping[str, Any]) -> Bars | None:
    counts = _counts(_dig(stats, "detained", "by_year"))
    return _single(dict(sorted(counts.items())), "Detentions by year", "Year", "Persons")


def status_categories(stats: Mapping[str, Any]) -> Bars | None:
    counts = _counts(_dig(stats, "status", "by_category"))  # in the stats' (category) order
    return _single(counts, "Persons by status category", "Category", "Persons")


def detentions_by_township(stats: Mapping[str, Any]) -> Bars | None:
    counts, note = _largest(_counts(_dig(stats, "detentions_by", "township")))
    title = "Detentions by township"
    return _single(counts, title, "Persons", "Township", horizontal=True, note=note)


def age_at_detention(stats: Mapping[str, Any]) -> Bars | None:
    by_sex = _dig(stats, "age_at_detention", "histogram")
    ranked = sorted(by_sex.items(), key=lambda kv: (SEXES.get(kv[0], (9, ""))[0], kv[0]))
    series = {
        SEXES.get(sex, (9, str(sex)))[1]: _counts(bins)
        for sex, bins in ranked
        if isinstance(bins, Mapping) and any(_counts(bins).values())
    }
    if not series:
        return None
    return Bars("Age at detention, by sex", "Age (years)", "Persons", series)


def sentence_lengths(stats: Mapping[str, Any]) -> Bars | None:
    counts = _counts(_dig(stats, "sentences", "histogram"))
    return _single(counts, "Sentence lengths", "Months", "Persons sentenced")


def photos_by_month(stats: Mapping[str, Any]) -> Bars | None:
    counts = _months(_counts(_dig(stats, "photos_by", "month")))
    return _single(counts, "Photos by month taken", "Month", "Photos")


def photos_by_camera(stats: Mapping[str, Any]) -> Bars | None:
    counts, note = _largest(_counts(_dig(stats, "photos_by", "camera")))
    return _single(counts, "Photos by camera", "Photos", "Camera", horizontal=True, note=note)


CHARTS: tuple[Chart, ...] = (
    Chart("detentions_by_month", "detained.by_month", detentions_by_month),
    Chart("detentions_by_year", "detained.by_year", detentions_by_year),
    Chart("status_categories", "status.by_category", status_categories),
    Chart("detentions_by_township", "detentions_by.township", detentions_by_township),
    Chart("age_at_detention", "age_at_detention.histogram", age_at_detention),
    Chart("sentence_lengths", "sentences.histogram", sentence_lengths),
    Chart("photos_by_month", "photos_by.month", photos_by_month),
    Chart("photos_by_camera", "photos_by.camera", photos_by_camera),
)


# --- drawing ---------------------------------------------------------------------------------


def write_plots(
    stats: Mapping[str, Any], out_dir: Path, formats: Sequence[str] = ("png", "svg")
) -> list[Path]:
    """Write every chart that has data as `out_dir/NAME.FORMAT`; returns the files written."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise UsageError(f"unknown chart format {', '.join(unknown)}; use {', '.join(FORMATS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with matplotlib.rc_context(_style()):
        for chart in CHARTS:
            bars = chart.bars(stats)
            if bars is None:
                continue
            figure = _draw(bars, chart.explain)
            for fmt in formats:
                path = out_dir / f"{chart.name}.{fmt}"
                figure.savefig(path, format=fmt, dpi=DPI, metadata=dict(FORMATS[fmt]))
                written.append(path)
    return written


def _style() -> dict[RcKeyType, Any]:
    families = [CJK_FONT_NAME, "DejaVu Sans"] if _cjk_font() else ["DejaVu Sans"]
    style: dict[RcKeyType, Any] = {
        "font.family": families,
        "svg.hashsalt": "veracity",  # element ids from a fixed salt, not a random one
        "svg.fonttype": "path",  # glyphs as outlines: the SVG looks like the PNG anywhere
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    return style


@cache
def _cjk_font() -> str | None:
    """Register WenQuanYi Micro Hei with matplotlib once; its file, or None when missing."""
    found = next((p for p in CJK_FONT_PATHS if Path(p).is_file()), None) or _fontconfig()
    if found is None:
        return None
    from matplotlib import font_manager

    font_manager.fontManager.addfont(found)
    return found


def _fontconfig() -> str | None:
    """The file fontconfig (Debian's local font list; no network) has for the CJK font."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    done = subprocess.run(
        [fc_match, "--format=%{file}", CJK_FONT_NAME],
        capture_output=True, text=True, timeout=10, check=False,
    )  # fmt: skip
    path = done.stdout.strip()
    return path if done.returncode == 0 and "wqy" in path.lower() else None


def _draw(bars: Bars, explain: str) -> Figure:
    categories = bars.categories
    height = 4.5 if not bars.horizontal else max(3.0, 1.2 + 0.28 * len(categories))
    figure = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    ax = figure.add_subplot()
    _bars(ax, bars, categories)
    title = f"{bars.title} ({bars.note})" if bars.note else bars.title
    ax.set_title(title, loc="left", fontsize="large")
    ax.set_xlabel(bars.x_label)
    ax.set_ylabel(bars.y_label)
    if len(bars.series) > 1:
        ax.legend(frameon=False)
    caption = f"Source: veracity stats. Reproduce with: veracity stats explain {explain}"
    figure.supxlabel(caption, x=0.01, ha="left", fontsize=8, color="#5b636e")
    return figure


def _bars(ax: Axes, bars: Bars, categories: list[str]) -> None:
    """Side-by-side bars per series (one series fills the slot); sideways when `horizontal`."""
    slot = 0.8 / len(bars.series)
    positions = range(len(categories))
    for i, (label, counts) in enumerate(bars.series.items()):
        offsets = [p - 0.4 + slot * (i + 0.5) for p in positions]
        values = [counts.get(c, 0.0) for c in categories]
        colour = COLOURS[i % len(COLOURS)]
        draw = ax.barh if bars.horizontal else ax.bar
        draw(offsets, values, slot, label=label or None, color=colour)
    ticks_axis = ax.yaxis if bars.horizontal else ax.xaxis
    ticks_axis.set_ticks(list(positions), labels=categories)
    if bars.horizontal:
        ax.invert_yaxis()  # the largest on top, as read
    elif len(categories) > 8 or max(map(len, categories), default=0) > 6:
        ax.tick_params(axis="x", labelrotation=90)
    count_axis = ax.xaxis if bars.horizontal else ax.yaxis
    count_axis.set_major_locator(MaxNLocator(integer=True))  # persons come whole
