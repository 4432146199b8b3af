"""The Xinjiang region table: the same codes and names as python-stdnum's loc.dat."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import stdnum

from veracity.errors import DataFileError
from veracity.people.regions import REGIONS_FILE, load_regions, read_regions, region

LOC_DAT = Path(stdnum.__file__).parent / "cn" / "loc.dat"
HEADER = "code,level,province,prefecture,county,name_latin,valid_from,valid_to\n"


def _loc_xinjiang() -> dict[str, dict[str, str]]:
    out = {}
    for line in LOC_DAT.read_text(encoding="utf-8").splitlines():
        if line.startswith("65"):
            out[line[:6]] = dict(re.findall(r'(\w+)="([^"]*)"', line))
    return out


def test_every_loc_dat_code_is_in_the_table_with_its_names() -> None:
    loc = _loc_xinjiang()
    regions = load_regions()
    assert len(loc) > 100
    for code, names in loc.items():
        item = regions[code]
        assert item.level == "county"
        assert (item.province, item.prefecture, item.county) == (
            names["province"],
            names["prefecture"],
            names["county"],
        )
    counties = {code for code, item in regions.items() if item.level == "county"}
    assert counties == set(loc)


def test_higher_levels_are_derived_from_the_counties() -> None:
    regions = load_regions()
    assert regions["650000"].level == "province" and regions["650000"].name == "新疆维吾尔自治区"
    assert regions["653100"].name == "喀什地区" and regions["653100"].county is None
    for code, item in regions.items():
        if item.level == "county":
            assert regions[code[:4] + "00"].prefecture == item.prefecture


def test_the_counties_of_the_leak() -> None:
    konasheher, tekes = region("653121"), region("654027")
    assert konasheher is not None and konasheher.county == "疏附县"
    assert konasheher.name_latin == "Konasheher" and konasheher.prefecture == "喀什地区"
    assert tekes is not None and tekes.county == "特克斯县" and tekes.name_latin == "Tekes"
    assert region("659999") is None and region("110101") is None and region("") is None


def test_validity_is_unknown_for_loc_dat_codes() -> None:
    assert all(r.valid_from is None and r.valid_to is None for r in load_regions().values())


def test_loaded_once_and_read_only() -> None:
    assert load_regions() is load_regions()
    with pytest.raises(TypeError):
        load_regions()["659999"] = load_regions()["653121"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("650000,province,新疆,,,,,\n750100,county,新疆,喀什,县,,,\n", "line 4 (750100)"),
        ("650000,province,新疆,,,,,\n653100,county,新疆,喀什,,,,\n", "line 4 (653100)"),
        ("650000,province,新疆,,,,,\n653100,prefecture,新疆,,,,,\n", "line 4 (653100)"),
        ("650000,province,新疆,,,,2020-13-01,\n", "line 3 (650000)"),
        ("650000,province,新疆,,,,2020-01-01,2019-01-01\n", "line 3 (650000)"),
        ("650000,province,新疆,,,,,\n650000,province,新疆,,,,,\n", "line 4 (650000)"),
        ("650000,province,新疆,,,,\n", "line 3 (650000)"),
        ("650000,province,新疆,,,,,\n653121,county,新疆,喀什地区,疏附县,,,\n", "653121"),
    ],
)
def test_bad_rows_name_file_and_key(tmp_path: Path, body: str, key: str) -> None:
    path = tmp_path / "regions.csv"
    path.write_text("# comment\n" + HEADER + body, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_regions(path)
    assert caught.value.file == "regions.csv" and caught.value.key == key


def test_bad_header(tmp_path: Path) -> None:
    path = tmp_path / "regions.csv"
    path.write_text("code,name\n650000,新疆\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="header"):
        read_regions(path)


def test_bundled_file_is_the_default() -> None:
    assert read_regions() == dict(load_regions())
    assert REGIONS_FILE.name == "regions.csv"
