"""Shared reading of Office Open XML packages (docx, xlsx, pptx): safe XML, core and app properties.

Every XML part is parsed with defusedxml (no external entities, no entity expansion bombs) and
read with a size cap, because a leak's Office files may be built to attack the reader.
The property names follow ExifTool's and python-docx's, so a reporter can compare.
"""

from __future__ import annotations

import zipfile
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from veracity.errors import EncryptedFile, LimitExceeded, Malformed

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
