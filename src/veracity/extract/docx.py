"""Word documents (docx, docm, dotx): every text part, the properties, the traces of editing.

The XML parts are read directly rather than through python-docx: walking `w:t` in document
order is several times faster and also reaches what python-docx leaves out — headers, footers,
footnotes, endnotes and comments, where a leak's classification marks and reviewers' remarks
sit. Besides the core and app properties, what tells the history of a file is kept: the number
of distinct revision-save ids (rsids: one per editing session), the authors of tracked changes
and comments, deleted text still in the file, and external targets such as the attached
template's path, which often names the author's machine. Pictures and embedded objects become
child files named by their part (`doc.docx!/word/media/image1.jpeg`).
"""

from __future__ import annotations

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
from veracity.extract.base import Extraction, Item

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _w(local: str) -> str:
    return f"{{{W}}}{local}"


TAGS = TextTags(
    paragraph=_w("p"),
    text=frozenset({_w("t")}),
    newline=frozenset({_w("br"), _w("cr")}),
    tab=frozenset({_w("tab")}),
    # property blocks hold tab *stops* (w:tab) that are not text; a fallback repeats its choice
    skip=frozenset({_MC_FALLBACK, _w("pPr"), _w("rPr"), _w("sectPr"), _w("tblPr")}),
)
#: Parts read for text after the body, in this order, by relationship type.
_SIDE_PARTS = ("header", "footer", "footnotes", "endnotes", "comments")
_MAX_DELETED_CHARS = 100_000
_MAX_EXTERNAL = 100


def _authors(root: Element, *tags: str) -> set[str]:
    return {a for tag in tags for node in root.iter(_w(tag)) if (a := node.get(_w("author")))}


def _history(body: Element, comments: Element | None) -> dict[str, Any]:
    """Tracked changes and comments: who changed what, and the text they deleted."""
    deleted = "".join(n.text or "" for n in body.iter(_w("delText")))
    out: dict[str, Any] = {
        "insertions": sum(1 for _ in body.iter(_w("ins"))),
        "deletions": sum(1 for _ in body.iter(_w("del"))),
        "revision_authors": sorted(_authors(body, "ins", "del", "moveFrom", "moveTo")),
        "comments": 0,
        "comment_authors": [],
    }
    if comments is not None:
        out["comments"] = sum(1 for _ in comments.iter(_w("comment")))
        out["comment_authors"] = sorted(_authors(comments, "comment"))
    if deleted:
        out["deleted_text"] = deleted[:_MAX_DELETED_CHARS]
    return out


def rsid_count(settings: Element | None) -> int | None:
    """Distinct revision-save ids listed in settings.xml (`w:rsids`), None when absent."""
    if settings is None:
        return None
    rsids = settings.find(_w("rsids"))
    if rsids is None:
        return None
    return len({v for node in rsids if (v := node.get(_w("val")))})


class DocxExtractor(PackageExtractor):
    NAME = "docx"
    MIME_TYPES = frozenset(
        {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
            "application/vnd.ms-word.document.macroenabled.12",
            "application/vnd.ms-word.template.macroenabled.12",
        }
    )
    EXTENSIONS = frozenset({"docx", "docm", "dotx", "dotm"})
    SCORE = 6
    IS_CONTAINER = True  # its pictures are recorded under every copy, like an archive's members

    def extract(self, item: Item, limits: Limits) -> Extraction:
        with open_package(str(item.disk_path)) as package:
            metadata, raw = office_metadata(package)
            body_name = main_part(package, "word/document.xml")
            body = read_xml(package, body_name)
            if body is None:
                metadata["note"] = f"no main document part ({body_name})"
                body = Element(_w("document"))
            rels = relationships(package, body_name)
            texts = [element_text(body, TAGS)]
            side: dict[str, Element] = {}
            seen = {body_name}  # a part listed twice (or the body itself) is read once
            for kind in _SIDE_PARTS:
                for rel in rels:
                    if rel.type != kind or rel.is_external or rel.target in seen:
                        continue
                    seen.add(rel.target)
                    part = read_xml(package, rel.target)
                    if part is not None:
                        side.setdefault(kind, part)
                        texts.append(element_text(part, TAGS))
            settings_name = next((r.target for r in rels if r.type == "settings"), None)
            settings = read_xml(package, settings_name) if settings_name else None
            external = [r for r in rels if r.is_external]
            if settings_name:
                external += [r for r in relationships(package, settings_name) if r.is_external]
            parts = [(name, None) for name in embedded_parts(package)]
            children, error = unpack_parts(item, limits, package, parts)
        text = "\n\n".join(t for t in texts if t.strip())
        metadata["truncated"] = len(text) > limits.max_text_chars
        text = text[: limits.max_text_chars]
        history = _history(body, side.get("comments"))
        metadata |= {k: v for k, v in history.items() if k != "deleted_text"}
        rsids = rsid_count(settings)
        if rsids is not None:
            metadata["rsids"] = rsids
        template = next((r.target for r in external if r.type == "attachedTemplate"), None)
        if template:
            metadata["attached_template"] = template
        metadata["parts_read"] = ["body", *side]
        metadata["embedded"] = len(children)
        raw["Word"] = {
            "main_part": body_name,
            "external_targets": sorted({r.target for r in external})[:_MAX_EXTERNAL],
            **({"deleted_text": history["deleted_text"]} if "deleted_text" in history else {}),
        }
        return Extraction(
            text=text,
            language=detect_language(text),
            metadata=metadata,
            raw=raw,
            children=children,
            error_kind=error.kind if error else None,
            error=str(error) if error else None,
        )
