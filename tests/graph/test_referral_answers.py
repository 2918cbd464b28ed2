"""The referral search gives exactly the answers recorded before its rewrite (issue 13).

``referral_answers.jsonl.gz`` holds the full typed answers (hops, costs, alternatives, notes,
branches, complaint routes, errors) of every question of ``referral_fixture.py`` on the real
data, recorded with the whole-graph networkx search. The area-local, prepared search must
give every one of them unchanged.
"""

from __future__ import annotations

import pytest

from graph.data.knowledge import Knowledge
from tests.graph.referral_fixture import VARIANTS, answer_record, load_fixture, origins, tasks


@pytest.fixture(scope="module")
def recorded() -> dict[str, object]:
    return load_fixture()


def test_the_fixture_covers_every_administration_and_outside_entry(
    kg: Knowledge, recorded: dict[str, object]
) -> None:
    asked = {key.split("|")[0] for key in recorded}
    administrations = {u.id for u in kg.units.values() if u.kind == "administration"}
    assert len(administrations) == 7 and administrations <= asked
    assert any(kg.units[u].is_external for u in asked)
    assert len(recorded) == len(origins(kg)) * len(tasks(kg)) * len(VARIANTS) > 10_000


def test_every_recorded_answer_is_given_unchanged(
    kg: Knowledge, recorded: dict[str, object]
) -> None:
    changed = []
    for origin in origins(kg):
        for task in tasks(kg):
            for variant in VARIANTS:
                key = f"{origin}|{task}|{variant[0]}"
                if answer_record(kg, origin, task, variant) != recorded[key]:
                    changed.append(key)
    assert not changed, f"{len(changed)} answers changed, first: {changed[:5]}"
