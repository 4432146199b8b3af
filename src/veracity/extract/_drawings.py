"""Pictures placed on a worksheet, and the row each one belongs to.

Registers embed each person's photo in that person's row. Excel keeps a floating picture in a
drawing part (`xl/drawings/drawingN.xml`): an anchor whose `from` cell (0-based row and column)
is where the picture's top-left corner sits, and an `a:blip r:embed` pointing, through the
drawing's relationships, to the media part (`xl/media/image3.jpeg`). The worksheet's own
relationships say which drawing is its. WPS Office, common in China, can instead put a picture
*in* a cell: the cell holds `=DISPIMG("ID_…",1)` and `xl/cellimages.xml` maps that id to a
media part. Both are read here, streamed, so a drawing of ten thousand photos costs no tree.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

from veracity.extract._ooxml import relationships
from veracity.extract._xmlstream import attr, parse_part

_ANCHORS = frozenset({"twoCellAnchor", "oneCellAnchor", "absoluteAnchor"})
WPS_CELL_IMAGES = "xl/cellimages.xml"


@dataclass(frozen=True)
class Anchor:
    """One picture: its media part and its top-left cell (0-based; None when absolute)."""

    media: str
    row: int | None
    col: int | None
    description: str | None = None


@dataclass
class _Open:
    row: int | None = None
    col: int | None = None
    embeds: list[str] = field(default_factory=list)
    description: str | None = None


class _DrawingHandler:
    def __init__(self, most: int) -> None:
        self.most = most
        self.found: list[_Open] = []
        self._anchor: _Open | None = None
        self._in_from = False
        self._field: str | None = None
        self._text = ""

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name in _ANCHORS:
            self._anchor = _Open()
        elif self._anchor is None:
            return
        elif name == "from":
            self._in_from = True
        elif self._in_from and name in ("row", "col"):
            self._field, self._text = name, ""
        elif name == "blip":
            embed = attr(attrs, "embed")
            if embed and embed not in self._anchor.embeds:
                self._anchor.embeds.append(embed)
        elif name == "cNvPr" and self._anchor.description is None:
            self._anchor.description = attrs.get("descr") or attrs.get("name")

    def end(self, name: str) -> None:
        anchor = self._anchor
        if anchor is None:
            return
        if name in _ANCHORS:
            if anchor.embeds and len(self.found) < self.most:
                self.found.append(anchor)
            self._anchor = None
        elif name == "from":
            self._in_from = False
        elif name == self._field:
            value = int(self._text) if self._text.strip().isdigit() else None
            if name == "row":
                anchor.row = value
            else:
                anchor.col = value
            self._field = None

    def text(self, data: str) -> None:
        if self._field is not None and len(self._text) < 32:
            self._text += data


def sheet_images(package: zipfile.ZipFile, sheet_part: str, most: int) -> list[Anchor]:
    """The pictures anchored on one worksheet, in drawing order; at most `most` (one more
    than the caller can take out, so that the limit is still seen and reported)."""
    out: list[Anchor] = []
    for rel in relationships(package, sheet_part):
        if rel.type != "drawing" or rel.is_external:
            continue
        handler = _DrawingHandler(most)
        if not parse_part(package, rel.target, handler):
            continue
        media = {
            r.rel_id: r.target
            for r in relationships(package, rel.target)
            if r.type == "image" and not r.is_external
        }
        for found in handler.found:
            for embed in found.embeds:
                if embed in media:
                    out.append(Anchor(media[embed], found.row, found.col, found.description))
    return out


class _CellImagesHandler:
    """`etc:cellImage` elements: each a `pic` named by the id DISPIMG uses."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {}
        self._name: str | None = None
        self._embed: str | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "cellImage":
            self._name = self._embed = None
        elif name == "cNvPr":
            self._name = attrs.get("name")
        elif name == "blip":
            self._embed = attr(attrs, "embed")

    def end(self, name: str) -> None:
        if name == "cellImage" and self._name and self._embed:
            self.found.setdefault(self._name, self._embed)

    def text(self, data: str) -> None:
        pass


def wps_cell_images(package: zipfile.ZipFile) -> dict[str, str]:
    """WPS picture id (`ID_…`) → media part, from `xl/cellimages.xml`; empty when absent."""
    handler = _CellImagesHandler()
    if not parse_part(package, WPS_CELL_IMAGES, handler):
        return {}
    media = {
        r.rel_id: r.target
        for r in relationships(package, WPS_CELL_IMAGES)
        if r.type == "image" and not r.is_external
    }
    return {pid: media[embed] for pid, embed in handler.found.items() if embed in media}
