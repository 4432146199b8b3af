"""Shared reading of Office Open XML packages (docx, xlsx, pptx): safe XML, core and app properties.

Every XML part is parsed with defusedxml (no external entities, no entity expansion bombs) and
read with a size cap, because a leak's Office files may be built to attack the reader.
The property names follow ExifTool's and python-docx's, so a reporter can compare.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from veracity.case import Limits
from veracity.errors import EncryptedFile, ExtractError, LimitExceeded, Malformed, Refused
from veracity.extract._members import Unpacker
from veracity.extract._xmlstream import ZIP_ERRORS
from veracity.extract.base import Child, Extractor, Item

#: A single XML part larger than this is refused: real document.xml parts stay far below it.
MAX_PART_BYTES = 256 * 1024 * 1024

NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}

_CORE = (
    ("title", "dc:title"),
    ("subject", "dc:subject"),
    ("author", "dc:creator"),
    ("keywords", "cp:keywords"),
    ("description", "dc:description"),
    ("last_modified_by", "cp:lastModifiedBy"),
    ("revision", "cp:revision"),
    ("created", "dcterms:created"),
    ("modified", "dcterms:modified"),
    ("last_printed", "cp:lastPrinted"),
    ("category", "cp:category"),
    ("content_status", "cp:contentStatus"),
    ("language", "dc:language"),
)
_APP = (
    ("application", "ep:Application"),
    ("app_version", "ep:AppVersion"),
    ("company", "ep:Company"),
    ("manager", "ep:Manager"),
    ("template", "ep:Template"),
    ("total_time", "ep:TotalTime"),
    ("pages", "ep:Pages"),
    ("words", "ep:Words"),
    ("characters", "ep:Characters"),
    ("slides", "ep:Slides"),
    ("notes", "ep:Notes"),
    ("doc_security", "ep:DocSecurity"),
)


def read_part(package: zipfile.ZipFile, name: str) -> bytes | None:
    """The bytes of one part, or None when absent; refuses a part past `MAX_PART_BYTES`."""
    try:
        info = package.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise LimitExceeded("ooxml_part_bytes", info.file_size, MAX_PART_BYTES)
    try:
        with package.open(info) as fh:
            data = fh.read(MAX_PART_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise Malformed(f"unreadable part {name}: {exc}") from exc
    if len(data) > MAX_PART_BYTES:  # the header lied about the size
        raise LimitExceeded("ooxml_part_bytes", len(data), MAX_PART_BYTES)
    return data


def parse_xml(data: bytes, name: str = "part") -> Element:
    """Parse untrusted XML: entity tricks and malformed markup become `Malformed`."""
    try:
        return SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise Malformed(f"{name}: forbidden XML construct ({type(exc).__name__})") from exc
    except SafeET.ParseError as exc:
        raise Malformed(f"{name}: malformed XML: {exc}") from exc


def read_xml(package: zipfile.ZipFile, name: str) -> Element | None:
    data = read_part(package, name)
    return None if data is None else parse_xml(data, name)


def _fields(root: Element | None, table: tuple[tuple[str, str], ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    if root is None:
        return out
    for key, path in table:
        node = root.find(path, NS)
        if node is not None and node.text and node.text.strip():
            out[key] = node.text.strip()
    return out


def core_properties(package: zipfile.ZipFile) -> dict[str, str]:
    """docProps/core.xml: author, last_modified_by, created, modified, revision, title, …"""
    return _fields(read_xml(package, "docProps/core.xml"), _CORE)


def app_properties(package: zipfile.ZipFile) -> dict[str, str]:
    """docProps/app.xml: Application, AppVersion, Company, Template, TotalTime, pages, …"""
    return _fields(read_xml(package, "docProps/app.xml"), _APP)


def office_metadata(package: zipfile.ZipFile) -> tuple[dict[str, Any], dict[str, Any]]:
    """(normalised metadata, raw groups) of a package, in design.md's field names.

    `metadata` has `title`, `author`, `last_modified_by`, `created`, `modified`,
    `application`, `app_version`, `revisions` (core revision as int when numeric), and the
    other properties as read; `raw` groups them as {"Core": …, "App": …}.
    """
    core = core_properties(package)
    app = app_properties(package)
    metadata: dict[str, Any] = {**app, **core}
    revision = core.get("revision")
    if revision is not None and revision.isdigit():
        metadata["revisions"] = int(revision)
    for key in ("total_time", "pages", "words", "characters", "slides", "notes"):
        value = metadata.get(key)
        if isinstance(value, str) and value.isdigit():
            metadata[key] = int(value)
    return metadata, {"Core": core, "App": app}


def open_package(path: str) -> zipfile.ZipFile:
    """Open an OOXML file; a non-zip (or an OLE-encrypted Office file) is reported as such."""
    with open(path, "rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise EncryptedFile("password-protected Office file (an OLE EncryptedPackage)")
    try:
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Malformed(f"not an Office Open XML package: {exc}") from exc
    if "[Content_Types].xml" not in package.namelist():
        package.close()
        raise Malformed("a zip without [Content_Types].xml: not an Office document")
    return package


# --- relationships and embedded parts (docx, pptx, xlsx) ---------------------------------

_MEDIA_FOLDERS = ("media/", "embeddings/")


@dataclass(frozen=True)
class Relationship:
    """One `Relationship` of a part: its type (last path segment) and target part or URL."""

    rel_id: str
    type: str  # e.g. "image", "slide", "notesSlide", "hyperlink", "attachedTemplate"
    target: str  # the part name inside the package, or the URL when `is_external`
    is_external: bool


def rels_name(part: str) -> str:
    """The relationships part of `part`: word/document.xml → word/_rels/document.xml.rels."""
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def relationships(package: zipfile.ZipFile, part: str) -> list[Relationship]:
    """The relationships of one part, in file order, targets resolved to part names."""
    root = read_xml(package, rels_name(part))
    if root is None:
        return []
    folder = part.rpartition("/")[0]
    out = []
    for node in root.iter(f"{{{NS['rel']}}}Relationship"):
        target = node.get("Target") or ""
        external = node.get("TargetMode") == "External"
        if not external:
            if target.startswith("/"):
                target = target.lstrip("/")
            else:
                target = posixpath.normpath(posixpath.join(folder, target))
        kind = (node.get("Type") or "").rsplit("/", 1)[-1]
        out.append(Relationship(node.get("Id") or "", kind, target, external))
    return out


def main_part(package: zipfile.ZipFile, default: str) -> str:
    """The package's main part, from its root relationships (`officeDocument`)."""
    for rel in relationships(package, ""):
        if rel.type == "officeDocument" and not rel.is_external:
            return rel.target
    return default


