"""The documents of the synthetic leak: speeches, notices, drills, reports, scans, an archive.

Like the 2022 files, the leak holds Word speeches and notices (marked 机密), PowerPoint drills,
PDF reports with statistics, scanned pages and a zip of collected files. Two Office files carry
planted metadata contradictions and one PDF an incremental update; a sibling reference folder
holds "earlier published" texts sharing passages with chosen leak documents. Everything is
recorded in the truth so the extractors, the checks and the search can be scored.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from veracity.synth._common import (
    FIXED_NOW,
    SynthConfig,
    Truth,
    abstract_image,
    jpeg_bytes,
    reference_path,
    relpath,
    set_times,
    stream,
)
from veracity.synth._office import OfficeMeta, write_docx, write_pptx
from veracity.synth._pdf import (
    SCANNER,
    PdfMeta,
    scan_image,
    write_pdf,
    write_revised_pdf,
    write_scan,
)
from veracity.synth._texts import (
    CLASSIFICATIONS,
    ORGS,
    Deck,
    Doc,
    Prose,
    briefing,
    cadre_name,
    edit_passage,
    notice,
    report,
    scan_text,
    sentences,
    speech,
    zh_date,
)
from veracity.synth.population import COUNTIES, Person

ARCHIVE = "documents/archive/文件汇编.zip"
NESTED = "附件/附件材料.zip"
FOLDERS = dict(speech="讲话", notice="通知", briefing="演练", report="报告", scan="扫描件")
WORD, POWERPOINT = "Microsoft Office Word", "Microsoft Office PowerPoint"
WPS = "WPS Office_10.1.0.7106_F1E327BC-269C-435d-A152-05C5408002CA"
#: The release dates assumed for the Office versions an AppVersion names (checks may share it).
OFFICE_RELEASES = {
    "12.0000": date(2007, 1, 30),
    "14.0000": date(2010, 6, 15),
    "15.0000": date(2013, 1, 29),
    "16.0000": date(2015, 9, 22),
}
AUTHOR_ALIASES = ("Administrator", "微软用户", "Windows 用户", "USER")
COMPANIES = ("", "微软中国", "Microsoft")
PDF_TOOLS = (
    ("Microsoft® Word 2016", "Microsoft® Word 2016"),
    ("Microsoft® Word 2010", "Microsoft® Word 2010"),
    ("Acrobat PDFMaker 11 Word 版", "Adobe PDF Library 11.0"),
)
REVISER = "Adobe Acrobat Pro 11.0.23"
_FIRST = datetime(2017, 1, 3, 9, 0)
_LAST = datetime(2018, 7, 31, 18, 0)
_SCAN_WIDTH = 22  # characters per scanned line at 32 px


@dataclass(frozen=True)
class _Item:
    """One composed document before it is written: what it says and what its metadata says."""

    kind: str
    county: str
    content: Doc | Deck
    meta: OfficeMeta | PdfMeta
    modified: datetime

    @property
    def suffix(self) -> str:
        office = ".pptx" if isinstance(self.content, Deck) else ".docx"
        return office if isinstance(self.meta, OfficeMeta) else ".pdf"

    def filename(self) -> str:
        return f"{self.meta.created:%Y%m%d}{self.content.title}{self.suffix}"


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


class _Builder:
    """Holds the random stream and the truth lists while the documents are written in order."""

    def __init__(self, out: Path, people: Sequence[Person], config: SynthConfig, truth: Truth):
        self.out, self.people, self.truth = out, list(people), truth
        self.rng = stream(config.seed, "documents")
        # Documents speak of one county at a time and name that county's people.
        self.local: dict[str, list[Person]] = {}
        for person in self.people:
            for county in COUNTIES:
                if county.name_zh in person.address:
                    self.local.setdefault(county.name_zh, []).append(person)
        self.counties = sorted(self.local) or [COUNTIES[0].name_zh]
        self.written: list[Path] = []
        self.taken: set[Path] = set()
        self.records: list[dict[str, Any]] = truth.sections.setdefault("documents", [])

    def dates(self) -> tuple[datetime, datetime]:
        span = int((_LAST - _FIRST).total_seconds() // 60)
        created = _FIRST + timedelta(minutes=self.rng.randrange(span))
        created = created.replace(hour=self.rng.randrange(9, 19), second=self.rng.randrange(60))
        modified = created + timedelta(minutes=self.rng.randrange(15, 60 * 24 * 30))
        return created, min(modified, FIXED_NOW - timedelta(days=1))

    def person(self) -> str:
        return cadre_name(self.rng) if self.rng.random() < 0.4 else self.rng.choice(AUTHOR_ALIASES)

    def compose(
        self,
        kind: str,
        when: tuple[datetime, datetime] | None = None,
        app: tuple[str, str | None] | None = None,
    ) -> _Item:
        created, modified = when or self.dates()
        rng, day = self.rng, created.date()
        county = rng.choice(self.counties)
        people = self.local.get(county, self.people)
        content: Doc | Deck
        if kind == "speech":
            content = speech(rng, county, day)
        elif kind == "notice":
            content = notice(rng, county, day, people)
        elif kind == "briefing":
            content = briefing(rng, county, day)
        else:
            content = report(rng, county, day, people)
        author = self.person()
        secret = [c for c in CLASSIFICATIONS if c.startswith("机密")]  # drills are all 机密
        marking = rng.choice(secret if kind == "briefing" else CLASSIFICATIONS)
        if kind == "report":
            creator, producer = rng.choice(PDF_TOOLS)
            pdf = PdfMeta(content.title, author, creator, producer, created, marking)
            return _Item(kind, county, content, pdf, created)
        if app is None:
            version = rng.choice((*sorted(OFFICE_RELEASES)[1:], None))
            office = POWERPOINT if kind == "briefing" else WORD
            app = (office, version) if version else (WPS, None)
        meta = OfficeMeta(
            title=content.title,
            author=author,
            last_modified_by=author if rng.random() < 0.5 else self.person(),
            created=created,
            modified=modified,
            revision=rng.randrange(2, 30),
            application=app[0],
            app_version=app[1],
            company=rng.choice((*COMPANIES, rng.choice(ORGS).format(county=county))),
            classification=marking,
            total_time=rng.randrange(5, 600),
        )
        return _Item(kind, county, content, meta, modified)

    def render(self, item: _Item, path: Path) -> dict[str, Any]:
        """Write `item` to `path` in its format; return the truth fields the format adds."""
        path.parent.mkdir(parents=True, exist_ok=True)
        meta, content = item.meta, item.content
        if isinstance(content, Deck):
            assert isinstance(meta, OfficeMeta)
            picture = jpeg_bytes(abstract_image(self.rng, 640, 400, label="示意图"))
            extra: dict[str, Any] = {"slides": write_pptx(path, content, meta, picture)}
        elif isinstance(meta, OfficeMeta):
            extra = {"pages": write_docx(path, content, meta)}
        else:
            extra = {"pages": write_pdf(path, content, meta), "revisions": 1}
        set_times(path, item.modified)
        return extra

    def record(self, path: str, item: _Item, extra: dict[str, Any]) -> None:
        meta, content = item.meta, item.content
        entry: dict[str, Any] = {
            "path": path,
            "kind": item.kind,
            "title": content.title,
            "author": meta.author,
            "created": _iso(meta.created),
            "modified": _iso(item.modified),
            "classification": meta.classification,
            "mentions": list(content.mentions) if isinstance(content, Doc) else [],
            "languages": list(content.languages),
        }
        if isinstance(meta, OfficeMeta):
            entry |= dict(last_modified_by=meta.last_modified_by, revision=meta.revision)
            entry |= dict(application=meta.application, app_version=meta.app_version)
        else:
            entry |= {"creator": meta.creator, "producer": meta.producer}
        self.records.append(entry | extra)

    def place(self, item: _Item) -> Path:
        folder = self.out / "documents" / FOLDERS[item.kind]
        path, n = folder / item.filename(), 2
        while path in self.taken:  # not path.exists(): a rerun into OUT must name files alike
            path = folder / f"{path.stem.split('(')[0]}({n}){path.suffix}"
            n += 1
        self.taken.add(path)
        return path

    def loose(self, item: _Item) -> str:
        path = self.place(item)
        self.record(self.rel(path), item, self.render(item, path))
        self.written.append(path)
        return self.rel(path)

    def rel(self, path: Path) -> str:
        return relpath(self.out, path)


def _counts(total: int) -> dict[str, int]:
    """How many documents of each kind: every kind at least twice (briefings once)."""
    n = max(total, 14)
    counts = {
        "scan": max(2, n // 10),
        "archived": max(2, n // 10),
        "briefing": max(1, n * 3 // 20),
        "report": max(2, n // 5),
        "speech": max(2, n // 5),
    }
    counts["notice"] = max(2, n - sum(counts.values()))
    return counts


def _anomalies(b: _Builder) -> None:
    """One docx dated backwards, one saved by an Office that did not exist yet."""
    created, modified = b.dates()
    backwards = b.compose("notice", (modified, created - timedelta(days=b.rng.randrange(20, 90))))
    dated = {"created": _iso(modified), "modified": _iso(backwards.modified)}
    b.truth.add(b.loose(backwards), None, "office_created_after_modified", **dated)
    early = datetime(2014, 5, 1, 10, b.rng.randrange(60), b.rng.randrange(60))
    when = (early, early + timedelta(days=b.rng.randrange(5, 40), minutes=b.rng.randrange(600)))
    path = b.loose(b.compose("speech", when, (WORD, "16.0000")))
    detail = {"application": WORD, "app_version": "16.0000", "created": _iso(when[0])}
    detail |= {"modified": _iso(when[1]), "release_date": OFFICE_RELEASES["16.0000"].isoformat()}
    b.truth.add(path, None, "office_version_anachronism", **detail)


def _revised_report(b: _Builder) -> None:
    """A report saved twice: a note added later as an incremental update (a 2nd revision)."""
    item = b.compose("report")
    assert isinstance(item.meta, PdfMeta) and isinstance(item.content, Doc)
    when = item.meta.created + timedelta(days=b.rng.randrange(2, 20), hours=b.rng.randrange(8))
    when = min(when, FIXED_NOW - timedelta(hours=b.rng.randrange(1, 48)))
    note = f"（本报告已于{zh_date(when.date())}修订，数据以修订稿为准）"
    path = b.place(item)
    path.parent.mkdir(parents=True, exist_ok=True)
    pages = write_revised_pdf(path, item.content, item.meta, note, REVISER, when)
    set_times(path, when)
    extra = {"pages": pages, "revisions": 2, "revision_text": note, "producer": REVISER}
    b.record(b.rel(path), replace(item, modified=when), extra)
    b.written.append(path)


def _scans(b: _Builder, count: int) -> None:
    folder = b.out / "documents" / FOLDERS["scan"]
    folder.mkdir(parents=True, exist_ok=True)
    scans: list[dict[str, Any]] = b.truth.sections.setdefault("scans", [])
    for i in range(count):
        created, _ = b.dates()
        lines = scan_text(b.rng, b.rng.choice(b.counties), created.date(), _SCAN_WIDTH)
        img = scan_image(b.rng, lines)
        suffix = ".pdf" if i == 0 else ".jpg" if i % 2 else ".png"
        path = folder / f"扫描{created:%Y%m%d%H%M%S}{suffix}"
        write_scan(path, img, created)
        set_times(path, created)
        rel, text = b.rel(path), "\n".join(lines)
        scans.append({"path": rel, "text": text, "width": img.width, "height": img.height})
        entry = dict(path=rel, kind="scan", title="", author="", created=_iso(created), pages=1)
        entry |= dict(modified=_iso(created), mentions=[], languages=["zh"])
        if suffix == ".pdf":
            entry |= {"creator": SCANNER[0], "producer": SCANNER[1]}
        b.records.append(entry)
        b.written.append(path)


def _zip(members: Sequence[tuple[str, bytes, datetime]]) -> bytes:
    """A zip with each member dated by its document; non-ASCII names get the UTF-8 flag."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, when in members:
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buf.getvalue()


