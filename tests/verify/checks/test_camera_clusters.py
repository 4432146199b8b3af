"""camera_clusters on the synthetic leak: the photo re-saved in an editor trips it, no other."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_ingest
from veracity.case import Case, open_case
from veracity.store import open_store
from veracity.synth import SynthConfig, generate, truth_path
from veracity.verify import run_checks


@pytest.fixture(scope="module")
def leak_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Case, dict[str, object]]:
    root = tmp_path_factory.mktemp("clusters")
    generate(root / "leak", SynthConfig(seed=5, people=60, photos=80, documents=5))
    case = open_case(root / "case", create=True)
    run_ingest(case, root / "leak")
    return case, json.loads(truth_path(root / "leak").read_text(encoding="utf-8"))


def test_the_edited_photo_and_only_it_is_a_warning(
    leak_case: tuple[Case, dict[str, object]],
) -> None:
    case, truth = leak_case
    run_checks(case, ["camera_clusters"])
    store = open_store(case, migrate=False)
    try:
        warnings = [f for f in store.iter_findings("camera_clusters") if f["severity"] == "warning"]
    finally:
        store.close()
    anomalies = truth["anomalies"]
    assert isinstance(anomalies, list)
    edited = {a["path"] for a in anomalies if a["kind"] == "photo_edited_software"}
    assert edited and {f["path"] for f in warnings} == edited
    assert all(f["evidence"]["camera_signatures"] for f in warnings)


def test_a_camera_with_one_table_set_has_no_finding(tmp_path: Path) -> None:
    from veracity.verify.checks.camera_clusters import CameraClusters
    from veracity.verify.view import FileView

    def photo(path: str, signature: str) -> FileView:
        meta = {
            "camera_make": "Canon",
            "camera_model": "EOS",
            "quantization": {"sha256": signature},
        }
        return FileView("x" + path, (path,), "image/jpeg", "image", "done", meta, {}, None)

    check = CameraClusters()
    same = [photo(f"a/{n}.jpg", "s1") for n in range(5)]
    assert list(check._lone_signatures(("Canon", "EOS", ""), same)) == []
    two_settings = same + [photo(f"a/q{n}.jpg", "s2") for n in range(3)]
    assert list(check._lone_signatures(("Canon", "EOS", ""), two_settings)) == []
    one_off = [*same, photo("a/edited.jpg", "s3")]
    found = list(check._lone_signatures(("Canon", "EOS", ""), one_off))
    assert [f.path for f in found] == ["a/edited.jpg"]


def test_a_resized_re_encoded_copy_is_info_naming_its_original(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    """A camera's photos; one of them resized and saved again at another quality with its
    EXIF (a copy for a report): info "copy of …". A photo of its own re-saved: a warning."""
    from datetime import timedelta

    from PIL import Image

    from tests.verify.checks._media import TAKEN, run_check, shot, write_photo
    from veracity.verify.checks.camera_clusters import CameraClusters

    src = tmp_path / "src"
    for k in range(4):
        write_photo(src / f"DSC_01{k}.JPG", shot(TAKEN + timedelta(minutes=k)))
    with Image.open(src / "DSC_010.JPG") as original:
        exif = original.info["exif"]
        original.resize((240, 180)).save(src / "copy.jpg", quality=70, exif=exif)
    with Image.open(src / "DSC_013.JPG") as other:
        edited = other.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        edited.save(src / "DSC_013.JPG", quality=60, exif=other.info["exif"])
    found = run_check(make_case, src, CameraClusters)
    assert {path: f.severity for path, f in found.items()} == {
        "copy.jpg": "info",
        "DSC_013.JPG": "warning",
    }
    assert found["copy.jpg"].evidence["copy_of"] == "DSC_010.JPG"
    assert found["copy.jpg"].message.startswith("copy of DSC_010.JPG")
