"""Probabilistic record pairs from splink on DuckDB or Spark (used by linking.py).

Only pairs with at least one *pooled* record (no trusted ID: damaged, missing, destroyed by
Excel, or refused because the names under one ID disagree) are compared: records that share a
valid ID are already one person, and two records with different valid IDs may never merge, so
comparing them would only cost time. The blocking rules carry that condition, so half a million
rows with a few percent pooled stay a few hundred thousand comparisons.

The m and u probabilities are fixed rather than trained: a small leak has a few hundred rows,
too few for EM to settle, and the values below are what the fields' meanings imply (a random
pair shares a birth date about once in 20,000; a damaged ID keeps its first 17 digits when only
the check character is wrong, its digits 7–17 when the region code is). Fixed values also make
a rebuild deterministic. Everything runs offline: DuckDB may not install or load extensions.

One settings object serves both backends (`VERACITY_LINKING_BACKEND=duckdb|spark`, default
duckdb; or `build_persons(..., backend=)`): an in-memory DuckDB, or a local Spark (`local[2]`,
bound to 127.0.0.1, no UI, scratch files in the case's `tmp/`) for cases too large for one
process — the same SQL, the same pairs. Splink's Spark jar is not used: its Jaro-Winkler
(Apache Commons Text) scores abdurahman/abdurehman 0.927 where DuckDB says 0.938, which would
move pairs across the 0.9 level; Spark gets `jaro_winkler` below, DuckDB's function in Python.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from veracity.errors import UsageError

__all__ = ["BACKENDS", "COLUMNS", "ENV_BACKEND", "Pair", "jaro_winkler", "linking_backend"]
__all__ += ["match_pairs"]

BACKENDS = ("duckdb", "spark")
ENV_BACKEND = "VERACITY_LINKING_BACKEND"

#: The columns of the comparison table, in order (unique_id first).
COLUMNS = (
    "unique_id", "pooled", "given_key", "father_key", "birth", "id_birth", "sex", "address",
    "id17", "id_tail",
)  # fmt: skip

_PRIOR = 1e-5  # the chance two random records are one person, before any field is compared


@dataclass(frozen=True)
class Pair:
    """Two records (by index) splink scored above the threshold, and what agreed."""

    left: int
    right: int
    probability: float
    evidence: dict[str, str]  # field -> agree | close | disagree | id17 | ...


def _level(sql: str, label: str, m: float, u: float) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u}


def _null(*columns: str) -> dict[str, Any]:
    sql = " OR ".join(f"{c}_{side} IS NULL" for c in columns for side in ("l", "r"))
    return {"sql_condition": sql, "label_for_charts": "null", "is_null_level": True}


def _name(column: str) -> dict[str, Any]:
    jw = f"jaro_winkler_similarity({column}_l, {column}_r)"
    return {
        "output_column_name": column,
        "comparison_levels": [
            _null(column),
            _level(f"{column}_l = {column}_r", "agree", 0.85, 0.02),
            _level(f"{jw} >= 0.9", "close", 0.08, 0.02),
            _level(f"{jw} >= 0.8", "near", 0.04, 0.05),
            _level("ELSE", "disagree", 0.03, 0.91),
        ],
    }


def _birth() -> dict[str, Any]:
    # a row whose birth column was mistyped still carries the right date in its ID
    crossed = "birth_l = id_birth_r OR id_birth_l = birth_r"
    return {
        "output_column_name": "birth",
        "comparison_levels": [
            _null("birth"),
            _level("birth_l = birth_r", "agree", 0.88, 5e-5),
            _level(crossed, "id_birth", 0.05, 5e-5),
            _level("substr(birth_l, 1, 7) = substr(birth_r, 1, 7)", "month", 0.03, 0.002),
            _level("substr(birth_l, 1, 4) = substr(birth_r, 1, 4)", "year", 0.02, 0.02),
            _level("ELSE", "disagree", 0.02, 0.978),
        ],
    }


def _id() -> dict[str, Any]:
    return {
        "output_column_name": "id",
        "comparison_levels": [
            _null("id_tail"),
            _level("id17_l = id17_r", "id17", 0.7, 1e-7),
            _level("id_tail_l = id_tail_r", "id_tail", 0.1, 1e-6),
            _level("ELSE", "disagree", 0.2, 0.999999),
        ],
    }


def _plain(column: str, m: float, u: float, *, close: bool = False) -> dict[str, Any]:
    levels = [_null(column), _level(f"{column}_l = {column}_r", "agree", m, u)]
    if close:
        jw = f"jaro_winkler_similarity({column}_l, {column}_r) >= 0.9"
        levels.append(_level(jw, "close", 0.08, 0.01))
    levels.append(_level("ELSE", "disagree", 1 - m - (0.08 if close else 0), 1 - u))
    return {"output_column_name": column, "comparison_levels": levels}


def _settings() -> dict[str, Any]:
    pooled = "(l.pooled OR r.pooled)"
    # no rule on names alone: linking.py links a pair only when an ID or a birth date and a
    # place agree as well, and those pairs are blocked on birth date or the ID's digits
    rules = (
        "l.birth = r.birth",
        "l.id_tail = r.id_tail",
    )
    return {
        "link_type": "dedupe_only",
        "probability_two_random_records_match": _PRIOR,
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": f"{rule} AND {pooled}", "sql_dialect": "duckdb"} for rule in rules
        ],
        "comparisons": [
            _name("given_key"),
            _name("father_key"),
            _birth(),
            _plain("sex", 0.97, 0.5),
            _plain("address", 0.8, 0.001, close=True),
            _id(),
        ],
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": True,
    }


_FIELDS = ("given_key", "father_key", "birth", "sex", "address", "id")


def _connect() -> Any:
    import duckdb  # imported late: only linking needs it

    return duckdb.connect(
        ":memory:",
        config={
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "threads": 2,
            "memory_limit": "1GB",
        },
    )


def linking_backend(backend: str | None = None) -> str:
    """The backend to link on: `backend`, else $VERACITY_LINKING_BACKEND, else duckdb."""
    name = (backend or os.environ.get(ENV_BACKEND) or "duckdb").strip().lower()
    if name not in BACKENDS:
        raise UsageError(f"unknown linking backend {name!r} (choose {' or '.join(BACKENDS)})")
    return name


def match_pairs(
    rows: Sequence[tuple[Any, ...]],
    threshold: float,
    *,
    backend: str = "duckdb",
    scratch: Path | None = None,
) -> list[Pair]:
    """Pairs of `rows` (tuples in `COLUMNS` order) matching with probability >= threshold.

    `scratch` is where Spark may write (a temporary folder is made and removed inside it).
    """
    if len(rows) < 2:
        return []
    logging.getLogger("splink").setLevel(logging.WARNING)
    if linking_backend(backend) == "spark":
        return _spark_pairs(rows, threshold, scratch)
    from splink import DuckDBAPI

    con = _connect()
    try:
        import pandas as pd

        frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
        frame["pooled"] = frame["pooled"].astype(bool)
        con.register("people_input", frame)
        con.execute("CREATE TABLE people AS SELECT * FROM people_input")
        con.unregister("people_input")
        del frame
        return _predict("people", DuckDBAPI(con), lambda q: con.execute(q).fetchall(), threshold)
    finally:
        con.close()


def _predict(
    table: Any, db_api: Any, fetch: Callable[[str], Sequence[Any]], threshold: float
) -> list[Pair]:
    """The part both backends share: one settings object, one query over splink's output."""
    from splink import Linker

    linker = Linker(table, _settings(), db_api, set_up_basic_logging=False)
    found = linker.inference.predict(threshold_match_probability=threshold)
    gammas = ", ".join(f"gamma_{f}" for f in _FIELDS)
    name = found.physical_name  # splink's own name, not user input
    query = f"SELECT unique_id_l, unique_id_r, match_probability, {gammas} FROM {name}"
    pairs = [_pair(tuple(row)) for row in fetch(query)]
    found.drop_table_from_database_and_remove_from_cache()
    return pairs


