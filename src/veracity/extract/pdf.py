"""PDF: text per page, metadata, revisions, attachments and images, OCR of text-less pages.

pypdfium2 (Google's PDFium, the reader in Chrome) reads text, renders pages and finds images:
its text layer was 33× faster than pypdf's and 3× faster than pdftotext here
(bench/extract_documents.py), and it copes with more broken files. pypdf reads what
PDFium does not expose: the whole Info dictionary, the XMP packet, the header version (see
`_pdfmeta`). A page with (almost) no text but something drawn on it is a scan: it is rendered
(at the scan's own resolution, see `_scale`) and OCRed. Embedded files and images become
children, so a photo inside a report is itself read, hashed and checked.

Before PDFium sees a file, its compressed streams are counted (`inflated_bytes`): PDFium
inflates a page or an attachment into memory whole, and a megabyte can hold a gigabyte of zeros.

A PDF updated after its first save keeps its first revision in front of the update; the text
that differs between the two is kept in `raw["Revisions"]` as evidence of what was changed.
"""

from __future__ import annotations

import hashlib
import io
import logging
import mmap
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from veracity.case import Limits
from veracity.errors import EncryptedFile, ExtractError, LimitExceeded, Malformed, Refused
from veracity.extract import _ocr
from veracity.extract._language import detect_language
from veracity.extract._members import Unpacker
from veracity.extract._pdfmeta import (
    Buffer,
    Revisions,
    Structure,
    inflated_bytes,
    normalised,
    read_structure,
    scan_revisions,
)
from veracity.extract.base import Child, Extraction, Extractor, Item, Page

log = logging.getLogger(__name__)
logging.getLogger("pypdf").setLevel(logging.ERROR)  # it logs every repaired xref as a warning

#: A page with fewer characters than this in its text layer is treated as a scan.
MIN_PAGE_CHARS = 3
#: Pages rendered and OCRed per Tesseract run (its models load once per run).
OCR_BATCH = 8
#: Share of the file time limit OCR may use, so the rest of the extraction still fits.
OCR_TIME_SHARE = 0.7
#: A rendered page is never larger than this (A3 at 300 dpi): OCR time grows with pixels.
MAX_OCR_PIXELS = 17_500_000
_VECTOR_SCALE, _MAX_SCALE = 3.0, 300 / 72
#: Images smaller than this (either side, pixels) are rules, bullets and logos: not kept.
MIN_IMAGE_SIDE = 48
#: The first revision is compared with the last only when it is this small ("if cheap").
MAX_DIFF_BYTES = 64 * 1024 * 1024
MAX_DIFF_PAGES = 300
MAX_DIFF_CHARS = 20_000


def _open(source: Path | bytes) -> pdfium.PdfDocument:
    """Open with PDFium; the empty user password is tried, as every viewer does."""
    try:
        return pdfium.PdfDocument(source)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedFile("password-protected PDF: it needs a password to open") from exc
        if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedFile("PDF encrypted with an unsupported security handler") from exc
        raise Malformed(f"not a readable PDF: {exc}") from exc


def _page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        text: str = textpage.get_text_range()
    finally:
        textpage.close()
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()


def _pages(
    doc: pdfium.PdfDocument, indexes: Iterable[int]
) -> Iterator[tuple[int, pdfium.PdfPage | None]]:
    """Each page in turn, closed after use; None for a page PDFium cannot load."""
    for index in indexes:
        try:
            page = doc[index]
        except pdfium.PdfiumError:
            yield index, None
            continue
        try:
            yield index, page
        finally:
            page.close()


