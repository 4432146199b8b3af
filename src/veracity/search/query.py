"""The query language: parsed into a small tree, then compiled to one tantivy query.

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
from collections.abc import Callable
from dataclasses import dataclass, field

import tantivy

from veracity.errors import UsageError
from veracity.search.schema import (
    ANALYSERS,
    DATE_FIELDS,
    HAN,
    SCHEMA,
    WORD_FIELDS,
    normalise,
)

#: exact-value fields (facets), matched as written
RAW_FIELDS = ("type", "kind", "lang", "folder", "camera_model")
#: the default field for words; `id:` searches it too (ID numbers are words of the row)
TEXT_FIELD = "body"
FIELDS = (*WORD_FIELDS, *RAW_FIELDS, *DATE_FIELDS, "path", "year", "id", "person")
PHRASE_BOOST = 2.0
#: a needle for the snippet that is a fuzzy word: FUZZY_MARK, the distance, ":", the word
FUZZY_MARK = "\x00~"


def fuzzy_needle(word: str, distance: int) -> str:
    return f"{FUZZY_MARK}{distance}:{word}"


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


def _words(tokens: list[str]) -> list[str | tuple[int, str]]:
    return list(tokens)


def _phrase(name: str, tokens: list[str]) -> tantivy.Query:
    """Tokens at consecutive positions; one token alone is a term (tantivy wants two)."""
    if len(tokens) == 1:
        return tantivy.Query.term_query(SCHEMA, name, tokens[0])
    return tantivy.Query.phrase_query(SCHEMA, name, _words(tokens))


def pair_cover(run: str, doc_freq: Callable[[str], int] | None = None) -> list[int]:
    """Offsets of the character pairs a phrase query for `run` asks for.

    Pairs at every other offset (and the last) already cover every character, so they match
    exactly `run` — with half the terms of all the pairs, which halves the position checks on
    common phrases (新疆维吾尔 is in nearly every register row). The rarest pair is added
    when it is much rarer than those: an intersection is as fast as its rarest term.
    """
    last = len(run) - 2
    offsets = sorted({*range(0, last + 1, 2), last})
    if doc_freq is not None:
        freq = [doc_freq(run[i : i + 2]) for i in range(last + 1)]
        rarest = min(range(last + 1), key=lambda i: (freq[i], i))
        if 2 * freq[rarest] < min(freq[i] for i in offsets):  # worth a term only if much rarer
            offsets = sorted({*offsets, rarest})
    return offsets


# --- compiling --------------------------------------------------------------------------------

Expander = Callable[[str], list[str]]  # person text → the uids of their units


@dataclass
class Compiler:
    """Compiles a tree into a tantivy query; `expand_person` resolves `person:` queries."""

    expand_person: Expander | None = None
    #: how many units hold a character pair (the searcher's), to choose which pairs to ask for
    doc_freq: Callable[[str], int] | None = None
    #: the words and Han strings a snippet should highlight, gathered while compiling
    needles: list[str] = field(default_factory=list)

    def compile(self, node: Node) -> tantivy.Query:
        if isinstance(node, Text):
            return self.text(node)
        if isinstance(node, Range):
            return self.range(node)
        if isinstance(node, Person):
            return self.person(node)
        if isinstance(node, Not):
            return tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Must, tantivy.Query.all_query()),
                    (tantivy.Occur.MustNot, self.compile_excluded(node.child)),
                ]
            )
        if isinstance(node, Or):
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, self.compile(c)) for c in node.children]
            )
        return self.conjunction(node)

    def compile_excluded(self, node: Node) -> tantivy.Query:
        saved = list(self.needles)
        query = self.compile(node)
        self.needles = saved  # what is excluded is never highlighted
        return query

    def conjunction(self, node: And) -> tantivy.Query:
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for child in node.children:
            if isinstance(child, Not):
                clauses.append((tantivy.Occur.MustNot, self.compile_excluded(child.child)))
            else:
                clauses.append((tantivy.Occur.Must, self.compile(child)))
        if not any(occur == tantivy.Occur.Must for occur, _ in clauses):
            clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        boost = self.phrase_boost(node)
        if boost is not None:
            clauses.append((tantivy.Occur.Should, boost))
        return tantivy.Query.boolean_query(clauses)

    def phrase_boost(self, node: And) -> tantivy.Query | None:
        """Plain words typed one after the other also score as the exact phrase they form."""
        words: list[str] = []
        for child in node.children:
            if not (
                isinstance(child, Text)
                and child.field is None
                and child.fuzzy is None
                and not child.prefix
                and not HAN.search(child.value)
            ):
                return None
            words.extend(ANALYSERS.words.analyze(child.value))
        if len(words) < 2:
            return None
        phrase = _phrase(TEXT_FIELD, words)
        return tantivy.Query.boost_query(phrase, PHRASE_BOOST)

    def text(self, node: Text) -> tantivy.Query:
        name = node.field
        if name in RAW_FIELDS:
            return tantivy.Query.term_query(SCHEMA, name, node.value)
        if name == "path":
            return self.words(node, "path", ANALYSERS.path.analyze(node.value))
        if name in WORD_FIELDS:
            return self.words(node, name, ANALYSERS.terms.analyze(node.value))
        parts: list[tantivy.Query] = []
        cursor = 0
        for match in HAN.finditer(node.value):
            parts.extend(self.latin(node, node.value[cursor : match.start()]))
            parts.append(self.han(match.group()))
            cursor = match.end()
        parts.extend(self.latin(node, node.value[cursor:]))
        if not parts:
            return tantivy.Query.empty_query()
        if len(parts) == 1:
            return parts[0]
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, p) for p in parts])

    def han(self, run: str) -> tantivy.Query:
        self.needles.append(run)
        if len(run) == 1:
            return tantivy.Query.term_query(SCHEMA, "zh1", run)
        if len(run) == 2:
            return tantivy.Query.term_query(SCHEMA, "zh2", run)
        offsets = pair_cover(run, self.doc_freq)
        words: list[str | tuple[int, str]] = [(i, run[i : i + 2]) for i in offsets]
        return tantivy.Query.phrase_query(SCHEMA, "zh2", words)

    def latin(self, node: Text, text: str) -> list[tantivy.Query]:
        tokens = ANALYSERS.words.analyze(text)
        if not tokens:
            return []
        return [self.words(node, TEXT_FIELD, tokens)]

    def words(self, node: Text, name: str, tokens: list[str]) -> tantivy.Query:
        """One word, or the phrase of several, in one field; fuzzy and prefix on the last."""
        if not tokens:
            return tantivy.Query.empty_query()
        highlighted = name in (TEXT_FIELD, *WORD_FIELDS)
        if len(tokens) == 1 and node.fuzzy:
            self.needles.extend([fuzzy_needle(tokens[0], node.fuzzy)] if highlighted else [])
        else:
            self.needles.extend(tokens if highlighted else [])
        if len(tokens) == 1:
            token = tokens[0]
            if node.fuzzy:
                return tantivy.Query.fuzzy_term_query(SCHEMA, name, token, node.fuzzy, True)
            if node.prefix:
                return tantivy.Query.regex_query(SCHEMA, name, re.escape(token) + ".*")
            return tantivy.Query.term_query(SCHEMA, name, token)
        if node.prefix:
            return tantivy.Query.phrase_prefix_query(SCHEMA, name, _words(tokens))
        return _phrase(name, tokens)

    def range(self, node: Range) -> tantivy.Query:
        return tantivy.Query.range_query(
            SCHEMA,
            node.field,
            tantivy.FieldType.Integer,
            node.low if node.low is not None else 0,
            node.high if node.high is not None else 99_999_999,
        )

    def person(self, node: Person) -> tantivy.Query:
        uids = self.expand_person(node.text) if self.expand_person is not None else []
        self.needles.extend(ANALYSERS.words.analyze(node.text))
        if not uids:
            return tantivy.Query.empty_query()
        return tantivy.Query.term_set_query(SCHEMA, "uid", uids)


def compile_query(
    query: str,
    expand_person: Expander | None = None,
    doc_freq: Callable[[str], int] | None = None,
) -> tuple[tantivy.Query, list[str]]:
    """The tantivy query of a query string, and the words a snippet should highlight."""
    compiler = Compiler(expand_person, doc_freq)
    tree = parse(query)
    if isinstance(tree, Text) and tree.field == "id":
        tree = Text(tree.value, None, tree.phrase, tree.fuzzy, tree.prefix)
    return compiler.compile(_ids_to_text(tree)), compiler.needles


def _ids_to_text(node: Node) -> Node:
    """`id:…` searches the row text (an ID number is one word of its row)."""
    if isinstance(node, Text) and node.field == "id":
        return Text(node.value, None, node.phrase, node.fuzzy, node.prefix)
    if isinstance(node, Not):
        return Not(_ids_to_text(node.child))
    if isinstance(node, And):
        return And(tuple(_ids_to_text(c) for c in node.children))
    if isinstance(node, Or):
        return Or(tuple(_ids_to_text(c) for c in node.children))
    return node
