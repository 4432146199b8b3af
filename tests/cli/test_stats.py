"""`veracity stats [--json]` and `veracity stats explain KEY [--csv FILE]`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.analyze.conftest import Leak, build_leak
from tests.conftest import Cli
from veracity.errors import UsageError


@pytest.fixture(scope="module")
def leak(tmp_path_factory: pytest.TempPathFactory) -> Leak:
    return build_leak(tmp_path_factory.mktemp("cli_stats"), people=80)


def test_stats_json_has_the_contract_keys(leak: Leak) -> None:
    result = Cli(leak.case.root)("stats", "--json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["people"] == leak.truth["stats"]["people"]
    assert stats["detained"]["by_year"] == leak.truth["stats"]["detained"]["by_year"]
    for key in ("files", "photos", "documents", "spreadsheets", "records", "adults",
                "detained_adult_share", "status", "detentions_by", "age_at_detention",
                "sentences", "photos_by"):  # fmt: skip
        assert key in stats


def test_stats_summary_is_readable(leak: Leak) -> None:
    result = Cli(leak.case.root)("stats")
    assert result.exit_code == 0, result.output
    assert f"people {leak.truth['stats']['people']}" in result.output
    assert "stats explain" in result.output


def test_explain_prints_rule_and_writes_csv(leak: Leak, tmp_path: Path) -> None:
    run = Cli(leak.case.root)
    result = run("stats", "explain", "detained")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("detained: Distinct persons")
    out = tmp_path / "detained.csv"
    result = run("stats", "explain", "detained", "--csv", str(out))
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len({r["person_id"] for r in rows}) == leak.truth["stats"]["detained"]["total"]
    # compared with `stats`, not the truth: in this 80-person leak a planted id_shared row
    # prints another person's ID and its birth date (1981) for a child born 2006 who has no
    # other record, so the registers count one adult more than the truth can know
    adults = json.loads(run("stats", "--json").output)["adults"]
    lines = run("stats", "explain", "adults", "--json").output.splitlines()
    assert len({json.loads(x)["person_id"] for x in lines}) == adults


def test_unknown_key_is_a_usage_error(leak: Leak) -> None:
    # `main()` turns a UsageError into one line on stderr and exit 2 (tests/cli/test_people.py)
    with pytest.raises(UsageError, match="unknown stats key 'nonsense'; keys: files, "):
        Cli(leak.case.root)("stats", "explain", "nonsense")
