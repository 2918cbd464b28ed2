"""The write routes on the real data over a store of record in a temporary directory.

One app for the module (the session app of tests/api reads Turtle only). Who is asking is
set per request with the ``X-Test-As`` header, read by an override of ``current_principal``
(``admin``, ``reviewer``, ``editor:sof``; absent: anonymous). Following the store after a
write recompiles the whole graph today (the FOLLOW work makes it incremental), so the
module follows for real only in the read-your-writes test.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.auth import Principal, current_principal
from api.main import create_app
from api.problems import PROBLEM_BASE, PROBLEM_TYPES
from api.settings import Settings
from graph.store.backend import StaleHeadError
from tests.edit.seeded import seeded_copy

#: The write problem types; tests/api/test_errors.py counts them as tested here.
WRITE_PROBLEMS = {
    "unauthorized",
    "forbidden",
    "edit-conflict",
    "precondition-failed",
    "validation-failed",
    "precondition-required",
}
SEEN: set[str] = set()

RESPONSIBILITY = {
    "task": "kle-32.03.16",
    "unit": "sof",
    "role": "indsigt",
    "description": "Socialforvaltningen får indsigt i sagen om førtidspension.",
    "status": "antaget",
    "source": "kk-dk",
    "note": "Antaget, til SOF bekræfter det.",
}


async def principal_from_header(request: Request) -> Principal | None:
    who = request.headers.get("x-test-as")
    if who is None:
        return None
    role, _, forvaltning = who.partition(":")
    return Principal(f"{role}@test", role, forvaltning or None)  # type: ignore[arg-type]


def build_app(path: Path) -> FastAPI:
    app = create_app(
        Settings(
            store_path=path,
            sparql_enabled=False,
            max_body_bytes=50_000,
            base_url="http://testserver",
        )
    )
    app.dependency_overrides[current_principal] = principal_from_header
    return app


@pytest.fixture(scope="module")
def writer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = build_app(seeded_copy(tmp_path_factory.mktemp("edits") / "store"))
    with TestClient(app) as client:
        runtime = app.state.runtime
        runtime.real_follow = runtime.follow
        runtime.follow = lambda: runtime.sequence  # see the module docstring
        yield client


def problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == PROBLEM_BASE + slug and body["title"] == PROBLEM_TYPES[slug][1]
    SEEN.add(slug)
    return body


def create(client: TestClient, path: str, body: dict[str, Any], who: str = "admin") -> Any:
    response = client.post(f"/api/v1/{path}", json=body, headers={"X-Test-As": who})
    assert response.status_code == 201, response.text
    return response


def head(client: TestClient) -> int:
    return int(client.app.state.runtime.store.head().sequence)  # type: ignore[attr-defined]


def test_anonymous_write_is_401_and_nothing_changes(writer: TestClient) -> None:
    before = head(writer)
    body = problem(
        writer.post("/api/v1/responsibilities", json=RESPONSIBILITY), 401, "unauthorized"
    )
    assert "token" in body["detail"]
    assert head(writer) == before


def test_create_answers_201_with_location_etag_and_the_resource(writer: TestClient) -> None:
    response = create(writer, "responsibilities", RESPONSIBILITY)
    body = response.json()
    assert response.headers["location"] == f"/api/v1/responsibilities/{body['id']}"
    assert response.headers["etag"] == body["etag"]
    assert body["fields"]["unit"] == "sof" and body["change"] == head(writer)
    again = writer.get(response.headers["location"])
    assert again.status_code == 200 and again.headers["etag"] == body["etag"]


def test_patch_needs_a_fresh_if_match(writer: TestClient) -> None:
    body = create(writer, "responsibilities", {**RESPONSIBILITY, "unit": "kff"}).json()
    url, admin = f"/api/v1/responsibilities/{body['id']}", {"X-Test-As": "admin"}
    problem(writer.patch(url, json={"step": 2}, headers=admin), 428, "precondition-required")
    changed = writer.patch(url, json={"step": 2}, headers={**admin, "If-Match": body["etag"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["fields"]["step"] == 2
    assert changed.json()["fields"]["description"] == RESPONSIBILITY["description"]  # kept
    assert changed.headers["etag"] != body["etag"]
    stale = writer.patch(url, json={"step": 3}, headers={**admin, "If-Match": body["etag"]})
    problem(stale, 412, "precondition-failed")
    assert stale.headers["etag"] == changed.headers["etag"]


def test_invalid_edit_is_422_with_danish_messages_per_field(writer: TestClient) -> None:
    before = head(writer)
    bad = {
        **RESPONSIBILITY,
        "task": "kle-99.99.99",
        "role": "chef",
        "valid_from": "2027-01-01",
        "valid_until": "2026-01-01",
    }
    body = problem(
        writer.post("/api/v1/responsibilities", json=bad, headers={"X-Test-As": "admin"}),
        422,
        "validation-failed",
    )
    messages = {e["field"]: e["message"] for e in body["errors"]}
    assert messages["task"] == "Ukendt opgave: 'kle-99.99.99'."
    assert messages["role"] == "Ukendt rolle: 'chef'."
    assert messages["valid_until"] == "'Gyldig til' må ikke ligge før 'gyldig fra'."
    assert head(writer) == before


def test_a_second_ansvarlig_is_422(writer: TestClient) -> None:
    second = {**RESPONSIBILITY, "unit": "bif", "role": "ansvarlig"}
    body = problem(
        writer.post("/api/v1/responsibilities", json=second, headers={"X-Test-As": "admin"}),
        422,
        "validation-failed",
    )
    assert "allerede en ansvarlig enhed (sof" in body["errors"][0]["message"]


def test_out_of_scope_is_403_and_reviewers_review_but_do_not_edit(writer: TestClient) -> None:
    bif = {**RESPONSIBILITY, "unit": "bif-jobcenter"}
    sof_editor = {"X-Test-As": "editor:sof"}
    problem(writer.post("/api/v1/responsibilities", json=bif, headers=sof_editor), 403, "forbidden")
    own = create(
        writer,
        "responsibilities",
        {**RESPONSIBILITY, "unit": "sof-borgercenter-handicap"},
        who="editor:sof",
    ).json()
    url = f"/api/v1/responsibilities/{own['id']}"
    reviewer = {"X-Test-As": "reviewer", "If-Match": own["etag"]}
    problem(writer.patch(url, json={"step": 1}, headers=reviewer), 403, "forbidden")
    confirmed = writer.post(f"{url}/confirm", json={"source": "kk-dk"}, headers=reviewer)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["fields"]["status"] == "bekraeftet"
    assert confirmed.json()["assured_by"] == "reviewer@test"


def test_an_editor_cannot_correct_their_unit_into_another_administration(
    writer: TestClient,
) -> None:
    url = "/api/v1/units/sof-borgercenter-handicap"
    tag = writer.get(url).headers["etag"]
    before = head(writer)
    moved = writer.patch(
        url, json={"parent": "bif-jobcenter"}, headers={"X-Test-As": "editor:sof", "If-Match": tag}
    )
    assert "bif-jobcenter" in problem(moved, 403, "forbidden")["detail"]
    assert head(writer) == before


def test_unknown_ids_are_404(writer: TestClient) -> None:
    admin = {"X-Test-As": "admin", "If-Match": '"0"'}
    problem(writer.get("/api/v1/responsibilities/findes-ikke"), 404, "unknown-entity")
    problem(
        writer.patch("/api/v1/units/findes-ikke", json={"note": "x"}, headers=admin),
        404,
        "unknown-entity",
    )
    problem(
        writer.post(
            "/api/v1/memberships/findes-ikke/end", json={"until": "2026-12-31"}, headers=admin
        ),
        404,
        "unknown-entity",
    )


def test_huge_bodies_and_wrong_types_are_refused(writer: TestClient) -> None:
    before = head(writer)
    huge = {**RESPONSIBILITY, "description": "x" * 60_000}
    problem(
        writer.post("/api/v1/responsibilities", json=huge, headers={"X-Test-As": "admin"}),
        413,
        "payload-too-large",
    )
    for wrong in (
        {**RESPONSIBILITY, "step": "tre"},
        {**RESPONSIBILITY, "conditions": "børn"},
        {**RESPONSIBILITY, "owner": "sof"},
        [RESPONSIBILITY],
    ):
        response = writer.post(
            "/api/v1/responsibilities", json=wrong, headers={"X-Test-As": "admin"}
        )
        problem(response, 422, "invalid-parameter")
    assert head(writer) == before


def test_hostile_labels_are_stored_verbatim_and_harmless(writer: TestClient) -> None:
    hostile = '<script>alert(1)</script> " } ; INSERT DATA { <urn:x> <urn:y> <urn:z> } #'
    body = create(
        writer, "responsibilities", {**RESPONSIBILITY, "unit": "tmf", "description": hostile}
    ).json()
    assert body["fields"]["description"] == hostile
    store = writer.app.state.runtime.store  # type: ignore[attr-defined]
    assert not store.select("SELECT * WHERE { GRAPH ?g { <urn:x> ?p ?o } }")


def test_a_batch_is_all_or_nothing(writer: TestClient) -> None:
    before = head(writer)
    operations = [
        {"op": "create", "kind": "responsibility", "body": {**RESPONSIBILITY, "unit": "okf"}},
        {"op": "create", "kind": "responsibility", "body": {**RESPONSIBILITY, "unit": "ingen"}},
    ]
    body = problem(
        writer.post(
            "/api/v1/batch", json={"operations": operations}, headers={"X-Test-As": "admin"}
        ),
        422,
        "validation-failed",
    )
    assert [e["field"] for e in body["errors"]] == ["operations[1].unit"]
    assert head(writer) == before
    operations[1]["body"] = {**RESPONSIBILITY, "unit": "buf"}
    done = writer.post(
        "/api/v1/batch",
        json={"operations": operations, "reason": "To på én gang"},
        headers={"X-Test-As": "admin"},
    )
    assert done.status_code == 200, done.text
    assert [r["fields"]["unit"] for r in done.json()] == ["okf", "buf"]
    assert head(writer) == before + 1


def test_racing_editors_one_winner_per_etag_no_lost_update(writer: TestClient) -> None:
    body = create(writer, "responsibilities", {**RESPONSIBILITY, "unit": "suf"}).json()
    url, etag = f"/api/v1/responsibilities/{body['id']}", body["etag"]
    for round_ in range(3):
        results: dict[int, Any] = {}

        def edit(n: int, tag: str = etag, r: int = round_, out: dict[int, Any] = results) -> None:
            out[n] = writer.patch(
                url,
                json={"note": f"runde {r}, redaktør {n}"},
                headers={"X-Test-As": "admin", "If-Match": tag},
            )

        threads = [threading.Thread(target=edit, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        winners = [n for n, r in results.items() if r.status_code == 200]
        assert len(winners) == 1, {n: r.status_code for n, r in results.items()}
        assert {r.status_code for r in results.values()} == {200, 412}
        now = writer.get(url)
        assert now.json()["fields"]["note"] == f"runde {round_}, redaktør {winners[0]}"
        etag = now.headers["etag"]
        SEEN.add("precondition-failed")


def test_every_operation_kind(writer: TestClient) -> None:
    admin = {"X-Test-As": "admin"}
    unit = create(
        writer,
        "units",
        {"name": "Center for Prøver", "parent": "sof", "status": "antaget", "source": "kk-dk"},
    ).json()
    assert unit["id"] == "center-for-proever"
    etag = unit["etag"]
    sof = writer.get("/api/v1/units/sof")  # the resource view of an editable kind has one too
    assert sof.headers["etag"].startswith('"') and len(sof.headers["etag"]) == 18
    renamed = writer.post(
        "/api/v1/units/center-for-proever/rename",
        json={
            "name": "Center for Afprøvning",
            "on": "2026-06-01",
            "status": "antaget",
            "source": "kk-dk",
        },
        headers={**admin, "If-Match": etag},
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["fields"]["name"] == "Center for Afprøvning"
    moved = writer.post(
        "/api/v1/units/center-for-proever/move",
        json={
            "parent": "suf",
            "on": "2027-01-01",
            "status": "antaget",
            "source": "https://www.kk.dk/organisation",
            "source_title": "Organisationsdiagram",
        },
        headers={**admin, "If-Match": renamed.headers["etag"]},
    )
    assert moved.status_code == 200, moved.text
    contact = create(
        writer,
        "contact-points",
        {
            "holder": "center-for-proever",
            "label": "Hovednummer",
            "telephone": ["33 17 33 17"],
            "status": "antaget",
            "source": "kk-dk",
        },
    ).json()
    forum = create(
        writer,
        "forums",
        {
            "name": "Netværk om prøver",
            "status": "antaget",
            "source": "kk-dk",
            "frequency": "BIMONTHLY",
        },
    ).json()
    member = create(
        writer,
        "memberships",
        {
            "member": "center-for-proever",
            "organization": forum["id"],
            "status": "antaget",
            "source": "kk-dk",
        },
    ).json()
    authority = create(
        writer,
        "authorities",
        {
            "name": "Prøvestyrelsen",
            "status": "antaget",
            "source": "kk-dk",
            "competent_for": ["kle-32.03.16"],
        },
    ).json()
    assert authority["fields"]["competent_for"] == ["kle-32.03.16"]
    for path, resource, patch in (
        ("contact-points", contact, {"email": ["proever@kk.dk"]}),
        ("forums", forum, {"meetings_per_year": 4}),
        ("authorities", authority, {"alt_labels": ["PS"]}),
    ):
        patched = writer.patch(
            f"/api/v1/{path}/{resource['id']}",
            json=patch,
            headers={**admin, "If-Match": resource["etag"]},
        )
        assert patched.status_code == 200, patched.text
        assert patched.json()["fields"][next(iter(patch))] == next(iter(patch.values()))
        ended = writer.post(
            f"/api/v1/{path}/{resource['id']}/end",
            json={"until": "2026-12-31"},
            headers={**admin, "If-Match": patched.headers["etag"]},
        )
        assert ended.status_code == 200 and ended.json()["valid_until"] == "2026-12-31", ended.text
    ended = writer.post(
        f"/api/v1/memberships/{member['id']}/end",
        json={"until": "2026-12-31"},
        headers={**admin, "If-Match": member["etag"]},
    )
    assert ended.json()["fields"]["valid_until"] == "2026-12-31"
    disputed = writer.post(
        f"/api/v1/memberships/{member['id']}/dispute",
        json={"reason": "Centret er ikke med i netværket."},
        headers={"X-Test-As": "reviewer", "If-Match": ended.headers["etag"]},
    )
    assert disputed.status_code == 200, disputed.text
    listed = writer.get("/api/v1/disputes").json()["disputes"]
    assert {
        "kind": "membership",
        "id": member["id"],
        "reason": "Centret er ikke med i netværket.",
    }.items() <= next(d for d in listed if d["id"] == member["id"]).items()


def test_the_writing_instance_answers_who_with_its_write(writer: TestClient) -> None:
    runtime = writer.app.state.runtime  # type: ignore[attr-defined]
    create(
        writer,
        "responsibilities",
        {
            **RESPONSIBILITY,
            "unit": "kff-borgerservice",
            "role": "vejledende",
            "description": "Borgerservice vejleder om førtidspension.",
        },
    )
    runtime.follow = runtime.real_follow
    try:
        runtime.follow()
        handlers = writer.get("/api/v1/who", params={"task": "kle-32.03.16"}).json()["handlers"]
    finally:
        runtime.follow = lambda: runtime.sequence
    assert {"kff-borgerservice"} <= {h["unit"]["id"] for h in handlers if h["role"] == "vejledende"}


def test_a_store_busy_past_every_retry_is_409(
    writer: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = writer.app.state.runtime.store  # type: ignore[attr-defined]
    attempts: list[int] = []

    def always_beaten(change: Any, *, expected: int) -> Any:
        attempts.append(expected)
        raise StaleHeadError(expected, store.head())

    monkeypatch.setattr(store, "commit", always_beaten)
    response = writer.post(
        "/api/v1/responsibilities",
        json={**RESPONSIBILITY, "unit": "okf-juridisk-team"},
        headers={"X-Test-As": "admin"},
    )
    problem(response, 409, "edit-conflict")
    assert len(attempts) > 1  # it re-read and retried before giving up


def test_every_write_problem_type_is_exercised() -> None:
    assert WRITE_PROBLEMS <= SEEN


# -- schemathesis over the write routes, as an admin ---------------------------------------

STARTED: dict[str, FastAPI] = {}


async def started_app(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    headers = [(k, v) for k, v in scope["headers"] if k != b"x-test-as"] + [
        (b"x-test-as", b"admin")
    ]
    await STARTED["app"]({**scope, "headers": headers}, receive, send)


write_schema = schemathesis.openapi.from_dict(
    create_app(Settings(sparql_enabled=False)).openapi(),
    config=SchemathesisConfig.from_dict(
        {"generation": {"mode": "all", "max-examples": 8}, "seed": 20261201}
    ),
).include(tag="ændringer")
write_schema.app = started_app


@write_schema.parametrize()
@settings(deadline=None, max_examples=8, suppress_health_check=list(HealthCheck))
def test_write_routes_match_the_schema_with_a_token(case: Any, writer: TestClient) -> None:
    STARTED["app"] = writer.app  # type: ignore[assignment]
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )


def test_every_committed_write_is_in_the_audit_log(writer: TestClient) -> None:
    from graph.store.audit import audit_entries

    body = create(writer, "responsibilities", {**RESPONSIBILITY, "unit": "tmf"}).json()
    store = writer.app.state.runtime.store  # type: ignore[attr-defined]
    change = store.changes(since=body["change"] - 1, until=body["change"])[0]
    writes = [e for e in audit_entries(store) if e.kind == "write"]
    assert writes and writes[-1].principal == "admin@test"
    assert writes[-1].change is not None and writes[-1].change.endswith(change.id)
