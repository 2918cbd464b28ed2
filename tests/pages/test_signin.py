"""Staff sign-in on the real data over a store of record in a temporary directory.

The accounts are made with the real CLI (``stafet user create``, the password on stdin)
before the app opens the store; each test signs in with its own client (its own cookies).
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.auth import SESSION_COOKIE
from api.main import create_app
from api.settings import Settings
from cli.main import main as stafet
from graph.store.embedded import EmbeddedStore
from graph.store.users import list_users
from tests.edit.seeded import seeded_copy

PASSWORD = "korrekt hest batteri"
_TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


def make_user(
    monkeypatch: pytest.MonkeyPatch, store: Path, *args: str, password: str = PASSWORD
) -> int:
    """Run ``stafet user create ARGS`` against ``store`` with ``password`` piped on stdin."""
    monkeypatch.setenv("STAFET_STORE_PATH", str(store))
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return stafet(["user", "create", *args])


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = seeded_copy(tmp_path_factory.mktemp("signin") / "store")
    with pytest.MonkeyPatch.context() as patch:
        assert make_user(patch, path, "anna.sof", "--role", "editor", "--forvaltning", "SOF") == 0
        assert make_user(patch, path, "rita", "--role", "reviewer") == 0
        assert make_user(patch, path, "bo.tmf", "--role", "editor", "--forvaltning", "tmf") == 0
    return path


@pytest.fixture(scope="module")
def app(store_path: Path) -> Iterator[FastAPI]:
    app = create_app(
        Settings(store_path=store_path, sparql_enabled=False, base_url="http://testserver")
    )
    with TestClient(app):
        yield app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    app.state.login_throttle.succeeded("anna.sof")
    yield TestClient(app)  # not entered: the module's client ran the lifespan (the store is open)


def token(page_html: str) -> str:
    found = _TOKEN.search(page_html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def sign_in(client: TestClient, name: str = "anna.sof", password: str = PASSWORD) -> object:
    form = client.get("/login")
    return client.post(
        "/login",
        data={"navn": name, "adgangskode": password, "csrf_token": token(form.text), "neste": "/"},
        follow_redirects=False,
    )


def test_the_cli_stores_hashes_never_passwords(store_path: Path, app: FastAPI) -> None:
    store = app.state.runtime.store
    users = {u.name: u for u in list_users(store)}
    assert (users["anna.sof"].role, users["anna.sof"].forvaltning) == ("editor", "sof")
    dump = "\n".join(str(q) for q in store.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }"))
    assert PASSWORD not in dump and "$argon2id$" in dump


def test_an_editor_needs_a_real_administration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "store"
    assert make_user(monkeypatch, path, "x.y", "--role", "editor") == 1
    assert "redaktør skal have en forvaltning" in capsys.readouterr().err
    assert make_user(monkeypatch, path, "x.y", "--role", "editor", "--forvaltning", "sofx") == 1
    err = capsys.readouterr().err
    assert "Ukendt forvaltning: 'sofx'" in err and "Mente du" in err and "sof" in err
    assert make_user(monkeypatch, path, "x.y", "--role", "admin", password="kort") == 1
    assert "mindst 12 tegn" in capsys.readouterr().err
    store = EmbeddedStore(path)
    try:
        assert list_users(store) == []
    finally:
        store.close()


def test_sign_in_sets_a_safe_cookie_and_the_header_names_the_user(client: TestClient) -> None:
    assert "Log ind</a>" in client.get("/").text
    response = sign_in(client)
    assert response.status_code == 303 and response.headers["location"] == "/"  # type: ignore[attr-defined]
    cookie = next(
        c
        for c in response.headers.get_list("set-cookie")  # type: ignore[attr-defined]
        if c.startswith(SESSION_COOKIE + "=")
    )
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "samesite=lax", "path=/"} <= flags and "secure" not in flags
    assert any(f.startswith("max-age=28800") for f in flags)
    value = cookie.split(";")[0].split("=", 1)[1]
    assert len(value) >= 43 and "anna" not in value  # opaque, not the name
    home = client.get("/").text
    assert "anna.sof</span> · " in home and "Log ud</button>" in home


def test_cookies_are_secure_over_https_or_when_the_setting_says_so(app: FastAPI) -> None:
    https = create_app(
        Settings(store_path=None, sparql_enabled=False, base_url="https://stafet.kk.dk")
    )
    with TestClient(https, base_url="https://stafet.kk.dk") as client:
        response = client.get("/login")
    assert "Denne server kører kun med læseadgang" in response.text
    assert "; secure" in response.headers["set-cookie"].lower()  # the pre-session cookie
    settings = app.state.settings
    app.state.settings = settings.model_copy(update={"session_cookie_secure": True})
    try:
        over_tls = TestClient(app, base_url="https://testserver")  # so it sends Secure cookies
        cookies = sign_in(over_tls).headers.get_list("set-cookie")  # type: ignore[attr-defined]
    finally:
        app.state.settings = settings
    assert any(c.startswith(SESSION_COOKIE) and "; secure" in c.lower() for c in cookies)


def test_a_wrong_password_is_one_danish_message_in_the_same_time(client: TestClient) -> None:
    timings = {}
    for name in ("anna.sof", "ingen.saadan"):
        start = time.perf_counter()
        response = sign_in(client, name, "forkert kodeord!!")
        timings[name] = time.perf_counter() - start
        assert response.status_code == 400  # type: ignore[attr-defined]
        assert "Forkert brugernavn eller adgangskode." in response.text  # type: ignore[attr-defined]
        assert SESSION_COOKIE not in response.headers.get("set-cookie", "")  # type: ignore[attr-defined]
    known, unknown = timings["anna.sof"], timings["ingen.saadan"]
    assert unknown > known / 3, timings  # the unknown name is checked against a dummy hash
    assert "Log ind</a>" in client.get("/").text


def test_repeated_failures_on_a_name_are_throttled(client: TestClient) -> None:
    for _ in range(5):
        assert sign_in(client, "anna.sof", "forkert kodeord!!").status_code == 400  # type: ignore[attr-defined]
    refused = sign_in(client, "anna.sof", PASSWORD)  # even the right password, for now
    assert refused.status_code == 429  # type: ignore[attr-defined]
    assert "For mange forkerte forsøg" in refused.text  # type: ignore[attr-defined]
    assert int(refused.headers["retry-after"]) > 0  # type: ignore[attr-defined]
    assert sign_in(client, "rita", PASSWORD).status_code == 303  # other names are not held up


def test_the_login_form_needs_its_csrf_token(client: TestClient) -> None:
    client.get("/login")
    data = {"navn": "anna.sof", "adgangskode": PASSWORD}
    missing = client.post("/login", data=data, follow_redirects=False)
    wrong = client.post("/login", data={**data, "csrf_token": "0" * 64}, follow_redirects=False)
    for response in (missing, wrong):
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("text/html")
        assert "Formularen er afvist" in response.text
        assert SESSION_COOKIE not in response.headers.get("set-cookie", "")


def test_a_form_from_another_site_is_refused(client: TestClient) -> None:
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"navn": "anna.sof", "adgangskode": PASSWORD, "csrf_token": token(form.text)},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert response.status_code == 403 and "andet websted" in response.text


def test_logout_needs_the_token_and_ends_the_session_everywhere(client: TestClient) -> None:
    sign_in(client)
    secret = client.cookies[SESSION_COOKIE]
    assert client.post("/logout", data={}, follow_redirects=False).status_code == 403
    response = client.post(
        "/logout", data={"csrf_token": token(client.get("/").text)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert "Log ind</a>" in client.get("/").text
    other = TestClient(client.app, cookies={SESSION_COOKIE: secret})
    assert "Log ind</a>" in other.get("/").text  # the old cookie opens nothing


def test_next_only_returns_to_this_site(client: TestClient) -> None:
    form = client.get("/login", params={"neste": "//evil.example/x"})
    assert 'name="neste" value="/"' in form.text
    form = client.get("/login", params={"neste": "/id/task/kle-32.03.16"})
    response = client.post(
        "/login",
        data={
            "navn": "anna.sof",
            "adgangskode": PASSWORD,
            "csrf_token": token(form.text),
            "neste": "/id/task/kle-32.03.16",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/id/task/kle-32.03.16"


def test_a_session_counts_for_reads_of_personal_data_but_not_for_api_writes(
    client: TestClient,
) -> None:
    anonymous = client.get("/api/v1/units/sof").json()
    sign_in(client)
    signed_in = client.get("/api/v1/units/sof").json()
    assert not anonymous.get("contact_arrangements")
    assert signed_in.get("contact_arrangements"), "a signed-in member of staff sees them"
    body = {
        "task": "kle-32.03.16",
        "unit": "sof",
        "role": "indsigt",
        "description": "Socialforvaltningen får indsigt i sagen om førtidspension.",
        "status": "antaget",
        "note": "Antaget i en test.",
    }
    write = client.post("/api/v1/responsibilities", json=body)
    assert write.status_code == 401  # the cookie never authorises a JSON write (no CSRF there)
