"""PDF reports, a PDF revised by an incremental update, and scanned pages.

Text is drawn with the CJK TrueType font of `cjk_font`, embedded as subsets with ToUnicode maps
as Word's "Save as PDF" does. Not reportlab's built-in STSong-Light: a non-embedded CID font
needs the reader's Adobe-GB1 language pack, and without Debian's poppler-data pdftotext returns
nothing. reportlab has no incremental-update writer, so `_append_revision` writes one by hand:
new object versions, an xref section with /Prev and a new trailer after the original %%EOF,
as Acrobat does when it saves an edit. Scans are Pillow images of Chinese text, tilted and
noisy like a flatbed scan.
"""

from __future__ import annotations

import functools
import hashlib
import io
import random
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from veracity.synth._common import cjk_font, jpeg_bytes, noise_image
from veracity.synth._texts import Doc, Foreign, Heading, Table

FONT = "WenQuanYi"
_MARGIN = 72.0
_BODY = 12.0
#: Creator and Producer of a copier's scan-to-PDF.
SCANNER = ("Canon iR-ADV C5235", "Adobe PSL 1.3e for Canon")
_NO_LINE_START = frozenset("，。、；：？！）》」』”’")


@dataclass(frozen=True)
class PdfMeta:
    title: str
    author: str
    creator: str
    producer: str
    created: datetime  # local time (UTC+8); reportlab writes it as both CreationDate and ModDate
    classification: str = ""


