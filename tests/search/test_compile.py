"""Compiling queries: the words snippets highlight, errors, and the cover of character pairs
a long Chinese query asks for."""

from __future__ import annotations

import pytest

from veracity.search.compile import compile_query, pair_cover
from veracity.search.query import QueryError


def test_compiling_gathers_the_words_to_highlight() -> None:
    _, needles = compile_query("喀什 Ömer -secret")
    assert "喀什" in needles and "omer" in needles
    assert "secret" not in needles  # what is excluded is never highlighted


def test_compiling_a_bad_query_raises_the_same_error() -> None:
    with pytest.raises(QueryError, match="unclosed quote"):
        compile_query('"a')


def test_a_long_han_query_asks_for_a_cover_of_pairs_with_the_rarest() -> None:
    """Every other pair (and the last) covers every character, so the phrase stays exact;
    the rarest pair is added, since an intersection is as fast as its rarest term."""
    assert pair_cover("新疆维吾尔") == [0, 2, 3]
    assert pair_cover("教培中心") == [0, 2]
    freq = {"教培": 900, "培中": 3, "中心": 800}
    assert pair_cover("教培中心", lambda pair: freq[pair]) == [0, 1, 2]
    for run in ("疏附县", "维吾尔自治区", "一二三四五六七"):
        covered = {i + k for i in pair_cover(run) for k in (0, 1)}
        assert covered == set(range(len(run)))