def embedded_parts(package: zipfile.ZipFile) -> list[str]:
    """Parts that are files in their own right: pictures, media, embedded objects, thumbnail."""
    names = []
    for name in package.namelist():
        if name.endswith("/"):
            continue
        folder = name.split("/", 1)[1] if "/" in name else ""
        if folder.startswith(_MEDIA_FOLDERS) or name.startswith("docProps/thumbnail."):
            names.append(name)
    return names


def unpack_parts(
    item: Item,
    limits: Limits,
    package: zipfile.ZipFile,
    parts: Sequence[tuple[str, dict[str, Any] | None]],
) -> tuple[tuple[Child, ...], ExtractError | None]:
    """Take parts out as children (member name = part name), one per (part, locator) pair.

    A part listed twice (a photo anchored in two rows) is taken out twice, so each place keeps
    it. A part that cannot be read is recorded as a child with its error; a limit hit keeps the
    parts taken out so far and is returned, so the caller keeps its text as a partial result.
    """
    if not parts:
        return (), None
    try:
        unpacker = Unpacker(item, limits)
    except LimitExceeded as exc:
        return (), exc
    error: ExtractError | None = None
    located: list[dict[str, Any] | None] = []
    try:
        for name, locator in parts:
            try:
                with package.open(name) as source:
                    unpacker.copy(name, source, None)
            except Refused as exc:
                unpacker.refuse(name, exc)
            except ZIP_ERRORS as exc:
                unpacker.refuse(name, Malformed(f"unreadable part {name!r}: {exc}"))
            located.append(locator)
    except LimitExceeded as exc:
        error = exc
    children = unpacker.children
    return tuple(replace(c, locator=loc) for c, loc in zip(children, located, strict=False)), error


# --- text in document order ---------------------------------------------------------------


@dataclass(frozen=True)
class TextTags:
    """Which elements (Clark names, '{ns}local') carry text, break lines or are skipped."""

    paragraph: str  # each one starts a new line
    text: frozenset[str]
    newline: frozenset[str] = frozenset()
    tab: frozenset[str] = frozenset()
    skip: frozenset[str] = frozenset()  # whole subtrees left out (fallback copies, fields)


def element_text(root: Element, tags: TextTags) -> str:
    """The text under `root` in document order, one line per paragraph.

    Walked with an explicit stack, not recursion, so a hostile document nested ten thousand
    levels deep cannot overflow Python's stack.
    """
    out: list[str] = []
    stack = [iter(root)]
    while stack:
        for node in stack[-1]:
            tag = node.tag
            if tag in tags.skip:
                continue
            if tag in tags.text:
                if node.text:
                    out.append(node.text)
                continue
            if tag == tags.paragraph:
                if out:
                    out.append("\n")
            elif tag in tags.newline:
                out.append("\n")
            elif tag in tags.tab:
                out.append("\t")
            if len(node):
                stack.append(iter(node))
                break
        else:
            stack.pop()
    return "".join(out)


class PackageExtractor(Extractor):
    """Base of the Office Open XML extractors: also claims a package libmagic calls a zip.

    libmagic names a docx "application/zip" when [Content_Types].xml is not its first member;
    by its name it is still an Office file, and a zip that only pretends to be one is then
    reported malformed by `open_package` rather than unpacked as an archive.
    """

    _ZIP_TYPES: ClassVar[frozenset[str]] = frozenset(
        {"application/zip", "application/octet-stream"}
    )

    @classmethod
    def match(cls, item: Item) -> int:
        if item.mime.lower() in cls.MIME_TYPES or (
            item.mime in cls._ZIP_TYPES and item.extension in cls.EXTENSIONS
        ):
            return cls.SCORE
        return -1
