"""Every error is RFC 9457 problem+json of one fixed shape (as datasette fixes its error JSON)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.deps import get_knowledge
from api.errors import install_error_handlers
from api.main import create_app
from api.problems import PROBLEM_TYPES
from api.settings import Settings
from graph.errors import InvalidDataError, InvalidInputError
from tests.api.helpers import assert_problem


def _streamed_body() -> Iterator[bytes]:
    for _ in range(4):
        yield b"#" * 20_000


#: name -> (method, url, request arguments, status, problem type)
CASES: dict[str, tuple[str, str, dict[str, Any], int, str]] = {
    "unknown route": ("GET", "/nowhere", {}, 404, "not-found"),
    "unknown id": ("GET", "/api/v1/units/bfi", {}, 404, "unknown-entity"),
    "unknown number": (
        "GET",
        "/api/v1/who",
        {"params": {"task": "32.03.99"}},
        404,
        "unknown-entity",
    ),
    "unknown text": (
        "GET",
        "/api/v1/who",
        {"params": {"task": "zzqqxxyy"}},
        404,
        "no-confident-match",
    ),
    "unknown uri": ("GET", "/id/unit/zzqqxx", {}, 404, "unknown-entity"),
    "no referral path": (
        "GET",
        "/api/v1/referral",
        {"params": {"from": "udk", "task": "førtidspension"}},
        404,
        "no-referral-path",
    ),
    "wrong method": ("DELETE", "/api/v1/who", {}, 405, "method-not-allowed"),
    "unknown token": (
        "GET",
        "/api/v1/who",
        {"params": {"task": "førtidspension"}, "headers": {"authorization": "Bearer stafet_x"}},
        401,
        "unauthorized",
    ),
    "not acceptable": (
        "GET",
        "/id/unit/bif",
        {"headers": {"accept": "image/png"}},
        406,
        "not-acceptable",
    ),
    "declared body too large": (
        "POST",
        "/sparql",
        {"content": b"#" * 60_000, "headers": {"content-type": "application/sparql-query"}},
        413,
        "payload-too-large",
    ),
    "streamed body too large": (
        "POST",
        "/sparql",
        {"content": _streamed_body, "headers": {"content-type": "application/sparql-query"}},
        413,
        "payload-too-large",
    ),
    "unsupported body type": (
        "POST",
        "/sparql",
        {"content": b"x", "headers": {"content-type": "text/plain"}},
        415,
        "unsupported-media-type",
    ),
    "invalid parameter": (
        "GET",
        "/api/v1/search",
        {"params": {"q": "x", "limit": 0}},
        422,
        "invalid-parameter",
    ),
    "missing parameter": ("GET", "/api/v1/search", {}, 422, "invalid-parameter"),
    "invalid value": (
        "GET",
        "/api/v1/dependencies",
        {"params": {"units": "bif"}},
        422,
        "invalid-value",
    ),
    "sparql syntax": ("GET", "/sparql", {"params": {"query": "SELECT"}}, 400, "sparql-syntax"),
    "sparql forbidden": (
        "GET",
        "/sparql",
        {"params": {"query": "DROP ALL"}},
        403,
        "sparql-forbidden",
    ),
    "sparql too large": (
        "GET",
        "/sparql",
        {"params": {"query": "SELECT * WHERE { ?s ?p ?o }"}},
        422,
        "sparql-too-large",
    ),
    "sparql timeout": (
        "GET",
        "/sparql",
        {"params": {"query": "ASK { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(?a = ?i && ?c = ?g) }"}},
        422,
        "sparql-timeout",
    ),
    "no query": ("GET", "/sparql", {}, 400, "bad-request"),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_every_error_is_problem_json(client: TestClient, case: tuple[Any, ...]) -> None:
    method, url, kwargs, status, slug = case
    if callable(kwargs.get("content")):
        kwargs = {**kwargs, "content": kwargs["content"]()}
    response = client.request(method, url, **kwargs)
    body = assert_problem(response, status, slug)
    assert body["title"] == PROBLEM_TYPES[slug][1]
    assert body["instance"] == url
    assert set(body) <= {"type", "title", "status", "detail", "instance", "suggestions", "errors"}


def test_every_problem_type_is_exercised() -> None:
    tested = {case[4] for case in CASES.values()}
    # The write problems are asserted in tests/api/test_edits.py (test_every_write_problem_type_…).
    tested |= {
        "unauthorized",
        "forbidden",
        "edit-conflict",
        "precondition-failed",
        "validation-failed",
        "precondition-required",
    }
    untested = set(PROBLEM_TYPES) - tested
    # tested below; the write problems in tests/api/test_edits.py, test_access.py, test_import.py
    assert untested == {"too-many-requests", "unavailable", "server-error"}


def test_wrong_method_says_what_is_allowed(client: TestClient) -> None:
    response = client.delete("/api/v1/who")
    assert response.headers["allow"] == "GET"


def test_too_many_queries_is_429(client: TestClient) -> None:
    engine = client.app.state.runtime.sparql  # type: ignore[attr-defined]
    engine._active = engine.settings.sparql_max_concurrent
    try:
        response = client.get("/sparql", params={"query": "ASK {}"})
    finally:
        engine._active = 0
    assert_problem(response, 429, "too-many-requests")
    assert response.headers["retry-after"]


def test_an_unexpected_error_is_still_problem_json() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/bug")
    def bug() -> None:
        raise RuntimeError("a bug")

    @app.get("/broken-data")
    def broken() -> None:
        raise InvalidDataError("ugyldig Turtle", file="x.ttl", line=3)

    with TestClient(app, raise_server_exceptions=False) as test_client:
        body = assert_problem(test_client.get("/bug"), 500, "server-error")
        assert "a bug" not in body["detail"]  # internals stay in the log
        body = assert_problem(test_client.get("/broken-data"), 503, "unavailable")
        assert "x.ttl, linje 3" in body["detail"]


def _raises(error: Exception) -> Callable[[], Any]:
    def dependency() -> Any:
        raise error

    return dependency


@pytest.mark.parametrize(
    "error", [ValueError("a bug"), KeyError("a bug")], ids=["ValueError", "KeyError"]
)
def test_a_programming_error_is_a_logged_500(
    error: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    """A bare ValueError or KeyError is a bug, not bad input: 500, and a log line says so."""
    app = create_app(Settings(sparql_enabled=False, base_url="http://testserver"))
    app.dependency_overrides[get_knowledge] = _raises(error)
    with caplog.at_level(logging.ERROR, logger="stafet.api"):
        response = TestClient(app, raise_server_exceptions=False).get(
            "/api/v1/who", params={"task": "førtidspension"}
        )
    body = assert_problem(response, 500, "server-error")
    assert "a bug" not in body["detail"]
    assert any(
        record.levelno == logging.ERROR and "/api/v1/who" in record.getMessage()
        for record in caplog.records
    )


def test_invalid_input_is_422() -> None:
    app = create_app(Settings(sparql_enabled=False, base_url="http://testserver"))
    app.dependency_overrides[get_knowledge] = _raises(
        InvalidInputError("Alderen skal være mellem 0 og 130 år, ikke 200.")
    )
    response = TestClient(app).get("/api/v1/who", params={"task": "førtidspension"})
    body = assert_problem(response, 422, "invalid-value")
    assert body["detail"] == "Alderen skal være mellem 0 og 130 år, ikke 200."


def test_an_answer_that_breaks_its_model_is_not_sent(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Routes return the present layer's dict and FastAPI validates it against the model."""
    import api.routers.who as who_router

    monkeypatch.setattr(who_router, "who_json", lambda kg, answer: {"query": "førtidspension"})
    response = TestClient(client.app, raise_server_exceptions=False).get(
        "/api/v1/who", params={"task": "førtidspension"}
    )
    assert_problem(response, 500, "server-error")


def test_cors_is_off_by_default(client: TestClient) -> None:
    response = client.get("/health", headers={"origin": "https://example.org"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_can_be_switched_on() -> None:
    app = create_app(Settings(cors_origins="https://intra.kk.dk", sparql_enabled=False))
    preflight = {"origin": "https://intra.kk.dk", "access-control-request-method": "GET"}
    test_client = TestClient(app)  # no lifespan needed: the middleware answers preflights
    response = test_client.options("/api/v1/who", headers=preflight)
    assert response.headers["access-control-allow-origin"] == "https://intra.kk.dk"
    other = test_client.options(
        "/api/v1/who", headers={**preflight, "origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers


def test_an_unknown_from_unit_is_not_silently_another(client: TestClient) -> None:
    body = assert_problem(
        client.get("/api/v1/referral", params={"from": "ukendt-enhed", "task": "førtidspension"}),
        404,
        "no-confident-match",
    )
    assert body["detail"].startswith("Ukendt enhed: 'ukendt-enhed'. Vi fandt ingen enhed")
    assert all(s["kind"] == "unit" for s in body["suggestions"])
