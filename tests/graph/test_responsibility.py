"""who_handles on the real Copenhagen data, and on small worlds for the edge cases."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from graph.data.knowledge import Knowledge
from graph.data.loader import TurtleFiles
from graph.data.model import Participation
from graph.errors import UnknownEntityError
from graph.present.answers import who_json
from graph.questions.responsibility import _clashing_units, who_handles

FOERTIDSPENSION_CHAIN = ["bif-jobcenter", "rehabiliteringsteam", "sof", "udk"]


def test_foertidspension_is_a_chain_across_units_with_sof_deciding(kg: Knowledge) -> None:
    answer = who_handles(kg, "førtidspension")
    assert answer.task.notation == "32.03.16"
    assert [step.unit for step in answer.process] == FOERTIDSPENSION_CHAIN
    assert [step.role for step in answer.process] == [
        "udfoerende",
        "indstillende",
        "ansvarlig",
        "udbetaler",
    ]
    assert [p.unit for p in answer.responsible] == ["sof"]
    assert not answer.ambiguous
    for step in answer.process:
        assert step.provenance.status == "bekraeftet"
        assert step.provenance.sources, f"step {step.step} has no source"


def test_foertidspension_answer_carries_legal_basis_and_json_shape(kg: Knowledge) -> None:
    data = who_json(kg, who_handles(kg, "kle-32.03.16"))
    sof = next(h for h in data["handlers"] if h["role"] == "ansvarlig")
    assert sof["unit"] == {
        "id": "sof",
        "label": "Socialforvaltningen",
        "forvaltning": "sof",
        "kind": "administration",
        "uri": "https://stafet.kk.dk/id/unit/sof",
    }
    assert "pensionsloven-14a" in [law["id"] for law in sof["legal_basis"]]
    assert [step["unit"]["id"] for step in data["process"]] == FOERTIDSPENSION_CHAIN
    assert data["matched_via"]["how"] == "id"
    assert "fallback_from" not in data


@pytest.mark.parametrize(
    ("age", "unit"),
    [
        (40, "sof-borgercenter-handicap"),
        (64, "sof-borgercenter-handicap"),
        (65, "suf-hjaelpemiddelcentret"),
        (90, "suf-hjaelpemiddelcentret"),
    ],
)
def test_hjaelpemidler_depend_on_age(kg: Knowledge, age: int, unit: str) -> None:
    answer = who_handles(kg, "hjælpemidler", age=age)
    assert [p.unit for p in answer.responsible] == [unit]
    assert not answer.ambiguous


def test_hjaelpemidler_without_age_lists_both_with_their_conditions(kg: Knowledge) -> None:
    answer = who_handles(kg, "27.60.08")  # Mobilitetshjælpemidler, answered by group 27.60
    assert answer.fallback_from is not None and answer.fallback_from.notation == "27.60.08"
    assert answer.task.notation == "27.60"
    conditions = {p.unit: [c.label for c in p.conditions] for p in answer.responsible}
    assert set(conditions) == {"sof-borgercenter-handicap", "suf-hjaelpemiddelcentret"}
    assert all(conditions.values())
    assert not answer.ambiguous, "age-split responsibility is not an ambiguity"
    assert any("alder" in note for note in who_json(kg, answer)["notes"])


def test_dagtilbud_is_pladsanvisningen(kg: Knowledge) -> None:
    answer = who_handles(kg, "dagtilbud")
    assert answer.task.notation.startswith("28.09")
    assert [p.unit for p in answer.responsible] == ["buf-pladsanvisningen"]


def test_boligstoette_is_udbetaling_danmark_with_the_municipality_guiding(kg: Knowledge) -> None:
    answer = who_handles(kg, "boligstøtte")
    assert answer.task.notation.startswith("32.06")
    roles = {(p.unit, p.role) for p in answer.handlers}
    assert ("udk", "ansvarlig") in roles
    assert any(role == "vejledende" and kg.units[unit].kind != "external" for unit, role in roles)
    assert kg.units["udk"].is_external


def test_before_udbetaling_danmark_took_over_it_was_not_responsible(kg: Knowledge) -> None:
    answer = who_handles(kg, "boligstøtte", as_of=date(2012, 6, 1))
    assert "udk" not in {p.unit for p in answer.handlers}


def test_erhvervsservice_is_koebenhavns_erhvervshus(kg: Knowledge) -> None:
    answer = who_handles(kg, "24.10.07")
    assert [p.unit for p in answer.responsible] == ["erhvervshuset"]
    assert answer.fallback_from is None


@pytest.mark.parametrize(
    "query",
    ["førtidspension", "fortidspension", "foertidspension", "FØRTIDSPENSION", "førtidspenson"],
)
def test_typed_queries_find_foertidspension(kg: Knowledge, query: str) -> None:
    assert who_handles(kg, query).task.notation == "32.03.16"


def test_topic_without_own_facts_falls_back_to_its_group_and_says_so(kg: Knowledge) -> None:
    topic = next(
        t
        for t in sorted(kg.tasks.values(), key=lambda t: t.notation)
        if t.level == "topic" and t.id not in kg.participations_by_task
    )
    answer = who_handles(kg, topic.id)
    assert answer.fallback_from == topic
    assert answer.task.id == topic.broader
    assert answer.responsible
    data = who_json(kg, answer)
    assert data["fallback_from"]["id"] == topic.id
    assert any("har ingen egne ansvarsoplysninger" in note for note in data["notes"])


def test_every_kle_group_and_topic_resolves_to_a_responsible_unit(kg: Knowledge) -> None:
    unresolved = [
        task.notation
        for task in kg.tasks.values()
        if task.level != "main" and not who_handles(kg, task.id).responsible
    ]
    assert unresolved == []
    assert sum(1 for t in kg.tasks.values() if t.level == "topic") == 2390


def test_two_ansvarlig_are_reported_as_ambiguous(mini_files: list[Path], tmp_path: Path) -> None:
    extra = tmp_path / "second.ttl"
    extra.write_text(
        """
        @prefix stafet: <https://stafet.kk.dk/def#> .
        @prefix cv: <http://data.europa.eu/m8g/> .
        @prefix dct: <http://purl.org/dc/terms/> .
        <https://stafet.kk.dk/id/task/kle-01.01> cv:hasParticipation
            <https://stafet.kk.dk/id/participation/second> .
        <https://stafet.kk.dk/id/participation/second> a cv:Participation ;
            dct:description "B"@da ;
            cv:hasParticipant <https://stafet.kk.dk/id/unit/b> ;
            cv:role <https://stafet.kk.dk/def/role/ansvarlig> ;
            dct:source <https://stafet.kk.dk/id/source/test> ;
            stafet:status <https://stafet.kk.dk/def/status/antaget> .
        """,
        encoding="utf-8",
    )
    kg = Knowledge.from_source(TurtleFiles([*mini_files, extra]))
    answer = who_handles(kg, "kle-01.01.01")
    assert answer.ambiguous
    assert sorted(p.unit for p in answer.responsible) == ["a", "b"]
    assert any("Stafet vælger ikke selv" in note for note in who_json(kg, answer)["notes"])


def test_unknown_task_names_the_query_and_offers_suggestions(kg: Knowledge) -> None:
    with pytest.raises(UnknownEntityError) as caught:
        who_handles(kg, "kle-99.99.99")
    assert "kle-99.99.99" in str(caught.value)
    with pytest.raises(UnknownEntityError, match="Ukendt opgave"):
        who_handles(kg, "qxqxqzv")


def test_age_out_of_range_is_refused(kg: Knowledge) -> None:
    with pytest.raises(ValueError, match="mellem 0 og 130"):
        who_handles(kg, "hjælpemidler", age=-3)


@pytest.mark.parametrize(
    ("query", "owner"),
    [
        ("pbøde", "tmf"),  # "p-bøde" typed without its hyphen
        ("tandlæge til min datter på 12", "buf"),  # a child: the children's dental care
        ("min søn på 7 skal til tandlæge", "buf"),  # an age under 18 says so too
        ("jeg vil gerne holde op med at ryge", "suf"),  # "holde op" = "stoppe": rygestop
        ("min far er død hvad sker der med arven", "skifteretten"),  # a question of its own
        ("borgercenter handicap", "sof"),  # a unit's name asks what the unit does
        ("sociale døgnvagt", "sof"),  # … and of a unit without recorded tasks, its parent's
        ("skat", "skattestyrelsen"),  # "SKAT" is the authority's everyday name
    ],
)
def test_reading_the_question_decides_the_owner(kg: Knowledge, query: str, owner: str) -> None:
    answer = who_handles(kg, query, as_of=date(2026, 12, 1))
    unit = answer.responsible[0].unit
    administration = kg.administration_of(unit)
    assert (administration.id if administration else unit) == owner


def test_a_unit_named_by_the_text_answers_with_its_responsibilities(kg: Knowledge) -> None:
    answer = who_handles(kg, "Borgercenter Handicap", as_of=date(2026, 12, 1))
    assert answer.matched_via.how == "label"
    assert answer.matched_via.text == "Borgercenter Handicap"
    assert "sof-borgercenter-handicap" in {p.unit for p in answer.responsible}


def test_a_task_named_by_the_text_beats_a_unit_of_the_same_name(kg: Knowledge) -> None:
    # "Folkeregisteret" is a unit's other name, but "folkeregister" is all of 23.05's.
    answer = who_handles(kg, "folkeregister", as_of=date(2026, 12, 1))
    assert answer.task.notation == "23.05"


def _pairwise_clashes(handlers: list[Participation]) -> set[str]:
    """The definition: a unit clashes when it and another unit are ``ansvarlig`` for
    participations whose conditions a citizen could meet at once."""
    responsible = [p for p in handlers if p.role == "ansvarlig"]
    return {
        p.unit
        for i, a in enumerate(responsible)
        for b in responsible[i + 1 :]
        if a.unit != b.unit and a.overlaps(b)
        for p in (a, b)
    }


def test_clashing_units_are_the_pairwise_definition_on_real_and_mixed_handlers(
    kg: Knowledge,
) -> None:
    """The grouped check (a national topic has hundreds of handlers) finds exactly the units
    the pairwise one does: every real topic's handlers, and seeded mixes of real handlers
    with real age conditions, units repeated, roles mixed."""
    for parts in kg.participations_by_task.values():
        assert set(_clashing_units(list(parts))) == _pairwise_clashes(list(parts))
    every = [p for parts in kg.participations_by_task.values() for p in parts]
    conditions = sorted({p.conditions for p in every}, key=repr)
    assert len(conditions) >= 3, "the data has age-split responsibilities to mix"
    units = sorted({p.unit for p in every})
    picker = random.Random(6)
    clashed = 0
    for _ in range(400):
        mix = [
            replace(
                picker.choice(every),
                unit=picker.choice(units[:6]),
                role=picker.choice(["ansvarlig", "ansvarlig", "udfoerende"]),
                conditions=picker.choice(conditions),
            )
            for _ in range(picker.randint(0, 8))
        ]
        found = _clashing_units(mix)
        assert set(found) == _pairwise_clashes(mix)
        responsible = [p.unit for p in mix if p.role == "ansvarlig"]
        assert list(found) == [u for u in dict.fromkeys(responsible) if u in found]
        clashed += bool(found)
    assert 50 < clashed < 350, "the mixes have clashes and clean answers both"
