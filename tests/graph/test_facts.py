"""What staff miss (issue 12, item 8): phone numbers and opening hours where a source gives
them, the service's own kk.dk/borger.dk page, and on every responsibility its owner and when
it was last confirmed — on the real data, and the gaps where nothing is known."""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import Graph

from graph.data.compile import compile_registry
from graph.data.knowledge import Knowledge
from graph.data.validation import validate_graph
from graph.present.answers import referral_json, who_json
from graph.present.facts import confirmation_text, fact_meta_json
from graph.questions.confirmation import FactCheck, fact_check
from graph.questions.quality import gaps
from graph.questions.referral import referral_path
from graph.questions.responsibility import who_handles


def test_opening_hours_come_from_the_sources(kg: Knowledge) -> None:
    hours = {c.id: c.opening_hours for c in kg.registry.contacts.values() if c.opening_hours}
    assert hours["sof-hjemloese-udsatteenheden"] == ("Hverdage kl. 10–13",)  # kk.dk, hjemløse
    assert hours["sof-den-sociale-doegnvagt"] == ("Døgnet rundt",)
    assert hours["suf-forebyggelsescentret-oesterbro"] == ("Hverdage kl. 9–14",)
    assert "torsdag kl. 13–18" in hours["buf-pladsanvisningen"][0]
    # Only where a source states them: the municipality's main number has none.
    assert "kk" not in hours and "borgerraadgiveren" not in hours


def test_siri_has_its_five_lines_and_the_doegnvagt_no_number(kg: Knowledge) -> None:
    siri = kg.registry.contacts["siri"]
    assert siri.telephone == tuple(f"72 14 20 0{n}" for n in range(1, 6))
    assert siri.provenance.status == "bekraeftet" and kg.units["siri"].contacts == ("siri",)
    doegnvagt = kg.registry.contacts["sof-den-sociale-doegnvagt"]
    assert doegnvagt.telephone == () and "Åboulevard 38" in (doegnvagt.note or "")


def test_the_gaps_list_every_contact_without_a_phone(kg: Knowledge) -> None:
    found = gaps(kg).found
    without = {c.id for c in found["contacts_without_phone_or_email"]}
    assert {"buf-pladsanvisningen", "sof-den-sociale-doegnvagt"} <= without
    assert "sof-hjemloese-udsatteenheden" not in without
    assert without == {c.id for c in kg.registry.contacts.values() if not c.is_reachable}


def test_service_pages_only_where_a_source_names_one(kg: Knowledge) -> None:
    pages = {t.id: [p.url for p in t.pages] for t in kg.tasks.values() if t.pages}
    assert pages["kle-23.09.02"] == ["https://www.kk.dk/borger/borgerservice/pas"]
    assert pages["kle-30.10.50"] == [
        "https://www.borger.dk/forberedelse/skilsmisse-og-familiebrud/skilsmisse-og-familiebrud-med-boern"
    ]
    assert "kle-32.03.16" not in pages  # no source gives førtidspension's own page
    assert all(p.title for t in kg.tasks.values() for p in t.pages)


def test_who_answers_with_the_service_page_and_the_hours(kg: Knowledge) -> None:
    data = who_json(kg, who_handles(kg, "kle-27.57.16"))
    assert data["service_pages"] == [
        {
            "url": "https://www.kk.dk/borger/udsatte-og-socialpsykiatri/hjemloese/bekymret-for-en-hjemloes",
            "title": "Bekymret for en hjemløs (kk.dk)",
        }
    ]
    contact = data["handlers"][0]["contacts"][0]
    assert contact["telephone"] == ["33 17 41 22"]
    assert contact["opening_hours"] == ["Hverdage kl. 10–13"]
    assert who_json(kg, who_handles(kg, "kle-32.03.16"))["service_pages"] == []


