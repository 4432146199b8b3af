"""photo_editing_software: a photo whose Software tag or XMP history names an image editor."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView

#: Editors and beautifying apps (desktop and phone). Camera firmware ("Ver.1.02", "ILCE-6000
#: v3.20") and raw converters shipped with the camera are deliberately not here.
EDITORS = re.compile(
    r"photoshop|lightroom|\bgimp\b|snapseed|meitu|美图|picsart|pixelmator|paint\.net|"
    r"affinity photo|acdsee|photoscape|\bvsco\b|facetune|光影魔术手|picasa|fotor|polarr|醒图|"
    r"黄油相机|capture one|luminar|photodirector|corel ?paintshop",
    re.IGNORECASE,
)


class PhotoEditingSoftware(Check):
    """A photo saved by an image editor (Software, XMP CreatorTool or an XMP History agent).

    An editor in the metadata means the pixels went through a program that can change them;
    a camera writes its firmware there. False positives: photos merely resized, rotated or
    re-saved for sending, which editors also stamp.
    """

    NAME = "photo_editing_software"
    NEEDS = frozenset({"images"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        for item in view.images():
            hits = list(_named_editors(item.metadata))
            if not hits:
                continue
            field, value = hits[0]
            yield self.finding(
                "warning",
                item.path,
                None,
                f"saved by an image editor: {value} ({field})",
                field=field,
                software=value,
                matches=[{"field": f, "software": v} for f, v in hits],
                taken_at=item.metadata.get("taken_at"),
                modify_date=item.metadata.get("modify_date"),
            )


def _named_editors(metadata: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, value) for every metadata field whose value names an editor."""
    xmp = metadata.get("xmp")
    if not isinstance(xmp, dict):
        xmp = {}
    candidates: list[tuple[str, Any]] = [
        ("software", metadata.get("software")),
        ("xmp.creator_tool", xmp.get("creator_tool")),
    ]
    history = xmp.get("history")
    if isinstance(history, list):
        candidates += [
            ("xmp.history", event.get("software_agent"))
            for event in history
            if isinstance(event, dict)
        ]
    seen: set[tuple[str, str]] = set()
    for field, value in candidates:
        if isinstance(value, str) and EDITORS.search(value) and (field, value) not in seen:
            seen.add((field, value))
            yield field, value
