"""office_version_anachronism: Word 2016 on a file created and saved in 2014 trips it; a file
created in 2014 and re-saved in 2016 is `info`; Word 2013 in 2014 and WPS say nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from tests.verify.checks._media import run_check, write_word
from veracity.case import Case
from veracity.synth.documents import OFFICE_RELEASES
from veracity.verify.checks.office_version_anachronism import OfficeVersionAnachronism, releases

EARLY = {"created": datetime(2014, 5, 1, 10), "modified": datetime(2014, 5, 16, 18)}


def test_a_version_newer_than_the_document_trips_it(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    write_word(src / "anachronism.docx", **EARLY)
    write_word(src / "resaved.docx", created=EARLY["created"], modified=datetime(2016, 3, 1))
    write_word(src / "word2013.docx", app_version="15.0000", **EARLY)
    write_word(src / "wps.docx", application="WPS Office_10.1.0.7106", app_version=None, **EARLY)
    found = run_check(make_case, src, OfficeVersionAnachronism)
    assert sorted(found) == ["anachronism.docx", "resaved.docx"]
    assert found["anachronism.docx"].severity == "warning"
    assert found["anachronism.docx"].evidence["release_date"] == "2015-09-22"
    assert found["resaved.docx"].severity == "info"


def test_the_table_agrees_with_the_synthetic_generator() -> None:
    table = releases()
    for version, released in OFFICE_RELEASES.items():
        assert table[("microsoft_office", int(version.split(".")[0]))].released == released