def test_a_referral_hop_names_the_targets_hours(kg: Knowledge) -> None:
    data = referral_json(kg, referral_path(kg, "borgerraadgiveren", "kle-27.57.16"))
    assert data["to_contacts"][0]["opening_hours"] == ["Hverdage kl. 10–13"]


def test_every_responsibility_has_an_owner_and_a_confirmation(kg: Knowledge) -> None:
    for part in kg.registry.participations.values():
        check = fact_check(part)
        assert check.owner == part.unit
        assert (
            check.state
            == {"bekraeftet": "sourced", "antaget": "assumed"}[part.provenance.status or ""]
        )
        if check.state == "assumed":
            assert check.reason
    who = who_json(kg, who_handles(kg, "kle-32.21"))
    handler = who["handlers"][0]
    assert handler["owner"] == {"id": "bif", "label": kg.units["bif"].label, "kind": "unit"}
    steps = who_json(kg, who_handles(kg, "kle-32.03.16"))["handlers"]
    forum = next(h for h in steps if h["unit"]["id"] == "rehabiliteringsteam")
    assert forum["owner"]["kind"] == "forum"  # a forum's part links to the forum's page
    assert handler["last_confirmed"] is None and handler["confirmed_by"] is None
    assert handler["confirmation"].startswith(
        "Ikke bekræftet – antaget: Enheden er ikke bekræftet."
    )


TINY = r"""
@prefix cv: <http://data.europa.eu/m8g/> . @prefix cpsv: <http://purl.org/vocab/cpsv#> .
@prefix dct: <http://purl.org/dc/terms/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix stafet: <https://stafet.kk.dk/def#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://stafet.kk.dk/id/> .
id:task\/kle-23.09.02 cv:hasParticipation id:participation\/p .
id:participation\/p cv:hasParticipant id:unit\/kff-borgerservice ;
    cv:role <https://stafet.kk.dk/def/role/ansvarlig> ;
    stafet:status <https://stafet.kk.dk/def/status/bekraeftet> ;
    stafet:assuredDate "2026-11-03"^^xsd:date ; stafet:assuredBy "Anne Holm, KFF" .
"""


def test_a_reviewed_fact_says_when_and_by_whom(kg: Knowledge) -> None:
    part = compile_registry(Graph().parse(data=TINY, format="turtle")).participations["p"]
    assert (part.provenance.assured_on, part.provenance.assured_by) == (
        date(2026, 11, 3),
        "Anne Holm, KFF",
    )
    check = fact_check(part)
    assert check == FactCheck("kff-borgerservice", "reviewed", date(2026, 11, 3), "Anne Holm, KFF")
    meta = fact_meta_json(kg, part)
    assert meta["last_confirmed"] == "2026-11-03" and meta["confirmed_by"] == "Anne Holm, KFF"
    assert meta["confirmation"] == "Sidst bekræftet 2026-11-03 af Anne Holm, KFF."
    assert confirmation_text(kg, FactCheck("x", "unknown")).startswith("Ikke bekræftet")


BAD_HOURS = """
@prefix cv: <http://data.europa.eu/m8g/> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix time: <http://www.w3.org/2006/time#> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix cpsv: <http://purl.org/vocab/cpsv#> .
<https://stafet.kk.dk/id/contact/x> a cv:ContactPoint ; cv:telephone "33 66 33 66" ;
    cv:openingHours [ a time:TemporalEntity ; dct:description "Hverdage"@en ] .
<https://stafet.kk.dk/id/task/t> a cpsv:PublicService ; foaf:page <https://www.kk.dk/x> .
"""


@pytest.mark.slow
def test_the_shapes_refuse_hours_without_danish_words_and_an_untitled_page() -> None:
    report = validate_graph(Graph().parse(data=BAD_HOURS, format="turtle"))
    messages = " ".join(v.message for v in report.violations)
    assert "En åbningstid har én dansk beskrivelse" in messages
    assert "En opgaves side er en webadresse" in messages
