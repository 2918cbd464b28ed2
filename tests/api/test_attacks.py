"""The outside security review, replayed: each hostile request and the answer it must get.

The first table runs in-process (TestClient, real data and SPARQL worker); the second
against the server ``stafet serve`` starts, on loopback, for what only a real server sees:
header size and time, and the fair share of SPARQL between clients.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from api.middleware import SECURITY_HEADERS
from tests.api.conftest import LIVE_HEADER_TIMEOUT
from tests.api.helpers import TEST_TIMEOUT, assert_problem

SPARQL_QUERY = "application/sparql-query"
ILL_TYPED = (
    "CONSTRUCT { <https://stafet.kk.dk/id/unit/x> <https://stafet.kk.dk/def/n> ?o } "
    'WHERE { VALUES ?o { "abc"^^<http://www.w3.org/2001/XMLSchema#integer> } }'
)
#: Counts every combination of three triples: it never finishes before the deadline.
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIGHT = "ASK { <https://stafet.kk.dk/id/unit/bif> ?p ?o }"


@dataclass(frozen=True)
class Attack:
    """One hostile request, the status it must get and (optionally) more to check."""

    method: str
    url: str
    status: int
    slug: str | None = None
    params: dict[str, Any] | list[tuple[str, str]] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    check: Callable[[httpx.Response], None] | None = None


def _keeps_datatype(response: httpx.Response) -> None:
    assert '"@type": "xsd:integer"' in response.text, response.text


def _no_body(response: httpx.Response) -> None:
    assert response.content == b""


ATTACKS: dict[str, Attack] = {
    # 1. The read-only check and Oxigraph must read the same query.
    "cr-ends-comment-service": Attack(
        "GET",
        "/sparql",
        403,
        "sparql-forbidden",
        params={"query": "SELECT * WHERE { # x\rSERVICE <http://127.0.0.1:9/x> { ?s ?p ?o }\n}"},
    ),
    "cr-ends-comment-from": Attack(
        "GET",
        "/sparql",
        403,
        "sparql-forbidden",
        params={"query": "SELECT * # x\rFROM <file:///etc/passwd>\nWHERE { ?s ?p ?o }"},
    ),
    "cr-in-posted-query": Attack(
        "POST",
        "/sparql",
        403,
        "sparql-forbidden",
        headers={"content-type": SPARQL_QUERY},
        body="SELECT * WHERE { # x\rSERVICE <http://127.0.0.1:9/x> { ?s ?p ?o }\n}",
    ),
    "crlf-comment-service": Attack(
        "GET",
        "/sparql",
        403,
        "sparql-forbidden",
        params={"query": "SELECT * WHERE { # x\r\nSERVICE <http://127.0.0.1:9/x> { ?s ?p ?o }\n}"},
    ),
    "unicode-line-separator": Attack(
        "GET", "/sparql", 403, "sparql-forbidden", params={"query": "ASK { # x\u2028?s ?p ?o }"}
    ),
    "escaped-carriage-return": Attack(
        "GET", "/sparql", 403, "sparql-forbidden", params={"query": "ASK { # x\\u000D }"}
    ),
    "windows-line-ends-still-work": Attack(
        "GET", "/sparql", 200, params={"query": "ASK {\r\n  # a comment\r\n  ?s ?p ?o\r\n}"}
    ),
    "graph-uri-in-url-of-posted-query": Attack(
        "POST",
        "/sparql?default-graph-uri=file:///etc/passwd",
        403,
        "sparql-forbidden",
        headers={"content-type": SPARQL_QUERY},
        body=LIGHT,
    ),
    "named-graph-in-url-of-posted-form": Attack(
        "POST",
        "/sparql?named-graph-uri=http://evil.example/g",
        403,
        "sparql-forbidden",
        headers={"content-type": "application/x-www-form-urlencoded"},
        body="query=ASK%20%7B%7D",
    ),
    "query-in-url-and-body": Attack(
        "POST",
        "/sparql?query=ASK%20%7B%7D",
        400,
        "bad-request",
        headers={"content-type": SPARQL_QUERY},
        body=LIGHT,
    ),
    "repeated-query-parameter": Attack(
        "GET", "/sparql", 400, "bad-request", params=[("query", "ASK {}"), ("query", LIGHT)]
    ),
    # 4. Ill-typed literals as JSON-LD keep their datatype (and log one line: test_security).
    "ill-typed-literal-as-jsonld": Attack(
        "GET",
        "/sparql",
        200,
        params={"query": ILL_TYPED},
        headers={"accept": "application/ld+json"},
        check=_keeps_datatype,
    ),
    # 7. The Host header is not trusted.
    "foreign-host-jsonld": Attack(
        "GET", "/id/unit/bif.jsonld", 400, headers={"host": "evil.example"}
    ),
    "foreign-host-page": Attack("GET", "/", 400, headers={"host": "evil.example"}),
    "foreign-host-static-redirect": Attack("GET", "/static", 400, headers={"host": "evil.example"}),
    # 9. HEAD answers wherever GET does, without a body.
    "head-health": Attack("HEAD", "/health", 200, check=_no_body),
    "head-who": Attack("HEAD", "/api/v1/who", 200, params={"task": "kle-32.03.16"}, check=_no_body),
    "head-page": Attack("HEAD", "/id/unit/bif", 200, check=_no_body),
}
#: 6. Every kind of response carries the security headers.
HEADER_PROBES = {
    "law-page": ("/id/law/forvaltningsloven", {"accept": "text/html"}),
    "forum-page": ("/id/forum/koordinationsgruppen", {"accept": "text/html"}),
    "law-jsonld": ("/id/law/forvaltningsloven.jsonld", {}),
    "forum-turtle": ("/id/forum/koordinationsgruppen.ttl", {}),
    "sparql-form": ("/sparql", {"accept": "text/html"}),
    "sparql-json": ("/sparql?query=ASK%20%7B%7D", {}),
    "docs": ("/docs", {}),
    "openapi": ("/openapi.json", {}),
    "json": ("/api/v1/who?task=kle-32.03.16", {}),
    "problem": ("/api/v1/units/findes-ikke", {}),
    "static": ("/static/stafet.css", {}),
    "refused-host": ("/health", {"host": "evil.example"}),
    "home": ("/", {}),
}


@pytest.mark.parametrize("name", ATTACKS)
def test_each_attack_gets_its_answer(client: TestClient, name: str) -> None:
    attack = ATTACKS[name]
    response = client.request(
        attack.method,
        attack.url,
        params=attack.params,
        headers=attack.headers,
        content=attack.body,
        follow_redirects=False,
    )
    if attack.slug is not None:
        assert_problem(response, attack.status, attack.slug)
    else:
        assert response.status_code == attack.status, response.text
    if attack.check is not None:
        attack.check(response)


@pytest.mark.parametrize("name", HEADER_PROBES)
def test_every_response_carries_the_security_headers(client: TestClient, name: str) -> None:
    url, headers = HEADER_PROBES[name]
    response = client.get(url, headers=headers, follow_redirects=False)
    for header, value in SECURITY_HEADERS.items():
        assert response.headers.get(header) == value, (name, header, response.status_code)


def test_head_does_not_add_operations_to_openapi(client: TestClient) -> None:
    api = client.get("/openapi.json").json()
    methods = {method for item in api["paths"].values() for method in item}
    assert "head" not in methods


# -- against the real server on loopback ----------------------------------------------


def _raw(base: str) -> socket.socket:
    parts = urlsplit(base)
    conn = socket.create_connection((parts.hostname, parts.port), timeout=10)
    return conn


def _read_all(conn: socket.socket, limit: float) -> bytes:
    """What the server sends until it closes the connection (or ``limit`` seconds pass)."""
    conn.settimeout(limit)
    chunks = []
    try:
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    except TimeoutError:
        chunks.append(b"<still open>")
    except ConnectionResetError:
        pass
    return b"".join(chunks)


def _health_seconds(base: str) -> float:
    started = time.perf_counter()
    assert httpx.get(base + "/health", timeout=5).status_code == 200
    return time.perf_counter() - started


def test_huge_header_is_refused_and_health_keeps_answering(live_server: str) -> None:
    conn = _raw(live_server)
    head = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
    try:
        conn.sendall(head)
        sent = len(head)
        with pytest.raises(OSError):  # refused (reset or closed) long before 48 MiB
            while sent < 48 * 2**20:
                conn.sendall(b"a" * 65536)
                sent += 65536
                if sent % (1024 * 1024) == 0:
                    assert _health_seconds(live_server) < 2.5
        # The limit is 32 KiB; what else got through sat in the kernel's socket buffers
        # (auto-tuned on loopback, a few MiB) before the reset reached the client.
        assert sent < 16 * 2**20
    finally:
        conn.close()
    assert _health_seconds(live_server) < 2.5


def test_header_over_the_limit_gets_400(live_server: str) -> None:
    conn = _raw(live_server)
    try:
        conn.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 40_000)
        answer = _read_all(conn, 5)
    finally:
        conn.close()
    assert answer.startswith(b"HTTP/1.1 400") or answer == b"", answer[:200]


@pytest.mark.parametrize(
    "sent",
    [b"", b"GET /health HTTP/1.1\r\n", b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: 1"],
    ids=["nothing", "request-line", "half-the-headers"],
)
def test_a_slow_client_is_closed_after_the_header_timeout(live_server: str, sent: bytes) -> None:
    conn = _raw(live_server)
    started = time.monotonic()
    try:
        conn.sendall(sent)
        answer = _read_all(conn, LIVE_HEADER_TIMEOUT + 5)
    finally:
        conn.close()
    assert b"<still open>" not in answer
    assert time.monotonic() - started < LIVE_HEADER_TIMEOUT + 3
    assert _health_seconds(live_server) < 2.5


def test_slow_headers_on_a_kept_alive_connection_are_closed_too(live_server: str) -> None:
    conn = _raw(live_server)
    try:
        conn.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        conn.settimeout(5)
        assert conn.recv(65536).startswith(b"HTTP/1.1 200")
        conn.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and then nothing
        answer = _read_all(conn, LIVE_HEADER_TIMEOUT + 8)
    finally:
        conn.close()
    assert b"<still open>" not in answer


#: 8. Raw request targets (an HTTP client would escape them): nothing may end a Link URL.
INJECTIONS = {
    "home": "/?q=x>;rel=stylesheet,<https://evil.example/x.css",
    "referral": '/henvisning?fra=bif&til=x">;rel=preload,<https://evil.example/',
    "collaboration": "/samarbejde?a=bif&b=x>,<https://evil.example/>;rel=prefetch",
}


@pytest.mark.parametrize("name", INJECTIONS)
def test_a_raw_query_string_cannot_inject_a_link(live_server: str, name: str) -> None:
    conn = _raw(live_server)
    try:
        target = INJECTIONS[name].encode("ascii")
        conn.sendall(
            b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        answer = _read_all(conn, 10)
    finally:
        conn.close()
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    links = [line for line in head.split("\r\n") if line.lower().startswith("link:")]
    assert links, head
    for value in links[0].split(":", 1)[1].strip().split(", "):
        target_url, _, params = value.partition(">")
        assert target_url.startswith(f"<{live_server}/") and "<" not in target_url[1:], value
        assert params.startswith('; rel="alternate"'), value
    assert "evil.example>" not in links[0] and "<https://evil" not in links[0]


def test_one_client_hammering_sparql_does_not_lock_out_another(live_server: str) -> None:
    """Client A (127.0.0.2) loops heavy queries on four connections; B (127.0.0.3) still runs.

    A's X-Forwarded-For changes with every request: it is not believed, so A cannot pass
    for many clients.
    """
    stop = threading.Event()
    statuses: list[int] = []

    def hammer(number: int) -> None:
        transport = httpx.HTTPTransport(local_address="127.0.0.2")
        with httpx.Client(transport=transport, timeout=TEST_TIMEOUT + 10) as a:
            count = 0
            while not stop.is_set():
                count += 1
                forwarded = {"x-forwarded-for": f"10.0.{number}.{count % 250}"}
                response = a.get(
                    live_server + "/sparql", params={"query": HEAVY}, headers=forwarded
                )
                statuses.append(response.status_code)

    threads = [threading.Thread(target=hammer, args=(n,), daemon=True) for n in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.5)  # A holds its share
        transport = httpx.HTTPTransport(local_address="127.0.0.3")
        with httpx.Client(transport=transport, timeout=TEST_TIMEOUT + 10) as b:
            for _ in range(5):
                response = b.get(live_server + "/sparql", params={"query": LIGHT})
                assert response.status_code == 200, response.text
                time.sleep(0.2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=TEST_TIMEOUT + 15)
    assert 429 in statuses  # A is held to its share: the rest of its queries are refused
