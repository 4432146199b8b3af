"""FtM: every entity valid per the followthemoney schema, the file round-trips, `ftm` accepts it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from followthemoney import model

from tests.analyze.export.conftest import ID, NAME, counts
from veracity.analyze.export import export_case
from veracity.analyze.export.ftm import other_scripts
from veracity.case import Case


def _entities(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _export(case: Case, out: Path) -> Path:
    done = export_case(case, "ftm", out_dir=out)
    assert {w.path.name for w in done.written} == {"entities.ftm.json"}
    sizes = {w.table: w.rows for w in done.written}
    assert sizes == {t: n for t, n in counts(case).items() if t != "records"}
    return done.written[0].path


def test_every_entity_and_value_is_valid(built: Case, tmp_path: Path) -> None:
    entities = _entities(_export(built, tmp_path))
    for data in entities:
        proxy = model.get_proxy(data, cleaned=False)
        for prop, value in proxy.itervalues():
            assert prop.type.validate(value), (proxy.schema.name, prop.name, value)
    assert len({e["id"] for e in entities}) == len(entities)


def test_round_trip_and_provenance(built: Case, tmp_path: Path) -> None:
    path = _export(built, tmp_path)
    entities = _entities(path)
    again = [model.get_proxy(e, cleaned=False).to_dict() for e in entities]
    assert again == entities
    assert _entities(_export(built, tmp_path / "again")) == entities  # stable ids and order
    by_schema: dict[str, list[dict[str, Any]]] = {}
    for e in entities:
        by_schema.setdefault(e["schema"], []).append(e)
    person = next(p for p in by_schema["Person"] if ID in p["properties"]["idNumber"])
    props = person["properties"]
    assert props["name"] == [NAME] and props["gender"] == ["male"]
    assert props["firstName"] == ["阿卜杜热合曼"] and props["fatherName"] == ["艾山"]
    assert {"Abdurehman Hesen", "ئابدۇرەھمان ھەسەن"} <= set(props["alias"])
    assert sorted(props["notes"]) == [
        "Record: 名单.csv · sheet 名单.csv · row 2",
        "Record: 在押人员.csv · sheet 在押人员.csv · row 2",
    ]
    tables = {t["id"]: t for t in by_schema["Table"]}
    assert set(props["proof"]) <= set(tables) and len(props["proof"]) == 2
    (image,) = by_schema["Image"]
    assert image["properties"]["pictured"] == [person["id"]]
    (note,) = by_schema["Note"]
    assert note["properties"]["entity"][0] in tables


def test_ftm_command_line_validates(built: Case, tmp_path: Path) -> None:
    path = _export(built, tmp_path)
    ftm = Path(sys.executable).parent / "ftm"
    out = tmp_path / "checked.json"
    result = subprocess.run(
        [str(ftm), "validate", "-i", str(path), "-o", str(out)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(_entities(path))


def test_other_scripts_only_when_every_part_is_known() -> None:
    assert other_scripts("买买提·吐尔逊")[0].startswith("Memet")
    assert other_scripts("某某·某某") == []
