"""Records linked into persons: the rules on small hand-made cases, the synthetic leak's truth
(pairwise precision, recall and F1), and users' decisions surviving a re-ingest."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_ingest
from veracity.analyze.stats import compute_stats
from veracity.case import Case, open_case
from veracity.errors import UsageError
from veracity.people.idcard import check, make_id
from veracity.people.linking import build_persons, merge_records, record_key, split_records
from veracity.store import Batch, FileRecord, PersonLink, PersonRecord, PersonRow, open_store
from veracity.synth import SynthConfig, generate

SHA = "a" * 64
BORN = date(1980, 3, 12)
ID_A = make_id("653121", BORN, 7, "男")
ID_B = make_id("653121", BORN, 8, "男")
ADDRESS = "疏附县兰干乡博斯坦村4组2号"


def _rec(row: int, name: str, id_cell: str | None, **values: Any) -> PersonRecord:
    ident = check(id_cell)
    born = ident.number.birth_date
    defaults: dict[str, Any] = {"sex": "男", "birth_date": BORN.isoformat(), "address": ADDRESS}
    return PersonRecord(
        sha256=SHA, sheet="S", row=row, id_status=ident.status, name_raw=name, id_raw=id_cell,
        id_number=ident.normalised, id_birth_date=born.isoformat() if born else None,
        id_sex=ident.number.sex, **{**defaults, **values},
    )  # fmt: skip


def _case_with(make_case: Callable[..., Case], records: Iterable[PersonRecord]) -> Case:
    case = make_case()
    store = open_store(case)
    store.write(Batch(files=[FileRecord(SHA, 1, "text/csv", "CSV")]))
    store.replace_records(SHA, records)
    store.close()
    return case


def _linked(case: Case) -> tuple[dict[str, int], dict[int, PersonLink], list[PersonRow]]:
    store = open_store(case)
    try:
        figures = build_persons(case, store)
        links = {link.row: link for link in store.iter_person_links()}
        return figures, links, list(store.iter_person_rows())
    finally:
        store.close()


def test_same_valid_id_is_one_person_different_ids_never_merge(
    make_case: Callable[..., Case],
) -> None:
    case = _case_with(make_case, [
        _rec(2, "阿卜杜热合曼·艾山", ID_A),
        _rec(3, "阿不都热合曼·艾散", ID_A, birth_date="1980-03-13"),  # another transcription
        _rec(4, "阿卜杜热合曼·艾山", ID_B),  # same name, same birth: still another ID
    ])  # fmt: skip
    figures, links, persons = _linked(case)
    assert links[2].person_id == links[3].person_id != links[4].person_id
    assert links[2].rule == links[3].rule == "id" and links[4].rule == "single"
    assert links[2].evidence == {"id_number": ID_A}
    assert figures["persons"] == 2 and figures["linked_by_id"] == 2 and figures["singles"] == 1
    person = next(p for p in persons if p.person_id == links[2].person_id)
    assert person.id_number == ID_A and person.records == 2 and person.sex == "男"
    assert person.given_key and person.pinyin and person.birth_date


def test_damaged_and_missing_ids_link_probabilistically(make_case: Callable[..., Case]) -> None:
    bad_check = ID_A[:17] + ("0" if ID_A[17] != "0" else "1")
    bad_region = "659999" + ID_A[6:17]
    case = _case_with(make_case, [
        _rec(2, "阿卜杜热合曼·艾山", ID_A),
        _rec(3, "阿卜杜热合曼·艾山", bad_check),
        _rec(4, "Abdurehman Hesen", None),  # no ID, Latin script, same birth date and address
        _rec(5, "买买提·吐尔逊", None),  # no ID, another name: another person
        _rec(6, "阿不都热合曼·艾山", "659999" + ID_A[6:17] + "X", birth_date=None),
        # no ID and no address: the same name and birth date alone never link (namesakes)
        _rec(7, "Abdurehman Hesen", None, address=None),
    ])  # fmt: skip
    assert check(bad_region + "X").status in {"bad_check", "unknown_region"}
    figures, links, _ = _linked(case)
    person = links[2].person_id
    assert links[3].person_id == links[4].person_id == links[6].person_id == person
    assert links[5].person_id != person and links[5].rule == "single"
    assert links[7].person_id != person and links[7].rule == "single"
    for row in (3, 4, 6):
        assert links[row].rule == "probabilistic"
        assert links[row].score is not None and links[row].score >= 0.9
        assert links[row].evidence["fields"]["given_key"] == "agree"
    assert links[3].evidence["fields"]["id"] == "id17"
    assert figures["linked_probabilistically"] >= 3


def test_one_valid_id_on_two_different_names_is_refused(make_case: Callable[..., Case]) -> None:
    case = _case_with(make_case, [
        _rec(2, "坡拉提·木太力甫", ID_A),
        _rec(3, "帕拉提·木太力甫", ID_A),
        _rec(4, "阿不都拉·麦麦提", ID_A),  # a clerk copied the ID onto another person's row
    ])  # fmt: skip
    figures, links, persons = _linked(case)
    assert links[2].person_id == links[3].person_id != links[4].person_id
    assert links[4].evidence["id_refused"] == ID_A
    assert figures["ids_refused"] == 1
    owner = next(p for p in persons if p.person_id == links[2].person_id)
    other = next(p for p in persons if p.person_id == links[4].person_id)
    assert owner.id_number == ID_A and other.id_number is None


def test_a_copied_id_goes_to_its_county_and_the_copy_links_by_birth_date_and_address(
    make_case: Callable[..., Case],
) -> None:
    """One ID on two names, each once: the holder is the one living in the ID's county (not
    the first row); the copy links to its own person by its own birth date and address (its
    name, in another transcription, only supports it), and a copy whose birth date came
    with the ID has nothing but a name and an address: it stays apart."""
    tekes = make_id("654027", date(1997, 10, 10), 5, "男")

    def copied(birth_of_copy: str) -> Case:
        return _case_with(make_case, [
            # the copy comes first, so row order alone would make it the holder
            _rec(2, "迪力夏提·阿不都秀库尔", tekes, birth_date=birth_of_copy,
                 address="喀什地区疏附县吾库萨克镇阿克其村3组54号"),
            _rec(3, "阿不都克力木·买买提", tekes, birth_date="1997-10-10",
                 address="伊犁哈萨克自治州特克斯县特克斯镇1村2组120号"),
            _rec(4, "地里夏提·阿不都秀库尔", ID_B, birth_date=BORN.isoformat(),
                 address="喀什地区疏附县吾库萨克镇阿克其村3组54号"),
        ])  # fmt: skip

    figures, links, persons = _linked(copied(BORN.isoformat()))
    assert links[2].evidence["id_refused"] == tekes
    assert "id_refused" not in links[3].evidence
    assert links[2].person_id == links[4].person_id != links[3].person_id
    assert links[2].evidence["fields"]["birth"] == "agree"
    assert figures["persons"] == 2
    person = next(p for p in persons if p.person_id == links[4].person_id)
    assert person.birth_date == BORN.isoformat()

    figures, links, _ = _linked(copied("1997-10-10"))  # the birth date came with the ID
    assert links[2].rule == "single" and figures["persons"] == 3


def test_user_decisions_override_rules_and_survive_rebuilds(
    make_case: Callable[..., Case],
) -> None:
    records = [
        _rec(2, "阿卜杜热合曼·艾山", ID_A),
        _rec(3, "阿卜杜热合曼·艾山", ID_A),
        _rec(4, "买买提·吐尔逊", ID_B),
    ]
    case = _case_with(make_case, records)
    _, before, _ = _linked(case)
    merge_records(case, record_key(SHA, "S", 2), record_key(SHA, "S", 4), "same man")
    split_records(case, record_key(SHA, "S", 2), record_key(SHA, "S", 3))
    for _ in range(2):  # a second build, after the records were written again, agrees
        figures, links, _ = _linked(case)
        assert links[2].person_id == links[4].person_id != links[3].person_id
        assert links[2].rule == links[4].rule == links[3].rule == "user"
        assert links[4].evidence["note"] == "same man"
        assert figures["decisions_applied"] == 2
        store = open_store(case)
        store.replace_records(SHA, records)
        store.close()
    assert before[2].person_id == before[3].person_id  # what the ID alone said
    with pytest.raises(UsageError):
        merge_records(case, "not-a-key", record_key(SHA, "S", 2))
    with pytest.raises(UsageError):
        split_records(case, record_key(SHA, "S", 2), record_key(SHA, "S", 2))


def test_rebuild_is_identical(make_case: Callable[..., Case]) -> None:
    case = _case_with(make_case, [
        _rec(2, "阿卜杜热合曼·艾山", ID_A), _rec(3, "Abdurehman Hesen", None),
        _rec(4, "买买提·吐尔逊", None),
    ])  # fmt: skip
    _, first, persons = _linked(case)
    _, second, again = _linked(case)
    assert first == second and persons == again
    assert all(p.person_id.startswith("p") and len(p.person_id) == 17 for p in persons)


# --- the synthetic leak against its truth -------------------------------------------------


def _scores(case: Case, truth: dict[str, Any]) -> dict[str, float]:
    """Pairwise precision, recall and F1 over record pairs; recall of pairs with a defect."""
    store = open_store(case, migrate=False)
    try:
        sha = {row["path"]: row["sha256"] for row in store.iter_paths()}
        person = {(x.sha256, x.sheet, x.row): x.person_id for x in store.iter_person_links()}
    finally:
        store.close()
    rows = [
        (person[(sha[t["path"]], t["locator"]["sheet"], t["locator"]["row"])], t["person_key"],
         bool(t["anomalies"]))
        for t in truth["records"]
    ]  # fmt: skip
    tp = fp = fn = damaged_tp = damaged = 0
    for (p1, k1, bad1), (p2, k2, bad2) in combinations(rows, 2):
        tp += p1 == p2 and k1 == k2
        fp += p1 == p2 and k1 != k2
        fn += p1 != p2 and k1 == k2
        if k1 == k2 and (bad1 or bad2):
            damaged += 1
            damaged_tp += p1 == p2
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / max(precision + recall, 1e-9),
        "pairs": tp + fn,
        "damaged_pairs": damaged,
        "damaged_recall": damaged_tp / max(damaged, 1),
    }


@pytest.mark.parametrize(("people", "seed"), [(300, 6), (1000, 7)])
def test_pairwise_f1_on_the_synthetic_registers(tmp_path: Path, people: int, seed: int) -> None:
    leak = tmp_path / "leak"
    result = generate(leak, SynthConfig(seed=seed, people=people, photos=10, documents=5))
    case = open_case(tmp_path / "case", create=True)
    summary = run_ingest(case, leak)
    truth = json.loads(result.truth_path.read_text(encoding="utf-8"))
    scores = _scores(case, truth)
    print(f"\nlinking people={people} seed={seed}: {scores} {summary['people']}")
    assert scores["f1"] >= 0.98
    assert scores["damaged_recall"] >= 0.9 and scores["damaged_pairs"] > 0
    shared = sum(1 for t in truth["records"] if "id_shared" in t["anomalies"])
    assert summary["people"]["ids_refused"] >= shared // 2  # one of each pair, at least
    # the registers' people; the leak's staff rosters and school lists add persons of their own
    assert compute_stats(case)["people"] == len({t["person_key"] for t in truth["records"]})


def test_decisions_survive_a_re_ingest(tmp_path: Path) -> None:
    leak = tmp_path / "leak"
    generate(leak, SynthConfig(seed=11, people=60, photos=10, documents=5))
    case = open_case(tmp_path / "case", create=True)
    run_ingest(case, leak)
    store = open_store(case, migrate=False)
    links = list(store.iter_person_links())
    store.close()
    by_person: dict[str, list[str]] = {}
    for link in links:
        by_person.setdefault(link.person_id, []).append(
            record_key(link.sha256, link.sheet, link.row)
        )
    pair = next(keys for keys in by_person.values() if len(keys) >= 2)
    one, other = sorted(by_person)[:2]
    split_records(case, pair[0], pair[1], "two cousins")
    merge_records(case, by_person[one][0], by_person[other][0])
    decided = run_ingest(case, leak)  # nothing new to read: only the decisions changed
    (case.derived_dir / "people-build.json").unlink()
    rebuilt = run_ingest(case, leak)  # everything rebuilt
    for summary in (decided, rebuilt):
        assert summary["people"]["decisions_applied"] == 2
    store = open_store(case, migrate=False)
    person = {record_key(x.sha256, x.sheet, x.row): x.person_id for x in store.iter_person_links()}
    store.close()
    assert person[pair[0]] != person[pair[1]]
    assert person[by_person[one][0]] == person[by_person[other][0]]


def test_people_find_finds_a_person_by_any_name_their_records_carry(
    make_case: Callable[..., Case],
) -> None:
    """A person linked under one name is found by another their records also write (a
    nickname, a longer form): `person_names` holds every name's keys, not only the main one."""
    from veracity.people.search import find

    case = _case_with(make_case, [
        _rec(2, "阿卜杜热合曼·艾山", ID_A),
        _rec(3, "阿卜杜热合曼·艾山", ID_A),
        _rec(4, "阿卜杜拉·艾山", ID_A),  # the same ID, written once with a shorter given name
    ])  # fmt: skip
    figures, _, persons = _linked(case)
    assert figures["persons"] == 1 and persons[0].name == "阿卜杜热合曼·艾山"
    found = find(case, "Abdulla Hesen", limit=5)
    assert found and found[0]["person_id"] == persons[0].person_id
    # both keys equal those of a name the person carries: as high as a main-name match
    # (matched against the main name only, the shorter given name scored 0.91)
    assert found[0]["score"] >= 0.95
