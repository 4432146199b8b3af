"""The index's fields and analysers, and the one text normalisation indexing and queries share.

Han text is indexed twice: one token per character (`zh1`, for one-character queries) and one
per overlapping pair of characters (`zh2`). A query of n ≥ 2 characters is then the phrase of
its n-1 pairs at consecutive positions — an exact substring match, found inside words too, with
no dictionary to disagree with the reporter about where a word ends (which is where
character-at-a-time indexes and pinyin transliteration both go wrong). The pairs are made here,
in Python, and joined with spaces, because tantivy's n-gram tokenizer gives every gram the same
position, which makes phrases impossible; runs of Han text are separated by a `|` token so
that no phrase matches across a break.

Everything else (Latin, Uyghur in Arabic script, Cyrillic, digits) goes to `text`: words,
lower-cased and folded to ASCII, so `Ömer` finds `omer` and `OMER`. Both sides see text through
`normalise` (NFKC), so full-width `ＡＢＣ１２３` and half-width forms are the same.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import tantivy

#: the index layout; a change re-indexes every case (search/index.py compares it)
INDEX_VERSION = "4"

HAN = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\U00030000-\U0003134f]+"
)
RUN_BREAK = "|"

#: words of any script but Han, for the `text` field and for word-valued fields
_WORD = r"[\p{L}\p{M}\p{N}&&[^\p{Han}]]+"
#: words, with each Han character a word of its own (author, camera, status, …)
_TERMS = r"\p{Han}|[\p{L}\p{M}\p{N}&&[^\p{Han}]]+"


def normalise(text: str) -> str:
    """NFKC: full-width letters and digits become ordinary ones, compatibility forms fold."""
    return unicodedata.normalize("NFKC", text)


def han_pairs(text: str) -> str:
    """Overlapping character pairs of every Han run, space-separated, runs split by `|`."""
    out: list[str] = []
    for run in HAN.findall(text):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
        out.append(RUN_BREAK)
    return " ".join(out)


@dataclass(frozen=True)
class Analysers:
    """The analysers the index registers, also used to analyse queries the same way."""

    words: tantivy.TextAnalyzer  # `text`: non-Han words, lower-cased, ASCII-folded
    terms: tantivy.TextAnalyzer  # word-valued fields: words, and each Han character
    han: tantivy.TextAnalyzer  # `zh1`: each Han character
    path: tantivy.TextAnalyzer  # `path`: path segments split at / ! . _ - and spaces


def _analysers() -> Analysers:
    def build(tokenizer: tantivy.Tokenizer, fold: bool) -> tantivy.TextAnalyzer:
        builder = tantivy.TextAnalyzerBuilder(tokenizer)
        if fold:
            builder = builder.filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold())
        return builder.build()

    return Analysers(
        words=build(tantivy.Tokenizer.regex(_WORD), True),
        terms=build(tantivy.Tokenizer.regex(_TERMS), True),
        han=build(tantivy.Tokenizer.regex(r"\p{Han}"), False),
        path=build(tantivy.Tokenizer.regex(r"[^/!._\-\s]+"), True),
    )


ANALYSERS = _analysers()

#: fields whose values are words (queried as `field:value`), analysed with `terms`
WORD_FIELDS = ("author", "camera", "status", "sheet", "name", "title", "software", "place")
#: fields for facets: one exact value each (fast, so tantivy counts them)
FACET_FIELDS = ("kind", "type", "lang", "folder", "camera_model", "year")
#: where `type:` also looks, so the facet counts kinds only (kinds.py `subtype_of`)
SUBTYPE_FIELD = "subtype"
#: integer dates (YYYYMMDD) for ranges such as `taken:2018-01..2018-03`
DATE_FIELDS = ("taken", "created", "modified", "born", "detained")


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("uid", stored=True, tokenizer_name="raw")
    sb.add_text_field("sha256", stored=True, tokenizer_name="raw")
    sb.add_text_field("locator", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("body", tokenizer_name="words")  # the default field for words
    sb.add_text_field("shown", stored=True, index_option="basic", tokenizer_name="raw")
    sb.add_text_field("zh1", tokenizer_name="han")
    sb.add_text_field("zh2", tokenizer_name="whitespace")
    sb.add_text_field("path", stored=True, tokenizer_name="path")
    for name in WORD_FIELDS:
        sb.add_text_field(name, tokenizer_name="terms")
    for name in FACET_FIELDS[:-1]:
        sb.add_text_field(name, stored=True, fast=True, tokenizer_name="raw")
    # a finer type than the kind (presentation, text, media): `type:` finds it, facets do not
    sb.add_text_field(SUBTYPE_FIELD, tokenizer_name="raw")
    sb.add_integer_field("year", stored=True, fast=True, indexed=True)
    for name in DATE_FIELDS:
        sb.add_integer_field(name, indexed=True, fast=True)
    return sb.build()


SCHEMA = build_schema()


def register(index: tantivy.Index) -> None:
    index.register_tokenizer("words", ANALYSERS.words)
    index.register_tokenizer("terms", ANALYSERS.terms)
    index.register_tokenizer("han", ANALYSERS.han)
    index.register_tokenizer("path", ANALYSERS.path)


def open_index(folder: Path) -> tantivy.Index:
    """The case's index, created when absent; analysers registered for reading and writing."""
    folder.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(SCHEMA, path=str(folder), reuse=True)
    register(index)
    return index
