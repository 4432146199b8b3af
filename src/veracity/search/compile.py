"""Compiling a parsed query (`search/query.py`) into one tantivy query, and the words its
snippets highlight.

Han text becomes phrases of character pairs (a cover of them, `pair_cover`), other words
terms, phrases, fuzzy or prefix queries in their field, dates integer ranges, and `person:`
the set of units of the persons `people.find` names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import tantivy

from veracity.search.query import (
    RAW_FIELDS,
    TEXT_FIELD,
    And,
    Node,
    Not,
    Or,
    Person,
    Range,
    Text,
    parse,
)
from veracity.search.schema import ANALYSERS, HAN, SCHEMA, SUBTYPE_FIELD, WORD_FIELDS

PHRASE_BOOST = 2.0
#: a needle for the snippet that is a fuzzy word: FUZZY_MARK, the distance, ":", the word
FUZZY_MARK = "\x00~"


def fuzzy_needle(word: str, distance: int) -> str:
    return f"{FUZZY_MARK}{distance}:{word}"


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
        if name == "type":  # a kind, or a finer subtype such as presentation
            return tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, name, node.value)),
                    (
                        tantivy.Occur.Should,
                        tantivy.Query.term_query(SCHEMA, SUBTYPE_FIELD, node.value),
                    ),
                ]
            )
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
