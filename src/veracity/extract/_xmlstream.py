"""Streaming, safe parsing of XML parts inside a zip package (xlsx sheets, ods content).

A worksheet part of a million rows is half a gigabyte of XML: it is never read whole, but fed
to expat a megabyte at a time, and the handler hands finished rows back between chunks. The
parser refuses any DOCTYPE, so no entity can be declared: no billion-laughs expansion, no
external entity, the same guarantee defusedxml gives (whose ElementTree parser is the
pure-Python one, several times slower). OOXML and ODF parts never carry a DTD.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from typing import Any, Protocol
from xml.parsers import expat

from veracity.errors import Malformed

_CHUNK = 1 << 20
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    ValueError,
    EOFError,
    RuntimeError,
    NotImplementedError,
    KeyError,
)


class Handler(Protocol):
    """What expat calls; element names are local names (any `prefix:` removed), attribute
    names as written (`r:id`): read prefixed ones with `attr()`."""

    def start(self, name: str, attrs: dict[str, str]) -> None: ...
    def end(self, name: str) -> None: ...
    def text(self, data: str) -> None: ...


def attr(attrs: dict[str, str], local: str) -> str | None:
    """An attribute by its local name, whatever prefix the file gave it (`r:id`, `ns0:id`)."""
    value = attrs.get(local)
    if value is None:
        suffix = ":" + local
        value = next((v for k, v in attrs.items() if k.endswith(suffix)), None)
    return value


def _refuse_dtd(*_args: Any) -> None:
    raise Malformed("XML with a DOCTYPE refused (entity expansion or external entities)")


def _refuse_external(_context: str, _base: str | None, _sys: str | None, _pub: str | None) -> int:
    raise Malformed("XML with an external entity refused")


def _local_start(handler: Handler) -> Any:
    start = handler.start

    def on_start(name: str, attrs: dict[str, str]) -> None:
        start(name.rpartition(":")[2] if ":" in name else name, attrs)

    return on_start


def _local_end(handler: Handler) -> Any:
    end = handler.end

    def on_end(name: str) -> None:
        end(name.rpartition(":")[2] if ":" in name else name)

    return on_end


def _bind(parser: Any, handler: Handler) -> Any:
    """Wire the element handlers on seeing the root element.

    When the root is unprefixed and no prefix is bound to its namespace, the elements a
    handler looks for are unprefixed too (other prefixes belong to extensions it ignores), so
    expat calls the handler directly, saving a Python call per element.
    """

    def on_root(name: str, attrs: dict[str, str]) -> None:
        default = attrs.get("xmlns")
        prefixed = ":" in name or any(
            k.startswith("xmlns:") and v == default for k, v in attrs.items()
        )
        if prefixed:
            parser.StartElementHandler = _local_start(handler)
            parser.EndElementHandler = _local_end(handler)
        else:
            parser.StartElementHandler = handler.start
            parser.EndElementHandler = handler.end
        parser.StartElementHandler(name, attrs)

    return on_root


def safe_parser(handler: Handler) -> Any:
    """An expat parser wired to `handler` that refuses DTDs and entity declarations."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = _bind(parser, handler)
    parser.EndElementHandler = _local_end(handler)
    parser.CharacterDataHandler = handler.text
    return parser


def stream_part(package: zipfile.ZipFile, name: str, handler: Handler) -> Iterator[None]:
    """Feed one part to `handler` a chunk at a time, yielding after each chunk.

    Damaged compression and malformed XML become `Malformed` (a handler's own errors pass
    through as they are); the caller drains whatever the handler collected at each yield, so
    memory stays at one chunk plus one row.
    """
    parser = safe_parser(handler)
    try:
        source = package.open(name)
    except ZIP_ERRORS as exc:
        raise Malformed(f"{name}: unreadable part: {exc}") from exc
    with source:
        while True:
            try:
                chunk = source.read(_CHUNK)
            except ZIP_ERRORS as exc:
                raise Malformed(f"{name}: unreadable part: {exc}") from exc
            try:
                parser.Parse(chunk, not chunk)
            except expat.ExpatError as exc:
                raise Malformed(f"{name}: malformed XML: {exc}") from exc
            yield
            if not chunk:
                return


def parse_part(package: zipfile.ZipFile, name: str, handler: Handler) -> bool:
    """Stream a whole part into `handler`; False when the package has no such part."""
    try:
        package.getinfo(name)
    except KeyError:
        return False
    for _ in stream_part(package, name, handler):
        pass
    return True