def pdf_date(when: datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%S+08'00'")


@functools.cache
def _font() -> TTFont:
    """The CJK font, registered with reportlab once per process (parsing it takes ~0.1 s)."""
    font = TTFont(FONT, cjk_font(12).path)
    pdfmetrics.registerFont(font)
    return font


def _canvas(path: Path, meta: PdfMeta) -> Canvas:
    _font()
    canvas = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(meta.title)
    canvas.setAuthor(meta.author)
    canvas.setCreator(meta.creator)
    canvas.setProducer(meta.producer)
    canvas.setSubject("")
    stamp = pdf_date(meta.created)
    canvas.setDateFormatter(lambda *_: stamp)
    return canvas


def wrap(text: str, size: float, width: float) -> list[str]:
    """Greedy line breaking by glyph width: Chinese breaks between any two characters, except
    before closing punctuation, which stays at the line's end as typesetters do (禁则)."""
    lines: list[str] = []
    line, used = "", 0.0
    for char in text:
        w = pdfmetrics.stringWidth(char, FONT, size)
        if used + w > width and line and char not in _NO_LINE_START:
            lines.append(line)
            line, used = "", 0.0
        line += char
        used += w
    return [*lines, line] if line else lines


class _Pages:
    """A cursor over A4 pages: starts a new page when the next line would not fit."""

    def __init__(self, canvas: Canvas, meta: PdfMeta) -> None:
        self.canvas, self.meta = canvas, meta
        self.width, self.height = A4
        self.count = 0
        self._start()

    def _start(self) -> None:
        self.count += 1
        self.y = self.height - _MARGIN
        self.canvas.setFont(FONT, 10)
        if self.meta.classification:
            self.canvas.drawString(_MARGIN, self.height - 40, self.meta.classification)
        self.canvas.drawCentredString(self.width / 2, 36, f"— {self.count} —")

    def need(self, height: float) -> None:
        if self.y - height < _MARGIN:
            self.canvas.showPage()
            self._start()

    def line(self, text: str, size: float, x: float = _MARGIN, centred: bool = False) -> None:
        self.need(size * 1.6)
        self.y -= size * 1.6
        self.canvas.setFont(FONT, size)
        if centred:
            self.canvas.drawCentredString(self.width / 2, self.y, text)
        else:
            self.canvas.drawString(x, self.y, text)

    def paragraph(self, text: str, size: float = _BODY) -> None:
        usable = self.width - 2 * _MARGIN
        for i, line in enumerate(
            wrap("\u3000\u3000" + text if len(text) > 40 else text, size, usable)
        ):
            self.line(line.lstrip("\u3000") if i else line, size, _MARGIN)

    def table(self, table: Table, size: float = 10.0) -> None:
        rows = (table.header, *table.rows)
        self.y -= size * 0.6  # clear the descenders of the line above
        widths = [
            max(pdfmetrics.stringWidth(row[c], FONT, size) for row in rows) + 8
            for c in range(len(table.header))
        ]
        scale = min(1.0, (self.width - 2 * _MARGIN) / sum(widths))
        widths = [w * scale for w in widths]
        for row in rows:
            self.need(size * 1.8)
            top = self.y
            self.y -= size * 1.8
            x = _MARGIN
            self.canvas.setFont(FONT, size)
            for cell, w in zip(row, widths, strict=True):
                self.canvas.rect(x, self.y, w, top - self.y)
                self.canvas.drawString(x + 4, self.y + size * 0.5, cell)
                x += w


def _render(path: Path, doc: Doc, meta: PdfMeta, later: str = "") -> tuple[int, bytes]:
    """Write `doc`; return its page count and the text operators that would show `later`.

    The glyphs of `later` are put into the embedded font subset now, unused, so a revision
    appended afterwards can show that text with the fonts already in the file.
    """
    canvas = _canvas(path, meta)
    pages = _Pages(canvas, meta)
    pages.line(doc.title, 18, centred=True)
    pages.y -= 12
    for block in doc.blocks:
        if isinstance(block, Heading):
            pages.line(block.text, 14)
        elif isinstance(block, Table):
            pages.table(block)
        elif isinstance(block, Foreign):
            if block.lang != "ug":  # no Arabic shaping in reportlab: Uyghur stays in Office files
                pages.paragraph(block.text)
        else:
            pages.paragraph(block)
    font, pdf = _font(), canvas._doc  # type: ignore[attr-defined]  # subsets are per document
    shows = b""
    for subset, codes in font.splitString(later, pdf):
        name: str = font.getSubsetInternalName(subset, pdf)  # type: ignore[no-untyped-call]
        shows += f"{name} 10 Tf <{codes.hex()}> Tj ".encode()
    canvas.showPage()
    canvas.save()
    return pages.count, b"BT 1 0 0 1 72 56 Tm " + shows + b"ET\n"


def write_pdf(path: Path, doc: Doc, meta: PdfMeta) -> int:
    """A report with headings, paragraphs and a table; returns the page count."""
    return _render(path, doc, meta)[0]


def write_revised_pdf(
    path: Path, doc: Doc, meta: PdfMeta, note: str, producer: str, when: datetime
) -> int:
    """A report saved twice: the second revision adds `note` under the last page's text and
    a new Info (`producer`, ModDate `when`) as an incremental update. Returns the page count."""
    pages, shows = _render(path, doc, meta, note)
    _append_revision(path, meta, shows, producer, when)
    return pages


def _pdf_string(text: str) -> bytes:
    if text.isascii():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"({escaped})".encode("ascii")
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _find(pattern: bytes, data: bytes) -> re.Match[bytes]:
    found = list(re.finditer(pattern, data, re.DOTALL))
    if not found:
        raise ValueError(f"not a reportlab PDF: {pattern!r} missing")
    return found[-1]  # the last one is the current revision's


def _append_revision(
    path: Path, meta: PdfMeta, stream: bytes, producer: str, when: datetime
) -> None:
    """Append an incremental update: a content stream on the last page and a new Info.

    The original bytes stay untouched in front, so the first revision can still be recovered
    (`%%EOF` count, /Prev chain): a check for revised PDFs has a real second revision to find.
    """
    data = path.read_bytes()
    prev = int(_find(rb"startxref\s+(\d+)\s+%%EOF", data).group(1))
    size = int(_find(rb"/Size (\d+)", data).group(1))
    root = _find(rb"/Root (\d+) 0 R", data).group(1)
    info = int(_find(rb"/Info (\d+) 0 R", data).group(1))
    first_id = _find(rb"/ID\s*\[<([0-9a-fA-F]+)>", data).group(1)
    page = _find(rb"\n(\d+) 0 obj\n<<\n/Contents (\d+) 0 R(.*?)endobj", data)
    page_num, contents = int(page.group(1)), page.group(2)
    added = size  # the new content stream takes the next free object number
    info_items = {
        "Title": meta.title,
        "Author": meta.author,
        "Creator": meta.creator,
        "Producer": producer,
        "CreationDate": pdf_date(meta.created),
        "ModDate": pdf_date(when),
    }
    objects = {
        info: b"<< "
        + b" ".join(b"/" + k.encode() + b" " + _pdf_string(v) for k, v in info_items.items())
        + b" >>",
        page_num: b"<<\n/Contents [ "
        + contents
        + b" 0 R "
        + str(added).encode()
        + b" 0 R ]"
        + page.group(3).rsplit(b">>", 1)[0]
        + b">>",
        added: b"<< /Length "
        + str(len(stream)).encode()
        + b" >>\nstream\n"
        + stream
        + b"endstream",
    }
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets: dict[int, int] = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += f"{num} 0 obj\n".encode() + objects[num] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for num in sorted(offsets):
        out += f"{num} 1\n{offsets[num]:010d} 00000 n \n".encode()
    second_id = hashlib.md5(bytes(out)).hexdigest().encode()
    out += b"trailer\n<< /Size " + str(added + 1).encode() + b" /Root " + root + b" 0 R /Info "
    out += str(info).encode() + b" 0 R /Prev " + str(prev).encode()
    out += b" /ID [<" + first_id + b"><" + second_id + b">] >>\n"
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def scan_image(rng: random.Random, lines: list[str], size: int = 32) -> Image.Image:
    """Black text on off-white paper, tilted under 1.5° with grain and specks: a plain scan."""
    margin, step = 80, int(size * 1.7)
    width = 2 * margin + size * max(len(line) for line in lines)
    height = max(int(width * 1.41), 2 * margin + step * len(lines))
    paper = rng.randrange(228, 246)
    img = Image.new("L", (width, height), paper)
    draw = ImageDraw.Draw(img)
    font = cjk_font(size)
    for i, line in enumerate(lines):
        x = (width - size * len(line)) // 2 if i == 0 else margin
        draw.text((x, margin + i * step), line, fill=rng.randrange(10, 50), font=font)
    for _ in range(rng.randrange(20, 60)):
        cx, cy, r = rng.randrange(width), rng.randrange(height), rng.randrange(1, 3)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=rng.randrange(60, 140))
    angle = rng.uniform(0.3, 1.4) * rng.choice((-1, 1))
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=paper)
    return Image.blend(img, noise_image(rng, width, height, rng.randrange(30, 60)), 0.12)


def write_scan(path: Path, img: Image.Image, when: datetime) -> None:
    """Save a scan as an office copier would, by the path's suffix: PNG, JPEG, or a one-page
    PDF holding only the JPEG (kept as DCT, no text layer)."""
    if path.suffix == ".png":
        img.save(path, "PNG")
    elif path.suffix == ".pdf":
        canvas = _canvas(path, PdfMeta("", "", SCANNER[0], SCANNER[1], when))
        scan = ImageReader(io.BytesIO(jpeg_bytes(img, quality=85)))
        canvas.drawImage(scan, 0, 0, width=A4[0], height=A4[1])
        canvas.showPage()
        canvas.save()
    else:
        path.write_bytes(jpeg_bytes(img, quality=90))
