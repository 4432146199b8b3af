"""The person tables: persons and links replaced whole, decisions appended and stamped."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from veracity.case import Case
from veracity.store import PersonLink, PersonRow, open_store


def test_persons_and_links_are_replaced_whole(make_case: Callable[..., Case]) -> None:
    store = open_store(make_case())
    persons = [PersonRow("p1", 2, id_number="1" * 18, name="艾山·买买提"), PersonRow("p2", 1)]
    links = [
        PersonLink("a" * 64, "S", 2, "p1", "id", None, {"id_number": "1" * 18}),
        PersonLink("a" * 64, "S", 3, "p1", "probabilistic", 0.97, {"fields": {"sex": "agree"}}),
        PersonLink("b" * 64, "S", 2, "p2", "single"),
    ]
    assert store.replace_persons(persons, links) == 2
    assert list(store.iter_person_rows()) == persons
    assert list(store.iter_person_links()) == links
    assert store.replace_persons(persons[1:], links[2:]) == 1  # the old content goes
    assert list(store.iter_person_rows()) == persons[1:]
    assert list(store.iter_person_links()) == links[2:]
    store.close()


def test_decisions_are_appended_in_order_and_stamped(make_case: Callable[..., Case]) -> None:
    store = open_store(make_case())
    assert store.person_decisions() == [] and store.person_decisions_stamp() == (0, 0)
    first = store.add_person_decision("merge", "a/S/2", "b/S/2", "same mother")
    second = store.add_person_decision("split", "a/S/2", "b/S/2", None)
    decisions = store.person_decisions()
    assert [(d.id, d.kind, d.note) for d in decisions] == [
        (first, "merge", "same mother"),
        (second, "split", None),
    ]
    assert store.person_decisions_stamp() == (2, second)
    with pytest.raises(ValueError, match="merge or split"):
        store.add_person_decision("join", "a/S/2", "b/S/2", None)
    store.close()
