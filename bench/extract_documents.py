"""Text extraction speed for documents, as ratios against the usual Python readers.

1. Word and PowerPoint: a folder of synthetic docx/pptx (the synthetic leak's generator, each
   file copied with a varied title until `--documents` are reached) read by veracity's
   extractors and by the peers python-docx (`Document(f).paragraphs`, the text most code reads)
   and python-pptx (every shape's text frame and the notes), in one process each, one after
   the other on the same files, page cache warm for both. Reports files/s, MB/s of input and
   of text, and the ratio (veracity / peer).
2. PDF: the synthetic leak's reports and the corpus's real PDFs, copied to `--documents`,
   read by pypdfium2's text layer (the part of `PdfExtractor` pdftotext also does), by the
   whole `PdfExtractor` without OCR, and by the peer `pdftotext` (Debian poppler-utils, one
   process a file, as it is used); pypdf on a tenth of them. Then OCR seconds per page of a
   synthetic scan, Tesseract with `OMP_THREAD_LIMIT=1` (as veracity runs it) and without.

Usage: python bench/extract_documents.py [--documents 1000] [--seed 1]
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import docx
import pptx
import pypdf
import pypdfium2 as pdfium

from veracity.case import Limits
from veracity.extract import _ocr
from veracity.extract.base import Extractor, Item
from veracity.extract.docx import DocxExtractor
from veracity.extract.pdf import PdfExtractor, _page_text
from veracity.extract.pptx import PptxExtractor
from veracity.synth import SynthConfig, Truth
from veracity.synth._pdf import scan_image
from veracity.synth._texts import scan_text
from veracity.synth.documents import write_documents
from veracity.synth.population import generate_population

LIMITS = Limits.from_settings()
NO_OCR = dataclasses.replace(LIMITS, ocr=0)
_TITLE = re.compile(rb"<dc:title>([^<]*)</dc:title>")


def make_office_documents(folder: Path, count: int, seed: int) -> list[Path]:
    """`count` docx/pptx files: the generator's, then copies whose title differs."""
    config = SynthConfig(seed=seed, people=300, photos=0, documents=max(40, count // 10))
    truth = Truth(seed=seed)
    base = folder / "base"
    written = write_documents(base, generate_population(config, truth), config, truth)
    sources = [p for p in written if p.suffix in (".docx", ".pptx")]
    out = folder / "office"
    out.mkdir()
    files = []
    for n in range(count):
        source = sources[n % len(sources)]
        target = out / f"{n:05d}{source.suffix}"
        _vary(source, target, n)
        files.append(target)
    shutil.rmtree(base)
    return files


def _vary(source: Path, target: Path, n: int) -> None:
    """A copy of an Office file whose core title carries `n`, so every file is distinct."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/core.xml":
                data = _TITLE.sub(lambda m: m.group(0).replace(b"</", f" {n}</".encode()), data)
            dst.writestr(info, data)


def veracity_text(path: Path, scratch: Path) -> str:
    """The text veracity's extractor reads; embedded media go to `scratch`, overwritten."""
    extractor: Extractor = DocxExtractor() if path.suffix == ".docx" else PptxExtractor()
    item = Item(path, path.name, "", path.stat().st_size, "", path.suffix[1:], 0, scratch)
    return extractor.extract(item, LIMITS).text or ""


def peer_text(path: Path) -> str:
    """What python-docx / python-pptx give for the same files."""
    if path.suffix == ".docx":
        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    parts = []
    for slide in pptx.Presentation(str(path)).slides:
        parts += [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def timed(read: Callable[[Path], str], files: list[Path]) -> tuple[float, int]:
    started = time.perf_counter()
    chars = sum(len(read(f).encode("utf-8")) for f in files)
    return time.perf_counter() - started, chars


def bench_office(files: list[Path], scratch: Path) -> None:
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    n_docx = sum(1 for f in files if f.suffix == ".docx")
    print(
        f"office: {len(files)} files ({n_docx} docx, {len(files) - n_docx} pptx), {size_mb:.1f} MB"
    )
    ours = functools.partial(veracity_text, scratch=scratch)
    timed(ours, files[:20])  # warm imports and caches for both sides
    timed(peer_text, files[:20])
    ours_s, ours_bytes = timed(ours, files)
    peer_s, peer_bytes = timed(peer_text, files)
    for name, seconds, text_bytes in (
        ("veracity docx/pptx", ours_s, ours_bytes),
        ("python-docx/pptx  ", peer_s, peer_bytes),
    ):
        print(
            f"  {name}: {len(files) / seconds:8.0f} files/s  {size_mb / seconds:7.1f} MB/s in"
            f"  {text_bytes / 1e6 / seconds:6.1f} MB/s text  ({text_bytes / 1e6:.1f} MB of text)"
        )
    print(f"  ratio veracity / peer: {peer_s / ours_s:.1f}x faster")


def make_pdfs(folder: Path, count: int, seed: int) -> list[Path]:
    """`count` PDFs with a text layer: the synthetic leak's reports (Chinese, CJK font
    subsets) and the real PDFs of the shared corpus, copied round-robin."""
    config = SynthConfig(seed=seed, people=300, photos=0, documents=max(40, count // 20))
    truth = Truth(seed=seed)
    written = write_documents(
        folder / "pdf-base", generate_population(config, truth), config, truth
    )
    sources = [p for p in written if p.suffix == ".pdf" and "扫描" not in p.name]
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "pdf-samples"
    sources += sorted(p for p in corpus.rglob("*.pdf") if _opens(p))
    out = folder / "pdf"
    out.mkdir()
    files = []
    for n in range(count):
        target = out / f"{n:05d}.pdf"
        shutil.copyfile(sources[n % len(sources)], target)
        files.append(target)
    return files


def _opens(path: Path) -> bool:
    """Whether every reader can open it: not the password-protected or the unreadable one."""
    try:
        pdfium.PdfDocument(path).close()
    except pdfium.PdfiumError:
        return False
    return True


def pdfium_text(path: Path) -> str:
    """Only the text layer, as `PdfExtractor` reads it: the part pdftotext also does."""
    doc = pdfium.PdfDocument(path)
    try:
        return "\n".join(_page_text(doc[i]) for i in range(len(doc)))
    finally:
        doc.close()


def veracity_pdf(path: Path, scratch: Path) -> str:
    """The whole extractor without OCR: text, Info/XMP, revisions, bomb check, images out."""
    item = Item(path, path.name, "", path.stat().st_size, "application/pdf", "pdf", 0, scratch)
    text = PdfExtractor().extract(item, NO_OCR).text or ""
    shutil.rmtree(scratch, ignore_errors=True)
    return text


def pdftotext(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-q", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=False
    )
    return done.stdout.decode("utf-8", "replace")


def pypdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def ocr_seconds_per_page(folder: Path, pages: int = 6) -> None:
    """Tesseract on synthetic scans, with OMP_THREAD_LIMIT=1 (ours) and without."""
    if not _ocr.available():
        print("  ocr: Tesseract not installed, not measured")
        return
    rng = random.Random(7)
    images = []
    for n in range(pages):
        image = folder / f"scan{n}.png"
        scan_image(rng, scan_text(rng, "疏附县", date(2018, 4, 8), 22)).save(image)
        images.append(image)
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    runs = {}
    for name, extra in (("OMP_THREAD_LIMIT=1", {"OMP_THREAD_LIMIT": "1"}), ("unset", {})):
        started = time.perf_counter()
        for image in images:  # one call a page, the first pass's language, as an image is read
            command = ["tesseract", str(image), "stdout", "-l", "chi_sim", "--psm", "3"]
            subprocess.run(command, capture_output=True, env={**env, **extra}, check=True)
        runs[name] = (time.perf_counter() - started) / pages
        print(f"  tesseract chi_sim, {name:18}: {runs[name]:.2f} s/page")
    print(f"  ratio unset / OMP_THREAD_LIMIT=1: {runs['unset'] / runs['OMP_THREAD_LIMIT=1']:.1f}x")
    started = time.perf_counter()
    _ocr.read_images(images, LIMITS)
    print(
        f"  veracity read_images (one batch, second passes included): "
        f"{(time.perf_counter() - started) / pages:.2f} s/page"
    )


def bench_pdf(folder: Path, count: int, seed: int) -> None:
    """PDF text extraction vs pdftotext (poppler, Debian) on the same files, one process each,
    page cache warm; pypdf on a tenth of them for the 18x of the issue; then OCR speed."""
    files = make_pdfs(folder, count, seed)
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    print(f"pdf: {len(files)} files, {size_mb:.1f} MB")
    scratch = folder / "pdf-scratch"
    ours = functools.partial(veracity_pdf, scratch=scratch)
    for read in (pdfium_text, ours, pdftotext):
        timed(read, files[:20])  # warm imports, caches and the page cache
    results = {}
    for name, read, subset in (
        ("pypdfium2 text layer ", pdfium_text, files),
        ("veracity PdfExtractor", ours, files),
        ("pdftotext (poppler)  ", pdftotext, files),
        ("pypdf extract_text   ", pypdf_text, files[: max(1, len(files) // 10)]),
    ):
        seconds, text_bytes = timed(read, subset)
        mb = sum(f.stat().st_size for f in subset) / 1e6
        results[name.strip()] = len(subset) / seconds
        print(
            f"  {name}: {len(subset) / seconds:8.0f} files/s  {mb / seconds:7.1f} MB/s in"
            f"  {text_bytes / 1e6 / seconds:6.1f} MB/s text"
        )
    peer = results["pdftotext (poppler)"]
    print(f"  ratio pypdfium2 text / pdftotext: {results['pypdfium2 text layer'] / peer:.1f}x")
    print(f"  ratio PdfExtractor / pdftotext: {results['veracity PdfExtractor'] / peer:.1f}x")
    pypdf_rate = results["pypdf extract_text"]
    print(f"  ratio pypdfium2 text / pypdf: {results['pypdfium2 text layer'] / pypdf_rate:.1f}x")
    ocr_seconds_per_page(folder)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="veracity-bench-") as tmp:
        work = Path(tmp)
        bench_office(make_office_documents(work, args.documents, args.seed), work / "scratch")
        bench_pdf(work, args.documents, args.seed)


if __name__ == "__main__":
    main()
