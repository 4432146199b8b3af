"""`veracity report`: one self-contained HTML file whose figures are the case's own."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import run_ingest
from veracity.case import Case, open_case
from veracity.cli import cli
from veracity.report import ReportData, gather, render_html, write_report
from veracity.store import open_store
from veracity.synth import SynthConfig, generate, truth_path
from veracity.verify import CaseView, run_checks

#: an external URL where a browser would fetch it: src=, href= or CSS url(
EXTERNAL = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?)(?:https?:)?//""", re.I)
#: the one such literal in vendored code: Leaflet's attribution link, which the report turns
#: off (`attributionControl: false`), so it is never put on the page
ALLOWED = ('href="https://leafletjs.com"',)


@dataclass(frozen=True)
class Built:
    case: Case
    truth: list[dict[str, Any]]
    data: ReportData
    html: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("report")
    out = root / "leak"
    generate(out, SynthConfig(seed=5, people=150, photos=60, documents=14))
    case = open_case(root / "case", create=True)
    run_ingest(case, out)
    run_checks(case)
    data = write_report(case, root / "report.html")
    truth = json.loads(truth_path(out).read_text(encoding="utf-8"))["anomalies"]
    return Built(case, truth, data, (root / "report.html").read_text(encoding="utf-8"))


def test_report_makes_no_external_request(built: Built) -> None:
    text = built.html
    for allowed in ALLOWED:
        text = text.replace(allowed, "")
    hits = [text[m.start() : m.end() + 40] for m in EXTERNAL.finditer(text)]
    assert hits == []
    assert "<link" not in text  # every stylesheet is inlined


def test_inlined_data_parses_and_matches_the_photos(built: Built) -> None:
    found = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', built.html, re.S
    )
    assert found is not None
    payload = json.loads(found.group(1))
    store = open_store(built.case, migrate=False)
    try:
        images = list(CaseView(built.case, store).images())
    finally:
        store.close()
    with_gps = {i.path for i in images if isinstance(i.metadata.get("gps"), dict)}
    assert {p["path"] for p in payload["points"]} == with_gps
    dated = sum(1 for i in images if i.metadata.get("taken_at"))
    assert sum(sum(s["counts"]) for s in payload["timeline"]["series"]) == dated
    assert len(payload["timeline"]["days"]) == len(payload["timeline"]["series"][0]["counts"])


def test_headline_is_the_cases_own_counts(built: Built) -> None:
    store = open_store(built.case, migrate=False)
    try:
        view = CaseView(built.case, store)
        counts = store.counts()
        findings = list(store.iter_findings())
        records = list(view.records())
        persons = sum(1 for _ in store.iter_person_rows())
    finally:
        store.close()
    h = built.data.headline
    assert (h.files, h.paths, h.register_rows) == (
        counts["files"],
        counts["paths"],
        counts["extraction"]["rows"],
    )
    assert h.photos == sum(n for mime, n in counts["by_type"].items() if mime.startswith("image/"))
    assert (h.records, h.persons) == (len(records), persons)
    assert sum(h.findings.values()) == len(findings)
    flagged = {
        (f["path"], f["locator"]["sheet"], f["locator"]["row"])
        for f in findings
        if f["severity"] != "info" and isinstance(f["locator"], dict) and "row" in f["locator"]
    }
    consistent = [
        r
        for r in records
        if r.record.id_status == "valid" and (r.path, r.record.sheet, r.record.row) not in flagged
    ]
    assert h.consistent_records == len(consistent)
    assert 0 < h.consistent_records < h.records
    assert f"<b>{h.consistent_records}</b> of <b>{h.records}</b>" in built.html
    # every record that is not consistent is explained by at least one reason
    assert h.inconsistent_reasons and sum(h.inconsistent_reasons.values()) >= (
        h.records - h.consistent_records
    )
    for reason in h.inconsistent_reasons:
        assert f"<td>{html.escape(reason)}</td>" in built.html


def test_planted_anomalies_are_among_the_examples(built: Built) -> None:
    examples = {
        (f["path"], json.dumps(f["locator"], sort_keys=True))
        for section in built.data.checks
        for f in section.examples
        if f["severity"] != "info"
    }
    missing = [
        a
        for a in built.truth
        if (a["path"], json.dumps(a["locator"], sort_keys=True)) not in examples
    ]
    assert missing == []
    for anomaly in built.truth:
        assert html.escape(anomaly["path"]) in built.html


def test_examples_carry_their_evidence(built: Built) -> None:
    """What a check saw is in the report, not only its message: e.g. an ID's own birth date."""
    shown = [
        f
        for section in built.data.checks
        if section.name == "id_birth_date"
        for f in section.examples
    ]
    assert shown
    for finding in shown:
        value = finding["evidence"]["id_birth_date"]
        assert f"<dt>id_birth_date</dt><dd>{html.escape(str(value))}</dd>" in built.html


def test_every_check_is_shown_with_its_method(built: Built) -> None:
    from veracity.verify.registry import CHECKS

    for cls in CHECKS:
        assert f'id="check-{cls.NAME}"' in built.html
        assert f'id="method-{cls.NAME}"' in built.html
    assert "camera" in built.html.lower()
    assert (
        built.data.cameras
        and sum(c.photos for c in built.data.cameras) == built.data.headline.photos
    )


