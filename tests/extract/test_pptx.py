"""PowerPoint decks: the synthetic leak's drills against their truth and python-pptx."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pptx
import pytest
from pptx.enum.shapes import MSO_SHAPE_TYPE

from tests.conftest import paths_of, run_ingest
from veracity.case import Case, Limits
from veracity.extract.base import Extraction, Item
from veracity.extract.pptx import NOTES_MARK, PptxExtractor
from veracity.synth import SynthConfig, Truth
from veracity.synth.documents import write_documents
from veracity.synth.population import generate_population

LIMITS = Limits.from_settings()
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def extract(path: Path, scratch: Path) -> Extraction:
    item = Item(path, path.name, "0" * 64, path.stat().st_size, PPTX_MIME, "pptx", 0, scratch)
    return PptxExtractor().extract(item, LIMITS)


def picture_slides(path: Path) -> set[int]:
    """The slides python-pptx finds a picture on."""
    deck = pptx.Presentation(str(path))
    return {
        n
        for n, slide in enumerate(deck.slides, 1)
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    }


@pytest.fixture(scope="module")
def leak(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    out = tmp_path_factory.mktemp("leak")
    config = SynthConfig(seed=5, people=300, photos=0, documents=30)
    truth = Truth(seed=config.seed)
    write_documents(out, generate_population(config, truth), config, truth)
    decks = [d for d in truth.sections["documents"] if d["path"].endswith(".pptx")]
    return out, decks


def test_decks_match_their_truth(leak: tuple[Path, list[dict[str, Any]]], tmp_path: Path) -> None:
    out, decks = leak
    assert len(decks) >= 2
    for n, truth in enumerate(decks):
        path = out / truth["path"]
        result = extract(path, tmp_path / str(n))
        meta = result.metadata
        for key in ("title", "author", "last_modified_by", "application", "slides"):
            assert meta[key] == truth[key], (truth["path"], key)
        assert meta["created"] == truth["created"] + "Z"
        assert meta["revisions"] == truth["revision"]
        assert [p.number for p in result.pages] == list(range(1, truth["slides"] + 1))
        assert all(p.kind == "slide" for p in result.pages)
        assert truth["title"] in result.pages[0].text
        # every synthetic slide has speaker notes, as python-pptx reads them
        deck = pptx.Presentation(str(path))
        for page, slide in zip(result.pages, deck.slides, strict=True):
            notes = slide.notes_slide.notes_text_frame.text
            assert page.text.endswith(f"{NOTES_MARK}\n{notes}")
        assert meta["notes"] == truth["slides"]


def test_pictures_are_children_on_the_slide_that_shows_them(
    leak: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    out, decks = leak
    path = out / decks[0]["path"]
    result = extract(path, tmp_path / "s")
    shown = picture_slides(path)
    assert shown
    (child,) = result.children
    assert child.name.startswith("ppt/media/image1.")
    assert child.locator == {"slide": min(shown)}
    assert result.metadata["embedded"] == 1


def test_slides_follow_the_presentation_order_not_part_names(
    leak: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    out, decks = leak
    source = out / decks[0]["path"]
    reordered = tmp_path / "reordered.pptx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(reordered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "ppt/presentation.xml":
                ids = re.findall(rb"<p:sldId [^>]*/>", data)
                data = (
                    data.replace(ids[0], b"\x00").replace(ids[1], ids[0]).replace(b"\x00", ids[1])
                )
            dst.writestr(info, data)
    before = extract(source, tmp_path / "a").pages
    after = extract(reordered, tmp_path / "b").pages
    assert after[0].text == before[1].text and after[1].text == before[0].text
    assert [p.number for p in after] == [p.number for p in before]


def test_deck_media_is_ingested_with_its_slide(
    leak: tuple[Path, list[dict[str, Any]]], make_case: Callable[..., Case]
) -> None:
    out, decks = leak
    case = make_case()
    run_ingest(case, out / Path(decks[0]["path"]).parent, workers=1)
    rows = paths_of(case)
    name = Path(decks[0]["path"]).name
    assert rows[name]["status"] == "done"
    media = [r for p, r in rows.items() if p.startswith(f"{name}!/ppt/media/")]
    assert len(media) == 1
    locator = media[0]["locator"]
    slide = min(picture_slides(out / decks[0]["path"]))
    assert (json.loads(locator) if isinstance(locator, str) else locator) == {"slide": slide}
    assert media[0]["mime"] == "image/jpeg"
