"""The docs name every registered extractor, CLI command and setting."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from veracity.case import SETTINGS
from veracity.cli import cli
from veracity.extract import EXTRACTORS

DOCS = (ROOT / "README.md").read_text(encoding="utf-8") + (
    ROOT / "docs" / "architecture.md"
).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [e.NAME for e in EXTRACTORS])
def test_extractor_is_documented(name: str) -> None:
    assert f"`{name}`" in DOCS


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_is_documented(name: str) -> None:
    assert f"`veracity {name}" in DOCS


@pytest.mark.parametrize("name", [s.name for s in SETTINGS])
def test_setting_is_documented(name: str) -> None:
    assert f"`{name}`" in DOCS
