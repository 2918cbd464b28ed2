"""Each resource carries the standard types, not only our subclasses (issue 10).

A consumer without our ontology reads ``unit:sof`` as an ``org:OrganizationalUnit``, the
municipality as a ``cv:PublicOrganisation``, a KLE task as a ``cpsv:PublicService``, a
provision as an ``eli:LegalResource``: in Turtle, in JSON-LD and in SPARQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pyld import jsonld
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import FOAF, ORG

from graph.data.knowledge import Knowledge
from ontology.namespaces import CPSV, CV, ELI, ID, STAFET

EXPECTED = [
    ("unit", "sof", {STAFET.Administration, ORG.OrganizationalUnit, ORG.Organization, FOAF.Agent}),
    ("unit", "kk", {STAFET.Municipality, CV.PublicOrganisation, ORG.Organization}),
    ("unit", "ankestyrelsen", {STAFET.ExternalAuthority, CV.PublicOrganisation, ORG.Organization}),
    ("unit", "sof-borgercenter-handicap", {ORG.OrganizationalUnit, ORG.Organization}),
    ("task", "kle-32.03.16", {CPSV.PublicService}),
    ("law", "forvaltningsloven", {ELI.LegalResource}),
    ("law", "forvaltningsloven-7-2", {ELI.LegalResourceSubdivision, ELI.LegalResource}),
    ("forum", "bif-sof", {STAFET.Forum, ORG.OrganizationalCollaboration, ORG.Organization}),
    ("contact", "borgerraadgiveren", {CV.ContactPoint}),
]


def _types(graph: Graph, kind: str, ident: str) -> set[URIRef]:
    return {o for o in graph.objects(ID[f"{kind}/{ident}"], RDF.type) if isinstance(o, URIRef)}


@pytest.mark.parametrize(("kind", "ident", "expected"), EXPECTED)
def test_turtle_carries_the_standard_types(
    client: TestClient, kind: str, ident: str, expected: set[URIRef]
) -> None:
    response = client.get(f"/id/{kind}/{ident}.ttl")
    assert response.status_code == 200
    types = _types(Graph().parse(data=response.text, format="turtle"), kind, ident)
    assert expected <= types, f"{kind}/{ident} lacks {expected - types}"


@pytest.mark.parametrize(("kind", "ident", "expected"), EXPECTED)
def test_jsonld_carries_the_standard_types(
    client: TestClient, kind: str, ident: str, expected: set[URIRef]
) -> None:
    document = client.get(f"/id/{kind}/{ident}.jsonld").json()
    served = client.get("/context.jsonld").json()

    def loader(url: str, options: Any = None) -> dict[str, Any]:
        if url != document["@context"]:
            raise jsonld.JsonLdError(f"refusing to fetch {url}", "loading document failed")
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": served,
        }

    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    types = _types(Graph().parse(data=nquads, format="nt"), kind, ident)
    assert expected <= types, f"{kind}/{ident} lacks {expected - types}"


def test_the_municipality_is_no_organisational_unit(client: TestClient) -> None:
    graph = Graph().parse(data=client.get("/id/unit/kk.ttl").text, format="turtle")
    assert ORG.OrganizationalUnit not in _types(graph, "unit", "kk")


def test_sparql_finds_the_administrations_as_organisational_units(client: TestClient) -> None:
    query = (
        "PREFIX org: <http://www.w3.org/ns/org#> SELECT ?u WHERE { ?u a org:OrganizationalUnit }"
    )
    response = client.get(
        "/sparql", params={"query": query}, headers={"accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200
    found = {row["u"]["value"] for row in response.json()["results"]["bindings"]}
    administrations = {"okf", "buf", "tmf", "kff", "bif", "sof", "suf"}
    assert {str(ID[f"unit/{a}"]) for a in administrations} <= found
    assert str(ID["unit/kk"]) not in found and str(ID["unit/udk"]) not in found


def test_the_rdflib_graph_of_every_export_sees_them_too(api_kg: Knowledge) -> None:
    units = set(api_kg.rdf.subjects(RDF.type, ORG.OrganizationalUnit))
    assert URIRef(ID["unit/sof"]) in units and URIRef(ID["unit/kk"]) not in units
