"""dependencies: BIF and SOF on førtidspension must come out complete."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from graph.data.knowledge import Knowledge
from graph.errors import StafetError
from graph.present.dependencies import dependencies_json
from graph.questions.dependencies import SharedTask, dependencies


@pytest.fixture(scope="module")
def bif_sof(kg: Knowledge) -> dict:  # type: ignore[type-arg]
    return dependencies_json(kg, dependencies(kg, ["bif", "sof"]), personal=True)


def test_shared_tasks_include_foertidspension(bif_sof: dict) -> None:  # type: ignore[type-arg]
    notations = {row["task"]["notation"] for row in bif_sof["shared_tasks"]}
    assert "32.03.16" in notations


def test_process_chain_links_bif_to_sof(bif_sof: dict) -> None:  # type: ignore[type-arg]
    chain = next(p for p in bif_sof["process_links"] if p["task"]["notation"] == "32.03.16")
    assert [s["unit"]["id"] for s in chain["steps"]] == [
        "bif-jobcenter",
        "rehabiliteringsteam",
        "sof",
        "udk",
    ]
    assert chain["steps"][0]["side"] == "bif"
    assert chain["steps"][2]["side"] == "sof"


def test_forums_include_the_whole_collaboration_with_rhythm(bif_sof: dict) -> None:  # type: ignore[type-arg]
    forums = {f["id"]: f for f in bif_sof["forums"]}
    for forum in (
        "bif-sof",
        "bif-sof-direktionsmoeder",
        "bif-sof-styregruppe",
        "bif-sof-netvaerk-foertidspension",
        "bif-sof-netvaerk-enkeltydelser",
        "bif-sof-netvaerk-tilbud-match",
        "koordinationsgruppen",
        "rehabiliteringsteam",
    ):
        assert forum in forums, forum
    assert forums["bif-sof-direktionsmoeder"]["meetings_per_year"] == 2
    assert forums["bif-sof-styregruppe"]["meetings_per_year"] == 6
    assert forums["koordinationsgruppen"]["meetings_per_year"] == 6


def test_contact_persons_on_both_sides(bif_sof: dict) -> None:  # type: ignore[type-arg]
    sides = {post["side"] for post in bif_sof["contact_arrangements"]}
    assert sides == {"bif", "sof"}


def test_sof_consultants_in_bif_visitation_team(bif_sof: dict) -> None:  # type: ignore[type-arg]
    assert any(
        m["member"]["id"] == "sof"
        and m["organization"]["id"] == "bif-visitationsteam"
        and m["role"] == "konsulent"
        for m in bif_sof["cross_memberships"]
    )


def test_restricting_to_a_task(kg: Knowledge) -> None:
    data = dependencies_json(kg, dependencies(kg, ["bif", "sof"], task="32.03.16"))
    assert {row["task"]["notation"] for row in data["shared_tasks"]} == {"32.03.16"}


def test_needs_two_distinct_units(kg: Knowledge) -> None:
    with pytest.raises(StafetError, match="mindst to"):
        dependencies(kg, ["bif", "BIF"])


def test_the_answer_is_typed_and_frozen(kg: Knowledge) -> None:
    answer = dependencies(kg, ["bif", "sof"], task="32.03.16")
    assert [u.id for u in answer.units] == ["bif", "sof"]
    chain = answer.process_links[0]
    assert chain.task.notation == "32.03.16"
    assert (chain.links[0].from_unit, chain.links[0].to_unit) == (
        "bif-jobcenter",
        "rehabiliteringsteam",
    )
    assert all(isinstance(row, SharedTask) for row in answer.shared_tasks)
    with pytest.raises(FrozenInstanceError):
        answer.task = None  # type: ignore[misc]


def test_an_external_step_is_on_no_side(kg: Knowledge) -> None:
    chain = dependencies(kg, ["bif", "sof"], task="32.03.16").process_links[0]
    assert [step.side for step in chain.steps if step.part.unit == "udk"] == [None]