def test_cli_runs_checks_only_when_none_are_stored(
    make_case: Callable[..., Case], small_source: Path, tmp_path: Path
) -> None:
    case = make_case()
    run_ingest(case, small_source)
    out = tmp_path / "r.html"
    runner = CliRunner()
    args = ["report", "--out", str(out), "--case", str(case.root)]
    first = runner.invoke(cli, args, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "checks run now" in first.output
    assert "No photo carries a GPS position." in out.read_text(encoding="utf-8")
    second = runner.invoke(cli, args, catch_exceptions=False)
    assert second.exit_code == 0
    # identical_files stored a finding for the duplicated notice, so nothing is re-run
    assert "stored findings" in second.output


def test_a_case_without_anything_still_renders(make_case: Callable[..., Case]) -> None:
    data = gather(make_case())
    page = render_html(data)
    assert data.headline.records == 0
    assert "No photo carries a GPS position." in page
    assert "The case holds no photos." in page
    assert "there are no statistics" in page and 'id="stats-month-chart"' not in page


def test_a_real_browser_draws_the_chart_and_the_map_offline(built: Built, tmp_path: Path) -> None:
    """Debian's Chromium opens the report with the network switched off and runs its scripts."""
    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("Debian's chromium is not installed (scripts/system-deps.sh installs it)")
    page = tmp_path / "report.html"
    page.write_text(built.html, encoding="utf-8")
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
         "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-500:]
    dom = done.stdout
    assert 'class="leaflet-container' in dom or "leaflet-container " in dom, "the map did not draw"
    assert re.search(r'<canvas id="timeline-chart"[^>]*width="\d+"', dom), "no chart drawn"
    for canvas in ("stats-month-chart", "stats-status-chart", "stats-age-chart"):
        assert re.search(rf'<canvas id="{canvas}"[^>]*width="\d+"', dom), f"{canvas} not drawn"
    assert dom.count("leaflet-interactive") >= len(built.data.points) > 0


@pytest.fixture
def placed(make_case: Callable[..., Case], tmp_path: Path) -> ReportData:
    """Five photos of one camera at two places and one known site, verified with --sites."""
    from datetime import timedelta

    from tests.verify.checks._media import SHUFU, TAKEN, shot, write_photo
    from veracity.synth._exif import OUTLIER_POINT, GeoPoint

    src = tmp_path / "src"
    for k in range(4):
        near = GeoPoint(SHUFU.lat + k * 0.001, SHUFU.lon, SHUFU.alt)
        write_photo(src / f"DSC_01{k}.JPG", shot(TAKEN + timedelta(minutes=k), gps=near))
    write_photo(src / "DSC_019.JPG", shot(gps=OUTLIER_POINT))
    sites = tmp_path / "sites.geojson"
    feature = {"type": "Feature", "properties": {"name": "<b>kss</b>"},
               "geometry": {"type": "Point", "coordinates": [SHUFU.lon, SHUFU.lat]}}  # fmt: skip
    sites.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    case = make_case()
    run_ingest(case, src)
    run_checks(case, ["photo_gps_clusters"], {"sites": sites})
    return gather(case)


def test_the_map_shows_clusters_and_sites_from_stored_findings(
    placed: ReportData, tmp_path: Path
) -> None:
    clusters, sites = placed.places["clusters"], placed.places["sites"]
    assert sorted(c["photos"] for c in clusters) == [1, 4]
    assert [c["flagged"] for c in clusters if c["photos"] == 1] == [True]
    assert sites == [{"name": "<b>kss</b>", "lat": 39.4035, "lon": 75.8147}]
    page = render_html(placed)
    assert "<b>kss</b>" not in page  # the site's name is data, never markup
    raw = re.search(r'<script type="application/json" id="map-places">(.*?)</script>', page, re.S)
    assert raw and json.loads(raw.group(1)) == placed.places
    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("Debian's chromium is not installed (scripts/system-deps.sh installs it)")
    (tmp_path / "report.html").write_text(page, encoding="utf-8")
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}",
         "--virtual-time-budget=5000", "--dump-dom", (tmp_path / "report.html").as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.count("leaflet-interactive") >= len(placed.points) + len(clusters) + 1


def test_statistics_are_the_stats_commands_own(built: Built) -> None:
    """The section shows `compute_stats`' figures and inlines that very dict for the charts."""
    from veracity.analyze.stats import compute_stats

    stats = compute_stats(built.case)
    assert built.data.stats == stats and stats["people"] > 0
    found = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', built.html, re.S
    )
    assert found is not None and json.loads(found.group(1))["stats"] == stats
    section = built.html.split('<section id="statistics">')[1].split("</section>")[0]
    assert f"<b>{stats['people']}</b>persons" in section
    for year, n in stats["detained"]["by_year"].items():
        assert f"<b>{n}</b>detentions began in {year}" in section
    share = f"{100 * stats['detained_adult_share']:.1f} %"
    assert f'<b id="adult-share">{share}</b>' in section
    for key in ("detained.by_month", "status.by_category", "age_at_detention.histogram"):
        assert f"veracity stats explain {key}" in section


def test_statistics_charts_without_data_are_left_out(make_case: Callable[..., Case]) -> None:
    from dataclasses import replace

    from tests.analyze.test_plots import STATS

    stats = {**STATS, "age_at_detention": {"count": 0, "histogram": {"男": {"0-17": 0}}}}
    page = render_html(replace(gather(make_case()), stats=stats))
    assert 'id="stats-month-chart"' in page and 'id="stats-status-chart"' in page
    assert 'id="stats-age-chart"' not in page
    assert '<b id="adult-share">15.5 %</b>' in page


def test_leak_text_in_the_inlined_data_cannot_leave_its_script() -> None:
    """A sheet header or path reaches the report's JSON (the figures' basis): `</script>` or
    `<!--` in it must not end or derail the script element."""
    from veracity.report.render import _json_for_script

    hostile = {"basis": {"header": "</script><script>alert(1)</script><!--<script>"}}
    text = _json_for_script(hostile)
    assert "<" not in text and json.loads(text) == hostile
