"""The per-snapshot response cache (issue 13): the same answers, never stale, never private.

On the real Copenhagen data: the session app (Turtle) for the cached-equals-uncached
checks, and one app over a store of record (an account, a write) for the edit and the
signed-in page. A request with a session cookie that names no session is answered by the
full stack for no one, so its body is the uncached answer to compare with.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.datastructures import State
from starlette.types import Receive, Scope, Send

from api.auth import SESSION_COOKIE, current_principal
from api.main import create_app
from api.response_cache import ResponseCache
from api.settings import Settings
from graph.data.knowledge import Knowledge
from tests.api.test_edits import RESPONSIBILITY, principal_from_header
from tests.edit.seeded import seeded_copy
from tests.pages.test_signin import make_user, sign_in

TASK = "kle-32.03.16"
#: A session cookie that names no session: the answer for no one, past the cache.
NO_ONE = {"Cookie": f"{SESSION_COOKIE}=ingen-session"}


def response_cache(app: FastAPI) -> ResponseCache:
    """The app's :class:`ResponseCache` in its built middleware stack."""
    layer: Any = app.middleware_stack
    while layer is not None and not isinstance(layer, ResponseCache):
        layer = getattr(layer, "app", None)
    assert isinstance(layer, ResponseCache), "no ResponseCache in the middleware stack"
    return layer


def sample_tasks(kg: Knowledge, every: int = 25) -> list[str]:
    tasks = sorted(str(t) for t in kg.participations_by_task)
    return [t.rsplit("/", 1)[-1] for t in tasks[::every]]


def test_cached_who_equals_the_uncached_answer_for_many_tasks(
    client: TestClient, api_kg: Knowledge
) -> None:
    tasks = sample_tasks(api_kg)
    assert len(tasks) >= 20, tasks
    cache = response_cache(client.app)  # type: ignore[arg-type]
    for task in tasks:
        first = client.get("/api/v1/who", params={"task": task})
        again = client.get("/api/v1/who", params={"task": task})
        uncached = client.get("/api/v1/who", params={"task": task}, headers=NO_ONE)
        assert first.status_code == again.status_code == uncached.status_code, task
        assert first.content == again.content == uncached.content, task
        if first.status_code == 200:
            assert again.headers["etag"] == first.headers["etag"]
            assert "etag" not in uncached.headers  # the full stack answered it
    kept = {key[1] for key in cache.entries if key[0] == "/api/v1/who"}
    assert {f"task={t}".encode() for t in tasks[-5:]} <= kept


def test_cached_task_pages_equal_the_uncached_pages(client: TestClient, api_kg: Knowledge) -> None:
    html = {"Accept": "text/html"}
    for task in sample_tasks(api_kg, every=60):
        first = client.get(f"/id/task/{task}", headers=html)
        again = client.get(f"/id/task/{task}", headers=html)
        uncached = client.get(f"/id/task/{task}", headers={**html, **NO_ONE})
        assert first.status_code == 200 and first.text == again.text == uncached.text, task
        assert again.headers["link"] == uncached.headers["link"]
        assert "Log ind" in again.text


def test_the_vary_header_and_each_representation(client: TestClient) -> None:
    page = f"/id/task/{TASK}"
    plain = {"Accept": "text/html", "Accept-Encoding": "identity"}
    zipped = {"Accept": "text/html", "Accept-Encoding": "gzip"}
    for _ in range(2):  # the second round comes from the cache
        as_html = client.get(page, headers=plain)
        as_gzip = client.get(page, headers=zipped)
        as_turtle = client.get(page, headers={"Accept": "text/turtle"})
        assert as_html.headers["content-type"].startswith("text/html")
        assert "content-encoding" not in as_html.headers
        assert as_gzip.headers["content-encoding"] == "gzip"
        assert as_gzip.text == as_html.text  # decoded by the client: the same page
        assert as_turtle.headers["content-type"].startswith("text/turtle")
        assert "etag" not in as_turtle.headers  # the RDF twins are not kept
        assert {"accept", "cookie"} <= _vary(as_html)
        assert {"accept", "accept-encoding", "cookie"} <= _vary(as_gzip)
    raw = client.get("/api/v1/who", params={"task": TASK}, headers={"Accept-Encoding": "gzip"})
    assert "accept-encoding" in _vary(raw)
    assert raw.json()["handlers"]


def _vary(response: Any) -> set[str]:
    return {part.strip().lower() for part in response.headers.get("vary", "").split(",")}