def _scale(page: pdfium.PdfPage) -> float:
    """The scale to render a text-less page at for OCR.

    A scan (an image covering most of the page) is rendered at its own resolution, as stored:
    on eight synthetic scans at 104 dpi that read best and fastest (0.974 similarity to the
    true text, 0.67 s a page; resampled to 2× 0.969 and 0.79 s, to 3× 0.973 and 1.06 s; with
    the eng model beside chi_sim, resampling dropped it to 0.90). Anything else is vector art,
    crisp at any scale: 3× (216 dpi) makes 8-point print 24 pixels high.
    """
    width_pt, height_pt = page.get_size()
    native = 0.0
    for obj in _page_images(page):
        try:
            px_w, _ = obj.get_px_size()
        except pdfium.PdfiumError:
            continue
        left, _, right, _ = obj.get_bounds()
        if right - left > 0.5 * width_pt:  # an image covering the page: the scan itself
            native = max(native, px_w / (right - left))
    scale = min(max(native, 1.0), _MAX_SCALE) if native else _VECTOR_SCALE
    pixels = width_pt * height_pt * scale * scale
    if pixels > MAX_OCR_PIXELS:
        scale *= (MAX_OCR_PIXELS / pixels) ** 0.5
    return scale


class _View:
    """Reads PDFium's buffer in slices, so an attachment is not copied whole a second time."""

    def __init__(self, buffer: Any) -> None:
        self.view, self.pos = memoryview(buffer).cast("B"), 0

    def read(self, size: int = -1, /) -> bytes:
        end = len(self.view) if size < 0 else self.pos + size
        out = bytes(self.view[self.pos : end])
        self.pos += len(out)
        return out


