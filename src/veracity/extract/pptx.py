"""PowerPoint decks (pptx, pptm, ppsx, potx): slide text in order, speaker notes, properties, media.

Slides are read in the order `presentation.xml` lists them (not the order of the part names,
which a reordered deck no longer follows), each into one `Page("slide", n)` whose text ends
with its speaker notes under a `[notes]` line: police drill decks keep the instructions in the
notes. Pictures and media become child files located on the first slide that shows them
(`deck.pptx!/ppt/media/image1.png`, locator `{"slide": 3}`).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

from veracity.case import Limits
from veracity.extract._language import detect_language
from veracity.extract._ooxml import (
    PackageExtractor,
    TextTags,
    element_text,
    embedded_parts,
    main_part,
    office_metadata,
    open_package,
    read_xml,
    relationships,
    unpack_parts,
)
from veracity.extract.base import Extraction, Item, Page

P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

SLIDE_TAGS = TextTags(
    paragraph=f"{{{A}}}p",
    text=frozenset({f"{{{A}}}t", f"{{{P}}}text"}),  # p:text: a comment's text
    newline=frozenset({f"{{{A}}}br"}),
    skip=frozenset({_MC_FALLBACK, f"{{{A}}}rPr", f"{{{A}}}pPr", f"{{{A}}}endParaRPr"}),
)
#: Notes pages carry the slide number and date as fields; only the speaker's text is wanted.
NOTES_TAGS = TextTags(
    paragraph=SLIDE_TAGS.paragraph,
    text=SLIDE_TAGS.text,
    newline=SLIDE_TAGS.newline,
    skip=SLIDE_TAGS.skip | {f"{{{A}}}fld"},
)
NOTES_MARK = "[notes]"
_MEDIA_RELS = frozenset({"image", "media", "video", "audio", "oleObject", "package", "hdphoto"})
_TITLE_TYPES = frozenset({"title", "ctrTitle"})


@dataclass(frozen=True)
class Slide:
    number: int
    part: str
    text: str
    notes: str
    title: str
    is_hidden: bool


def slide_parts(package: zipfile.ZipFile, presentation: str) -> list[str]:
    """The slide parts in the order the deck shows them (`p:sldIdLst`)."""
    root = read_xml(package, presentation)
    if root is None:
        return []
    targets = {
        r.rel_id: r.target
        for r in relationships(package, presentation)
        if r.type == "slide" and not r.is_external
    }
    order = root.find(f"{{{P}}}sldIdLst")
    ids = [] if order is None else [n.get(f"{{{R}}}id") for n in order]
    parts = [targets[i] for i in ids if i in targets]
    return list(dict.fromkeys(parts))  # a slide listed twice is read once


def _title(root: Element) -> str:
    for shape in root.iter(f"{{{P}}}sp"):
        ph = shape.find(f".//{{{P}}}nvPr/{{{P}}}ph")
        if ph is not None and ph.get("type") in _TITLE_TYPES:
            return element_text(shape, SLIDE_TAGS).strip()
    return ""


def read_slide(
    package: zipfile.ZipFile, number: int, part: str, media: dict[str, dict[str, Any] | None]
) -> Slide:
    """One slide's text, notes and comments; records which media parts it shows in `media`."""
    root = read_xml(package, part)
    if root is None:
        return Slide(number, part, "", "", "", False)
    texts = [element_text(root, SLIDE_TAGS)]
    notes = ""
    for rel in relationships(package, part):
        if rel.is_external:
            continue
        if rel.type in _MEDIA_RELS and rel.target in media and media[rel.target] is None:
            media[rel.target] = {"slide": number}
        elif rel.type == "notesSlide" and not notes:
            notes_root = read_xml(package, rel.target)
            notes = element_text(notes_root, NOTES_TAGS).strip() if notes_root is not None else ""
        elif rel.type == "comments":
            comments = read_xml(package, rel.target)
            if comments is not None:
                texts.append(element_text(comments, SLIDE_TAGS))
    text = "\n".join(t.strip() for t in texts if t.strip())
    return Slide(number, part, text, notes, _title(root), root.get("show") == "0")


def page_text(slide: Slide) -> str:
    return f"{slide.text}\n\n{NOTES_MARK}\n{slide.notes}" if slide.notes else slide.text


class PptxExtractor(PackageExtractor):
    NAME = "pptx"
    MIME_TYPES = frozenset(
        {
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.openxmlformats-officedocument.presentationml.slideshow",
            "application/vnd.openxmlformats-officedocument.presentationml.template",
            "application/vnd.ms-powerpoint.presentation.macroenabled.12",
            "application/vnd.ms-powerpoint.slideshow.macroenabled.12",
        }
    )
    EXTENSIONS = frozenset({"pptx", "pptm", "ppsx", "ppsm", "potx", "potm"})
    SCORE = 6
    IS_CONTAINER = True  # its pictures are recorded under every copy, like an archive's members

    def extract(self, item: Item, limits: Limits) -> Extraction:
        with open_package(str(item.disk_path)) as package:
            metadata, raw = office_metadata(package)
            presentation = main_part(package, "ppt/presentation.xml")
            media: dict[str, dict[str, Any] | None] = dict.fromkeys(embedded_parts(package))
            slides = [
                read_slide(package, n, part, media)
                for n, part in enumerate(slide_parts(package, presentation), 1)
            ]
            children, error = unpack_parts(item, limits, package, list(media.items()))
        budget = limits.max_text_chars
        pages = []
        for slide in slides:
            text = page_text(slide)[: max(budget, 0)]
            budget -= len(text) + 2
            pages.append(Page("slide", slide.number, text))
        metadata |= {
            "slides": len(slides),
            "notes": sum(1 for s in slides if s.notes),
            "hidden_slides": sum(1 for s in slides if s.is_hidden),
            "embedded": len(children),
            "truncated": budget < 0,
        }
        raw["Slides"] = [
            {"slide": s.number, "part": s.part, "title": s.title, "hidden": s.is_hidden}
            for s in slides
        ]
        text = "\n\n".join(p.text for p in pages if p.text)
        return Extraction(
            text=text,
            language=detect_language(text),
            metadata=metadata,
            raw=raw,
            pages=tuple(pages),
            children=children,
            error_kind=error.kind if error else None,
            error=str(error) if error else None,
        )
