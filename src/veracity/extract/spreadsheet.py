"""Spreadsheets (xlsx/xlsm, xls/et, ods): every row of every sheet, and the photos in them.

Registers are where the people of a leak are: each row goes to the case's rows table with its
sheet name and the row number Excel shows (`_cells.RowSink`), streamed so that a million-row
sheet never sits in memory. The readers differ by format — a streaming expat reader for xlsx
(`_xlsx`) and ods (`_ods`), xlrd for BIFF (`_xls`) — because python-calamine, the fastest,
loads each sheet whole and lets a 5 KB file demand gigabytes (see those modules).

Pictures anchored to cells become child files linked to their sheet and row, the way a
register ties a photo to its person (`_drawings`). What the format says about its authors
(core/app properties, OLE property streams, ODF meta.xml) goes into the normalised metadata.
A workbook that is really tab- or comma-separated text under an .xls name is read as such.
"""

from __future__ import annotations

import zipfile
from typing import Any, ClassVar

from veracity.case import Limits
from veracity.errors import EncryptedFile, Malformed
from veracity.extract._cells import RowSink, read_rows, rows_extraction
from veracity.extract._drawings import sheet_images, wps_cell_images
from veracity.extract._ods import SheetEnd, SheetStart, ods_events
from veracity.extract._ole import OLE_MAGIC, encryption, ole_properties, open_ole
from veracity.extract._ooxml import (
    embedded_parts,
    office_metadata,
    open_package,
    read_xml,
    unpack_parts,
)
from veracity.extract._xls import read_xls
from veracity.extract._xlsx import MAX_SHEETS, Workbook
from veracity.extract._xmlstream import ZIP_ERRORS
from veracity.extract.base import Extraction, Extractor, Item
from veracity.extract.csv import delimited_extraction

Picture = tuple[str, dict[str, Any] | None]  # media part, locator
_ODF_META = (
    ("title", "{http://purl.org/dc/elements/1.1/}title"),
    ("author", "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}initial-creator"),
    ("last_modified_by", "{http://purl.org/dc/elements/1.1/}creator"),
    ("created", "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}creation-date"),
    ("modified", "{http://purl.org/dc/elements/1.1/}date"),
    ("application", "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}generator"),
    ("editing_cycles", "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}editing-cycles"),
)


def read_xlsx(
    package: zipfile.ZipFile, sink: RowSink, pictures: list[Picture], most_pictures: int
) -> dict[str, Any]:
    """Stream an xlsx's rows into `sink` and its anchored pictures into `pictures` (at most
    `most_pictures` a sheet: past the archive member limit they would only cost memory);
    returns workbook facts."""
    book = Workbook(package)
    in_cells: list[tuple[str, int, str]] = []  # sheet, row (0-based), WPS picture id
    for sheet in book.sheets:
        sink.start_sheet(sheet.name)
        handler = book.sheet_handler()
        for number, cells in book.rows(sheet, handler):
            sink.row(number, cells)
        sink.end_sheet(handler.merged)
        if sheet.state != "visible" or sheet.kind != "worksheet":
            sink.sheets[-1] |= {"state": sheet.state, "kind": sheet.kind}
        in_cells += [(sheet.name, row, pid) for row, _col, pid in handler.pictures]
        if sheet.part is not None:
            for anchor in sheet_images(package, sheet.part, most_pictures):
                where = None if anchor.row is None else {"sheet": sheet.name, "row": anchor.row + 1}
                pictures.append((anchor.media, where))
    if in_cells:
        media = wps_cell_images(package)
        for name, row, pid in in_cells:
            if pid in media:
                pictures.append((media[pid], {"sheet": name, "row": row + 1}))
    return {
        "format": "xlsx",
        "date1904": book.date1904,
        "shared_strings": len(book.strings),
        **({"sheets_listed": book.sheets_listed} if book.sheets_listed > MAX_SHEETS else {}),
    }


def odf_metadata(package: zipfile.ZipFile) -> dict[str, Any]:
    """meta.xml of an OpenDocument file, in the contract's names."""
    root = read_xml(package, "meta.xml")
    out: dict[str, Any] = {}
    if root is None:
        return out
    for key, tag in _ODF_META:
        node = root.find(f".//{tag}")
        if node is not None and node.text and node.text.strip():
            out[key] = node.text.strip()
    for key in ("created", "modified"):  # LibreOffice writes nanoseconds
        if key in out:
            out[key] = out[key].split(".")[0]
    cycles = out.pop("editing_cycles", "")
    if cycles.isdigit():
        out["revisions"] = int(cycles)
    return out


