"""The synthetic documents re-opened in their own libraries, checked against the truth."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import docx
import pptx
import pytest
from PIL import Image
from pptx.enum.shapes import MSO_SHAPE_TYPE

from veracity.synth._common import SynthConfig, Truth
from veracity.synth.documents import OFFICE_RELEASES, write_documents
from veracity.synth.population import Person

NAMES = [
    ("阿卜杜热合曼", "艾山"),
    ("古丽努尔", "买买提"),
    ("努尔买买提", "吐尔逊"),
    ("阿依古丽", "热合曼"),
    ("艾克拜尔", "玉素甫"),
    ("帕提古丽", "阿不都"),
    ("买合木提", "依明"),
    ("热依拉", "托合提"),
    ("吐尔洪", "斯迪克"),
    ("米热古丽", "卡德尔"),
]
STATUSES = ("正常", "教培", "收押", "拘留", "判刑")


def _person(i: int) -> Person:
    given, father = NAMES[i]
    detained = STATUSES[i % 5] != "正常"
    return Person(
        key=f"P{i:06d}",
        id_number=f"65312119{80 + i}0{i % 9 + 1}0{i % 9 + 1}{i:03d}X",
        given_name_zh=given,
        father_name_zh=father,
        given_name_latin="Name",
        father_name_latin="Father",
        sex="男" if i % 2 else "女",
        ethnicity="维吾尔族",
        birth_date=date(1980 + i, i % 9 + 1, i % 9 + 1),
        county_code="653121",
        village=("托克扎克镇1村", "布拉克苏乡3村")[i % 2],
        address=("新疆喀什地区疏附县", "新疆伊犁哈萨克自治州特克斯县")[i % 2] + "某村",
        status=STATUSES[i % 5],
        detention_start=date(2017, 5, i + 1) if detained else None,
        facility=None,
        building=None,
        cell=None,
        sentence_months=None,
        reason=None,
    )


PEOPLE = [_person(i) for i in range(len(NAMES))]
CONFIG = SynthConfig(seed=7, documents=14)


def _generate(root: Path, config: SynthConfig = CONFIG) -> tuple[Path, Truth, list[Path]]:
    out = root / "leak"
    out.mkdir(parents=True)
    truth = Truth(seed=config.seed)
    return out, truth, write_documents(out, PEOPLE, config, truth)


@pytest.fixture(scope="module")
def leak(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth, list[Path]]:
    return _generate(tmp_path_factory.mktemp("docs"))


def _docs(truth: Truth, suffix: str = "", loose: bool = True) -> Iterator[dict[str, Any]]:
    for entry in truth.sections["documents"]:
        if entry["path"].endswith(suffix) and (not loose or "!/" not in entry["path"]):
            yield entry


def _iso(value: datetime) -> str:
    return value.replace(tzinfo=None).isoformat(timespec="seconds")


def _app_props(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("docProps/app.xml").decode()
    return dict(re.findall(r"<(\w+)>([^<]*)</\1>", xml))


def _docx_text(source: Path | bytes) -> str:
    document = docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _literal(raw: bytes) -> bytes:
    """A PDF literal string's bytes (escapes resolved)."""
    out, i = bytearray(), 0
    simple = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    while i < len(raw):
        char = raw[i : i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        nxt = raw[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(), 8))
            i += 1 + len(octal.group())
        else:
            out += simple.get(nxt, b"" if nxt in b"\r\n" else nxt)
            i += 2
    return bytes(out)


def _decode(value: bytes) -> str:
    return (
        value[2:].decode("utf-16-be") if value.startswith(b"\xfe\xff") else value.decode("latin-1")
    )


