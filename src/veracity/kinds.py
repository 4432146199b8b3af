"""What kind of file a content is: the one vocabulary stats, the report, search and checks use.

A reporter reads "12 documents" in `veracity stats`, in the report and in a search facet, and
must get the same 12 each time. So the kinds are defined here once — photo, document,
spreadsheet, email, archive, other — with the one rule that decides a content's kind: its
extractor, and where one extractor reads several kinds (`ole` reads Word, Excel, PowerPoint
and Outlook files) what the extractor found inside (`metadata["program"]`), then the content's
MIME type. SQL counts use `store/_analyze_sql.kind_sql`, built from these same tables, so the
database and Python cannot disagree.

Decisions: a CSV is a spreadsheet (it holds rows, not prose); plain text, HTML, RTF, PDF and
every word-processor or presentation format are documents; eml, mht and msg are email; zip,
tar (and lone gz/bz2/xz) and 7z are archives; audio, video and anything unread are other.
A content is one kind whatever its status (a failed PDF is still a document) and whatever its
paths are named. Search keeps a finer `subtype` (presentation, text, media) for `type:`
queries written before the kinds were one list; it never replaces the kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

Kind = Literal["photo", "document", "spreadsheet", "email", "archive", "other"]

PHOTO: Final = "photo"
DOCUMENT: Final = "document"
SPREADSHEET: Final = "spreadsheet"
EMAIL: Final = "email"
ARCHIVE: Final = "archive"
OTHER: Final = "other"

#: every kind, in the order figures show them
KINDS: tuple[Kind, ...] = (PHOTO, DOCUMENT, SPREADSHEET, EMAIL, ARCHIVE, OTHER)

#: the `veracity stats` key counting each kind (photos, documents, … were shipped before)
COUNT_KEYS: Mapping[Kind, str] = {
    PHOTO: "photos",
    DOCUMENT: "documents",
    SPREADSHEET: "spreadsheets",
    EMAIL: "emails",
    ARCHIVE: "archives",
    OTHER: "other",
}

#: each kind in plain words, as `stats explain` and the docs give it
DESCRIPTIONS: Mapping[Kind, str] = {
    PHOTO: "Distinct contents read as images (JPEG, PNG, TIFF, HEIC, WebP, GIF).",
    DOCUMENT: "Distinct contents read as documents: Word (docx, doc, wps), PowerPoint (pptx, "
    "ppt), PDF, RTF, HTML, plain text.",
    SPREADSHEET: "Distinct contents read as spreadsheets: xlsx, xls, ods, et, CSV and TSV (an "
    "old Office file counts here when Excel wrote it).",
    EMAIL: "Distinct contents read as e-mail: eml, mht, Outlook msg.",
    ARCHIVE: "Distinct contents read as archives: zip, tar (and lone gz, bz2, xz), 7z.",
    OTHER: "Distinct contents of no other kind: audio, video, and files no extractor reads.",
}

#: each extractor's kind (extract/registry.py names them); an extractor not listed is `other`
BY_EXTRACTOR: Mapping[str, Kind] = {
    "image": PHOTO,
    "docx": DOCUMENT,
    "pptx": DOCUMENT,
    "ole": DOCUMENT,
    "pdf": DOCUMENT,
    "rtf": DOCUMENT,
    "html": DOCUMENT,
    "text": DOCUMENT,
    "spreadsheet": SPREADSHEET,
    "csv": SPREADSHEET,
    "eml": EMAIL,
    "msg": EMAIL,
    "zip": ARCHIVE,
    "tar": ARCHIVE,
    "sevenzip": ARCHIVE,
    "media": OTHER,
}

#: where an extractor reads several kinds, what it recorded decides first:
#: (extractor, metadata key, value, kind) — the program whose streams an OLE file holds
BY_METADATA: tuple[tuple[str, str, str, Kind], ...] = (
    ("ole", "program", "word", DOCUMENT),
    ("ole", "program", "powerpoint", DOCUMENT),
    ("ole", "program", "excel", SPREADSHEET),
    ("ole", "program", "outlook", EMAIL),
)

#: … then the content's MIME type (an encrypted or unreadable OLE file records no program)
BY_MIME: tuple[tuple[str, str, Kind], ...] = (
    ("ole", "application/vnd.ms-excel", SPREADSHEET),
    ("ole", "application/vnd.ms-outlook", EMAIL),
)

#: finer search types kept findable as `type:` values beside the kind (search/units.py)
SUBTYPES: Mapping[str, str] = {"pptx": "presentation", "text": "text", "media": "media"}
_PRESENTATION_MIMES = frozenset({"application/vnd.ms-powerpoint"})


def kind_of(
    extractor: str | None, mime: str | None = None, metadata: Mapping[str, Any] | None = None
) -> Kind:
    """The kind of a content read by `extractor` (None: never read), as `kind_sql` decides it."""
    meta = metadata or {}
    for name, key, value, kind in BY_METADATA:
        if extractor == name and meta.get(key) == value:
            return kind
    lowered = (mime or "").lower()  # libmagic's capitals vary between versions
    for name, type_, kind in BY_MIME:
        if extractor == name and lowered == type_:
            return kind
    return BY_EXTRACTOR.get(extractor or "", OTHER)


def subtype_of(
    extractor: str | None, mime: str | None = None, metadata: Mapping[str, Any] | None = None
) -> str | None:
    """A finer type than the kind, for search only: presentation, text or media; else None."""
    if extractor == "ole":  # a PowerPoint file by its streams, else by its MIME type
        program = (metadata or {}).get("program")
        by_mime = program in (None, "unknown") and (mime or "").lower() in _PRESENTATION_MIMES
        return "presentation" if program == "powerpoint" or by_mime else None
    return SUBTYPES.get(extractor or "")


def extractors_of(kind: Kind) -> tuple[str, ...]:
    """The extractors whose contents are `kind` unless BY_METADATA or BY_MIME say otherwise."""
    return tuple(name for name, k in BY_EXTRACTOR.items() if k == kind)
