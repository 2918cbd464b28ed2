"""Authorities outside the municipality answer for what they do (issue 10).

Every outside authority (``stafet:ExternalAuthority``) is ``ansvarlig`` for at least one
task: a KLE topic it is competent for, or one of its own services in
``data/copenhagen/outside-services.ttl`` (task level ``service``, scheme "Opgaver uden for
kommunen", never a KLE number). A who-answer whose ``ansvarlig`` is such an authority says
what the municipality still owes: guidance (forvaltningsloven § 7, stk. 1) and forwarding of
a written request (stk. 2), naming the guiding Copenhagen unit where the data has one and the
authority's contact.

Authorities left without a task of their own, on purpose (:data:`WITHOUT_TASK`):

- ``statslige-myndigheder`` ("Statslige myndigheder"): a collective entry for the state in
  general, which seed 000 uses for forwarding to "a state authority"; it is not one
  authority and has no service a source could name.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from graph.data.knowledge import Knowledge
from graph.present.answers import who_json
from graph.questions.coverage import kle_coverage, task_ownership
from graph.questions.responsibility import WhoNoteKind, who_handles

#: Outside authorities without an ``ansvarlig`` task, with the reason (see the docstring).
WITHOUT_TASK = {"statslige-myndigheder": "samlepost for staten, ikke én myndighed"}

BEFORE_REFORM = date(2026, 6, 1)
AFTER_REFORM = date(2027, 2, 1)


def _services(kg: Knowledge) -> list[str]:
    return sorted(t.id for t in kg.tasks.values() if t.level == "service")


def _responsible(kg: Knowledge, query: str, day: date = BEFORE_REFORM) -> set[str]:
    return {p.unit for p in who_handles(kg, query, as_of=day).responsible}


def test_every_outside_authority_is_responsible_for_a_task(kg: Knowledge) -> None:
    without = []
    for unit in sorted(u.id for u in kg.units.values() if u.is_external):
        roles = {p.role for p in kg.participations_by_unit.get(unit, [])}
        if "ansvarlig" not in roles:
            without.append(unit)
    assert without == sorted(WITHOUT_TASK)


def test_the_allow_list_names_only_outside_authorities(kg: Knowledge) -> None:
    assert all(kg.units[unit].is_external for unit in WITHOUT_TASK)


def test_services_are_not_kle(kg: Knowledge) -> None:
    services = _services(kg)
    assert len(services) >= 14
    for task_id in services:
        task = kg.tasks[task_id]
        assert task_id.startswith("udenfor-")
        assert re.fullmatch(r"U-[A-Z]+-\d+", task.notation), task.notation
        assert task.broader is None
        assert not kg.task_ancestors(task_id)
    assert sum(t.level == "topic" for t in kg.tasks.values()) == 2390
    assert sum(kle_coverage(kg).totals.values()) == sum(
        t.level in ("group", "topic") for t in kg.tasks.values()
    )
    assert not {row.task for row in task_ownership(kg)} & set(services)


def test_notations_are_unique(kg: Knowledge) -> None:
    notations = [kg.tasks[t].notation for t in _services(kg)]
    assert len(notations) == len(set(notations))


def test_each_service_has_an_outside_authority_with_a_source_to_open(kg: Knowledge) -> None:
    for task_id in _services(kg):
        responsible = [p for p in kg.participations_by_task[task_id] if p.role == "ansvarlig"]
        assert responsible, task_id
        for part in responsible:
            assert kg.units[part.unit].is_external, part.id
            urls = [s.url for s in part.provenance.sources if s.url]
            assert urls and all(u.startswith(("http://", "https://")) for u in urls), part.id
            assert part.provenance.status in ("bekraeftet", "antaget")


@pytest.mark.parametrize(
    ("query", "authority"),
    [
        ("opholdstilladelse", "siri"),
        ("arbejdstilladelse", "siri"),
        ("EU-opholdsbevis", "siri"),
        ("familiesammenføring", "udlaendingestyrelsen"),
        ("ægtefællesammenføring", "udlaendingestyrelsen"),
        ("nummerplader", "motorstyrelsen"),
        ("registrering af køretøjer", "motorstyrelsen"),
        ("teoriprøve", "faerdselsstyrelsen"),
        ("køreprøve", "faerdselsstyrelsen"),
        ("handicapparkeringskort", "dh-brugerservice"),
        ("patientklage", "stpk"),
        ("inddrivelse af gæld til det offentlige", "gaeldsstyrelsen"),
        ("årsopgørelse", "skattestyrelsen"),
        ("forskudsopgørelse", "skattestyrelsen"),
        ("skifte af dødsbo", "skifteretten"),
        ("akutmodtagelse", "region-hovedstaden"),
        ("klage til Ankestyrelsen", "ankestyrelsen"),
        ("klage til Ombudsmanden", "ombudsmanden"),
    ],
)
def test_who_answers_reach_the_authority(kg: Knowledge, query: str, authority: str) -> None:
    assert _responsible(kg, query) == {authority}


def test_the_emergency_room_moves_to_region_oestdanmark_in_2027(kg: Knowledge) -> None:
    assert _responsible(kg, "skadestue", BEFORE_REFORM) == {"region-hovedstaden"}
    assert _responsible(kg, "skadestue", AFTER_REFORM) == {"region-oestdanmark"}


def test_an_inside_task_does_not_get_a_service(kg: Knowledge) -> None:
    assert who_handles(kg, "førtidspension").task.level == "topic"


def _outside_notes(kg: Knowledge, query: str) -> list[str]:
    answer = who_handles(kg, query, as_of=BEFORE_REFORM)
    kinds = [note.kind for note in answer.notes]
    texts = who_json(kg, answer)["notes"]
    return [text for kind, text in zip(kinds, texts, strict=True) if kind == "outside_authority"]


def test_the_note_says_what_the_municipality_still_owes(kg: Knowledge) -> None:
    (note,) = _outside_notes(kg, "nummerplader")
    assert "Motorstyrelsen" in note
    assert "forvaltningsloven § 7, stk. 1" in note and "§ 7, stk. 2" in note
    assert "72 22 15 15" in note  # the authority's contact point
    assert "ikke, hvilken enhed" in note  # no source names the guiding unit


def test_the_note_names_the_guiding_unit_on_a_kle_topic(kg: Knowledge) -> None:
    (note,) = _outside_notes(kg, "kle-30.10.50")  # skilsmisse: Familieretshuset
    assert "Familieretshuset" in note and "Borgerservice" in note
    assert "ingen kontaktoplysninger" in note  # the data has no contact for it


def test_no_note_when_the_municipality_handles_the_case(kg: Knowledge) -> None:
    assert _outside_notes(kg, "førtidspension") == []
    answer = who_handles(kg, "hjælpemidler", age=70)
    assert WhoNoteKind.OUTSIDE_AUTHORITY not in {note.kind for note in answer.notes}


def test_who_json_labels_the_level(kg: Knowledge) -> None:
    task = who_json(kg, who_handles(kg, "arbejdstilladelse"))["task"]
    assert task["level"] == "service"
    assert task["level_label"] == "opgave hos en anden myndighed"
    assert task["notation"] == "U-SIRI-1"
