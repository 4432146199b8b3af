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
from veracity.report.build import ReportData

_PACKAGE = "veracity.report"


def _static(name: str) -> str:
    return (resources.files(_PACKAGE) / "static" / name).read_text(encoding="utf-8")


def _inline_script(text: str) -> str:
    """Text safe inside <script>: a literal `</` would end the element early."""
    return text.replace("</", "<\\/")


def _json_for_script(value: Any) -> str:
    return _inline_script(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


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
    payload = {"timeline": data.timeline, "points": data.points}
    return template.render(
        data=data,
        headline=data.headline,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        version=__version__,
        payload_json=Markup(_json_for_script(payload)),
        leaflet_js=Markup(_inline_script(_static("leaflet.js"))),
        leaflet_css=Markup(_static("leaflet.css")),
        chart_js=Markup(_inline_script(_static("chart.umd.js"))),
        locator=_locator_text,
    )


def _locator_text(locator: Any) -> str:
    if not locator:
        return ""
    if isinstance(locator, dict):
        return ", ".join(f"{k} {v}" for k, v in locator.items())
    return str(locator)
