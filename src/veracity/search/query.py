"""The query language, parsed into a small tree (`search/compile.py` makes it a tantivy query).

    喀什  疏附县教培中心                 Chinese: any substring, one character or more
    Abdurehim  "Abdurehim Tursun"       words and phrases (case and accents folded)
    Abdurehim~1  Abdu*                  fuzzy (edit distance 1 or 2) and prefix, Latin words
    a AND b, a OR b, NOT a, -a, (a OR b) c      AND is the default; NOT/- exclude
    author:张伟  camera:Canon  status:判刑  path:讲话  sheet:Sheet1  name:…  title:…
    type:photo  kind:row  lang:ug  folder:photos/2018-04  year:2018  id:6531…
    taken:2018-01..2018-03  created:2017  detained:2017-06..  born:..1960
    person:"Abdurehim Tursun"           a person in any script (the people keys)

Parsing is ours (a recursive descent over a few token kinds), not tantivy's parser: Han text
must become pair phrases, dates ranges, and a person query a set of units, and a reporter
must get a one-line message about a stray quote, never a stack trace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from veracity.errors import UsageError
from veracity.search.schema import DATE_FIELDS, WORD_FIELDS, normalise

#: exact-value fields (facets), matched as written
RAW_FIELDS = ("type", "kind", "lang", "folder", "camera_model")
#: the default field for words; `id:` searches it too (ID numbers are words of the row)
TEXT_FIELD = "body"
FIELDS = (*WORD_FIELDS, *RAW_FIELDS, *DATE_FIELDS, "path", "year", "id", "person")
MAX_FUZZY = 2


class QueryError(UsageError):
    """A query that cannot be read; its message says where and why, in one line."""


# --- the tree ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    value: str
    field: str | None = None
    phrase: bool = False
    fuzzy: int | None = None
    prefix: bool = False


@dataclass(frozen=True)
class Range:
    field: str
    low: int | None
    high: int | None


@dataclass(frozen=True)
class Person:
    text: str


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Text | Range | Person | Not | And | Or


# --- tokens -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # word | phrase | ( | ) | AND | OR | NOT | -
    value: str
    position: int
    field: str | None = None


_FIELD = re.compile(r"([A-Za-z_]+):(.*)", re.S)


def _starts_exclusion(query: str, i: int) -> bool:
    """A `-` before a word at the start of a term excludes it; inside a word it is a hyphen."""
    follows = i + 1 < len(query) and not query[i + 1].isspace()
    return follows and (i == 0 or query[i - 1].isspace() or query[i - 1] == "(")


def _tokens(query: str) -> list[_Token]:
    out: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append(_Token(ch, ch, i))
            i += 1
        elif (
            ch == "-"
            and i + 1 < n
            and not query[i + 1].isspace()
            and (not out or i == 0 or query[i - 1].isspace() or query[i - 1] == "(")
        ):
            out.append(_Token("-", ch, i))
            i += 1
        elif ch == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise QueryError(f'unclosed quote at character {i + 1}: add the closing "')
            out.append(_Token("phrase", query[i + 1 : end], i))
            i = end + 1
        else:
            start = i
            while i < n and not query[i].isspace() and query[i] not in '()"':
                i += 1
            word = query[start:i]
            match = _FIELD.fullmatch(word)
            if match and match.group(2) == "" and i < n and query[i] == '"':
                end = query.find('"', i + 1)
                if end < 0:
                    raise QueryError(f'unclosed quote at character {i + 1}: add the closing "')
                out.append(_Token("phrase", query[i + 1 : end], start, match.group(1).lower()))
                i = end + 1
            elif match and match.group(2):
                out.append(_Token("word", match.group(2), start, match.group(1).lower()))
            elif word in ("AND", "OR", "NOT", "&&", "||"):
                kind = {"&&": "AND", "||": "OR"}.get(word, word)
                out.append(_Token(kind, word, start))
            else:
                out.append(_Token("word", word, start))
    return out


# --- parsing ----------------------------------------------------------------------------------


class _Parser:
    def __init__(self, query: str) -> None:
        self.tokens = _tokens(query)
        self.at = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise QueryError("empty query: give a word, a phrase in quotes, or field:value")
        node = self.or_expr()
        token = self.peek()
        if token is not None:
            raise QueryError(f"unexpected {token.value!r} at character {token.position + 1}")
        return node

    def or_expr(self) -> Node:
        children = [self.and_expr()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expr(self) -> Node:
        children = [self.unary()]
        while (token := self.peek()) is not None and token.kind not in ("OR", ")"):
            if token.kind == "AND":
                self.take()
            children.append(self.unary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self) -> Node:
        token = self.peek()
        if token is None:
            raise QueryError("the query ends where a word was expected (after AND, OR or NOT)")
        if token.kind in ("NOT", "-"):
            self.take()
            return Not(self.unary())
        return self.atom()

    def atom(self) -> Node:
        token = self.take()
        if token.kind == "(":
            node = self.or_expr()
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise QueryError(f"unclosed parenthesis at character {token.position + 1}")
            self.take()
            return node
        if token.kind in ("word", "phrase"):
            return _leaf(token)
        raise QueryError(f"unexpected {token.value!r} at character {token.position + 1}")


_FUZZY = re.compile(r"(.+?)~(\d?)")


def _leaf(token: _Token) -> Node:
    name, value, phrase = token.field, token.value, token.kind == "phrase"
    if name is not None and name not in FIELDS:
        raise QueryError(
            f"unknown field {name!r} at character {token.position + 1} (known: "
            f"{', '.join(FIELDS)}); put text with a colon in quotes"
        )
    if name == "person":
        return Person(value)
    if name in DATE_FIELDS or name == "year":
        return _range(name, value, token.position)
    if not value.strip():
        raise QueryError(f"nothing to search for at character {token.position + 1}")
    fuzzy, prefix = None, False
    if not phrase:
        match = _FUZZY.fullmatch(value)
        if match:
            value, fuzzy = match.group(1), int(match.group(2) or 1)
            if fuzzy > MAX_FUZZY:
                raise QueryError(f"fuzzy distance {fuzzy} is too large: use ~1 or ~2")
        elif value.endswith("*") and len(value) > 1:
            value, prefix = value.rstrip("*"), True
    return Text(value, name, phrase, fuzzy, prefix)


def _date_bound(text: str, end: bool, position: int) -> int | None:
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text)
    if match is None:
        raise QueryError(
            f"{text!r} at character {position + 1} is not a date: write 2018, 2018-03 or "
            "2018-03-05, and ranges as 2018-01..2018-03"
        )
    year = int(match.group(1))
    month = int(match.group(2) or (12 if end else 1))
    day = int(match.group(3) or (31 if end else 1))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise QueryError(f"{text!r} at character {position + 1} is not a date")
    return year * 10000 + month * 100 + day


def _range(name: str, value: str, position: int) -> Range:
    low_text, sep, high_text = value.partition("..")
    if not sep:
        high_text = low_text
    if name == "year":
        try:
            low = int(low_text) if low_text else None
            high = int(high_text) if high_text else None
        except ValueError:
            raise QueryError(f"year:{value} at character {position + 1} is not a year") from None
        return Range(name, low, high)
    return Range(
        name, _date_bound(low_text, False, position), _date_bound(high_text, True, position)
    )


def parse(query: str) -> Node:
    """The tree of a query string; `QueryError` with a one-line reason when it is malformed."""
    return _Parser(normalise(query)).parse()
