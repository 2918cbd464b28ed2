"""The review queue, "Meld en fejl", the change log and the import page, over a tmp store.

Accounts are made with the real CLI (``stafet user create``) before the app opens the
store; each test signs in with its own client. The facts are the real data: SOF's assumed
responsibilities, KLE 32.03.16 (førtidspension) and its units.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from graph.data.knowledge import load_knowledge
from tests.edit.seeded import seeded_copy
from tests.io.helpers import csv_text
from tests.pages.test_signin import make_user, sign_in, token

_PROGRESS = re.compile(r'id="fremskridt-tekst">(\d+) af (\d+) antagne ansvar bekræftet i ([^<]+)<')
HEADER = ["enhed", "KLE-nummer", "rolle", "status", "kilde", "kildested", "note", "gyldig til"]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = seeded_copy(tmp_path_factory.mktemp("review") / "store")
    with pytest.MonkeyPatch.context() as patch:
        assert make_user(patch, path, "sara.sof", "--role", "editor", "--forvaltning", "sof") == 0
        assert make_user(patch, path, "kim.tmf", "--role", "editor", "--forvaltning", "tmf") == 0
        assert make_user(patch, path, "rune", "--role", "reviewer") == 0
    return path


@pytest.fixture(scope="module")
def app(store_path: Path) -> Iterator[FastAPI]:
    app = create_app(
        Settings(store_path=store_path, sparql_enabled=False, base_url="http://testserver")
    )
    with TestClient(app):
        yield app


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


def signed_in(app: FastAPI, name: str) -> TestClient:
    client = TestClient(app)
    assert sign_in(client, name).status_code == 303  # type: ignore[attr-defined]
    return client


def progress(html: str) -> tuple[int, int, str]:
    found = _PROGRESS.search(html)
    assert found, "no progress on the page"
    return int(found.group(1)), int(found.group(2)), found.group(3)


def head(client: TestClient) -> int:
    changes = client.get("/api/v1/changes", params={"limit": 1}).json()["changes"]
    return int(changes[0]["sequence"]) if changes else 0


def sof_assumed() -> list[Any]:
    kg = load_knowledge()
    return sorted(
        (
            p
            for p in kg.registry.participations.values()
            if p.provenance.status == "antaget"
            and p.valid_until is None
            and kg.administration_of(p.unit) is not None
            and kg.administration_of(p.unit).id == "sof"  # type: ignore[union-attr]
        ),
        key=lambda p: p.id,
    )


def test_anonymous_visitors_read_the_queue_and_are_asked_to_sign_in(client: TestClient) -> None:
    page = client.get("/gennemgang", params={"forvaltning": "bif"})
    assert page.status_code == 200
    done, assumed, where = progress(page.text)
    assert (done, where) == (0, "BIF") and assumed > 0
    assert "Log ind for at bekræfte" in page.text
    assert 'action="/gennemgang/bekraeft"' not in page.text
    twin = client.get("/gennemgang.json", params={"forvaltning": "bif", "slags": "participations"})
    rows = twin.json()["queue"]["rows"]
    assert rows and all(r["owner"]["id"] == "bif" and r["status"] == "antaget" for r in rows)
    assert all(r["kind"] == "responsibility" for r in rows)


def test_filters_by_main_group_and_kind(client: TestClient) -> None:
    data = client.get("/gennemgang.json", params={"hovedgruppe": "32"}).json()
    assert data["queue"]["total"] > 0
    assert all(r["task"]["notation"].startswith("32.") for r in data["queue"]["rows"])
    units = client.get("/gennemgang.json", params={"slags": "units"}).json()["queue"]
    assert units["total"] == sum(
        1 for u in load_knowledge().registry.units.values()
        if u.provenance.status == "antaget" and not u.is_external
    )  # fmt: skip


def test_an_editor_confirms_an_assumed_fact_and_the_progress_moves(app: FastAPI) -> None:
    client = signed_in(app, "sara.sof")
    page = client.get("/gennemgang")
    done, assumed, where = progress(page.text)
    assert where == "SOF"  # an editor sees their own administration first
    fact = sof_assumed()[0]
    before = head(client)
    form = {"csrf_token": token(page.text), "kind": "responsibility", "id": fact.id}
    empty = client.post("/gennemgang/bekraeft", data={**form, "kilde": ""})
    assert empty.status_code == 422 and "kilde" in empty.text.lower()
    assert head(client) == before  # nothing stored on error
    sent = client.post(
        "/gennemgang/bekraeft",
        data={**form, "kilde": "https://www.kk.dk/borger/handicap", "afsnit": "Hjælpemidler"},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    after = client.get(sent.headers["location"])
    assert progress(after.text) == (done + 1, assumed, "SOF")
    assert "Faktummet er bekræftet" in after.text
    ids = {r["id"] for r in client.get("/gennemgang.json").json()["queue"]["rows"]}
    assert fact.id not in ids
    log = client.get("/api/v1/changes", params={"kind": "confirm"}).json()["changes"]
    assert log[0]["who"] == "sara.sof" and log[0]["sequence"] == before + 1


def test_review_forms_need_the_csrf_token_and_scope(app: FastAPI) -> None:
    fact = sof_assumed()[1]
    form = {"kind": "responsibility", "id": fact.id, "kilde": "kk-dk"}
    client = signed_in(app, "kim.tmf")
    assert client.post("/gennemgang/bekraeft", data=form).status_code == 403
    page = client.get("/gennemgang")
    refused = client.post("/gennemgang/bekraeft", data={**form, "csrf_token": token(page.text)})
    assert refused.status_code == 403 and "forvaltning" in refused.text
    anonymous = TestClient(app).post("/gennemgang/bekraeft", data=form, follow_redirects=False)
    assert anonymous.status_code == 403  # no token, no session: refused before anything


def test_a_reviewer_disputes_and_it_lands_on_the_list(app: FastAPI) -> None:
    client = signed_in(app, "rune")
    fact = sof_assumed()[2]
    page = client.get("/gennemgang")
    sent = client.post(
        "/gennemgang/bestrid",
        data={
            "csrf_token": token(page.text),
            "kind": "responsibility",
            "id": fact.id,
            "begrundelse": "Enheden har ikke denne opgave efter omorganiseringen.",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    listed = client.get("/gennemgang", params={"forvaltning": "sof"})
    assert "Enheden har ikke denne opgave efter omorganiseringen." in listed.text
    assert "Indsigelse fra rune" in listed.text


def test_anyone_reports_an_error_and_the_owner_sees_it(app: FastAPI) -> None:
    anonymous = TestClient(app)
    form_page = anonymous.get("/meld-fejl", params={"om": "task", "id": "kle-32.03.16"})
    assert form_page.status_code == 200 and "Meld en fejl" in form_page.text
    kg = load_knowledge()
    part = kg.participations_by_task["kle-32.03.16"][0]
    owner = kg.administration_of(part.unit)
    assert owner is not None
    data = {
        "csrf_token": token(form_page.text),
        "om": "task",
        "id": "kle-32.03.16",
        "fakta": f"responsibility/{part.id}",
        "tekst": "Telefonnummeret på siden virker ikke.",
        "email": "borger@example.dk",
    }
    too_long = anonymous.post("/meld-fejl", data={**data, "tekst": "x" * 2001})
    assert too_long.status_code == 422 and "højst 2000 tegn" in too_long.text
    bad_mail = anonymous.post("/meld-fejl", data={**data, "email": "ikke en adresse"})
    assert bad_mail.status_code == 422 and "e-mailadresse" in bad_mail.text
    assert anonymous.post("/meld-fejl", data={**data, "csrf_token": "0" * 64}).status_code == 403
    sent = anonymous.post("/meld-fejl", data=data, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    assert "Tak. Fejlmeldingen er sendt" in anonymous.get(sent.headers["location"]).text
    public = anonymous.get("/gennemgang", params={"forvaltning": owner.id})
    assert "Telefonnummeret på siden virker ikke." in public.text
    assert "borger@example.dk" not in public.text  # personal data: staff only
    staff = signed_in(app, "rune").get("/gennemgang", params={"forvaltning": owner.id})
    assert "mailto:borger@example.dk" in staff.text
    log = anonymous.get("/api/v1/changes", params={"kind": "dispute"}).json()["changes"]
    assert log[0]["who"] == "Meld en fejl" and log[0]["reason"].startswith("Fejlmelding")


def test_reports_are_rate_limited(app: FastAPI) -> None:
    app.state.report_throttle = None  # a fresh window for this test
    client = TestClient(app)
    page = client.get("/meld-fejl", params={"om": "unit", "id": "sof"})
    data = {"csrf_token": token(page.text), "om": "unit", "id": "sof", "fakta": "unit/sof"}
    statuses = [
        client.post("/meld-fejl", data={**data, "tekst": f"Fejl nr. {n}"}).status_code
        for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]  # followed redirects: the thank-you page


def test_the_change_log_in_danish_with_filters(client: TestClient, app: FastAPI) -> None:
    staff = signed_in(app, "sara.sof")
    fact = sof_assumed()[3]
    page = staff.get("/gennemgang")
    staff.post(
        "/gennemgang/bekraeft",
        data={"csrf_token": token(page.text), "kind": "responsibility", "id": fact.id,
              "kilde": "Ressortaftale 2026"},
    )  # fmt: skip
    log = client.get("/aendringer", params={"forvaltning": "sof", "slags": "confirm"})
    assert log.status_code == 200
    assert "bekræftelse" in log.text and "sara.sof" in log.text
    assert "<td>antaget</td><td>bekræftet</td>" in log.text.replace("\n", "")
    assert "https://stafet.kk.dk/def#" not in log.text  # no triples, no predicate URIs
    other = client.get("/aendringer", params={"forvaltning": "tmf", "slags": "confirm"})
    assert "sara.sof" not in other.text
    unknown = client.get("/aendringer", params={"enhed": "socialforvaltingen-ukendt"})
    assert unknown.status_code == 422 and "Ukendt enhed" in unknown.text


def test_entity_pages_show_their_history_and_the_date_picker(client: TestClient) -> None:
    fact = sof_assumed()[3]  # confirmed in the test above
    task = client.get(f"/id/task/{fact.task}")
    assert task.status_code == 200
    assert 'id="historik"' in task.text and 'name="dato"' in task.text
    assert "Meld en fejl" in task.text
    unit = client.get("/id/unit/sof", params={"dato": "2025-06-01"})
    assert "Siden viser, hvad der gjaldt den 2025-06-01" in unit.text
    then = client.get("/id/unit/bif", params={"dato": "2025-06-01"})
    assert "Beskæftigelses- og Integrationsforvaltningen" in then.text
    old = client.get("/id/task/kle-32.03.16", params={"dato": "2025-06-01"})
    assert old.status_code == 200 and "Siden viser, hvad der gjaldt den 2025-06-01" in old.text
    bad = client.get("/id/task/kle-32.03.16", params={"dato": "i går"})
    assert bad.status_code == 422


def test_import_in_the_browser_dry_run_then_confirm(app: FastAPI) -> None:
    anonymous = TestClient(app)
    assert "Log ind" in anonymous.get("/import").text
    client = signed_in(app, "sara.sof")
    page = client.get("/import")
    rows = [
        HEADER,
        ["Borgercenter Handicap", "27.60", "indsigt", "antaget", "Aftale i testen om indsigt",
         "", "Antaget i testen: centret får indsigt i sagerne.", ""],
    ]  # fmt: skip
    files = {"fil": ("ark.csv", csv_text(rows).encode(), "text/csv")}
    before = head(client)
    dry = client.post("/import", data={"csrf_token": token(page.text)}, files=files)
    assert dry.status_code == 200, dry.text
    assert "Det ville ændre" in dry.text and "<td>ny</td>" in dry.text
    assert head(client) == before  # the dry run stored nothing
    key = re.search(r'name="id" value="([^"]+)"', dry.text)
    assert key
    done = client.post("/import/bekraeft", data={"csrf_token": token(dry.text), "id": key[1]})
    assert done.status_code == 200, done.text
    assert "Regnearket er indlæst som ændring nr." in done.text
    assert head(client) == before + 1
    again = client.post("/import/bekraeft", data={"csrf_token": token(dry.text), "id": key[1]})
    assert again.status_code == 410  # a pending import is used once
    wrong = [HEADER, ["Borgercenter Handicap", "27.60", "chef", "antaget", "kk-dk", "", "", ""]]
    files = {"fil": ("ark.csv", csv_text(wrong).encode(), "text/csv")}
    refused = client.post("/import", data={"csrf_token": token(page.text)}, files=files)
    assert refused.status_code == 422 and "række 2, kolonne C" in refused.text
    other = signed_in(app, "kim.tmf")
    tmf_page = other.get("/import")
    rows[1][2] = "vejledende"  # a row that would change something
    files = {"fil": ("ark.csv", csv_text(rows).encode(), "text/csv")}
    outside = other.post("/import", data={"csrf_token": token(tmf_page.text)}, files=files)
    assert outside.status_code == 422 and "Regnearket er ikke indlæst" in outside.text