class _Reader:
    """One PDF being read: one pass over its pages for text, scans, attachments and images."""

    def __init__(self, item: Item, limits: Limits, doc: pdfium.PdfDocument) -> None:
        self.item, self.limits, self.doc = item, limits, doc
        self.started = time.monotonic()
        self.pages: dict[int, Page] = {}
        self.scans: list[int] = []  # 0-based indexes of pages to OCR
        self.chars = 0
        self.page_count = len(doc)
        self.pages_read = min(self.page_count, limits.max_pdf_pages)
        self.notes: dict[str, Any] = {}
        self.seen: set[str] = set()  # images already met, by the sha256 of their stream
        self.images = 0
        self.unpacker: Unpacker | None = None
        try:
            self.unpacker = Unpacker(item, limits)
        except LimitExceeded as exc:  # nested too deep: the text still counts, members do not
            self.notes["children_error"] = str(exc)

    def _note(self, key: str) -> None:
        self.notes[key] = self.notes.get(key, 0) + 1

    def read(self) -> None:
        self._children(self._document_attachments)
        for index, page in _pages(self.doc, range(self.pages_read)):
            if page is None:
                self._note("unreadable_pages")
                continue
            try:
                self._text(page, index)
            except pdfium.PdfiumError as exc:
                log.debug("page %d of %s: %s", index + 1, self.item.path, exc)
                self._note("unreadable_pages")
                continue
            self._children(lambda: self._page_children(page, index))  # noqa: B023

    def _children(self, step: Callable[[], None]) -> None:
        """Attachments and images stop at a limit (count, bytes) or a PDFium error; the text
        goes on."""
        if self.unpacker is None:
            return
        try:
            step()
        except pdfium.PdfiumError as exc:
            self._note("unreadable_children")
            log.debug("children of %s: %s", self.item.path, exc)
        except LimitExceeded as exc:
            self.notes["children_error"] = str(exc)
            self.unpacker = None

    def _document_attachments(self) -> None:
        for i in range(self.doc.count_attachments()):
            self._attach(self.doc.get_attachment(i), f"attachment{i + 1}", None)

    def _text(self, page: pdfium.PdfPage, index: int) -> None:
        text = _page_text(page)
        if len(text) < MIN_PAGE_CHARS and pdfium_c.FPDFPage_CountObjects(page.raw) > 0:
            self.scans.append(index)
        self._keep(index, text, is_ocr=False)

    def _keep(self, index: int, text: str, is_ocr: bool) -> None:
        """A page's text, as long as the file's text stays within `max_text_chars`."""
        room = self.limits.max_text_chars - self.chars
        if len(text) > room:
            text = text[: max(room, 0)]
            self.notes["truncated"] = True
        if text:
            self.chars += len(text)
            self.pages[index] = Page("page", index + 1, text, is_ocr)

    def ocr(self) -> None:
        """OCR the text-less pages, in batches, until done or the time share is used up."""
        todo = self.scans[: self.limits.max_ocr_pages] if _ocr.enabled(self.limits) else []
        folder = self.item.scratch / "ocr"
        budget = self.limits.file_timeout_s * OCR_TIME_SHARE
        done = 0
        try:
            for start in range(0, len(todo), OCR_BATCH):
                remaining = budget - (time.monotonic() - self.started)
                if remaining <= 1:
                    break
                folder.mkdir(parents=True, exist_ok=True)
                batch = [(i, p) for i in todo[start : start + OCR_BATCH] if (p := self._render(i))]
                readings = _ocr.read_images([p for _, p in batch], self.limits, remaining)
                for (index, _), reading in zip(batch, readings or [], strict=True):
                    self._keep(index, reading.text, is_ocr=True)
                done += len(batch)
        except LimitExceeded:
            self.notes["ocr_stopped"] = "time limit"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        self.notes["ocr_pages"] = done
        if done < len(self.scans):
            self.notes["ocr_skipped_pages"] = len(self.scans) - done

    def _render(self, index: int) -> Path | None:
        target = self.item.scratch / "ocr" / f"page{index + 1}.pgm"
        for _, page in _pages(self.doc, [index]):
            try:
                if page is not None:
                    bitmap = page.render(scale=_scale(page), grayscale=True)
                    bitmap.to_pil().save(target)  # uncompressed PGM: written and read fastest
                    return target
            except pdfium.PdfiumError:
                pass
        self._note("unrendered_pages")
        return None

    def _page_children(self, page: pdfium.PdfPage, index: int) -> None:
        for a in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
            annot = pdfium_c.FPDFPage_GetAnnot(page.raw, a)
            try:
                if pdfium_c.FPDFAnnot_GetSubtype(annot) == pdfium_c.FPDF_ANNOT_FILEATTACHMENT:
                    handle = pdfium_c.FPDFAnnot_GetFileAttachment(annot)
                    if handle:
                        attachment = pdfium.PdfAttachment(handle, self.doc)
                        self._attach(attachment, f"page{index + 1}-file{a + 1}", index)
            finally:
                pdfium_c.FPDFPage_CloseAnnot(annot)
        for number, obj in enumerate(_page_images(page), start=1):
            self._image(obj, index, number)

    def _attach(self, attachment: pdfium.PdfAttachment, fallback: str, page: int | None) -> None:
        raw_name = _decoded(attachment.get_name()) or fallback
        name = "attachments/" + (raw_name.replace("\\", "/").rsplit("/", 1)[-1] or fallback)
        try:
            source = _View(attachment.get_data())
        except pdfium.PdfiumError as exc:
            assert self.unpacker is not None
            self.unpacker.refuse(name, Malformed(f"unreadable attachment {raw_name!r}: {exc}"))
            return
        self._add(name, source, None if page is None else {"page": page + 1})

    def _image(self, obj: pdfium.PdfImage, index: int, number: int) -> None:
        key = _image_key(obj)
        if key is None or key in self.seen:
            return
        self.seen.add(key)
        data, suffix = _image_bytes(obj, self.limits)
        if data is None:
            return
        if self.images >= self.limits.max_pdf_images:
            self._note("images_not_kept")
            return
        self.images += 1
        name = f"images/page{index + 1}-img{number}.{suffix}"
        self._add(name, io.BytesIO(data), {"page": index + 1})

    def _add(self, name: str, source: _View | io.BytesIO, locator: dict[str, Any] | None) -> None:
        assert self.unpacker is not None
        try:
            self.unpacker.copy(name, source, None)
        except Refused as exc:
            self.unpacker.refuse(name, exc)
            return
        if locator is not None:
            last = self.unpacker.children[-1]
            self.unpacker.children[-1] = Child(
                last.name, last.disk_path, last.size, last.modified, locator=locator
            )

    def children(self) -> tuple[Child, ...]:
        return () if self.unpacker is None else tuple(self.unpacker.children)


