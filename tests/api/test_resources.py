"""One resource: /api/v1/{kind}s/{id} and its linked-data twins under /id/."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pyld import jsonld
from rdflib import Graph
from rdflib.compare import isomorphic

from api.models.who import WhoAnswer as WhoAnswerModel
from api.pages import templates
from tests.api.helpers import assert_problem

EXAMPLES = [
    ("unit", "bif"),
    ("task", "kle-32.03.16"),
    ("law", "pensionsloven"),
    ("forum", "rehabiliteringsteam"),
]
TWINS = {
    "": "text/html",
    ".jsonld": "application/ld+json",
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
}


def links(response: Any) -> dict[str, str]:
    """``type -> URL`` of the ``rel="alternate"`` links of a response."""
    found = re.findall(r'<([^>]+)>; rel="alternate"; type="([^"]+)"', response.headers["link"])
    return {media_type: url for url, media_type in found}


@pytest.mark.parametrize(("kind", "ident"), EXAMPLES)
def test_api_resource_has_relations_both_ways(client: TestClient, kind: str, ident: str) -> None:
    response = client.get(f"/api/v1/{kind}s/{ident}")
    assert response.status_code == 200
    data = response.json()
    assert (data["id"], data["kind"]) == (ident, kind)
    assert data["uri"] == f"https://stafet.kk.dk/id/{kind}/{ident}"
    assert data["relations"]
    assert {r["direction"] for r in data["relations"]} <= {"in", "out"}
    assert links(response)["text/turtle"].endswith(f"/id/{kind}/{ident}.ttl")


def test_unit_resource_reads_the_hierarchy_both_ways(client: TestClient) -> None:
    data = client.get("/api/v1/units/bif").json()
    assert data["breadcrumb"][0]["id"] == "kk"
    assert "bif-jobcenter" in {child["id"] for child in data["children"]}


def test_unknown_id_is_404_with_the_nearest_ids(client: TestClient) -> None:
    body = assert_problem(client.get("/api/v1/units/bfi"), 404, "unknown-entity")
    assert body["suggestions"][0]["id"] == "bif"
    assert "bif" in body["detail"]


@pytest.mark.parametrize(("kind", "ident"), EXAMPLES)
@pytest.mark.parametrize("suffix", list(TWINS))
def test_every_twin_links_to_every_other(
    client: TestClient, kind: str, ident: str, suffix: str
) -> None:
    response = client.get(f"/id/{kind}/{ident}{suffix}")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == TWINS[suffix]
    found = links(response)
    for other_suffix, media_type in TWINS.items():
        assert found[media_type] == f"http://testserver/id/{kind}/{ident}{other_suffix}"
    assert found["application/json"] == f"http://testserver/api/v1/{kind}s/{ident}"
    for url in found.values():
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html"),
        ("application/ld+json", "application/ld+json"),
        ("text/turtle;q=1, application/ld+json;q=0.5", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("*/*", "text/html"),
    ],
)
def test_accept_chooses_the_representation(
    client: TestClient, accept: str, media_type: str
) -> None:
    response = client.get("/id/unit/bif", headers={"accept": accept})
    assert response.headers["content-type"].split(";")[0] == media_type
    # the representation depends on Accept; gzip (issue 12) on Accept-Encoding
    assert response.headers["vary"] == "Accept, Accept-Encoding"


def test_unacceptable_is_406(client: TestClient) -> None:
    assert_problem(
        client.get("/id/unit/bif", headers={"accept": "image/png"}), 406, "not-acceptable"
    )


def test_unknown_uri_is_404(client: TestClient) -> None:
    assert_problem(client.get("/id/unit/zzqqxx.ttl"), 404, "unknown-entity")
    assert_problem(client.get("/id/nothing/at-all"), 404, "unknown-entity")


def test_other_kinds_of_uri_dereference_too(client: TestClient) -> None:
    uri = "/id/participation/kle-32.03.16-sof-ansvarlig"
    assert "cv:Participation" in client.get(uri + ".ttl").text
    page = client.get(uri)
    assert page.status_code == 200 and "Tripler" in page.text


@pytest.mark.parametrize(("kind", "ident"), EXAMPLES)
def test_jsonld_reads_as_the_same_triples_as_turtle(
    client: TestClient, kind: str, ident: str
) -> None:
    turtle = Graph().parse(data=client.get(f"/id/{kind}/{ident}.ttl").text, format="turtle")
    document = client.get(f"/id/{kind}/{ident}.jsonld").json()
    context_url = document["@context"]
    assert context_url == "http://testserver/context.jsonld"
    served_context = client.get("/context.jsonld").json()

    def loader(url: str, options: Any = None) -> dict[str, Any]:
        if url != context_url:
            raise jsonld.JsonLdError(f"refusing to fetch {url}", "loading document failed")
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": served_context,
        }

    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    by_pyld = Graph().parse(data=nquads, format="nt")
    inline = {**document, "@context": served_context["@context"]}
    by_rdflib = Graph().parse(data=json.dumps(inline), format="json-ld")
    assert len(turtle) > 3
    assert isomorphic(turtle, by_pyld)
    assert isomorphic(turtle, by_rdflib)


def test_context_is_served_locally(client: TestClient) -> None:
    response = client.get("/context.jsonld")
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.json()["@context"]["stafet"] == "https://stafet.kk.dk/def#"


def test_html_page_is_danish_escaped_and_fetches_nothing(client: TestClient) -> None:
    page = client.get("/id/unit/bif").text
    assert '<html lang="da">' in page
    assert "Beskæftigelses- og Integrationsforvaltningen" in page
    assert "Relationer" in page
    assert not re.search(r'(src|href)="https?://', page)


def test_an_unknown_id_is_never_echoed_as_html(client: TestClient) -> None:
    response = client.get(
        "/id/unit/%3Cscript%3Ealert(1)%3C%2Fscript%3E", headers={"accept": "text/html"}
    )
    # A browser gets the Danish error page (issue 12): the id is shown only as escaped text.
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<script>alert(1)</script>" not in response.text and "alert(1)" not in response.text


def test_html_escapes_text_from_data() -> None:
    data = {
        "label": "<script>alert(1)</script>",
        "relations": [
            {"label": "hører under", "target": {"kind": "unit", "id": "x", "label": "<b>x</b>"}}
        ],
    }
    template = templates.get_template("resource.html")
    page = template.render(
        kind="unit", ident="x", data=data, triples=[], uri="u", twins=[], root=""
    )
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>x</b>" not in page


def test_health(client: TestClient) -> None:
    data = client.get("/health").json()
    assert data["status"] == "ok"
    assert len(data["fingerprint"]) == 64
    assert data["counts"]["tasks"] > 1000
    assert data["sparql"] == "klar" and data["triples"] > 100_000


# ------------------------- a main group's breakdown and the dated organisation (issue 10)


def test_who_json_carries_the_breakdown_in_the_contract_shape(client: TestClient) -> None:
    response = client.get("/api/v1/who", params={"task": "21"})
    assert response.status_code == 200
    data = response.json()
    WhoAnswerModel.model_validate(data)
    first = data["breakdown"]["owners"][0]
    assert first["unit"]["id"] == "kff" and first["forvaltning"] == "kff"
    assert first["topics"] == data["breakdown"]["total"] - 1 and 0.9 < first["share"] < 1
    assert data["breakdown"]["differing"][0]["task"]["notation"] == "21.06.00"
    assert any("ingen samlet ansvarlig" in note for note in data["notes"])
    assert "breakdown" not in client.get("/api/v1/who", params={"task": "32.03.16"}).json()


def test_the_task_page_lists_the_breakdown(client: TestClient) -> None:
    page = client.get("/id/task/kle-21", headers={"accept": "text/html"}).text
    assert "Hvem ejer emnerne under 21?" in page
    assert "Kultur- og Fritidsforvaltningen</a>: 32 af 33 emner" in page


def test_the_unit_page_shows_its_names_over_time(client: TestClient) -> None:
    page = client.get("/id/unit/bif", headers={"accept": "text/html"}).text
    assert "Navne over tid" in page
    assert "Beskæftigelses- og Integrationsforvaltningen (til og med 2025-12-31" in page


def test_the_unit_page_names_the_unit_as_of_the_date_asked(client: TestClient) -> None:
    html = {"accept": "text/html"}
    page = client.get("/id/unit/bif", params={"dato": "2025-06-01"}, headers=html).text
    assert "<h1>Beskæftigelses- og Integrationsforvaltningen</h1>" in page
    assert "i dag hedder den Beskæftigelses-, Integrations- og Erhvervsforvaltningen" in page
    today = client.get("/id/unit/bif", headers=html).text
    assert "<h1>Beskæftigelses-, Integrations- og Erhvervsforvaltningen</h1>" in today
    region = "/id/unit/region-oestdanmark"
    before = client.get(region, params={"dato": "2026-06-01"}, headers=html).text
    after = client.get(region, params={"dato": "2027-02-01"}, headers=html).text
    tasks = re.compile(r'<section aria-labelledby="opgaver">.*?</section>', re.S)
    assert "29.09.08" not in tasks.search(before)[0]  # its tasks as of the day too
    assert "29.09.08" in tasks.search(after)[0]
    assert "Siden viser enheden, som den stod den 2026-06-01" in before
    bad = client.get("/id/unit/bif", params={"dato": "1. juni"}, headers=html)
    assert bad.status_code == 422
