"""The query language: what each form parses to, and one-line errors for bad syntax."""

from __future__ import annotations

import pytest

from veracity.errors import UsageError
from veracity.search.query import (
    And,
    Not,
    Or,
    Person,
    QueryError,
    Range,
    Text,
    parse,
)


def test_words_are_anded_by_default() -> None:
    assert parse("喀什") == Text("喀什")
    assert parse("Abdurehim Tursun") == And((Text("Abdurehim"), Text("Tursun")))


def test_phrases_keep_their_words_together() -> None:
    assert parse('"Abdurehim Tursun"') == Text("Abdurehim Tursun", phrase=True)
    assert parse('"疏附县 教培中心" 喀什') == And(
        (Text("疏附县 教培中心", phrase=True), Text("喀什"))
    )


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("a AND b", And((Text("a"), Text("b")))),
        ("a && b", And((Text("a"), Text("b")))),
        ("a OR b", Or((Text("a"), Text("b")))),
        ("a || b c", Or((Text("a"), And((Text("b"), Text("c")))))),
        ("NOT a", Not(Text("a"))),
        ("a -b", And((Text("a"), Not(Text("b"))))),
        ("a NOT b", And((Text("a"), Not(Text("b"))))),
        ("(a OR b) c", And((Or((Text("a"), Text("b"))), Text("c")))),
        ("a (b OR -c)", And((Text("a"), Or((Text("b"), Not(Text("c"))))))),
        ("NOT NOT a", Not(Not(Text("a")))),
    ],
)
def test_boolean_operators_and_parentheses(query: str, tree: object) -> None:
    assert parse(query) == tree


def test_a_hyphen_inside_a_word_is_not_an_exclusion() -> None:
    assert parse("XJ-2018") == Text("XJ-2018")
    assert parse("a - b") == And((Text("a"), Text("-"), Text("b")))


def test_lower_case_operators_are_words() -> None:
    assert parse("a or b") == And((Text("a"), Text("or"), Text("b")))


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("author:张伟", Text("张伟", field="author")),
        ("camera:Canon", Text("Canon", field="camera")),
        ("status:判刑", Text("判刑", field="status")),
        ("path:讲话", Text("讲话", field="path")),
        ('title:"重点 人员"', Text("重点 人员", field="title", phrase=True)),
        ("Author:x", Text("x", field="author")),  # field names fold case
        ("type:photo", Text("photo", field="type")),
        ("id:653121198503120010", Text("653121198503120010", field="id")),
        ('person:"Abdurehim Tursun"', Person("Abdurehim Tursun")),
    ],
)
def test_field_queries(query: str, tree: object) -> None:
    assert parse(query) == tree


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("taken:2018-01..2018-03", Range("taken", 20180101, 20180331)),
        ("created:2017", Range("created", 20170101, 20171231)),
        ("detained:2017-06..", Range("detained", 20170601, None)),
        ("born:..1960", Range("born", None, 19601231)),
        ("modified:2018-03-05", Range("modified", 20180305, 20180305)),
        ("year:2018", Range("year", 2018, 2018)),
        ("year:2016..2018", Range("year", 2016, 2018)),
        ("year:..2018", Range("year", None, 2018)),
    ],
)
def test_date_ranges_with_open_ends(query: str, tree: object) -> None:
    assert parse(query) == tree


def test_fuzzy_and_prefix() -> None:
    assert parse("Abdurehim~1") == Text("Abdurehim", fuzzy=1)
    assert parse("Abdurehim~") == Text("Abdurehim", fuzzy=1)
    assert parse("Abdurehim~2") == Text("Abdurehim", fuzzy=2)
    assert parse("Abdu*") == Text("Abdu", prefix=True)
    assert parse("author:Adm*") == Text("Adm", field="author", prefix=True)
    assert parse('"Abdu*"') == Text("Abdu*", phrase=True)  # a phrase is taken as written


def test_full_width_queries_are_normalised() -> None:
    assert parse("ＡＢＣ１２３") == Text("ABC123")
    assert parse("（a　OR　b）") == Or((Text("a"), Text("b")))  # full-width ( ) and space


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"疏附县 教培', "unclosed quote at character 1"),
        ('a author:"张伟', "unclosed quote at character 10"),
        ("(a OR b", "unclosed parenthesis at character 1"),
        ("a OR b)", "unexpected ')' at character 7"),
        ("foo:bar", "unknown field 'foo' at character 1"),
        ("taken:2018-13", "is not a date"),
        ("taken:yesterday", "'yesterday' at character 1 is not a date"),
        ("born:2018-01-05..soon", "is not a date"),
        ("year:last", "is not a year"),
        ("a AND", "the query ends where a word was expected"),
        ("a OR", "the query ends where a word was expected"),
        ("NOT", "the query ends where a word was expected"),
        ("AND a", "unexpected 'AND' at character 1"),
        ("a OR OR b", "unexpected 'OR' at character 6"),
        ("()", "unexpected ')' at character 2"),
        ("", "empty query"),
        ("   ", "empty query"),
        ("Abdurehim~3", "fuzzy distance 3 is too large"),
        ('author:""', "nothing to search for"),
    ],
)
def test_bad_syntax_is_a_one_line_query_error(query: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(query)
    text = str(caught.value)
    assert message in text
    assert "\n" not in text and "Traceback" not in text
    assert isinstance(caught.value, UsageError)  # the CLI turns it into exit 2
