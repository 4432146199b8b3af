"""Word documents: the synthetic leak's docx against its truth and python-docx, and a docx built
here with every part python-docx skips (headers, footnotes, comments, tracked changes, media)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from PIL import Image

from tests.conftest import paths_of, run_ingest
from veracity.case import Case, Limits
from veracity.extract.base import Extraction, Item
from veracity.extract.docx import DocxExtractor
from veracity.extract.registry import choose
from veracity.synth import SynthConfig, Truth
from veracity.synth.documents import write_documents
from veracity.synth.population import generate_population

LIMITS = Limits.from_settings()
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
MC_NS = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types '
    'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
CORE = (
    '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.'
    'openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/'
    'elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>测试文件</dc:title>'
    "<dc:creator>张三</dc:creator><cp:lastModifiedBy>李四</cp:lastModifiedBy>"
    "<cp:revision>5</cp:revision><dcterms:created>2018-01-02T03:04:05Z</dcterms:created>"
    "<dcterms:modified>2018-02-03T04:05:06Z</dcterms:modified></cp:coreProperties>"
)


def rels(*items: tuple[str, str, str] | tuple[str, str, str, str]) -> str:
    body = "".join(
        f'<Relationship Id="{i[0]}" Type="{REL}/{i[1]}" Target="{i[2]}"'
        + (' TargetMode="External"' if len(i) > 3 else "")
        + "/>"
        for i in items
    )
    return f"<Relationships {PKG_REL}>{body}</Relationships>"


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def build_docx(path: Path, body: str, parts: dict[str, str | bytes] | None = None) -> Path:
    """A minimal Word package: `body` is the inside of `w:body` (or a whole document.xml)."""
    document = (
        body
        if body.lstrip().startswith("<?xml") or "<w:document" in body
        else (f"<w:document {W_NS} {R_NS} {MC_NS}><w:body>{body}</w:body></w:document>")
    )
    members: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": rels(("rId1", "officeDocument", "word/document.xml")),
        "docProps/core.xml": CORE,
        "word/document.xml": document,
        **(parts or {}),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def full_docx(path: Path) -> Path:
    """A docx with a table, a text box (and its VML fallback), a picture, header, footer,
    footnote, comment, tracked insertion and deletion, and an attached template on a share."""
    body = (
        paragraph("正文第一段")
        + "<w:tbl><w:tblPr/><w:tr><w:tc><w:p><w:r><w:t>姓名</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>身份证号</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
        "<w:r><w:t>前</w:t></w:r><w:r><w:tab/><w:t>后</w:t></w:r>"
        '<w:ins w:id="1" w:author="王五"><w:r><w:t>插入的话</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="赵六"><w:r><w:delText>删掉的话</w:delText></w:r></w:del></w:p>'
        "<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent>"
        + paragraph("文本框内容")
        + "</w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent>"
        + paragraph("文本框内容")
        + "</w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>"
        + '<w:p><w:r><w:drawing><a:blip xmlns:a="x" r:embed="rId9"/></w:drawing></w:r></w:p>'
    )
    word_part = f"<w:{{0}} {W_NS}>{{1}}</w:{{0}}>"
    return build_docx(
        path,
        body,
        {
            "word/_rels/document.xml.rels": rels(
                ("rId1", "header", "header1.xml"),
                ("rId2", "footer", "footer1.xml"),
                ("rId3", "footnotes", "footnotes.xml"),
                ("rId4", "comments", "comments.xml"),
                ("rId5", "settings", "settings.xml"),
                ("rId9", "image", "media/image1.png"),
                ("rId10", "hyperlink", "http://example.org/x", "External"),
            ),
            "word/header1.xml": word_part.format("hdr", paragraph("机密★长期")),
            "word/footer1.xml": word_part.format("ftr", paragraph("某县公安局")),
            "word/footnotes.xml": word_part.format(
                "footnotes", f'<w:footnote w:id="1">{paragraph("脚注文字")}</w:footnote>'
            ),
            "word/comments.xml": word_part.format(
                "comments",
                f'<w:comment w:id="0" w:author="审核人">{paragraph("请核实人数")}</w:comment>',
            ),
            "word/settings.xml": word_part.format(
                "settings",
                '<w:attachedTemplate r:id="rId1"/><w:rsids><w:rsidRoot w:val="00A1"/>'
                '<w:rsid w:val="00A1"/><w:rsid w:val="00B2"/><w:rsid w:val="00C3"/></w:rsids>',
            ).replace(f"{W_NS}>", f"{W_NS} {R_NS}>"),
            "word/_rels/settings.xml.rels": rels(
                ("rId1", "attachedTemplate", "file:///C:\\Users\\zhangsan\\公文.dotm", "External")
            ),
            "word/media/image1.png": png_bytes(),
        },
    )


def item_for(path: Path, scratch: Path, mime: str = DOCX_MIME) -> Item:
    return Item(path, path.name, "0" * 64, path.stat().st_size, mime, "docx", 0, scratch)


def extract(path: Path, scratch: Path, limits: Limits = LIMITS) -> Extraction:
    return DocxExtractor().extract(item_for(path, scratch), limits)


@pytest.fixture(scope="module")
def leak(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    out = tmp_path_factory.mktemp("leak")
    config = SynthConfig(seed=11, people=300, photos=0, documents=20)
    truth = Truth(seed=config.seed)
    write_documents(out, generate_population(config, truth), config, truth)
    docs = [d for d in truth.sections["documents"] if d["path"].endswith(".docx")]
    return out, [d for d in docs if "!/" not in d["path"]]


def test_synthetic_documents_match_their_truth(
    leak: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    out, docs = leak
    assert len(docs) >= 5
    for n, truth in enumerate(docs):
        result = extract(out / truth["path"], tmp_path / str(n))
        meta = result.metadata
        for key in ("title", "author", "last_modified_by", "application", "pages"):
            assert meta[key] == truth[key], (truth["path"], key)
        assert meta.get("app_version") == truth["app_version"]
        assert meta["revisions"] == truth["revision"]
        # core properties are UTC with a "Z"; the truth writes them without a zone
        assert meta["created"] == truth["created"] + "Z"
        assert meta["modified"] == truth["modified"] + "Z"
        assert meta["rsids"] > 0
        assert result.text is not None and truth["title"] in result.text
        assert truth["classification"] in result.text  # from the header part
        assert result.language == "zh"


def test_text_holds_every_paragraph_python_docx_reads(
    leak: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    out, docs = leak
    for n, truth in enumerate(docs):
        path = out / truth["path"]
        ours = extract(path, tmp_path / str(n)).text or ""
        document = docx.Document(str(path))
        theirs = [p.text for p in document.paragraphs if p.text.strip()]
        theirs += [c.text for t in document.tables for r in t.rows for c in r.cells]
        lines = set(ours.splitlines())
        assert [t for t in theirs if t not in lines] == []


def test_every_part_is_read_once_in_order(tmp_path: Path) -> None:
    result = extract(full_docx(tmp_path / "full.docx"), tmp_path / "s")
    text = result.text or ""
    for expected in ("正文第一段", "姓名", "身份证号", "机密★长期", "某县公安局", "脚注文字"):
        assert expected in text
    assert "请核实人数" in text  # comments are text too
    assert text.count("文本框内容") == 1  # the VML fallback copy is skipped
    assert "前\t后插入的话" in text  # a run's tab is text, a paragraph's tab stop is not
    assert "删掉的话" not in text
    assert text.index("正文第一段") < text.index("机密★长期")
    meta = result.metadata
    assert meta["author"] == "张三" and meta["last_modified_by"] == "李四"
    assert meta["rsids"] == 3
    assert meta["insertions"] == 1 and meta["deletions"] == 1
    assert meta["revision_authors"] == ["王五", "赵六"]
    assert meta["comment_authors"] == ["审核人"]
    assert meta["attached_template"] == "file:///C:\\Users\\zhangsan\\公文.dotm"
    assert result.raw["Word"]["deleted_text"] == "删掉的话"
    assert "http://example.org/x" in result.raw["Word"]["external_targets"]
    (child,) = result.children
    assert child.name == "word/media/image1.png" and child.disk_path is not None
    assert child.disk_path.read_bytes() == png_bytes()


def test_text_is_cut_at_the_limit(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "long.docx", paragraph("字" * 5000))
    result = extract(path, tmp_path / "s", Limits.from_settings({"max_text_chars": 100}))
    assert result.text == "字" * 100
    assert result.metadata["truncated"] is True


def test_a_docx_libmagic_calls_a_zip_is_still_read_as_word(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "odd.docx", paragraph("x"))
    extractor = choose(item_for(path, tmp_path / "s", "application/zip"))
    assert extractor is not None and extractor.NAME == "docx"


def test_pictures_become_children_in_the_ingest(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    full_docx(src / "报告.docx")
    case = make_case()
    run_ingest(case, src, workers=1)
    rows = paths_of(case)
    assert rows["报告.docx"]["status"] == "done"
    child = rows["报告.docx!/word/media/image1.png"]
    assert child["parent"] == "报告.docx" and child["mime"] == "image/png"