def _archive(b: _Builder, count: int) -> None:
    outer: list[tuple[str, bytes, datetime]] = []
    inner: list[tuple[str, bytes, datetime]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(count):
            item = b.compose(("notice", "speech", "report")[i % 3])
            scratch = Path(tmp) / f"{i}{item.suffix}"
            extra = b.render(item, scratch)
            member = (item.filename(), scratch.read_bytes(), item.modified)
            if i == count - 1:
                inner.append(member)
                b.record(f"{ARCHIVE}!/{NESTED}!/{member[0]}", item, extra)
            else:
                name = f"{item.meta.created.year}年文件/{member[0]}"
                outer.append((name, member[1], member[2]))
                b.record(f"{ARCHIVE}!/{name}", item, extra)
    newest = max(m[2] for m in (*outer, *inner))
    outer.append((NESTED, _zip(inner), max(m[2] for m in inner)))
    path = b.out / ARCHIVE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_zip(outer))
    set_times(path, newest)
    b.written.append(path)


def _reference(b: _Builder, sources: Sequence[tuple[_Item, str, str]]) -> None:
    """Earlier published versions sharing passages with leak documents, outside the leak."""
    root = reference_path(b.out)
    refs: list[dict[str, Any]] = b.truth.sections.setdefault("reference_documents", [])
    for item, leak_path, suffix in sources:
        assert isinstance(item.content, Doc)
        long = [x for x in item.content.blocks if isinstance(x, str) and len(x) > 40]
        cut = min(3, len(long) - 1)  # the passage after the shared ones is the edited one
        shared, original = long[:cut], long[cut]
        edited = edit_passage(original)
        published = item.meta.created - timedelta(days=b.rng.randrange(3, 30))
        prose = Prose(b.rng, item.county, published.date(), sentences(item.content))
        lead = f"{zh_date(published.date())}，" + prose.paragraph("situation")
        blocks = (lead, *shared, edited, prose.paragraph("require"))
        doc = Doc(f"{item.content.title}（摘编）", blocks)
        path = root / "documents" / f"{published:%Y%m%d}{doc.title}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        author = b.person()
        if suffix == ".txt":
            path.write_text("\n\n".join((doc.title, *blocks)) + "\n", encoding="utf-8")
        elif suffix == ".pdf":
            write_pdf(path, doc, PdfMeta(doc.title, author, *PDF_TOOLS[0], published))
        else:
            meta = OfficeMeta(
                doc.title, author, author, published, published, 1, WORD, "15.0000", "", "", 30
            )
            write_docx(path, doc, meta)
        set_times(path, published)
        refs.append(
            {
                "leak_path": leak_path,
                "reference_path": path.relative_to(root).as_posix(),
                "shared_passages": shared,
                "edited_passages": [{"leak": original, "reference": edited}],
            }
        )


def write_documents(
    out: Path, people: Sequence[Person], config: SynthConfig, truth: Truth
) -> list[Path]:
    """Write about `config.documents` documents under `out/documents/` and the reference folder.

    Returns the files written inside the leak (the reference folder's are not among them).
    Times in the truth are as each file states them, without a zone: Office core properties in
    UTC (their "Z"), PDF dates in local time (their "+08'00'"), zip member times as DOS times.
    Truth sections filled: "documents", "scans", "reference_documents", plus two anomalies.
    """
    b = _Builder(out, people, config, truth)
    counts = _counts(config.documents)
    _anomalies(b)
    sources: list[tuple[_Item, str, str]] = []
    _revised_report(b)
    for kind, suffix in (("speech", ".txt"), ("notice", ".docx"), ("report", ".pdf")):
        for i in range(counts[kind] - 1):  # one of each is already written above
            item = b.compose(kind)
            path = b.loose(item)
            if i == 0:
                sources.append((item, path, suffix))
    for _ in range(counts["briefing"]):
        b.loose(b.compose("briefing"))
    _scans(b, counts["scan"])
    _archive(b, counts["archived"])
    _reference(b, sources)
    return b.written
