"""The authenticity report: one self-contained HTML file an editor can read, offline."""

from __future__ import annotations

from pathlib import Path

from veracity.case import Case
from veracity.report.build import Camera, CheckSection, Headline, ReportData, gather
from veracity.report.render import render_html

__all__ = [
    "Camera",
    "CheckSection",
    "Headline",
    "ReportData",
    "gather",
    "render_html",
    "write_report",
]


def write_report(case: Case, out: Path, *, rerun: bool = False) -> ReportData:
    """Gather the case's figures (running the checks if none are stored) and write `out`."""
    data = gather(case, rerun=rerun)
    out.write_text(render_html(data), encoding="utf-8")
    return data