def _pdf_text(path: Path) -> str:
    """Text as Debian's poppler-utils extracts it: the embedded fonts must map to Unicode."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (Debian poppler-utils) is not installed")
    run = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    assert run.returncode == 0, run.stderr
    return run.stdout.decode()


def _pdf_info(data: bytes) -> dict[str, str]:
    """The Info dictionary the last trailer points to (so an incremental update wins)."""
    number = re.findall(rb"/Info (\d+) 0 R", data)[-1]
    body = re.findall(rb"\n" + number + rb" 0 obj\n(.*?)endobj", data, re.S)[-1]
    info = {}
    for key, lit, hexa in re.findall(rb"/(\w+) (?:\(((?:[^\\)]|\\.)*)\)|<([0-9A-Fa-f]*)>)", body):
        raw = _literal(lit) if not hexa else bytes.fromhex(hexa.decode())
        info[key.decode()] = _decode(raw)
    return info


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _text(path: Path) -> str:
    if path.suffix == ".docx":
        return _docx_text(path)
    if path.suffix == ".pdf":
        return _pdf_text(path)
    return path.read_text(encoding="utf-8")


def test_every_document_is_recorded_and_written(leak: tuple[Path, Truth, list[Path]]) -> None:
    out, truth, written = leak
    entries = truth.sections["documents"]
    assert len(entries) == CONFIG.documents
    assert {e["kind"] for e in entries} == {"speech", "notice", "briefing", "report", "scan"}
    assert all(p.is_file() and p.is_relative_to(out / "documents") for p in written)
    for entry in _docs(truth):
        assert (out / entry["path"]).is_file(), entry["path"]
        assert "pages" in entry or "slides" in entry
    assert all(
        e["created"] <= e["modified"] <= "2018-08-15T09:30"
        for e in entries
        if e["path"] not in {a.path for a in truth.anomalies}
    )


def test_docx_properties_match_the_truth(leak: tuple[Path, Truth, list[Path]]) -> None:
    out, truth, _ = leak
    for entry in _docs(truth, ".docx"):
        path = out / entry["path"]
        props = docx.Document(str(path)).core_properties
        assert (props.title, props.author) == (entry["title"], entry["author"])
        assert props.last_modified_by == entry["last_modified_by"]
        assert props.revision == entry["revision"]
        assert (_iso(props.created), _iso(props.modified)) == (entry["created"], entry["modified"])
        app = _app_props(path.read_bytes())
        assert app["Application"] == entry["application"]
        assert app.get("AppVersion") == entry["app_version"]
        assert int(app["Pages"]) == entry["pages"]
        with zipfile.ZipFile(path) as z:
            assert "docProps/thumbnail.jpeg" not in z.namelist()
            assert b"python-docx" not in z.read("docProps/core.xml")
        assert docx.Document(str(path)).sections[0].header.paragraphs[0].text


def test_pptx_slides_are_marked_with_notes_and_one_picture(
    leak: tuple[Path, Truth, list[Path]],
) -> None:
    out, truth, _ = leak
    decks = list(_docs(truth, ".pptx"))
    assert decks
    for entry in decks:
        prs = pptx.Presentation(str(out / entry["path"]))
        props = prs.core_properties
        assert (props.title, props.author, props.revision) == (
            entry["title"],
            entry["author"],
            entry["revision"],
        )
        assert (_iso(props.created), _iso(props.modified)) == (entry["created"], entry["modified"])
        assert len(prs.slides) == entry["slides"]
        pictures = 0
        for slide in prs.slides:
            texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
            assert "机密" in texts
            assert slide.notes_slide.notes_text_frame.text
            pictures += sum(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes)
        assert pictures == 1
        app = _app_props((out / entry["path"]).read_bytes())
        assert int(app["Slides"]) == entry["slides"]


def test_planted_office_anomalies_are_really_there(leak: tuple[Path, Truth, list[Path]]) -> None:
    out, truth, _ = leak
    kinds = {a.kind: a for a in truth.anomalies}
    assert set(kinds) == {"office_created_after_modified", "office_version_anachronism"}
    backwards = docx.Document(str(out / kinds["office_created_after_modified"].path))
    assert backwards.core_properties.created > backwards.core_properties.modified
    anachronism = kinds["office_version_anachronism"]
    path = out / anachronism.path
    app = _app_props(path.read_bytes())
    released = date.fromisoformat(anachronism.detail["release_date"])
    assert released == OFFICE_RELEASES[app["AppVersion"]]
    props = docx.Document(str(path)).core_properties
    assert props.created.date() < released and props.modified.date() < released
    assert app["Application"] == anachronism.detail["application"]


def test_clean_documents_are_clean(leak: tuple[Path, Truth, list[Path]]) -> None:
    out, truth, _ = leak
    planted = {a.path for a in truth.anomalies}
    for entry in _docs(truth, "x"):  # .docx and .pptx
        if entry["path"] in planted:
            continue
        path = out / entry["path"]
        opener = docx.Document if path.suffix == ".docx" else pptx.Presentation
        props = opener(str(path)).core_properties
        assert props.created <= props.modified
        version = _app_props(path.read_bytes()).get("AppVersion")
        assert version is None or OFFICE_RELEASES[version] <= props.created.date()
    for entry in _docs(truth, ".pdf"):
        info = _pdf_info((out / entry["path"]).read_bytes())
        assert info["CreationDate"] <= info["ModDate"]


def test_pdf_metadata_and_text(leak: tuple[Path, Truth, list[Path]]) -> None:
    out, truth, _ = leak
    reports = [e for e in _docs(truth, ".pdf") if e["kind"] == "report"]
    assert reports
    for entry in reports:
        path = out / entry["path"]
        info = _pdf_info(path.read_bytes())
        assert (info["Title"], info["Author"]) == (entry["title"], entry["author"])
        assert (info["Creator"], info["Producer"]) == (entry["creator"], entry["producer"])
        stamp = datetime.fromisoformat(entry["modified"]).strftime("D:%Y%m%d%H%M%S")
        assert info["ModDate"].startswith(stamp)
        text = _flat(_pdf_text(path))
        assert _flat(entry["title"]) in text
        assert _flat(entry.get("revision_text", "")) in text
        assert re.findall(rb"/Count (\d+)", path.read_bytes())[-1] == str(entry["pages"]).encode()


def test_incremental_update_keeps_the_first_revision(
    leak: tuple[Path, Truth, list[Path]], tmp_path: Path
) -> None:
    out, truth, _ = leak
    (entry,) = [e for e in _docs(truth, ".pdf") if e.get("revisions") == 2]
    data = (out / entry["path"]).read_bytes()
    assert data.count(b"%%EOF") == 2
    starts = [int(x) for x in re.findall(rb"startxref\s+(\d+)", data)]
    assert re.search(rb"/Prev (\d+)", data.split(b"%%EOF")[1]).group(1) == str(starts[0]).encode()  # type: ignore[union-attr]
    for start in starts:
        assert data[start:].startswith(b"xref")
        section = data[start:].split(b"trailer")[0]
        for first, count, rows in re.findall(rb"(\d+) (\d+)\n((?:\d{10} \d{5} [nf] \n)+)", section):
            for k, row in enumerate(rows.splitlines()):
                offset, _, flag = row.split()
                if flag == b"n":
                    number = int(first) + k
                    assert data[int(offset) :].startswith(f"{number} 0 obj".encode())
            assert int(count) == len(rows.splitlines())
    first = data[: data.index(b"%%EOF") + 5]
    assert _pdf_info(first)["ModDate"] < _pdf_info(data)["ModDate"]
    (tmp_path / "first.pdf").write_bytes(first)
    note = _flat(entry["revision_text"])
    assert note not in _flat(_pdf_text(tmp_path / "first.pdf"))
    assert note in _flat(_pdf_text(out / entry["path"]))


def test_scans_are_readable_images(leak: tuple[Path, Truth, list[Path]]) -> None:
    out, truth, _ = leak
    scans = truth.sections["scans"]
    assert {Path(s["path"]).suffix for s in scans} >= {".pdf", ".jpg"}
    for scan in scans:
        path = out / scan["path"]
        lines = scan["text"].split("\n")
        assert len(lines) >= 5 and all(0 < len(line) <= 22 for line in lines)
        if path.suffix == ".pdf":
            data = path.read_bytes()
            assert b"/DCTDecode" in data
            assert not shutil.which("pdftotext") or not _pdf_text(path).strip()
            assert f"/Height {scan['height']}".encode() in data
            assert f"/Width {scan['width']}".encode() in data
            continue
        with Image.open(path) as img:
            assert img.size == (scan["width"], scan["height"])
            grey = img.convert("L")
            low, high = grey.getextrema()
            dark = sum(grey.histogram()[:100]) / (img.width * img.height)
        assert high - low > 150 and 0.005 < dark < 0.3


def test_archive_members_and_nested_zip(leak: tuple[Path, Truth, list[Path]]) -> None:
    out, truth, _ = leak
    members = {e["path"]: e for e in _docs(truth, loose=False) if "!/" in e["path"]}
    assert any(p.count("!/") == 2 for p in members)
    for path, entry in members.items():
        outer, *inner = path.split("!/")
        with zipfile.ZipFile(out / outer) as archive:
            if len(inner) == 2:
                info = archive.getinfo(inner[0])
                with zipfile.ZipFile(io.BytesIO(archive.read(info))) as nested:
                    info = nested.getinfo(inner[1])
                    data = nested.read(info)
            else:
                info = archive.getinfo(inner[0])
                data = archive.read(info)
        assert info.flag_bits & 0x800  # UTF-8 names
        lag = datetime.fromisoformat(entry["modified"]) - datetime(*info.date_time)
        assert 0 <= lag.total_seconds() < 2  # zip (DOS) times count in steps of two seconds
        if path.endswith(".docx"):
            props = docx.Document(io.BytesIO(data)).core_properties
            assert (props.title, _iso(props.created)) == (entry["title"], entry["created"])
        else:
            assert data.startswith(b"%PDF-") and _pdf_info(data)["Title"] == entry["title"]


def test_reference_documents_share_the_recorded_passages(
    leak: tuple[Path, Truth, list[Path]],
) -> None:
    out, truth, _ = leak
    refs = truth.sections["reference_documents"]
    root = out.parent / "leak.reference"
    assert {Path(r["reference_path"]).suffix for r in refs} == {".txt", ".docx", ".pdf"}
    for ref in refs:
        leak_text = _flat(_text(out / ref["leak_path"]))
        ref_text = _flat(_text(root / ref["reference_path"]))
        assert len(ref["shared_passages"]) >= 3
        for passage in ref["shared_passages"]:
            assert len(passage) > 40
            assert _flat(passage) in leak_text and _flat(passage) in ref_text
        for pair in ref["edited_passages"]:
            assert pair["leak"] != pair["reference"]
            assert _flat(pair["leak"]) in leak_text and _flat(pair["reference"]) in ref_text
            assert _flat(pair["leak"]) not in ref_text


def test_documents_name_people_of_the_registers(leak: tuple[Path, Truth, list[Path]]) -> None:
    out, truth, _ = leak
    by_key = {p.key: p for p in PEOPLE}
    mentioned = [e for e in _docs(truth) if e["mentions"]]
    assert any(e["kind"] == "notice" for e in mentioned)
    assert any(e["kind"] == "report" for e in mentioned)
    for entry in mentioned:
        text = _flat(_text(out / entry["path"]))
        for key in entry["mentions"]:
            person = by_key[key]
            assert person.given_name_zh in text and person.father_name_zh in text
            if entry["kind"] == "notice":
                assert person.full_name_zh in text and person.id_number in text


def test_file_times_are_the_modified_dates(leak: tuple[Path, Truth, list[Path]]) -> None:
    out, truth, _ = leak
    for entry in _docs(truth):
        mtime = datetime.fromtimestamp((out / entry["path"]).stat().st_mtime)
        assert mtime.isoformat(timespec="seconds") == entry["modified"]


def test_same_seed_same_bytes(leak: tuple[Path, Truth, list[Path]], tmp_path: Path) -> None:
    out, truth, _ = leak
    again, truth2, _ = _generate(tmp_path)
    assert truth2.to_json() == truth.to_json()
    for first_root, second_root in (
        (out, again),
        (out.parent / "leak.reference", tmp_path / "leak.reference"),
    ):
        first = sorted(p.relative_to(first_root) for p in first_root.rglob("*") if p.is_file())
        second = sorted(p.relative_to(second_root) for p in second_root.rglob("*") if p.is_file())
        assert first == second
        for rel in first:
            assert (first_root / rel).read_bytes() == (second_root / rel).read_bytes(), rel


def test_another_seed_other_documents(tmp_path: Path) -> None:
    _, truth, _ = _generate(tmp_path, SynthConfig(seed=CONFIG.seed + 1, documents=14))
    _, first, _ = _generate(tmp_path / "x")
    titles = [e["path"] for e in truth.sections["documents"]]
    assert titles != [e["path"] for e in first.sections["documents"]]
