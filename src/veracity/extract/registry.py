"""The one place extractors are registered, in order: a new format is a module plus a line here.

`choose()` holds the auction: every extractor scores the item, the highest wins, and a tie goes
to the one listed first, so the outcome never depends on import order.
"""

from __future__ import annotations

from veracity.extract.base import Extractor, Item
from veracity.extract.csv import CsvExtractor
from veracity.extract.docx import DocxExtractor
from veracity.extract.email import EmlExtractor, MsgExtractor
from veracity.extract.html import HtmlExtractor
from veracity.extract.image import ImageExtractor
from veracity.extract.media import MediaExtractor
from veracity.extract.ole import OleExtractor
from veracity.extract.pdf import PdfExtractor
from veracity.extract.pptx import PptxExtractor
from veracity.extract.rtf import RtfExtractor
from veracity.extract.sevenzip import SevenZipExtractor
from veracity.extract.spreadsheet import SpreadsheetExtractor
from veracity.extract.tar import TarExtractor
from veracity.extract.text import TextExtractor
from veracity.extract.zip import ZipExtractor

EXTRACTORS: tuple[type[Extractor], ...] = (
    ZipExtractor,
    TarExtractor,
    SevenZipExtractor,
    DocxExtractor,
    PptxExtractor,
    SpreadsheetExtractor,
    MsgExtractor,
    OleExtractor,
    EmlExtractor,
    RtfExtractor,
    HtmlExtractor,
    PdfExtractor,
    ImageExtractor,
    MediaExtractor,
    CsvExtractor,
    TextExtractor,
)


def choose(item: Item) -> Extractor | None:
    """The extractor for this item, or None when no registered one reads it."""
    best: type[Extractor] | None = None
    best_score = -1
    for cls in EXTRACTORS:
        score = cls.match(item)
        if score > best_score:
            best, best_score = cls, score
    return best() if best is not None else None
