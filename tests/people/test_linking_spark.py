"""The same linking on Spark as on DuckDB: same persons, same links, scores within 1e-6.

Spark gets DuckDB's Jaro-Winkler as a Python function (splink's jar scores differently), so
that function is checked against DuckDB on many strings first; that part needs no Java.
"""

from __future__ import annotations

import random
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_ingest
from veracity.case import Case, open_case
from veracity.errors import UsageError
from veracity.people._splink import ENV_BACKEND, jaro_winkler, linking_backend
from veracity.people.linking import build_persons
from veracity.store import PersonLink, PersonRow, open_store
from veracity.synth import SynthConfig, generate


def test_jaro_winkler_is_duckdbs_to_the_last_bit() -> None:
    rng = random.Random(3)
    alphabets = ("abc", "abcd", "abcdé阿", "abdlhmnsu")  # few letters: many near matches
    pairs = [
        tuple(
            "".join(rng.choice(letters) for _ in range(rng.randint(0, 14)))
            for letters in (rng.choice(alphabets), rng.choice(alphabets))
        )
        for _ in range(20_000)
    ]
    pairs += [("abdurahman", "abdurehman"), ("hasan", "hesen"), ("", ""), ("a", "")]
    con = duckdb.connect(config={"autoload_known_extensions": False})
    try:
        con.execute("CREATE TABLE p (a VARCHAR, b VARCHAR)")
        con.executemany("INSERT INTO p VALUES (?, ?)", pairs)
        found = con.execute("SELECT a, b, jaro_winkler_similarity(a, b) FROM p").fetchall()
        fused = con.execute("SELECT jaro_winkler_similarity('caacxdc', 'caayca')").fetchone()
    finally:
        con.close()
    assert fused is not None
    on_this_build = fused[0] == jaro_winkler("caacxdc", "caayca", fused=True)
    wrong = [(a, b, s) for a, b, s in found if jaro_winkler(a, b, fused=on_this_build) != s]
    assert wrong == []
    assert jaro_winkler(None, "a") is None and jaro_winkler("a", None) is None


def test_backend_is_chosen_by_argument_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_BACKEND, raising=False)
    assert linking_backend() == "duckdb"
    monkeypatch.setenv(ENV_BACKEND, "Spark")
    assert linking_backend() == "spark"
    assert linking_backend("duckdb") == "duckdb"
    monkeypatch.setenv(ENV_BACKEND, "postgres")
    with pytest.raises(UsageError, match="unknown linking backend"):
        linking_backend()


def test_an_unknown_backend_fails_before_any_work(make_case: Callable[..., Case]) -> None:
    with pytest.raises(UsageError):
        build_persons(make_case(), backend="sqlite")


def _linked(case: Case, backend: str) -> tuple[float, list[PersonRow], list[PersonLink]]:
    store = open_store(case, migrate=False)
    try:
        start = time.perf_counter()
        build_persons(case, store, backend=backend)
        seconds = time.perf_counter() - start
        persons = sorted(store.iter_person_rows(), key=lambda p: p.person_id)
        links = sorted(store.iter_person_links(), key=lambda x: (x.sha256, x.sheet, x.row))
        return seconds, persons, links
    finally:
        store.close()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java (none on PATH)")
def test_spark_links_like_duckdb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyspark", reason="the spark extra is not installed")
    monkeypatch.delenv(ENV_BACKEND, raising=False)
    leak = tmp_path / "leak"
    generate(leak, SynthConfig(seed=5, people=150, photos=5, documents=3))
    case = open_case(tmp_path / "case", create=True)
    run_ingest(case, leak)
    duck_s, duck_persons, duck_links = _linked(case, "duckdb")
    spark_s, spark_persons, spark_links = _linked(case, "spark")
    print(f"\nlinking {len(duck_links)} records: duckdb {duck_s:.2f} s, spark {spark_s:.2f} s")
    assert spark_persons == duck_persons
    assert len(spark_links) == len(duck_links)
    probabilistic = 0
    for spark, duck in zip(spark_links, duck_links, strict=True):
        if duck.score is not None:
            probabilistic += 1
            assert spark.score == pytest.approx(duck.score, abs=1e-6)
        assert replace(spark, score=duck.score) == duck  # person, rule, evidence
    assert probabilistic > 0  # the probabilistic part was exercised
    assert not any(case.tmp_dir.glob("spark-*"))  # Spark's scratch files are gone
