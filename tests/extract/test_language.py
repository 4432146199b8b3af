"""Language of a text: the script check (Chinese, Uyghur, Kazakh Arabic) and lingua."""

from __future__ import annotations

import pytest

from veracity.extract._language import SAMPLE_CHARS, detect_language, sample

UYGHUR = "ئىچكى ماتېرىيال، مەخپىي ساقلانسۇن. كەسپىي ماھارەت مائارىپ تەربىيىلەش مەركىزى"
KAZAKH_ARABIC = "قازاقستان رەسپۋبليكاسىنىڭ ازاماتتارى تۋرالى ٴبىلىم بەرۋ"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("关于进一步加强教培学员管理工作的通知", "zh"),
        ("關於進一步加強教培學員管理工作的通知", "zh"),
        (UYGHUR, "ug"),
        ("مۇقىملىقنى قوغداش خىزمىتى يىغىنى", "ug"),  # no ې or ۈ: told by ۇ ق ى ڭ shares
        (KAZAKH_ARABIC, "kk"),
        ("هذا نص باللغة العربية عن التعليم والتدريب المهني في المنطقة", "ar"),
        ("The monthly statistics of detained persons, to be reported before the 5th.", "en"),
        ("This document uses the Calisto MT font.", "en"),  # lingua's fast mode says French
        ("Ежемесячная статистика задержанных лиц, представить до пятого числа.", "ru"),
        ("Қазақстан Республикасының азаматтары туралы мәліметтер жинағы", "kk"),
        ("東京都の会議は明日の午後に開かれます", "ja"),
    ],
)
def test_languages_of_a_leak(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_chinese_with_a_latin_name_is_chinese() -> None:
    assert detect_language("关于Abdurehim Hesen同志的情况说明和处理意见") == "zh"


@pytest.mark.parametrize("text", ["", "12345 678", "—", "Sample PDF", "A1"])
def test_too_little_to_tell_is_none(text: str) -> None:
    assert detect_language(text) is None


def test_a_long_text_is_sampled_across_its_length() -> None:
    text = "English header line. " * 50 + "关于进一步加强管理工作的通知。" * 5000
    assert len(sample(text)) <= SAMPLE_CHARS + 10
    assert detect_language(text) == "zh"