def _decoded(name: str) -> str:
    """An attachment name PDFium read byte for byte: UTF-16 with its BOM, or UTF-8."""
    if name and max(map(ord, name)) < 256 and any(ord(c) > 127 for c in name):
        data = name.encode("latin-1")
        if data[:2] in (b"\xfe\xff", b"\xff\xfe"):
            return data.decode("utf-16", "replace").replace("\x00", "")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass  # PDFDocEncoding after all: as read
    return name


def _page_images(page: pdfium.PdfPage, form: Any = None, level: int = 0) -> Iterator[Any]:
    """The page's image objects, also those inside form XObjects (4 levels deep).

    Only images get a Python wrapper: pypdfium2's `get_objects` wraps every path and glyph
    first, which took a quarter of the whole extraction time here.
    """
    parent = form if form is not None else page.raw
    count, get = (
        (pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject)
        if form is not None
        else (pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject)
    )
    for i in range(max(count(parent), 0)):
        raw = get(parent, i)
        kind = pdfium_c.FPDFPageObj_GetType(raw) if raw else None
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            yield pdfium.PdfImage(raw, page=page, level=level)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and level < 3:
            yield from _page_images(page, raw, level + 1)


def _image_key(obj: pdfium.PdfImage) -> str | None:
    """The same image drawn on every page (a letterhead) is kept once: keyed by its stream."""
    try:
        return hashlib.sha256(memoryview(obj.get_data(decode_simple=False))).hexdigest()
    except pdfium.PdfiumError:
        return None


def _image_bytes(obj: pdfium.PdfImage, limits: Limits) -> tuple[bytes | None, str]:
    """The image as a file: JPEG and JPEG 2000 as stored, others decoded and saved as PNG.

    None for images too small to matter (rules, bullets) or too large to decode safely.
    """
    try:
        width, height = obj.get_px_size()
    except pdfium.PdfiumError:
        return None, ""
    if min(width, height) < MIN_IMAGE_SIDE or width * height > limits.max_image_pixels:
        return None, ""
    out = io.BytesIO()
    try:
        if (obj.get_filters() or [""])[-1] in ("DCTDecode", "JPXDecode"):
            obj.extract(out)  # the JPEG or JPEG 2000 stream as stored, EXIF and all
            data = out.getvalue()
            return data, "jpg" if data.startswith(b"\xff\xd8") else "jp2"
        bitmap = obj.get_bitmap()
        # PNG's default level took 90 ms an image here; level 1 is a few ms, 10-20% larger
        bitmap.to_pil().save(out, "PNG", compress_level=1)
    except (pdfium.PdfiumError, OSError, ValueError) as exc:
        log.debug("image not extracted: %s", exc)
        return None, ""
    return out.getvalue(), "png"


def _lines(texts: Iterable[str]) -> list[str]:
    return [line.strip() for text in texts for line in text.splitlines() if line.strip()]


def _missing(lines: list[str], other: list[str]) -> str:
    """The lines of `lines` that `other` lacks, in order, repeats counted."""
    left = Counter(other)
    out = []
    for line in lines:
        if left[line] > 0:
            left[line] -= 1
        else:
            out.append(line)
    return "\n".join(out)[:MAX_DIFF_CHARS]


def first_revision(data: Buffer, revisions: Revisions, last: list[str]) -> dict[str, Any]:
    """The document as first saved (the bytes up to its `%%EOF`) against the last revision:
    its Info fields, page count, and the lines of text added and removed since."""
    end = revisions.ends[0]
    out: dict[str, Any] = {"bytes": end}
    if end > MAX_DIFF_BYTES:
        return {**out, "diff": f"not compared: first revision over {MAX_DIFF_BYTES} bytes"}
    first_bytes = bytes(data[:end])
    out.update(normalised(read_structure(io.BytesIO(first_bytes))))
    try:
        doc = _open(first_bytes)
    except ExtractError as exc:
        return {**out, "diff": f"first revision unreadable: {exc}"}
    with closing(doc):
        out["pages"] = len(doc)
        if len(doc) > MAX_DIFF_PAGES:
            return {**out, "diff": f"not compared: over {MAX_DIFF_PAGES} pages"}
        first = _lines(_page_text(p) for _, p in _pages(doc, range(len(doc))) if p is not None)
    return {**out, "added_text": _missing(last, first), "removed_text": _missing(first, last)}


