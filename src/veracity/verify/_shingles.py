"""Shared text between documents: shingles, MinHash LSH for candidates, passages for evidence.

Text is cut into tokens — one per Han character (Chinese has no spaces), one per Latin word —
after NFKC and without whitespace or punctuation, so a re-typeset copy still matches. Each
document becomes a MinHash signature of its token n-grams (8 Han characters or 5 words: long
enough that a stock phrase alone rarely matches); LSH proposes candidate pairs without comparing
every pair, and only candidates are read again to measure the real overlap and find the longest
shared passages (difflib on the tokens, mapped back to the original text).
Only signatures stay in memory; texts are read again per candidate pair.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]  # no stubs

from veracity.store import Store

#: n-gram length in tokens: Han characters carry about a word each, Latin words more
HAN_N, WORD_N = 8, 5
NUM_PERM = 128
#: LSH tuned so a missed pair costs nine times a needless comparison: a candidate is only
#: measured again, while a missed pair is lost (default weights miss 13% of pairs at the limit)
LSH_WEIGHTS = (0.1, 0.9)
#: two runs of shared tokens separated by at most this many differing tokens on each side are
#: one passage with an edit (a word changed), not two passages
EDIT_GAP = 4

_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Tokens:
    """A text's tokens (normalised) with where each one lies in the original text."""

    text: str
    tokens: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]

    @property
    def n(self) -> int:
        """Shingle length: Han n-grams when most tokens are Han characters, else word n-grams."""
        han = sum(1 for t in self.tokens if len(t) == 1 and _HAN.match(t))
        return HAN_N if han * 2 >= len(self.tokens) else WORD_N

    def shingles(self) -> set[str]:
        n = self.n
        return {"".join(self.tokens[i : i + n]) for i in range(len(self.tokens) - n + 1)}

    def original(self, start: int, end: int) -> str:
        """The original text from token `start` to token `end` (exclusive)."""
        return self.text[self.spans[start][0] : self.spans[end - 1][1]]


def tokenize(text: str) -> Tokens:
    """NFKC, lower case, whitespace and punctuation dropped; spans point into `text` as given."""
    tokens, spans = [], []
    for match in _TOKEN.finditer(text):
        tokens.append(unicodedata.normalize("NFKC", match.group()).lower())
        spans.append(match.span())
    return Tokens(text, tuple(tokens), tuple(spans))


def document_text(store: Store, sha256: str) -> str:
    """A content's text: its pages (slides) in order when it has them, else the whole text."""
    pages = store.pages_of(sha256)
    if pages:
        return "\n".join(text for _, _, text in pages)
    return store.text_of(sha256) or ""


def signature(shingles: Iterable[str]) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM)
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return minhash


@dataclass(frozen=True)
class Overlap:
    """What two texts share: shingle Jaccard, containment of each, and the passages."""

    jaccard: float
    containment_a: float  # share of a's shingles found in b
    containment_b: float
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class Passage:
    """A run of text found in both; `a` and `b` differ only when it carries small edits."""

    a: str
    b: str
    tokens: int  # shared tokens in the run

    @property
    def is_edited(self) -> bool:
        return tokenize(self.a).tokens != tokenize(self.b).tokens


def overlap(a: Tokens, b: Tokens, min_tokens: int) -> Overlap:
    """Measure two texts against each other; passages shorter than `min_tokens` are left out."""
    sa, sb = a.shingles(), b.shingles()
    common = len(sa & sb)
    union = len(sa | sb)
    return Overlap(
        jaccard=common / union if union else 0.0,
        containment_a=common / len(sa) if sa else 0.0,
        containment_b=common / len(sb) if sb else 0.0,
        passages=tuple(passages(a, b, min_tokens)),
    )


def passages(a: Tokens, b: Tokens, min_tokens: int) -> Iterator[Passage]:
    """Shared runs of tokens, neighbouring runs joined across small edits, longest kept."""
    matcher = difflib.SequenceMatcher(None, a.tokens, b.tokens, autojunk=False)
    runs: list[list[int]] = []  # [a_start, a_end, b_start, b_end, shared]
    for i, j, size in matcher.get_matching_blocks():
        if size == 0:
            continue
        last = runs[-1] if runs else None
        if last and 0 <= i - last[1] <= EDIT_GAP and 0 <= j - last[3] <= EDIT_GAP:
            last[1], last[3], last[4] = i + size, j + size, last[4] + size
        else:
            runs.append([i, i + size, j, j + size, size])
    for a_start, a_end, b_start, b_end, shared in runs:
        if shared >= min_tokens:
            yield Passage(a.original(a_start, a_end), b.original(b_start, b_end), shared)


@dataclass(frozen=True)
class Text:
    """One document to compare: a key (sha256) and the path it is reported under."""

    key: str
    path: str


def candidates(
    texts: Iterable[Text],
    read: Callable[[str], str],
    threshold: float,
    others: Iterable[Text] = (),
) -> Iterator[tuple[Text, Text]]:
    """Pairs whose estimated Jaccard is near `threshold` or above, by MinHash LSH.

    Without `others`, pairs within `texts`; with them, pairs of one of `texts` and one of
    `others` (a leak against a reference folder). Texts too short for one shingle are skipped.
    """
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
    sigs: dict[str, tuple[Text, MinHash]] = {}
    queries: list[tuple[Text, MinHash]] = []
    cross = list(others)
    for item in texts:
        shingles = tokenize(read(item.key)).shingles()
        if not shingles:
            continue
        sig = signature(shingles)
        queries.append((item, sig))
        if not cross and item.key not in sigs:
            sigs[item.key] = (item, sig)
            lsh.insert(item.key, sig)
    for item in cross:
        shingles = tokenize(read(item.key)).shingles()
        if shingles and item.key not in sigs:
            sigs[item.key] = (item, signature(shingles))
            lsh.insert(item.key, sigs[item.key][1])
    seen: set[tuple[str, str]] = set()
    for item, sig in queries:
        for key in sorted(lsh.query(sig)):
            pair = (item.key, key) if cross else tuple(sorted((item.key, key)))
            if key == item.key or pair in seen:
                continue
            seen.add((pair[0], pair[1]))
            yield item, sigs[key][0]
