"""The Uyghur name table: enough names, the transcriptions registers use, strict loading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from veracity.errors import DataFileError
from veracity.people.names import (
    NAMES_FILE,
    fold_latin,
    load_names,
    pinyin,
    read_names,
    split_name,
)

HEADER = "uly,sex,english,chinese,arabic\n"


def by_uly() -> dict[str, object]:
    return {n.uly: n for n in load_names()}


def test_enough_names_of_both_sexes() -> None:
    names = load_names()
    assert len(names) >= 150
    assert sum(n.sex == "M" for n in names) >= 60
    assert sum(n.sex == "F" for n in names) >= 60
    assert len({n.uly for n in names}) == len(names)
    chinese = [zh for n in names for zh in n.chinese]
    assert len(set(chinese)) == len(chinese)


@pytest.mark.parametrize(
    ("uly", "english", "chinese"),
    [
        ("Memet", "Mamat", {"买买提", "麦麦提"}),
        ("Hesen", "Hasan", {"艾山", "艾散"}),
        ("Abdukérim", "Abdukerim", {"阿不都克力木", "阿布都克里木"}),
        ("Abdurehman", "Abdurakhman", {"阿不都热合曼", "阿卜杜热合曼"}),
        ("Gülnar", "Gulnar", {"古丽娜尔"}),
        ("Ayshem", "Aysham", {"阿依仙木"}),
        ("Tursun", "Tursun", {"吐尔逊"}),
        ("Mehmut", "Mahmut", {"买合木提"}),
        ("Ablimit", "Ablimit", {"阿不力米提"}),
        ("Ismayil", "Ismail", {"司马义"}),
    ],
)
def test_known_transcriptions(uly: str, english: str, chinese: set[str]) -> None:
    name = {n.uly: n for n in load_names()}[uly]
    assert english in name.english
    assert chinese <= set(name.chinese)
    assert name.zh == name.chinese[0]


def test_every_name_is_consistent_across_scripts() -> None:
    for name in load_names():
        assert fold_latin(name.uly) in name.english, name.uly
        assert name.latin_spellings[0] == name.uly
        assert re.fullmatch(r"[\u0600-\u06ff]+", name.arabic), name.uly
        if name.uly.endswith("gül") or any(zh.endswith("古丽") for zh in name.chinese):
            assert name.sex == "F", name.uly
        if name.uly.startswith("Abdu"):
            assert name.sex == "M" and name.chinese[0].startswith("阿"), name.uly


def test_arabic_script_spot_checks() -> None:
    names = {n.uly: n for n in load_names()}
    assert names["Memet"].arabic == "مەمەت"
    assert names["Gülnar"].arabic == "گۈلنار"
    assert names["Ömer"].arabic == "ئۆمەر"
    assert names["Tursungül"].arabic == "تۇرسۇنگۈل"  # n + g, not ng


def test_fold_latin() -> None:
    assert fold_latin("Gülnar Abdukérim Ömer") == "Gulnar Abdukerim Omer"


def test_loaded_once() -> None:
    assert load_names() is load_names()
    assert read_names(NAMES_FILE) == load_names()


@pytest.mark.parametrize(
    ("body", "key", "problem"),
    [
        ("Memet,X,Mamat,买买提,\n", "line 3 (Memet)", "sex"),
        ("memet,M,Mamat,买买提,\n", "line 3 (memet)", "uly"),
        ("Memet,M,,买买提,\n", "line 3 (Memet)", "english"),
        ("Memet,M,Mamat,Memet,\n", "line 3 (Memet)", "chinese"),
        ("Memet,M,Mamat,买买提|买买提,\n", "line 3 (Memet)", "twice"),
        ("Memet,M,Mamat,买买提,Memet\n", "line 3 (Memet)", "arabic"),
        ("Memet,M,Mamat,买买提,\nMemet,M,Mamat,麦麦提,\n", "line 4 (Memet)", "twice"),
        ("Memet,M,Mamat,买买提,\nEmet,M,Amat,买买提,\n", "line 4 (Emet)", "belongs to Memet"),
        ("Memet,M,Mamat,买买提\n", "line 3 (Memet)", "columns"),
    ],
)
def test_bad_rows_name_file_and_key(tmp_path: Path, body: str, key: str, problem: str) -> None:
    path = tmp_path / "names.csv"
    path.write_text("# a comment\n" + HEADER + body, encoding="utf-8")
    with pytest.raises(DataFileError, match=problem) as caught:
        read_names(path)
    assert caught.value.file == "names.csv" and caught.value.key == key


@pytest.mark.parametrize("text", ["uly,sex\nMemet,M\n", HEADER, ""])
def test_bad_or_empty_table(tmp_path: Path, text: str) -> None:
    path = tmp_path / "names.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError):
        read_names(path)


@pytest.mark.parametrize(
    ("text", "given", "father"),
    [
        ("阿卜杜热合曼·艾山", "阿卜杜热合曼", "艾山"),
        ("阿卜杜热合曼•艾山", "阿卜杜热合曼", "艾山"),
        ("阿卜杜热合曼.艾山", "阿卜杜热合曼", "艾山"),
        ("阿卜杜热合曼．艾山", "阿卜杜热合曼", "艾山"),
        ("阿卜杜热合曼・艾山", "阿卜杜热合曼", "艾山"),
        ("阿卜杜热合曼 艾山", "阿卜杜热合曼", "艾山"),
        ("阿卜杜热合曼\u3000艾山", "阿卜杜热合曼", "艾山"),
        ("阿卜杜热合曼艾山", "阿卜杜热合曼", "艾山"),  # no separator: both halves are known names
        ("  Abdurahman   Hasan ", "Abdurahman", "Hasan"),
        ("Abdurahman Tursun Hasan", "Abdurahman", "Tursun Hasan"),
        ("Abdurahman", "Abdurahman", None),
        ("阿卜杜热合曼", "阿卜杜热合曼", None),
        ("张三丰", "张三丰", None),
        ("", "", None),
        (" · ", "", None),
    ],
)
def test_split_name(text: str, given: str, father: str | None) -> None:
    assert split_name(text) == (given, father)


def test_pinyin() -> None:
    assert pinyin("阿卜杜热合曼·艾山") == "abodureheman aishan"
    assert pinyin("古丽娜尔") == "gulinaer"
    assert pinyin("Abdurahman Hasan") == "abdurahman hasan"
    assert pinyin("") == ""