class PdfExtractor(Extractor):
    NAME = "pdf"
    MIME_TYPES = frozenset({"application/pdf", "application/x-pdf"})
    EXTENSIONS = frozenset({"pdf"})
    SCORE = 5

    def extract(self, item: Item, limits: Limits) -> Extraction:
        with open(item.disk_path, "rb") as fh:
            if b"%PDF-" not in fh.read(1024):
                raise Malformed("not a PDF: no %PDF- header in the first 1024 bytes")
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return self._extract(item, limits, data)

    def _extract(self, item: Item, limits: Limits, data: Buffer) -> Extraction:
        revisions = scan_revisions(data)
        structure = read_structure(item.disk_path)
        metadata, raw = _metadata(structure, revisions), _raw(structure, revisions)
        try:
            _check_bomb(data, item.size, limits)
            doc = _open(item.disk_path)
        except ExtractError as exc:  # what pypdf and the byte scan found is still worth keeping
            metadata["is_encrypted"] = structure.is_encrypted or isinstance(exc, EncryptedFile)
            return Extraction(metadata=metadata, raw=raw, error_kind=exc.kind, error=str(exc))
        with closing(doc):
            security = pdfium_c.FPDF_GetSecurityHandlerRevision(doc.raw)
            metadata["is_encrypted"] = structure.is_encrypted or security != -1
            raw["Document"]["security_handler_revision"] = security
            reader = _Reader(item, limits, doc)
            reader.read()
            if reader.scans:
                reader.ocr()
            children = reader.children()
        if revisions.count > 1:
            layer = _lines(p.text for _, p in sorted(reader.pages.items()) if not p.is_ocr)
            raw["Revisions"]["first_revision"] = first_revision(data, revisions, layer)
        pages = tuple(page for _, page in sorted(reader.pages.items()))
        text = "\n\n".join(page.text for page in pages)
        metadata |= {"pages": reader.page_count, **reader.notes}
        error: ExtractError | None = None
        if reader.page_count > reader.pages_read:
            metadata["pages_read"] = reader.pages_read
            error = LimitExceeded("max_pdf_pages", reader.page_count, limits.max_pdf_pages)
        return Extraction(
            text=text or None,
            metadata=metadata,
            raw=raw,
            children=children,
            pages=pages,
            language=detect_language(text) if text else None,
            error_kind=error.kind if error else None,
            error=str(error) if error else None,
        )


def _check_bomb(data: Buffer, size: int, limits: Limits) -> None:
    """The archive limits apply to what the streams inflate to, as to an archive's members."""
    most = max(limits.ratio_floor_bytes, int(size * limits.max_archive_ratio))
    inflated = inflated_bytes(data, most)
    if inflated > most:
        ratio = round(inflated / max(size, 1))
        raise LimitExceeded("max_archive_ratio", ratio, limits.max_archive_ratio)


def _metadata(structure: Structure, revisions: Revisions) -> dict[str, Any]:
    out = normalised(structure)
    out["revisions"] = revisions.count
    if structure.version:
        out["pdf_version"] = structure.version
    out["is_encrypted"] = structure.is_encrypted
    return out


def _raw(structure: Structure, revisions: Revisions) -> dict[str, Any]:
    document: dict[str, Any] = {"version": structure.version, "encrypted": structure.is_encrypted}
    if structure.error:
        document["structure_error"] = structure.error
    # grouped as ExifTool's -G1 shows them: PDF (the Info dictionary), XMP-xmp, XMP-pdf, …
    return {
        "PDF": structure.info,
        **structure.xmp_groups,
        "Document": document,
        "Revisions": revisions.as_raw(),
    }
