"""/sparql: a real SPARQL client against a live server, the refusals, the deadline, the caps."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.compare import isomorphic
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    POST,
    POSTDIRECTLY,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

from api.sparql.guard import QueryRefused, QuerySyntaxError, inspect_query
from tests.api.helpers import TEST_TIMEOUT, assert_problem

WHO = """
PREFIX cv: <http://data.europa.eu/m8g/>
SELECT ?unit WHERE {
  <https://stafet.kk.dk/id/task/kle-32.03.16> cv:hasParticipation ?p .
  ?p cv:role <https://stafet.kk.dk/def/role/ansvarlig> ; cv:hasParticipant ?unit .
}"""
LABEL = """
SELECT ?label WHERE {
  <https://stafet.kk.dk/id/unit/bif> <http://www.w3.org/2004/02/skos/core#prefLabel> ?label
}"""
DESCRIBE = "DESCRIBE <https://stafet.kk.dk/id/unit/bif>"
#: Counts every combination of three triples: about 2.6e15 rows, so it never finishes.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def wrapper(base: str, fmt: str = JSON) -> SPARQLWrapper:
    client = SPARQLWrapper(base + "/sparql")
    client.setReturnFormat(fmt)
    client.setTimeout(int(TEST_TIMEOUT) + 10)
    return client


# -- a real SPARQL client over HTTP -------------------------------------------------


def test_sparqlwrapper_select_json(live_server: str) -> None:
    client = wrapper(live_server)
    client.setQuery(WHO)
    result: Any = client.queryAndConvert()
    units = {b["unit"]["value"] for b in result["results"]["bindings"]}
    assert units == {"https://stafet.kk.dk/id/unit/sof"}


def test_sparqlwrapper_post_forms_and_xml_and_csv(live_server: str) -> None:
    for method, fmt in ((URLENCODED, XML), (POSTDIRECTLY, CSV), (URLENCODED, JSON)):
        client = wrapper(live_server, fmt)
        client.setMethod(POST)
        client.setRequestMethod(method)
        client.setQuery(LABEL)
        result: Any = client.queryAndConvert()
        text = result.toxml() if fmt == XML else result
        if fmt == JSON:
            text = result["results"]["bindings"][0]["label"]["value"]
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        assert "Beskæftigelses-, Integrations- og Erhvervsforvaltningen" in text


def test_sparqlwrapper_ask(live_server: str) -> None:
    client = wrapper(live_server)
    client.setQuery("ASK { <https://stafet.kk.dk/id/unit/bif> ?p ?o }")
    assert client.queryAndConvert()["boolean"] is True  # type: ignore[index]


def test_sparqlwrapper_describe_as_turtle_and_jsonld(live_server: str) -> None:
    turtle_client = wrapper(live_server, TURTLE)
    turtle_client.setQuery(DESCRIBE)
    turtle = Graph().parse(data=turtle_client.queryAndConvert(), format="turtle")
    jsonld_client = wrapper(live_server, JSONLD)
    jsonld_client.setQuery(DESCRIBE)
    document = jsonld_client.query().response.read()
    assert b'"@context": "' + live_server.encode() + b'/context.jsonld"' in document
    # rdflib loads the @context from the live server (loopback), never from the web.
    from_jsonld = Graph().parse(data=document, format="json-ld")
    assert len(turtle) > 5
    assert isomorphic(turtle, from_jsonld)


def test_sparqlwrapper_update_is_refused(live_server: str) -> None:
    client = wrapper(live_server)
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(Exception, match="403"):
        client.query()


def test_runaway_query_is_stopped_while_others_are_answered(live_server: str) -> None:
    outcome: dict[str, Any] = {}

    def runaway() -> None:
        started = time.monotonic()
        response = httpx.get(live_server + "/sparql", params={"query": RUNAWAY}, timeout=30)
        outcome["response"], outcome["seconds"] = response, time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    slowest = 0.0
    while thread.is_alive():
        started = time.monotonic()
        assert httpx.get(live_server + "/health", timeout=5).status_code == 200
        slowest = max(slowest, time.monotonic() - started)
        time.sleep(0.2)
    thread.join(timeout=30)
    assert slowest < 0.5
    body = assert_problem(outcome["response"], 422, "sparql-timeout")
    assert f"{TEST_TIMEOUT:g} sekunder" in body["detail"]
    assert TEST_TIMEOUT <= outcome["seconds"] < TEST_TIMEOUT + 3
    # The worker lives on: the next query is answered.
    answer = httpx.get(live_server + "/sparql", params={"query": WHO}, timeout=10)
    assert answer.status_code == 200


# -- refusals, in process -----------------------------------------------------------

REFUSED = {
    "update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "load": "LOAD <file:///etc/passwd>",
    "drop": "DROP ALL",
    "service": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "nested-service": "SELECT * WHERE { ?s ?p ?o OPTIONAL { { SELECT * WHERE "
    "{ SERVICE SILENT <http://127.0.0.1:9/> { ?s ?q ?r } } } } }",
    "service-in-filter": "ASK { ?s ?p ?o FILTER EXISTS { SERVICE <http://127.0.0.1:9/> {} } }",
    "escaped-service": "SELECT * WHERE { SERV\\u0049CE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "from-file": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "from-named": "SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "construct-from": "CONSTRUCT { ?s ?p ?o } FROM <file:///etc/hosts> WHERE { ?s ?p ?o }",
}


@pytest.mark.parametrize("query", REFUSED.values(), ids=REFUSED.keys())
def test_refused_queries_are_403(client: TestClient, query: str) -> None:
    body = assert_problem(client.get("/sparql", params={"query": query}), 403, "sparql-forbidden")
    assert "ikke tilladt" in body["detail"]
    assert_problem(client.post("/sparql", data={"query": query}), 403, "sparql-forbidden")


@pytest.mark.parametrize(
    ("request_kwargs"),
    [
        {"data": {"update": "DROP ALL"}},
        {"content": "DROP ALL", "headers": {"content-type": "application/sparql-update"}},
        {"data": {"query": LABEL, "default-graph-uri": "file:///etc/passwd"}},
    ],
    ids=["update-form", "update-body", "default-graph-uri"],
)
def test_update_and_dataset_parameters_are_403(
    client: TestClient, request_kwargs: dict[str, Any]
) -> None:
    assert_problem(client.post("/sparql", **request_kwargs), 403, "sparql-forbidden")


def test_named_graph_parameter_is_403_on_get(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": LABEL, "named-graph-uri": "http://x/"})
    assert_problem(response, 403, "sparql-forbidden")


def test_syntax_error_is_400_with_position(client: TestClient) -> None:
    body = assert_problem(
        client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x"}), 400, "sparql-syntax"
    )
    assert "linje 1" in body["detail"]


def test_results_are_capped(client: TestClient) -> None:
    body = assert_problem(
        client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}),
        422,
        "sparql-too-large",
    )
    assert "LIMIT" in body["detail"]
    assert_problem(
        client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}),
        422,
        "sparql-too-large",
    )


@pytest.mark.parametrize(
    ("accept", "media_type", "marker"),
    [
        (None, "application/sparql-results+json", '"xml:lang": "da"'),
        ("application/sparql-results+xml", "application/sparql-results+xml", 'xml:lang="da"'),
        ("text/csv", "text/csv", "label\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values", '"@da'),
    ],
)
def test_select_formats(
    client: TestClient, accept: str | None, media_type: str, marker: str
) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": LABEL}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Beskæftigelses-, Integrations- og Erhvervsforvaltningen".encode() in response.content
    assert marker in response.text


def test_sparql_query_body_and_unknown_body_type(client: TestClient) -> None:
    response = client.post(
        "/sparql", content=LABEL.encode(), headers={"content-type": "application/sparql-query"}
    )
    assert response.status_code == 200
    assert_problem(
        client.post("/sparql", content=b"{}", headers={"content-type": "application/json"}),
        415,
        "unsupported-media-type",
    )


def test_ask_as_csv_is_406(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": "text/csv"})
    assert_problem(response, 406, "not-acceptable")


def test_no_query_gives_a_form_to_a_browser_and_400_to_a_program(client: TestClient) -> None:
    page = client.get("/sparql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "<textarea" in page.text
    assert_problem(client.get("/sparql", headers={"accept": "application/json"}), 400)


# -- the guard and the sandbox, directly --------------------------------------------


@pytest.mark.parametrize("query", REFUSED.values(), ids=REFUSED.keys())
def test_guard_refuses(query: str) -> None:
    with pytest.raises(QueryRefused):
        inspect_query(query)


@pytest.mark.parametrize("query", ["", "PREFIX a: <http://a/>", "SELEKT * WHERE {}"])
def test_guard_rejects_what_is_no_query(query: str) -> None:
    with pytest.raises(QuerySyntaxError):
        inspect_query(query)


def test_a_sealed_child_can_open_neither_file_nor_socket() -> None:
    code = textwrap.dedent(
        """
        import socket
        from api.sparql.sandbox import seal_descriptors
        a, b = socket.socketpair()  # a < b: sealing b keeps every lower descriptor
        seal_descriptors(b)
        for attempt in (lambda: open("/etc/hostname"), lambda: socket.socket()):
            try:
                attempt()
            except OSError:
                continue
            raise SystemExit("opened")
        b.sendall(b"ok")
        print(a.recv(2).decode())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_a_dead_worker_is_restarted(client: TestClient) -> None:
    engine = client.app.state.runtime.sparql  # type: ignore[attr-defined]
    engine._process.kill()
    engine._process.wait(timeout=10)
    assert_problem(client.get("/sparql", params={"query": "ASK {}"}), 503, "unavailable")
    response = client.get("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 200 and response.json()["boolean"] is True
