"""office_version_anachronism: Word 2016 on a file created and saved in 2014 trips it; a file
created in 2014 and re-saved in 2016 is `info`; Word 2013 in 2014 and WPS say nothing. PDFs
(written by reportlab with the Producer set) likewise by their Producer or Creator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from tests.verify.checks._media import DOC, run_check, write_word
from veracity.case import Case
from veracity.synth._pdf import PdfMeta, write_pdf, write_revised_pdf
from veracity.synth.documents import OFFICE_RELEASES
from veracity.verify.checks.office_version_anachronism import (
    OfficeVersionAnachronism,
    named_releases,
    producers,
    releases,
)

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


def _pdf(path: Path, creator: str, producer: str, created: datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_pdf(path, DOC, PdfMeta(DOC.title, "USER", creator, producer, created))


def test_a_pdf_producer_newer_than_the_pdf_trips_it(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    word = "Microsoft® Word 2016"
    _pdf(src / "libreoffice.pdf", "Writer", "LibreOffice 6.4", datetime(2019, 6, 3, 10))
    _pdf(src / "word2019.pdf", "Microsoft® Word 2019", "Microsoft® Word 2019", datetime(2018, 5, 2))
    _pdf(src / "word2016.pdf", word, word, datetime(2017, 3, 1, 9))
    _pdf(src / "libreoffice_later.pdf", "Writer", "LibreOffice 6.4", datetime(2020, 3, 1, 9))
    revised = src / "revised.pdf"  # written in 2014 by Word 2010, stamped in 2016 by Acrobat DC
    meta = PdfMeta(
        DOC.title, "USER", "Microsoft® Word 2010", "Microsoft® Word 2010", EARLY["created"]
    )
    write_revised_pdf(
        revised, DOC, meta, "已阅", "Adobe Acrobat Pro DC 15.10.20056", datetime(2016, 1, 5)
    )
    found = run_check(make_case, src, OfficeVersionAnachronism)
    assert sorted(found) == ["libreoffice.pdf", "revised.pdf", "word2019.pdf"]
    assert found["libreoffice.pdf"].severity == "warning"
    assert found["libreoffice.pdf"].evidence["named_by"] == "producer"
    assert found["libreoffice.pdf"].evidence["release_date"] == "2020-01-29"
    assert found["word2019.pdf"].evidence["product"] == "Office 2019"
    assert found["revised.pdf"].severity == "info"
    assert found["revised.pdf"].evidence["product"] == "Acrobat DC (2015)"


@pytest.mark.parametrize(
    ("value", "product"),
    [
        ("Microsoft® Excel® 2010", "Office 2010"),
        ("Microsoft® Office Word 2007", "Office 2007"),
        ("Microsoft® Word for Microsoft 365", "Microsoft 365 (renamed from Office 365)"),
        ("LibreOffice 7.0", "LibreOffice 7.0"),
        ("LibreOffice 24.2", "LibreOffice 24.2"),
        ("Acrobat Distiller 11.0 (Windows)", "Acrobat XI"),
        ("Acrobat PDFMaker 11 Word 版", "Acrobat XI"),
        ("Microsoft: Print To PDF", "Windows 10 (Microsoft Print to PDF)"),
    ],
)
def test_producer_patterns_name_their_product(value: str, product: str) -> None:
    assert [n.release.product for n in named_releases({"producer": value})] == [product]


@pytest.mark.parametrize(
    "value",
    [
        "LibreOfficeDev 6.0",
        "LibreOffice 7.00",
        "Adobe PDF Library 11.0",
        "Skia/PDF m80",
        "WPS 文字",
    ],
)
def test_unlisted_producers_name_nothing(value: str) -> None:
    assert list(named_releases({"producer": value, "application": value})) == []


def test_the_tables_load_and_every_pattern_is_distinct() -> None:
    patterns = [p.pattern for p, _ in producers()]
    assert len(patterns) == len(set(patterns)) > 30


def test_the_table_agrees_with_the_synthetic_generator() -> None:
    table = releases()
    for version, released in OFFICE_RELEASES.items():
        assert table[("microsoft_office", int(version.split(".")[0]))].released == released
