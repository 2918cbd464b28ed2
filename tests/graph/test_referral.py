"""referral_path on the real data: hop by hop, with legal basis and contacts."""

from __future__ import annotations

import pytest

from graph.data.knowledge import Knowledge
from graph.errors import UnknownEntityError
from graph.present.answers import referral_json
from graph.questions.referral import COSTS, referral_graph, referral_path


def test_costs_prefer_named_contacts_and_forums_over_the_hierarchy() -> None:
    assert COSTS["contact_person"] < COSTS["forum"] < COSTS["hierarchy"] < COSTS["external"]


def test_from_borgerraadgiveren_to_foertidspension(kg: Knowledge) -> None:
    answer = referral_path(kg, "Borgerrådgiveren", "førtidspension")
    data = referral_json(kg, answer)
    assert data["from"]["id"] == "borgerraadgiveren"
    assert data["to"]["id"] in {"bif-jobcenter", "sof"}
    assert data["hops"][0]["from"]["id"] == "borgerraadgiveren"
    assert data["hops"][-1]["to"]["id"] == data["to"]["id"]
    for this, following in zip(data["hops"], data["hops"][1:], strict=False):
        assert this["to"]["id"] == following["from"]["id"]
    assert data["hops"][0]["via"] == "contact_person"
    for hop in data["hops"]:
        laws = [law["id"] for law in hop["legal_basis"]]
        assert "forvaltningsloven-7-2" in laws
        assert "retssikkerhedsloven-5" in laws, "førtidspension is in the social field"
        assert hop["how"]
    assert data["received_by_municipality"] is True
    assert data["leaves_municipality"] is False
    assert data["cost"] == sum(hop["cost"] for hop in data["hops"])


def test_from_bif_the_jobcenter_is_one_step_down(kg: Knowledge) -> None:
    answer = referral_path(kg, "bif", "32.03.16")
    assert answer.target.unit == "bif-jobcenter"
    assert [(h.source, h.target, h.via) for h in answer.hops] == [
        ("bif", "bif-jobcenter", "hierarchy")
    ]


def test_contact_persons_beat_the_hierarchy_between_bif_and_sof(kg: Knowledge) -> None:
    answer = referral_path(kg, "sof-borgercenter-handicap", "førtidspension")
    assert answer.target.unit in {"bif-jobcenter", "sof"}
    graph = referral_graph(kg)
    edge = graph.edges["sof-borgercenter-handicap", "bif-jobcenter"]
    assert edge["via"] == "contact_person"
    assert answer.cost <= COSTS["hierarchy"]


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


def test_hjaelpemidler_path_follows_the_age(kg: Knowledge) -> None:
    assert referral_path(kg, "kff-borgerservice", "hjælpemidler", age=80).target.unit == (
        "suf-hjaelpemiddelcentret"
    )
    assert referral_path(kg, "kff-borgerservice", "hjælpemidler", age=30).target.unit == (
        "sof-borgercenter-handicap"
    )


def test_external_authorities_are_dead_ends_not_shortcuts(kg: Knowledge) -> None:
    graph = referral_graph(kg)
    assert graph.out_degree("udk") == 0
    assert graph.in_degree("udk") > 0


def test_unknown_unit_is_named(kg: Knowledge) -> None:
    with pytest.raises(UnknownEntityError, match="Ukendt enhed: 'qxqxqzv'"):
        referral_path(kg, "qxqxqzv", "førtidspension")
