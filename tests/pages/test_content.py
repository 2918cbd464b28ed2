"""What the pages say, on the real data: who, how to pass it on, with sources and status."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from graph.render.networks import RELATION_LABELS
from tests.api.helpers import assert_problem


def graph_data(html: str, ident: str = "graf") -> dict[str, object]:
    match = re.search(rf'<script type="application/json" id="{ident}-data">(.*?)</script>', html)
    assert match, "the page embeds its graph data"
    data: dict[str, object] = json.loads(match.group(1))
    return data


def test_search_groups_hits_by_kind_and_forgives_typos(pages_client: TestClient) -> None:
    page = pages_client.get("/", params={"q": "fortidspension"}).text
    assert "Bedste match" in page and "32.03.16" in page
    assert page.index("<h3>Opgaver</h3>") < page.index("<h3>Fora</h3>")
    assert 'href="/id/task/kle-32.03.16"' in page
    assert "Ansvarlig: Socialforvaltningen" in page


def test_home_explains_the_relay_and_gives_examples(pages_client: TestClient) -> None:
    page = pages_client.get("/").text
    assert "Stafetprincippet" in page and "én myndighed" in page
    assert 'href="/henvisning?fra=borgerraadgiveren&amp;opgave=kle-32.03.16"' in page
    assert 'type="search"' in page and 'data-autocomplete="any"' in page


def test_task_page_answers_who_with_roles_steps_sources_and_kle(pages_client: TestClient) -> None:
    page = pages_client.get("/id/task/kle-32.03.16").text
    assert "Kort sagt:" in page and "Ansvarlig: Socialforvaltningen" in page
    steps = [page.index(s) for s in ("Udredning", "Indstilling", "Afgørelse", "Udbetaling")]
    assert steps == sorted(steps), "the process chain in order"
    assert '<a href="/id/task/kle-32">32 Kontante ydelser</a>' in page  # KLE breadcrumb
    assert 'href="/id/law/pensionsloven-14a"' in page
    assert "bekræftet" in page and "Kilde: Københavns Kommunes hjemmeside (kk.dk)" in page
    assert 'action="/henvisning"' in page and 'name="fra"' in page  # "Jeg sidder i …"


def test_age_filters_who_handles(pages_client: TestClient) -> None:
    young = pages_client.get("/id/task/kle-27.60", params={"alder": 30}).text
    old = pages_client.get("/id/task/kle-27.60", params={"alder": 70}).text
    assert "Borgercenter Handicap" in young.split("Hvem varetager")[1]
    assert "Hjælpemiddelcentret" in old.split("Hvem varetager")[1]
    assert "Borgercenter Handicap" not in old.split("Kort sagt:")[1].split("</p>")[0]


def test_contacts_are_tel_and_mailto_links(pages_client: TestClient) -> None:
    page = pages_client.get("/id/unit/borgerraadgiveren").text
    assert '<a href="tel:+4533661400">33 66 14 00</a>' in page
    assert '<a href="mailto:borgerraadgiveren@kk.dk">borgerraadgiveren@kk.dk</a>' in page


def test_referral_gives_steps_checklist_and_note(pages_client: TestClient) -> None:
    page = pages_client.get(
        "/henvisning", params={"fra": "borgerraadgiveren", "opgave": "fortidspension"}
    ).text
    assert "Fra Borgerrådgiveren til Jobcenter København".lower() in page.lower()
    assert "bed om kontaktpersonen" in page  # how to hand over, per hop (anonymous: no name)
    assert 'href="https://www.retsinformation.dk/eli/lta/2014/433"' in page  # forvaltningsloven
    assert "allerede modtaget af Københavns Kommune" in page
    for step in ("Lyt: hvad efterspørges?", "Hvad skal sendes med?", "Tilbyd at formidle"):
        assert step in page
    assert 'id="overdragelse"' in page and "Videresendt henvendelse om Førtidspension" in page
    data = graph_data(page)
    path = [e for e in data["edges"] if e.get("on_path")]  # type: ignore[union-attr]
    assert len(path) == 2 and [e["label"] for e in path] == ["1", "2"]


def test_referral_out_of_the_municipality_says_so(pages_client: TestClient) -> None:
    page = pages_client.get("/henvisning", params={"fra": "bif", "opgave": "boligstøtte"}).text
    assert "anden myndighed" in page and "forvaltningsloven § 7, stk. 2" in page


def test_referral_with_an_unknown_unit_suggests(pages_client: TestClient) -> None:
    response = pages_client.get("/henvisning", params={"fra": "bfi", "opgave": "førtidspension"})
    assert response.status_code == 404
    assert "Mente du" in response.text and "fra=bif&amp;opgave=" in response.text
    assert_problem(
        pages_client.get("/henvisning.json", params={"fra": "bfi", "opgave": "x"}),
        404,
        "no-confident-match",  # "bfi" is no id, and as text it fits no unit surely
    )


def test_unit_page_has_hierarchy_tasks_forums_and_graph(pages_client: TestClient) -> None:
    page = pages_client.get("/id/unit/bif-jobcenter").text
    assert (
        '<a href="/id/unit/bif">Beskæftigelses-, Integrations- og Erhvervsforvaltningen</a>' in page
    )
    assert "Opgaver efter rolle" in page and "Relationer" in page
    data = graph_data(page)
    ids = {node["id"] for node in data["nodes"]}  # type: ignore[union-attr]
    assert "unit/bif-jobcenter" in ids and "task/kle-32.03.16" in ids
    assert data["stafet"] == {"focusable": True, "focus": None}
    assert "Forvaltning:" in page and "farve-bif" in page  # the legend


def test_unit_graph_options_live_in_the_url(pages_client: TestClient) -> None:
    page = pages_client.get(
        "/id/unit/bif",
        params={"f": "1", "dybde": "1", "relation": "member_of", "fokus": "forum/bif-sof"},
    ).text
    data = graph_data(page)
    assert {e["relation"] for e in data["edges"]} == {"member_of"}  # type: ignore[union-attr]
    assert data["stafet"]["focus"] == "forum/bif-sof"  # type: ignore[index]
    assert 'value="member_of" checked' in page and 'value="participates_in">' in page
    assert '<option value="1" selected>' in page


#: Every relation but KLE's own hierarchy, three steps out.
LARGEST = [("f", "1"), ("dybde", "3")] + [
    ("relation", r) for r in RELATION_LABELS if r != "broader"
]


def test_a_large_neighbourhood_is_capped_and_says_so(pages_client: TestClient) -> None:
    # By default the municipality's neighbourhood is small (what repeats is one node);
    # TMF's with every relation at depth 3 runs past the cap.
    assert len(graph_data(pages_client.get("/id/unit/kk").text)["nodes"]) < 60  # type: ignore[arg-type]
    page = pages_client.get("/id/unit/tmf", params=LARGEST).text
    assert len(graph_data(page)["nodes"]) == 150  # type: ignore[arg-type]
    assert re.search(r"Grafen viser de 150 nærmeste af \d+ knuder", page)


def test_an_unknown_relation_is_a_problem(pages_client: TestClient) -> None:
    assert_problem(pages_client.get("/id/unit/bif", params={"relation": "x"}), 422, "invalid-value")


def test_collaboration_lists_what_two_administrations_share(pages_client: TestClient) -> None:
    page = pages_client.get("/samarbejde").text
    assert "Beskæftigelses- og Integrationsforvaltningen og Socialforvaltningen" in page
    for heading in ("Forløb på tværs", "Fælles opgaver", "Fælles fora", "Kontaktpersonordninger"):
        assert heading in page
    assert "Netværksgruppe om førtidspension (BIF–SOF)" in page
    assert len(graph_data(page)["nodes"]) > 5  # type: ignore[arg-type]


def test_collaboration_with_itself_says_why_not(pages_client: TestClient) -> None:
    response = pages_client.get("/samarbejde", params={"a": "bif", "b": "bif"})
    assert response.status_code == 422 and "mindst to forskellige" in response.text


def test_coordination_has_heatmaps_and_gap_counts(pages_client: TestClient) -> None:
    page = pages_client.get("/koordination").text
    assert page.count('<table class="heatmap"') == 2
    assert re.search(r'class="heat heat-[1-6]"[^>]*><a href="/samarbejde\?a=\w+&amp;b=\w+"', page)
    # 96 units since rel10 (issue 10: Region Hovedstaden and ARC added); ARC has no contact;
    # 68 since issue 12: SIRI (its five lines, nyidanmark.dk) and Den Sociale Døgnvagt (hours
    # and address, kk.dk, no phone) have their own
    assert "Enheder uden eget kontaktpunkt</strong> (68)" in page
    assert "… og " in page  # long lists are cut, the twin has them all


@pytest.mark.parametrize("clusters", ["ja", "nej"])
def test_whole_municipality_clusters_by_administration(
    pages_client: TestClient, clusters: str
) -> None:
    data = graph_data(pages_client.get("/kommunen", params={"klynger": clusters}).text)
    extra = data["stafet"]
    assert (extra.get("cluster") == "administration") is (clusters == "ja")  # type: ignore[union-attr]
    assert all(node["administration"] for node in data["nodes"])  # type: ignore[union-attr]
