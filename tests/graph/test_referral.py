"""referral_path on the real data: channels, legal basis per hop, branches, complaints.

``referral_cases.tsv`` holds referral questions written from the sources (its last column):
from-unit, task, the citizen's age, whether it is a complaint, the expected end of the route
(a unit, or ``adm:<id>`` for any unit of that administration), the deciding unit of a
complaint, the channel kinds a practitioner would use, whether the task is in the social
field, and how many branches the answer must give.
"""

from __future__ import annotations

import csv
import itertools
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph.data.knowledge import Knowledge
from graph.errors import NoConfidentMatchError, UnknownEntityError
from graph.present.answers import referral_json
from graph.questions.channels import task_scope
from graph.questions.referral import (
    APPEAL,
    COSTS,
    Hop,
    ReferralAnswer,
    referral_graph,
    referral_path,
)

CASES = Path(__file__).with_name("referral_cases.tsv")
GUIDANCE, FORWARDING = "forvaltningsloven-7-1", "forvaltningsloven-7-2"
UNITY, SOCIAL = "kommunestyrelsesloven-2", "retssikkerhedsloven-5"
RECONSIDERATION, APPEAL_LAW = "retssikkerhedsloven-66", "retssikkerhedsloven-60"


def _cases() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream, delimiter="\t"))


def _ask(kg: Knowledge, case: dict[str, str]) -> ReferralAnswer:
    return referral_path(
        kg,
        case["from"],
        case["task"],
        age=int(case["age"]) if case["age"] else None,
        complaint=case["complaint"] == "ja",
    )


def _ends_at(kg: Knowledge, unit: str, expected: str) -> bool:
    if expected.startswith("adm:"):
        administration = kg.administration_of(unit)
        return administration is not None and administration.id == expected[4:]
    return unit == expected


def _check_basis(hop: Hop, *, social: bool) -> None:
    laws = set(hop.legal_basis)
    if hop.via == APPEAL:
        assert {RECONSIDERATION, APPEAL_LAW} <= laws, hop
    elif hop.via == "external":
        assert {GUIDANCE, FORWARDING} <= laws, hop
    else:
        assert {GUIDANCE, UNITY} <= laws and FORWARDING not in laws, hop
    if hop.via != APPEAL:
        assert (SOCIAL in laws) == social, hop


def test_the_case_file_is_large_enough_and_sourced() -> None:
    cases = _cases()
    assert len(cases) >= 30
    assert all(case["source"].strip() for case in cases)


@pytest.mark.parametrize("case", _cases(), ids=lambda c: f"{c['from']}:{c['task']}:{c['age']}")
def test_referral_case(kg: Knowledge, case: dict[str, str]) -> None:
    answer = _ask(kg, case)
    social = case["social"] == "ja"
    assert len(answer.branches) == int(case["branches"])
    routes: list[tuple[Any, tuple[Hop, ...]]] = [(answer.target, answer.hops)]
    if answer.branches:
        routes = [(b.target, b.hops) for b in answer.branches]
        assert len({b.target.unit for b in answer.branches}) == len(answer.branches)
    allowed = set(filter(None, case["allowed_vias"].split(",")))
    for target, hops in routes:
        assert {hop.via for hop in hops} <= allowed, hops
        for hop in hops:
            _check_basis(hop, social=social)
        for this, following in itertools.pairwise(hops):
            assert this.target == following.source
        if case["complaint"] == "ja":
            assert answer.complaint is not None or answer.branches
        if case["expect_to"] and not answer.branches:
            end = hops[-1].target if hops else target.unit
            assert _ends_at(kg, end, case["expect_to"]), (end, case["expect_to"])
    if case["decider"]:
        assert answer.complaint is not None
        assert answer.complaint.deciding.unit == case["decider"]