def _spark_pairs(
    rows: Sequence[tuple[Any, ...]], threshold: float, scratch: Path | None
) -> list[Pair]:
    try:
        from pyspark.sql import types as t
        from splink import SparkAPI
    except ImportError as exc:
        raise UsageError(
            "the spark linking backend needs pyspark: install veracity[spark]"
        ) from exc
    schema = t.StructType(
        [
            t.StructField("unique_id", t.LongType()),
            t.StructField("pooled", t.BooleanType()),
            *(t.StructField(c, t.StringType()) for c in COLUMNS[2:]),
        ]
    )
    # pyspark leaves each result socket for the garbage collector to close (rdd.py says so)
    with warnings.catch_warnings(), _spark_session(scratch) as spark:
        warnings.simplefilter("ignore", ResourceWarning)
        frame = spark.createDataFrame([(*r[:1], bool(r[1]), *r[2:]) for r in rows], schema)
        api = SparkAPI(
            spark_session=spark, register_udfs_automatically=False, break_lineage_method="parquet"
        )
        return _predict(frame, api, lambda q: spark.sql(q).collect(), threshold)


@contextmanager
def _spark_session(scratch: Path | None) -> Iterator[Any]:
    """A local Spark of our own, offline and quiet, stopped (and its files removed) after."""
    from pyspark.sql import SparkSession
    from pyspark.sql.types import DoubleType

    if scratch is not None:
        scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="spark-", dir=scratch) as tmp:
        conf = {
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.local.dir": tmp,
            "spark.sql.warehouse.dir": str(Path(tmp, "warehouse")),
            "spark.sql.shuffle.partitions": "4",
            "spark.default.parallelism": "2",
            "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={_log_config(tmp)}",
        }
        builder = SparkSession.builder.master("local[2]").appName("veracity-linking")
        for key, value in conf.items():
            builder = builder.config(key, value)
        before = os.environ.get("PYSPARK_PYTHON")
        os.environ["PYSPARK_PYTHON"] = sys.executable  # workers run `jaro_winkler`: our Python
        try:
            spark = builder.getOrCreate()
        except Exception as exc:  # pyspark's error when the JVM cannot start (no Java)
            raise UsageError(f"linking on spark could not start Spark: {exc}") from exc
        finally:
            if before is None:
                del os.environ["PYSPARK_PYTHON"]
            else:
                os.environ["PYSPARK_PYTHON"] = before
        try:
            spark.sparkContext.setLogLevel("ERROR")
            spark.sparkContext.setCheckpointDir(str(Path(tmp, "checkpoints")))
            udf = partial(jaro_winkler, fused=_duckdb_fuses())
            spark.udf.register("jaro_winkler_similarity", udf, DoubleType())
            yield spark
        finally:
            spark.stop()


