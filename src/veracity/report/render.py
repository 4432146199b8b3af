"""Rendering the report: one HTML file with its CSS, scripts and data inlined.

The file must open on an air-gapped machine and must not reach out when it does (a request
from a journalist's browser could tell a third party what is being verified), so the vendored
Leaflet and Chart.js are inlined and the map draws its points without a tile layer.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from veracity import __version__
from veracity.analyze.plots import CHARTS
from veracity.report.build import ReportData

_PACKAGE = "veracity.report"
#: the statistics charts the report draws (canvas id -> the `--plot` chart it mirrors): same
#: titles, same `stats explain` keys, and shown only when `--plot` would write them
STAT_CHARTS = {
    "stats-month-chart": "detentions_by_month",
    "stats-status-chart": "status_categories",
    "stats-age-chart": "age_at_detention",
}


def _static(name: str) -> str:
    return (resources.files(_PACKAGE) / "static" / name).read_text(encoding="utf-8")


def _inline_script(text: str) -> str:
    """Text safe inside <script>: a literal `</` would end the element early."""
    return text.replace("</", "<\\/")


def _json_for_script(value: Any) -> str:
    """JSON inside <script>: every `<` escaped (`\\u003c`), so no leak text (a sheet header,
    a path) can write `</script>` or `<!--` into the page; JSON.parse reads it back."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def render_html(data: ReportData) -> str:
    """The whole report as one self-contained HTML document."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(_PACKAGE, "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    template = env.get_template("report.html.j2")
    stat_charts = _stat_charts(data.stats)
    payload = {
        "timeline": data.timeline,
        "points": data.points,
        "stats": data.stats,
        "stat_charts": stat_charts,
    }
    return template.render(
        data=data,
        headline=data.headline,
        stats=data.stats,
        stat_charts=stat_charts,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        version=__version__,
        payload_json=Markup(_json_for_script(payload)),
        leaflet_js=Markup(_inline_script(_static("leaflet.js"))),
        leaflet_css=Markup(_static("leaflet.css")),
        chart_js=Markup(_inline_script(_static("chart.umd.js"))),
        locator=_locator_text,
        evidence=_evidence_items,
    )


def _stat_charts(stats: dict[str, Any]) -> list[dict[str, Any]]:
    """Each statistics chart that has data, as Chart.js takes it: the `--plot` chart's bars."""
    charts = {chart.name: chart for chart in CHARTS}
    shown = []
    for canvas, name in STAT_CHARTS.items():
        bars = charts[name].bars(stats)
        if bars is None:
            continue
        labels = bars.categories
        datasets = [
            {"label": label or bars.y_label, "data": [counts.get(c, 0) for c in labels]}
            for label, counts in bars.series.items()
        ]
        shown.append(
            {"id": canvas, "explain": charts[name].explain, "title": bars.title,
             "horizontal": bars.horizontal, "labels": labels, "datasets": datasets}
        )  # fmt: skip
    return shown


def _locator_text(locator: Any) -> str:
    if not locator:
        return ""
    if isinstance(locator, dict):
        return ", ".join(f"{k} {v}" for k, v in locator.items())
    return str(locator)


#: how much of one evidence value the report shows (passages can be long)
EVIDENCE_CHARS = 600


def _evidence_items(evidence: Any) -> list[tuple[str, str]]:
    """A finding's evidence as (name, text) pairs: texts as written, the rest as JSON."""
    if not isinstance(evidence, dict):
        return []
    items = []
    for key, value in evidence.items():
        if value is None or value == [] or value == {}:
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        if len(text) > EVIDENCE_CHARS:
            text = text[:EVIDENCE_CHARS] + " …"
        items.append((str(key), text))
    return items