def test_if_none_match_gets_304_and_a_stale_tag_the_body(client: TestClient) -> None:
    first = client.get("/api/v1/who", params={"task": TASK})
    etag = first.headers["etag"]
    same = client.get("/api/v1/who", params={"task": TASK}, headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == etag
    other = client.get("/api/v1/who", params={"task": TASK}, headers={"If-None-Match": '"x"'})
    assert other.status_code == 200 and other.content == first.content


def test_errors_are_answered_but_not_kept(client: TestClient) -> None:
    cache = response_cache(client.app)  # type: ignore[arg-type]
    for _ in range(2):
        missing = client.get("/api/v1/who", params={"task": "kle-99.99.99"})
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
    assert not any(key[1] == b"task=kle-99.99.99" for key in cache.entries)


# -- over a store of record: an edit, a signed-in member of staff ---------------------------


@pytest.fixture(scope="module")
def store_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    path = seeded_copy(tmp_path_factory.mktemp("response-cache") / "store")
    with pytest.MonkeyPatch.context() as patch:
        assert make_user(patch, path, "anna.sof", "--role", "editor", "--forvaltning", "SOF") == 0
    app = create_app(Settings(store_path=path, sparql_enabled=False, base_url="http://testserver"))
    app.dependency_overrides[current_principal] = principal_from_header  # the write's author
    with TestClient(app):
        yield app


def test_an_edit_shows_on_the_next_read(store_app: FastAPI) -> None:
    client = TestClient(store_app)
    page = f"/id/task/{TASK}"
    before = client.get("/api/v1/who", params={"task": TASK})
    assert client.get("/api/v1/who", params={"task": TASK}).content == before.content
    page_before = client.get(page, headers={"Accept": "text/html"}).text
    assert "Borgerservice vejleder" not in page_before
    assert response_cache(store_app).entries
    written = client.post(
        "/api/v1/responsibilities",
        json={
            **RESPONSIBILITY,
            "unit": "kff-borgerservice",
            "role": "vejledende",
            "description": "Borgerservice vejleder om førtidspension.",
        },
        headers={"X-Test-As": "admin"},
    )
    assert written.status_code == 201, written.text
    store_app.state.runtime.follow()  # what the write route and the poller do
    after = client.get("/api/v1/who", params={"task": TASK})
    guides = {h["unit"]["id"] for h in after.json()["handlers"] if h["role"] == "vejledende"}
    assert "kff-borgerservice" in guides
    assert after.headers["etag"] != before.headers["etag"]
    assert "Borgerservice vejleder" in client.get(page, headers={"Accept": "text/html"}).text


def test_a_signed_in_page_is_never_kept_nor_served_from_the_cache(store_app: FastAPI) -> None:
    store_app.state.login_throttle.succeeded("anna.sof")
    anonymous = TestClient(store_app)
    page = f"/id/task/{TASK}"
    public = anonymous.get(page, headers={"Accept": "text/html"})
    assert public.status_code == 200 and "Log ind" in public.text
    staff = TestClient(store_app)
    assert sign_in(staff).status_code == 303  # type: ignore[attr-defined]
    cache = response_cache(store_app)
    kept = dict(cache.entries)
    signed_in = staff.get(page, headers={"Accept": "text/html"})
    assert signed_in.status_code == 200
    assert "anna.sof" in signed_in.text and "Log ud" in signed_in.text
    assert "etag" not in signed_in.headers
    assert dict(cache.entries) == kept  # nothing put in
    assert "anna.sof" not in anonymous.get(page, headers={"Accept": "text/html"}).text


# -- the cache alone, in front of a counting app -------------------------------------------


class Counting:
    """An ASGI app answering ``/api/v1/who`` with the query, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        body = b'{"q":"' + scope["query_string"] + b'"}'
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    state = State()
    state.runtime = State({"knowledge": object()})
    inner = Counting()
    cache = ResponseCache(inner, state, max_entries=3)
    client = TestClient(cache)
    for query in ("a", "b", "c", "a", "d"):  # d pushes out b, the least recently used
        assert client.get(f"/api/v1/who?task={query}").json() == {"q": f"task={query}"}
    assert inner.calls == 4
    assert [key[1] for key in cache.entries] == [b"task=c", b"task=a", b"task=d"]
    client.get("/api/v1/who?task=b")
    assert inner.calls == 5
    state.runtime.knowledge = object()  # another snapshot: nothing kept is reused
    client.get("/api/v1/who?task=b")
    assert inner.calls == 6 and len(cache.entries) == 1
    client.get("/api/v1/who?task=b", headers={"Authorization": "Bearer x"})  # never kept
    client.get("/api/v1/who?task=b&recorded_as_of=1")  # from the store's history
    client.get("/api/v1/who?task=b&recorded_as_of=1")
    assert inner.calls == 9 and len(cache.entries) == 1