def _log_config(folder: str) -> str:
    """A log4j2 file that keeps Spark's start-up chatter (WARN lines) off the user's terminal.

    `org.apache.spark` at the root's level also silences "Setting default log level", which
    Spark prints whenever the two differ.
    """
    path = Path(folder, "log4j2.properties")
    path.write_text(
        "rootLogger.level = error\nrootLogger.appenderRef.stderr.ref = console\n"
        "logger.spark.name = org.apache.spark\nlogger.spark.level = error\n"
        "appender.console.type = Console\nappender.console.name = console\n"
        "appender.console.target = SYSTEM_ERR\nappender.console.layout.type = PatternLayout\n"
        "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n\n",
        encoding="utf-8",
    )
    return path.as_uri()


@lru_cache(maxsize=1)
def _duckdb_fuses() -> bool:
    """Whether this DuckDB build computes the Winkler step with a fused multiply-add.

    The x86-64 wheels do (it changes the last bit of some scores); asking DuckDB once about
    a pair where it shows keeps `jaro_winkler` equal to it to the last bit on any build.
    """
    con = _connect()
    try:
        found = con.execute("SELECT jaro_winkler_similarity('caacxdc', 'caayca')").fetchone()
    finally:
        con.close()
    return found is not None and found[0] == jaro_winkler("caacxdc", "caayca", fused=True)


def jaro_matches(a: str, b: str) -> tuple[int, int]:
    """Jaro's matching characters of `a` and `b` (greedy, in a window of max(len)/2 - 1), and
    how many of them stand in a different order (DuckDB's own algorithm)."""
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    used = [False] * len(b)
    a_matched: list[str] = []
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not used[j] and b[j] == ch:
                used[j] = True
                a_matched.append(ch)
                break
    b_matched = [ch for j, ch in enumerate(b) if used[j]]
    return len(a_matched), sum(x != y for x, y in zip(a_matched, b_matched, strict=True))


def jaro_winkler(a: str | None, b: str | None, fused: bool = True) -> float | None:
    """DuckDB's `jaro_winkler_similarity` in Python (for Spark): NULL in, NULL out.

    By code points, greedy matching window max(len)/2 - 1, prefix bonus (4 characters at
    most, 0.1 each) only above 0.7, and an empty string matches nothing. Spark evaluates a
    Python function for every pair, whatever level of the CASE is chosen, hence the NULLs.
    """
    if a is None or b is None:
        return None
    if not a or not b:
        return 0.0
    m, out_of_order = jaro_matches(a, b)
    if not m:
        return 0.0
    half = out_of_order // 2
    sim = (m / len(a) + m / len(b) + (m - half) / m) / 3.0
    if sim <= 0.7:
        return sim
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    if fused:  # one rounding, as C's fma(prefix * 0.1, 1 - sim, sim)
        return float(Fraction(sim) + Fraction(prefix * 0.1) * Fraction(1.0 - sim))
    return sim + prefix * 0.1 * (1.0 - sim)


_LABELS = {
    "given_key": ("disagree", "near", "close", "agree"),
    "father_key": ("disagree", "near", "close", "agree"),
    "birth": ("disagree", "year", "month", "id_birth", "agree"),
    "sex": ("disagree", "agree"),
    "address": ("disagree", "close", "agree"),
    "id": ("disagree", "id_tail", "id17"),
}


def _pair(row: tuple[Any, ...]) -> Pair:
    left, right, probability, *levels = row
    evidence = {
        name: _LABELS[name][int(level)]
        for name, level in zip(_FIELDS, levels, strict=True)
        if int(level) >= 0
    }
    return Pair(int(left), int(right), float(probability), evidence)