class SpreadsheetExtractor(Extractor):
    NAME = "spreadsheet"
    MIME_TYPES = frozenset(
        {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.template",
            "application/vnd.ms-excel.sheet.macroenabled.12",
            "application/vnd.ms-excel.template.macroenabled.12",
            "application/vnd.ms-excel",
            "application/vnd.oasis.opendocument.spreadsheet",
            "application/vnd.oasis.opendocument.spreadsheet-template",
            "application/vnd.wps-office.et",
        }
    )
    EXTENSIONS = frozenset({"xlsx", "xlsm", "xltx", "xltm", "xls", "xlt", "et", "ods", "ots"})
    SCORE = 6
    IS_CONTAINER = True  # its photos are recorded under every copy, like an archive's members
    #: what libmagic may call a workbook it cannot tell apart: a zip or OLE container (by
    #: its name a workbook, ahead of the archive and OLE extractors), or text (an export)
    _CONTAINERS: ClassVar[frozenset[str]] = frozenset(
        {
            "application/zip",
            "application/octet-stream",
            "application/x-ole-storage",
            "application/cdfv2",
        }
    )
    _TEXTS: ClassVar[frozenset[str]] = frozenset(
        {"text/plain", "text/csv", "text/tab-separated-values"}
    )

    @classmethod
    def match(cls, item: Item) -> int:
        mime = item.mime.lower()
        if mime in cls.MIME_TYPES or (item.extension in cls.EXTENSIONS and mime in cls._CONTAINERS):
            return cls.SCORE
        if item.extension in cls.EXTENSIONS and mime in cls._TEXTS:
            return cls.SCORE - 1
        return -1

    def extract(self, item: Item, limits: Limits) -> Extraction:
        with open(item.disk_path, "rb") as fh:
            head = fh.read(8)
        if head == OLE_MAGIC:
            return self._biff(item, limits)
        if head.startswith(b"PK\x03\x04"):
            return self._package(item, limits)
        if item.mime.startswith("text/"):
            note = "a delimited text file under a spreadsheet's name"
            return delimited_extraction(item, limits, {"format": "delimited text", "note": note})
        raise Malformed(f"not a spreadsheet: neither OLE nor zip ({item.mime})")

    def _biff(self, item: Item, limits: Limits) -> Extraction:
        with open_ole(item.disk_path) as ole:
            reason = encryption(ole)
            if reason:
                raise EncryptedFile(reason)
            if not (ole.exists("Workbook") or ole.exists("Book")):
                raise Malformed("an OLE file without a Workbook stream: not an Excel file")
            metadata, raw = ole_properties(ole)
        sink, facts, error = read_rows(item, limits, lambda s: read_xls(item.disk_path, s))
        return rows_extraction(sink, metadata | facts, raw, [error])

    def _package(self, item: Item, limits: Limits) -> Extraction:
        try:
            with zipfile.ZipFile(item.disk_path) as probe:
                names = set(probe.namelist())
        except ZIP_ERRORS as exc:
            raise Malformed(f"not a readable zip: {exc}") from exc
        if "[Content_Types].xml" not in names and "content.xml" in names:
            return self._ods(item, limits)
        with open_package(str(item.disk_path)) as package:
            metadata, raw = office_metadata(package)
            pictures: list[Picture] = []
            most = limits.max_archive_members + 1
            sink, facts, error = read_rows(
                item, limits, lambda sink: read_xlsx(package, sink, pictures, most)
            )
            if error is not None and not sink.sheets:
                raise error
            anchors = len(pictures)
            anchored = {media for media, _ in pictures}
            # embedded documents, chart images, the thumbnail: children without a row
            pictures += [(p, None) for p in embedded_parts(package) if p not in anchored]
            children, unpack_error = unpack_parts(item, limits, package, pictures)
        metadata |= facts | {"pictures": anchors, "embedded": len(children)}
        return rows_extraction(sink, metadata, raw, [error, unpack_error], children)

    def _ods(self, item: Item, limits: Limits) -> Extraction:
        with zipfile.ZipFile(item.disk_path) as package:
            metadata = odf_metadata(package)

            def read(sink: RowSink) -> dict[str, Any]:
                for event in ods_events(package):
                    if isinstance(event, SheetStart):
                        sink.start_sheet(event.name)
                    elif isinstance(event, SheetEnd):
                        sink.end_sheet(event.merged)
                    else:
                        sink.row(*event)
                return {"format": "ods"}

            sink, facts, error = read_rows(item, limits, read)
        return rows_extraction(sink, metadata | facts, {"ODF": dict(metadata)}, [error])
