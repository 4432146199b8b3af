"""One vocabulary of file kinds: the rule itself, its SQL twin, and every view of a case agreeing.

The end-to-end test ingests one file of each kind and asks stats, `stats explain`, the report,
the search `type:` field and facet, `veracity files --json` and the checks' view which files
are of which kind: they must all give the same answer, for every kind `kinds.py` defines.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import create_engine, literal, select

from tests.conftest import Cli, run_ingest
from tests.search.conftest import searching
from veracity import kinds
from veracity.analyze.explain import RULES
from veracity.analyze.stats import compute_stats
from veracity.case import Case, open_case
from veracity.extract.registry import EXTRACTORS
from veracity.kinds import KINDS, kind_of, subtype_of
from veracity.report.build import gather
from veracity.store import open_store
from veracity.store._analyze_sql import PHOTO_EXTRACTORS, kind_sql
from veracity.verify import CaseView

EML = (
    "Received: from mail.example.org\n"
    "From: a@example.org\nTo: b@example.org\nSubject: 通知\n"
    "Date: Mon, 5 Mar 2018 10:00:00 +0800\nMIME-Version: 1.0\n"
    'Content-Type: text/plain; charset="utf-8"\n\n会议在喀什召开。\n'
)

#: (extractor, MIME type, metadata) -> kind; the cases the rule must settle
CASES: list[tuple[str | None, str | None, dict[str, Any], str]] = [
    ("image", "image/jpeg", {}, "photo"),
    ("csv", "text/csv", {}, "spreadsheet"),
    ("spreadsheet", "application/vnd.ms-excel", {}, "spreadsheet"),
    ("text", "text/plain", {}, "document"),
    ("pptx", "application/zip", {}, "document"),
    ("ole", "application/msword", {"program": "word"}, "document"),
    ("ole", "application/x-ole-storage", {"program": "excel"}, "spreadsheet"),
    ("ole", "application/CDFV2", {"program": "powerpoint"}, "document"),
    ("ole", "application/vnd.ms-excel", {}, "spreadsheet"),
    ("ole", "application/vnd.ms-outlook", {"program": "unknown"}, "email"),
    ("ole", "application/vnd.ms-excel", {"program": "word"}, "document"),
    ("eml", "message/rfc822", {}, "email"),
    ("msg", "application/vnd.ms-outlook", {}, "email"),
    ("zip", "application/zip", {}, "archive"),
    ("sevenzip", "application/x-7z-compressed", {}, "archive"),
    ("tar", "application/gzip", {}, "archive"),
    ("media", "video/mp4", {}, "other"),
    (None, "application/octet-stream", {}, "other"),
    ("someday", "application/x-new", {}, "other"),
]


@pytest.mark.parametrize(("extractor", "mime", "metadata", "kind"), CASES)
def test_kind_of(
    extractor: str | None, mime: str | None, metadata: dict[str, Any], kind: str
) -> None:
    assert kind_of(extractor, mime, metadata) == kind


def test_sql_decides_as_python_does() -> None:
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        for extractor, mime, metadata, kind in CASES:
            expr = kind_sql(literal(extractor), literal(mime), literal(json.dumps(metadata)))
            assert conn.execute(select(expr)).scalar() == kind, (extractor, mime, metadata)


def test_every_registered_extractor_has_a_kind() -> None:
    assert {cls.NAME for cls in EXTRACTORS} == set(kinds.BY_EXTRACTOR)


def test_every_kind_is_counted_described_and_explained() -> None:
    assert set(kinds.COUNT_KEYS) == set(KINDS) == set(kinds.DESCRIPTIONS)
    prefixes = {rule.prefix for rule in RULES}
    assert {kinds.COUNT_KEYS[k] for k in KINDS} <= prefixes


def test_a_photo_is_decided_by_its_extractor_alone() -> None:
    """Photo figures filter on PHOTO_EXTRACTORS without joining `files`: no rule may override."""
    overrides = [r for r in (*kinds.BY_METADATA, *kinds.BY_MIME) if r[0] in PHOTO_EXTRACTORS]
    assert not overrides and "photo" not in {r[-1] for r in (*kinds.BY_METADATA, *kinds.BY_MIME)}


def test_presentations_text_and_media_keep_a_subtype() -> None:
    assert subtype_of("pptx") == "presentation"
    assert subtype_of("ole", "application/cdfv2", {"program": "powerpoint"}) == "presentation"
    assert (
        subtype_of("ole", "application/vnd.ms-powerpoint", {"program": "unknown"}) == "presentation"
    )
    assert subtype_of("ole", "application/msword", {"program": "word"}) is None
    assert subtype_of("text") == "text" and subtype_of("media") == "media"
    assert subtype_of("csv") is None


# --- one file of each kind, seen by every view ------------------------------------------------


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "teal").save(out, "JPEG")
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("inner/readme.md", "# 说明\n压缩包里的文件。\n")
    return out.getvalue()


#: path -> (bytes, its kind); the zip's member is a document of its own
FILES: dict[str, tuple[bytes, str]] = {
    "名单.csv": ("姓名,身份证号\n张三,65312119800101001X\n".encode(), "spreadsheet"),
    "mail/notice.eml": (EML.encode(), "email"),
    "docs/note.txt": ("关于加强管理的通知\n".encode(), "document"),
    "photos/IMG_0001.jpg": (_jpeg(), "photo"),
    "bundle.zip": (_zip(), "archive"),
    "blob.bin": (bytes(range(256)) * 4, "other"),
}


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    root = tmp_path_factory.mktemp("kinds")
    src = root / "src"
    for path, (data, _) in FILES.items():
        (src / path).parent.mkdir(parents=True, exist_ok=True)
        (src / path).write_bytes(data)
    built = open_case(root / "case", create=True)
    run_ingest(built, src, workers=1)
    return built


def _by_kind(pairs: Iterator[tuple[str, str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {k: set() for k in KINDS}
    for kind, sha in pairs:
        out[kind].add(sha)
    return out


@pytest.fixture(scope="module")
def expected(case: Case) -> dict[str, set[str]]:
    """The contents of each kind as the files were written (the zip member a document)."""
    store = open_store(case, migrate=False)
    try:
        rows = list(store.iter_paths())
    finally:
        store.close()
    planted = {p: k for p, (_, k) in FILES.items()}
    return _by_kind((planted.get(r["path"], "document"), r["sha256"]) for r in rows if r["sha256"])


def test_stats_count_every_kind(case: Case, expected: dict[str, set[str]]) -> None:
    stats = compute_stats(case)
    counts = {k: stats[kinds.COUNT_KEYS[k]] for k in KINDS}
    assert counts == {k: len(v) for k, v in expected.items()}
    assert counts["spreadsheet"] == 1 and counts["document"] == 2  # the CSV is no document
    assert stats["files"] == sum(counts.values())


def test_explain_lists_the_files_each_kind_counts(
    case: Case, expected: dict[str, set[str]]
) -> None:
    store = open_store(case, migrate=False)
    try:
        listed = {k: {r["sha256"] for r in store.figure_files(k)} for k in KINDS}
    finally:
        store.close()
    assert listed == expected


def test_report_headline_counts_as_stats(case: Case, expected: dict[str, set[str]]) -> None:
    headline = gather(case).headline
    assert headline.kinds == {k: len(v) for k, v in expected.items()}
    assert headline.documents == 2 and headline.photos == 1


def test_search_type_is_the_kind(case: Case, expected: dict[str, set[str]]) -> None:
    with searching(case) as search:
        found = {
            k: {
                h.sha256 or "" for h in search.iter_hits(f"type:{k}") if h.kind in ("file", "photo")
            }
            for k in KINDS
        }
        facet = search.search("type:email OR type:spreadsheet OR type:document", limit=0).facets
        eml = {h.path for h in search.iter_hits("type:email")}
        texts = {h.path for h in search.iter_hits("type:text")}
    assert found == expected
    assert eml == {"mail/notice.eml"}
    assert "docs/note.txt" in texts and "名单.csv" not in texts  # `type:text` still finds text
    assert set(facet["type"]) == {"email", "spreadsheet", "document"}  # subtypes are not kinds


def test_files_json_and_checks_view_agree(case: Case, expected: dict[str, set[str]]) -> None:
    cli = Cli(case.root)
    result = cli("files", "--json")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert _by_kind((r["kind"], r["sha256"]) for r in rows if r["sha256"]) == expected
    store = open_store(case, migrate=False)
    try:
        view = CaseView(case, store)
        assert {k: {f.sha256 for f in view.of_kind(k)} for k in KINDS} == expected
        assert {f.sha256 for f in view.documents()} == expected["document"]
        assert {f.sha256 for f in view.images()} == expected["photo"]
    finally:
        store.close()
