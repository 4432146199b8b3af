"""photo_editing_software: Photoshop or PicsArt in Software, Lightroom or 美图 in XMP trip it;
camera firmware does not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.verify.checks._media import run_check, shot, write_photo
from veracity.case import Case
from veracity.verify.checks.photo_editing_software import PhotoEditingSoftware, _named_editors


def test_an_editor_in_software_trips_it_and_firmware_does_not(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    write_photo(tmp_path / "src" / "edited.jpg", shot(software="Adobe Photoshop CC 2017 (Windows)"))
    write_photo(tmp_path / "src" / "picsart.jpg", shot(software="PicsArt Photo Studio"))
    write_photo(tmp_path / "src" / "camera.jpg", shot())  # Software = "Ver.1.02"
    found = run_check(make_case, tmp_path / "src", PhotoEditingSoftware)
    assert sorted(found) == ["edited.jpg", "picsart.jpg"]
    assert found["edited.jpg"].severity == "warning"
    assert found["edited.jpg"].evidence["field"] == "software"


def test_xmp_creator_tool_and_history_are_read() -> None:
    xmp = {
        "creator_tool": "Canon EOS 5D Mark III",
        "history": [{"action": "saved", "software_agent": "Adobe Lightroom Classic 9.0"}],
    }
    assert list(_named_editors({"software": "Firmware Version 1.3.5", "xmp": xmp})) == [
        ("xmp.history", "Adobe Lightroom Classic 9.0")
    ]
    assert list(_named_editors({"xmp": {"creator_tool": "美图秀秀 7.0"}})) == [
        ("xmp.creator_tool", "美图秀秀 7.0")
    ]
