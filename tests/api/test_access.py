"""Access: bearer tokens on every route, scopes on writes, contact persons only with a token,
and the audit log, on the real Copenhagen data.

The app here has an in-memory store holding the tokens and the audit log (the data are
read from the shipped Turtle, as in the other API tests). Writes are exercised on a small
protected route of this test app only, which applies the library's scope rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.auth import PrincipalDep, require_principal
from api.deps import KnowledgeDep
from api.main import create_app
from api.problems import ApiProblem
from api.settings import Settings
from graph.edit.scope import may_edit_unit
from graph.store.audit import audit_entries, record_write
from graph.store.embedded import EmbeddedStore
from graph.store.tokens import create_token, revoke_token
from tests.api.helpers import assert_problem

REFERRAL = {"from": "borgerraadgiveren", "task": "førtidspension"}
POST_OF_BORGERRAADGIVEREN = "borgerraadgiveren-kontaktperson"


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return EmbeddedStore(None)


@pytest.fixture(scope="module")
def tokens(store: EmbeddedStore) -> dict[str, str]:
    return {
        "reader": create_token(store, role="reader", name="Læser").secret,
        "sof": create_token(store, role="editor", forvaltning="sof", name="Redaktør SOF").secret,
        "reviewer": create_token(store, role="reviewer", name="Koordinationsgruppen").secret,
        "admin": create_token(store, role="admin", name="Drift").secret,
    }


@pytest.fixture(scope="module")
def access_app(store: EmbeddedStore) -> Iterator[TestClient]:
    app: FastAPI = create_app(Settings(sparql_enabled=False, base_url="http://testserver"))

    @app.put("/test/units/{unit_id}")
    def change_unit(unit_id: str, kg: KnowledgeDep, principal: PrincipalDep) -> dict[str, str]:
        who = require_principal(principal)
        if not may_edit_unit(kg, who.role, who.forvaltning, unit_id):
            raise ApiProblem("forbidden", f"{who.name} må ikke ændre {unit_id}.")
        return {"changed": unit_id}

    with TestClient(app) as client:
        app.state.runtime.store = store
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("method", "url", "params"),
    [
        ("GET", "/api/v1/who", {"task": "førtidspension"}),
        ("GET", "/api/v1/referral", REFERRAL),
        ("GET", "/api/v1/units/bif", {}),
        ("GET", "/henvisning", {"fra": "borgerraadgiveren", "opgave": "førtidspension"}),
        ("PUT", "/test/units/sof", {}),
    ],
)
@pytest.mark.parametrize(
    "header",
    [
        "Bearer stafet_" + "A" * 43,  # well formed, unknown
        "Bearer nonsense",
        "Bearer ",
        "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
    ],
)
def test_a_bad_token_is_401_on_reads_and_writes(
    access_app: TestClient, method: str, url: str, params: dict[str, str], header: str
) -> None:
    response = access_app.request(method, url, params=params, headers={"authorization": header})
    body = assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert body["title"] == "Login kræves"


def test_a_revoked_token_is_401(access_app: TestClient, store: EmbeddedStore) -> None:
    issued = create_token(store, role="reader", name="Kortvarig")
    headers = bearer(issued.secret)
    assert access_app.get("/api/v1/units/bif", headers=headers).status_code == 200
    revoke_token(store, issued.record.id)
    access_app.app.state.token_cache.clear()  # type: ignore[attr-defined] # the TTL passing
    assert_problem(access_app.get("/api/v1/units/bif", headers=headers), 401, "unauthorized")


def test_writes_follow_the_scope(access_app: TestClient, tokens: dict[str, str]) -> None:
    assert_problem(access_app.put("/test/units/sof"), 401, "unauthorized")
    assert_problem(
        access_app.put("/test/units/sof", headers=bearer(tokens["reader"])), 403, "forbidden"
    )
    assert_problem(
        access_app.put("/test/units/sof", headers=bearer(tokens["reviewer"])), 403, "forbidden"
    )
    body = assert_problem(
        access_app.put("/test/units/bif", headers=bearer(tokens["sof"])), 403, "forbidden"
    )
    assert "Redaktør SOF" in body["detail"]
    for unit in ("sof", "sof-borgercenter-handicap"):
        ok = access_app.put(f"/test/units/{unit}", headers=bearer(tokens["sof"]))
        assert ok.status_code == 200, ok.text
    assert access_app.put("/test/units/bif", headers=bearer(tokens["admin"])).status_code == 200


def _posts_in(data: Any) -> set[str]:
    """The contact arrangements (ids) anywhere in an answer."""
    if isinstance(data, dict):
        found = {data["id"]} if "kontaktperson" in str(data.get("id", "")) else set()
        return found.union(*(_posts_in(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(_posts_in(v) for v in data))
    return set()


def test_contact_persons_only_for_the_authenticated(
    access_app: TestClient, tokens: dict[str, str]
) -> None:
    anonymous = access_app.get("/api/v1/referral", params=REFERRAL).json()
    known = access_app.get(
        "/api/v1/referral", params=REFERRAL, headers=bearer(tokens["reader"])
    ).json()
    first, named = anonymous["hops"][0], known["hops"][0]
    assert first["via"] == named["via"] == "contact_person"
    assert first["through"] is None and "bed om kontaktpersonen" in first["how"]
    assert named["through"]["label"] == "Kontaktperson for Borgerrådgiveren"
    assert "Kontakt kontaktpersonen (Kontaktperson for Borgerrådgiveren)" in named["how"]
    assert first["contacts"]  # the target's functional contact points instead
    assert not _posts_in(anonymous) and _posts_in(known)

    deps = {"units": "bif,sof"}
    public = access_app.get("/api/v1/dependencies", params=deps).json()
    full = access_app.get("/api/v1/dependencies", params=deps, headers=bearer(tokens["reader"]))
    assert public["contact_arrangements"] == []
    assert "bif-sof-kontaktperson-bif-jobcenter" in {
        p["id"] for p in full.json()["contact_arrangements"]
    }
    assert public["shared_tasks"] == full.json()["shared_tasks"]

    unit = "/api/v1/units/bif-jobcenter"
    assert access_app.get(unit).json()["contact_arrangements"] == []
    shown = access_app.get(unit, headers=bearer(tokens["reader"])).json()["contact_arrangements"]
    assert [p["id"] for p in shown] == ["bif-sof-kontaktperson-bif-jobcenter"]

    page, html = "/id/unit/bif-jobcenter", {"accept": "text/html"}
    assert "Kontaktpersonordninger" not in access_app.get(page, headers=html).text
    staff = access_app.get(page, headers={**html, **bearer(tokens["reader"])}).text
    assert "Kontaktperson for BIF–SOF-samarbejdet" in staff  # signed in: the page shows it
    assert "(for bif-sof)" not in staff  # the forum it serves by name, not by id


def test_reads_of_personal_data_and_writes_are_audited(
    access_app: TestClient, store: EmbeddedStore, tokens: dict[str, str]
) -> None:
    before = len(audit_entries(store))
    access_app.get("/api/v1/units/bif-jobcenter")  # anonymous: nothing personal, no entry
    access_app.get("/api/v1/tasks/kle-32.03.16", headers=bearer(tokens["reader"]))  # no person
    assert len(audit_entries(store)) == before
    access_app.get("/api/v1/units/bif-jobcenter", headers=bearer(tokens["reader"]))
    record_write(store, change_id="c0ffee", principal="Redaktør SOF")
    entries = audit_entries(store)[before:]
    assert [(e.kind, e.principal, e.route, e.resource, e.change) for e in entries] == [
        (
            "read",
            "Læser",
            "/api/v1/units/bif-jobcenter",
            "bif-sof-kontaktperson-bif-jobcenter",
            None,
        ),
        ("write", "Redaktør SOF", None, None, "c0ffee"),
    ]

    assert_problem(access_app.get("/api/v1/audit"), 401, "unauthorized")
    body = assert_problem(
        access_app.get("/api/v1/audit", headers=bearer(tokens["reviewer"])), 403, "forbidden"
    )
    assert "administrator" in body["detail"]
    logged = access_app.get("/api/v1/audit", headers=bearer(tokens["admin"])).json()["entries"]
    assert [(e["kind"], e["principal"]) for e in logged[-2:]] == [
        ("read", "Læser"),
        ("write", "Redaktør SOF"),
    ]


def test_the_openapi_document_declares_the_bearer_scheme(access_app: TestClient) -> None:
    document = access_app.get("/openapi.json").json()
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["bearer"]["description"],
    }
    who = document["paths"]["/api/v1/who"]["get"]
    assert who["security"] == [{}, {"bearer": []}]
    assert "401" in who["responses"]
    assert "403" in document["paths"]["/api/v1/audit"]["get"]["responses"]
