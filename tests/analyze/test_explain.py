"""`stats explain`: every figure's rows add up to the figure, and each has a rule."""

from __future__ import annotations

from typing import Any

import pytest

from tests.analyze.conftest import Leak
from veracity.analyze.explain import RULES, explain, find_rule, keys
from veracity.analyze.stats import compute_stats
from veracity.errors import UsageError


@pytest.fixture(scope="module")
def stats(stats_leak: Leak) -> dict[str, Any]:
    return compute_stats(stats_leak.case)


def _persons(leak: Leak, key: str) -> set[str]:
    return {row["person_id"] for row in explain(leak.case, key).rows}


def _figures(stats: dict[str, Any]) -> list[tuple[str, int]]:
    """(key, figure) for every distinct-person figure with a count."""
    out = [
        ("people", stats["people"]),
        ("records", stats["people_in_any_list"]),
        ("people_in_any_list", stats["people_in_any_list"]),
        ("detained_adults", stats["detained_adults"]),
        ("detained", stats["detained"]["total"]),
        ("detained.total", stats["detained"]["total"]),
        ("adults", stats["adults"]),
        ("age_at_detention", stats["age_at_detention"]["count"]),
        ("sentences", stats["sentences"]["count"]),
    ]
    out += [(f"people_by_kind.{k}", n) for k, n in stats["people_by_kind"].items()]
    for part in ("by_year", "by_month"):
        out += [(f"detained.{part}.{k}", n) for k, n in stats["detained"][part].items()]
    for part in ("county", "township", "village", "place"):
        out += [(f"detentions_by.{part}.{k}", n) for k, n in stats["detentions_by"][part].items()]
    for part in ("by_category",):
        out += [(f"status.{part}.{k}", n) for k, n in stats["status"][part].items()]
    out += [(f"status.by_value.{k}", v["persons"]) for k, v in stats["status"]["by_value"].items()]
    out += [(f"sentences.histogram.{k}", n) for k, n in stats["sentences"]["histogram"].items()]
    for sex, bins in stats["age_at_detention"]["histogram"].items():
        out += [(f"age_at_detention.histogram.{sex}.{k}", n) for k, n in bins.items()]
    return out


def test_rows_add_up_to_every_figure(stats: dict[str, Any], stats_leak: Leak) -> None:
    wrong = {}
    for key, figure in _figures(stats):
        found = len(_persons(stats_leak, key))
        if found != figure:
            wrong[key] = (found, figure)
    assert wrong == {}


def test_share_rows_are_the_detained_adults(stats: dict[str, Any], stats_leak: Leak) -> None:
    n = len(_persons(stats_leak, "detained_adult_share"))
    assert n / stats["adults"] == pytest.approx(stats["detained_adult_share"], abs=1e-6)


def test_file_figures_list_their_files(stats: dict[str, Any], stats_leak: Leak) -> None:
    for key in ("files", "photos", "documents", "spreadsheets"):
        assert len(list(explain(stats_leak.case, key).rows)) == stats[key], key
    for month, n in stats["photos_by"]["month"].items():
        rows = list(explain(stats_leak.case, f"photos_by.month.{month}").rows)
        assert len(rows) == n and all(r["taken_at"].startswith(month) for r in rows)
    for camera, n in stats["photos_by"]["camera"].items():
        assert len(list(explain(stats_leak.case, f"photos_by.camera.{camera}").rows)) == n
    assert list(explain(stats_leak.case, "photos_by.camera.No Such Camera").rows) == []


def test_rows_carry_place_and_values(stats_leak: Leak) -> None:
    found = explain(stats_leak.case, "detained.by_year.2017")
    assert "2017" in found.rule or "year" in found.rule
    rows = list(found.rows)
    assert rows and set(rows[0]) == set(found.columns)
    assert all(r["path"] and r["sheet"] and r["row"] >= 1 for r in rows)
    assert all(r["detention_start"].startswith("2017") for r in rows)


def test_every_stats_key_has_a_rule(stats: dict[str, Any]) -> None:
    for key, value in stats.items():
        assert find_rule(key)[0].rule
        if isinstance(value, dict):
            for sub in value:
                assert find_rule(f"{key}.{sub}")[0].rule


def test_unknown_key_lists_the_keys() -> None:
    with pytest.raises(UsageError) as err:
        find_rule("nonsense")
    message = str(err.value)
    assert "\n" not in message and "detained.by_year.<year>" in message
    assert len(keys()) == len(RULES)
