"""Probabilistic record pairs from splink on an in-memory DuckDB (used by linking.py).

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
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["COLUMNS", "Pair", "match_pairs"]

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
    rules = (
        "l.given_key = r.given_key AND l.father_key = r.father_key",
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


def match_pairs(rows: Sequence[tuple[Any, ...]], threshold: float) -> list[Pair]:
    """Pairs of `rows` (tuples in `COLUMNS` order) matching with probability >= threshold."""
    if len(rows) < 2:
        return []
    import pandas as pd
    from splink import DuckDBAPI, Linker

    logging.getLogger("splink").setLevel(logging.WARNING)
    con = _connect()
    try:
        frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
        frame["pooled"] = frame["pooled"].astype(bool)
        con.register("people_input", frame)
        con.execute("CREATE TABLE people AS SELECT * FROM people_input")
        con.unregister("people_input")
        del frame
        linker = Linker("people", _settings(), DuckDBAPI(con), set_up_basic_logging=False)
        found = linker.inference.predict(threshold_match_probability=threshold)
        gammas = ", ".join(f"gamma_{f}" for f in _FIELDS)
        table = found.physical_name  # splink's own name, not user input
        query = f"SELECT unique_id_l, unique_id_r, match_probability, {gammas} FROM {table}"
        pairs = [_pair(row) for row in con.execute(query).fetchall()]
        found.drop_table_from_database_and_remove_from_cache()
        return pairs
    finally:
        con.close()


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
