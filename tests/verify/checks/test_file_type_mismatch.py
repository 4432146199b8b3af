"""file_type_mismatch: a lying extension trips it by what hides behind it; aliases do not."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tests.verify.checks._media import run_check, shot, write_photo, write_report, write_word
from veracity.case import Case
from veracity.verify.checks.file_type_mismatch import (
    FileTypeMismatch,
    family_of_mime,
    family_of_name,
)

CORPORA = Path(__file__).parents[3].parent / "shared" / "corpora"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("名单.csv", "姓名,身份证号\n")
    return out.getvalue()


def test_what_hides_behind_a_name_decides(make_case: Callable[..., Case], tmp_path: Path) -> None:
    src = tmp_path / "src"
    write_photo(src / "photo.jpeg", shot())  # alias: nothing
    write_photo(src / "saved.png", shot())  # a JPEG named .png: info
    (src / "scan.jpg").write_bytes(_png())  # a PNG named .jpg: info
    (src / "report.pdf").write_bytes(_zip())  # an archive behind a PDF's name: warning
    (src / "holiday.jpg").write_bytes(_zip())  # ... behind a picture's name: warning
    # a real program (this machine's own `true`, not written here) behind a picture's name
    shutil.copy(shutil.which("true") or "/bin/true", src / "portrait.jpg")
    write_report(src / "memo.pdf")  # a PDF named .pdf: nothing
    write_word(src / "notice.docx")
    shutil.copy(src / "notice.docx", src / "notice.zip")  # a docx as .zip: an alias
    (src / "list.txt").write_text("姓名,身份证号\n阿不都拉,1\n", encoding="utf-8")  # CSV as .txt
    (src / "page.htm").write_text("<html><body><p>通知</p></body></html>", encoding="utf-8")
    found = run_check(make_case, src, FileTypeMismatch)
    severities = {path: f.severity for path, f in found.items()}
    assert severities == {
        "saved.png": "info",
        "scan.jpg": "info",
        "report.pdf": "warning",
        "holiday.jpg": "warning",
        "portrait.jpg": "warning",
    }, severities
    assert found["report.pdf"].evidence["content"] == "zip"
    assert "named as pdf" in found["report.pdf"].message
    assert found["portrait.jpg"].evidence["content"] == "executable"


def test_a_member_of_an_archive_is_judged_by_its_own_name(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    with zipfile.ZipFile(src / "bundle.zip", "w") as archive:
        archive.writestr("photos/face.jpg", _zip())
        archive.writestr("photos/ok.png", _png())
    found = run_check(make_case, src, FileTypeMismatch)
    assert {path: f.severity for path, f in found.items()} == {
        "bundle.zip!/photos/face.jpg": "warning"
    }


def test_families() -> None:
    assert family_of_name("a/b.JPEG") == family_of_name("c.jpg") == "photo"
    assert family_of_name("x.zip!/y/z.tif") == "photo" and family_of_name("README") is None
    assert family_of_mime("application/vnd.openxmlformats-officedocument.wordprocessingml"
                          ".document") == family_of_mime("application/zip") == "zip"  # fmt: skip
    assert family_of_mime("application/octet-stream") is None
    assert family_of_mime("text/csv") == family_of_mime("text/plain") == "text"


@pytest.mark.skipif(not CORPORA.exists(), reason=f"real corpora not present at {CORPORA}")
def test_real_files_made_by_real_programs_raise_no_warning(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    """Real photos, PDFs and Office files of many programs and versions: no warning. The
    format corpus's WordPerfect and DisplayWrite files named .doc are a curiosity (info)."""
    src = tmp_path / "src"
    shutil.copytree(CORPORA / "exif-samples" / "jpg", src / "jpg")
    shutil.copytree(CORPORA / "pdf-samples", src / "pdf")
    shutil.copytree(CORPORA / "format-corpus" / "office", src / "office")
    found = run_check(make_case, src, FileTypeMismatch)
    warned = sorted(path for path, f in found.items() if f.severity != "info")
    assert warned == []
    assert len(found) < 30  # real files mostly say what they are