def test_no_hop_uses_a_forum_that_does_not_carry_the_task(kg: Knowledge) -> None:
    """Over every unit of the municipality and a broad sample of tasks."""
    units = sorted(u.id for u in kg.units.values() if not u.is_external)
    routed = sorted(t for t, parts in kg.participations_by_task.items() if parts)
    tasks = [*routed[:: max(1, len(routed) // 25)], "kle-32.03.16", "kle-32.21.12"]
    scope = {f.id: set(f.case_scope) for f in kg.forums.values()}
    for forum in kg.forums.values():  # a collaboration carries what its forums carry
        if forum.parent in scope:
            scope[forum.parent] |= set(forum.case_scope)
    members = {m.id: set(m.case_scope) for m in kg.registry.memberships.values()}
    checked = 0
    for task in tasks:
        covered = task_scope(kg, task)
        for unit in units:
            try:
                answer = referral_path(kg, unit, task)
            except Exception:  # no path, or a task with no handler: nothing to check
                continue
            for hop in answer.hops:
                if hop.via in {"forum", "collaboration"}:
                    carried = scope.get(hop.through or "") or members.get(hop.through or "")
                    assert carried and carried & covered, (unit, task, hop)
                    checked += 1
                _check_basis(hop, social=kg.inherited_flag(answer.task.id, "in_social_field"))
    assert checked > 0, "the sample must include tasks that forums carry"


def test_the_legal_coordination_group_carries_no_case(kg: Knowledge) -> None:
    graph = referral_graph(kg)
    throughs = {c.through for _, _, d in graph.edges(data=True) for c in d["channels"]}
    assert "koordinationsgruppen" not in throughs
    assert "bif-sof-netvaerk-foertidspension" in throughs


def test_a_passport_never_goes_through_a_forum(kg: Knowledge) -> None:
    for unit in ("sof", "buf", "bif", "tmf", "suf", "okf"):
        hops = referral_path(kg, unit, "pas").hops
        assert all(h.via not in {"forum", "collaboration"} for h in hops), hops


def test_the_foertidspension_network_group_carries_foertidspension(kg: Knowledge) -> None:
    graph = referral_graph(kg)
    channels = graph.edges["bif", "sof"]["channels"]
    assert any(c.through == "bif-sof-netvaerk-foertidspension" for c in channels)
    # No forum carries every case: only the way between administrations does.
    assert graph.edges["bif", "sof"]["plain"] == COSTS["across"]
    assert all(c.scope for c in graph.edges["bif", "sof"]["conditional"])


def test_costs_prefer_named_contacts_and_forums_over_the_hierarchy() -> None:
    assert COSTS["contact_person"] < COSTS["forum"] < COSTS["hierarchy"] < COSTS["external"]
    assert COSTS["contact_point"] < COSTS["hierarchy"]


def test_borgerservice_is_the_single_entry_only_from_2026(kg: Knowledge) -> None:
    now = referral_path(kg, "kff-borgerservice", "førtidspension", as_of=date(2026, 6, 1))
    assert now.hops[0].via == "single_entry"
    before = referral_path(kg, "kff-borgerservice", "førtidspension", as_of=date(2025, 6, 1))
    assert all(h.via != "single_entry" for h in before.hops)
    assert before.cost > now.cost


def test_borgerraadgiveren_is_no_relay_between_administrations(kg: Knowledge) -> None:
    """Its contact persons are its way into each administration, not a shortcut between them."""
    for unit, task in (("sof", "pas"), ("tmf", "førtidspension"), ("buf", "dagtilbud")):
        hops = referral_path(kg, unit, task).hops
        assert "borgerraadgiveren" not in [h.target for h in hops[:-1]], hops


def test_hjaelpemidler_path_follows_the_age(kg: Knowledge) -> None:
    assert referral_path(kg, "kff-borgerservice", "hjælpemidler", age=80).target.unit == (
        "suf-hjaelpemiddelcentret"
    )
    assert referral_path(kg, "kff-borgerservice", "hjælpemidler", age=30).target.unit == (
        "sof-borgercenter-handicap"
    )


def test_without_the_age_each_branch_is_given_with_its_condition(kg: Knowledge) -> None:
    data = referral_json(kg, referral_path(kg, "kff-borgerservice", "hjælpemidler"))
    assert [(b["condition"], b["to"]["id"]) for b in data["branches"]] == [
        ("under 65 år", "sof-borgercenter-handicap"),
        ("65 år og derover", "suf-hjaelpemiddelcentret"),
    ]
    assert any("alder" in note for note in data["notes"])
    assert (
        referral_json(kg, referral_path(kg, "kff-borgerservice", "hjælpemidler", age=30))[
            "branches"
        ]
        == []
    )


def test_a_complaint_goes_to_the_decider_then_the_appeal_body(kg: Knowledge) -> None:
    data = referral_json(
        kg, referral_path(kg, "borgerraadgiveren", "førtidspension", complaint=True)
    )
    assert data["to"]["id"] == "sof"  # SOF decides (kk.dk), not the jobcenter that prepares
    assert data["complaint"]["deciding_unit"]["id"] == "sof"
    assert data["complaint"]["appeal_body"]["id"] == "ankestyrelsen"
    assert [law["id"] for law in data["complaint"]["reconsideration"]] == [RECONSIDERATION]
    assert RECONSIDERATION in [law["id"] for law in data["hops"][0]["legal_basis"]]
    assert data["hops"][-1]["via"] == "appeal"
    assert data["hops"][-1]["to"]["id"] == "ankestyrelsen"
    assert data["cost"] == sum(hop["cost"] for hop in data["hops"])


def test_a_complaint_with_no_appeal_body_in_the_data_says_so(kg: Knowledge) -> None:
    answer = referral_path(kg, "sof", "pas", complaint=True)
    assert answer.complaint is not None and answer.complaint.appeal_body is None
    assert answer.hops[-1].via != "appeal"
    assert "no_appeal_body" in [note.value for note in answer.notes]


def test_another_authoritys_decision_gets_no_municipal_appeal_route(kg: Knowledge) -> None:
    answer = referral_path(kg, "bif", "boligstøtte", complaint=True)
    assert answer.complaint is not None and answer.complaint.deciding.unit == "udk"
    assert answer.complaint.appeal_body is None and answer.complaint.reconsideration == ()


def test_every_hop_and_the_target_name_a_contact_marked_when_inherited(kg: Knowledge) -> None:
    data = referral_json(kg, referral_path(kg, "borgerraadgiveren", "førtidspension"))
    jobcenter = data["hops"][-1]
    assert jobcenter["to"]["id"] == "bif-jobcenter"
    assert jobcenter["contacts"], "the municipality's main number at least"
    assert jobcenter["contacts"][0]["source"]
    assert jobcenter["contact_inherited_from"]["id"] == "kk"
    assert data["to_contacts"] and data["contact_inherited_from"]["id"] == "kk"
    own = referral_json(kg, referral_path(kg, "tmf", "dagtilbud"))
    assert own["hops"][-1]["contact_inherited_from"] is None
    assert own["to_contacts"][0]["unit"] == "buf-pladsanvisningen"


def test_boligstoette_leaves_the_municipality(kg: Knowledge) -> None:
    data = referral_json(kg, referral_path(kg, "bif", "boligstøtte"))
    assert data["to"]["id"] == "udk"
    assert data["hops"][-1]["via"] == "external"
    assert data["leaves_municipality"] is True
    assert any("forvaltningsloven § 7, stk. 2" in note for note in data["notes"])


def test_a_unit_that_handles_the_task_itself_needs_no_hops(kg: Knowledge) -> None:
    answer = referral_path(kg, "erhvervshuset", "erhvervsservice")
    assert answer.hops == ()
    assert answer.cost == 0


def test_external_authorities_are_dead_ends_not_shortcuts(kg: Knowledge) -> None:
    graph = referral_graph(kg)
    assert graph.out_degree("udk") == 0
    assert graph.in_degree("udk") > 0


def test_unknown_unit_is_named(kg: Knowledge) -> None:
    with pytest.raises(UnknownEntityError, match="Ukendt enhed: 'qxqxqzv'"):
        referral_path(kg, "qxqxqzv", "førtidspension")


def test_an_unknown_unit_in_words_is_not_guessed(kg: Knowledge) -> None:
    """'ukendt-enhed' once became a unit with 'enhed' in its name; now it is no match."""
    with pytest.raises(NoConfidentMatchError):
        referral_path(kg, "ukendt-enhed", "førtidspension")
