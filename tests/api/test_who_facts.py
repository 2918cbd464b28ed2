"""``/api/v1/who`` and ``/api/v1/referral`` carry opening hours, the service's own page, and
each responsibility's owner and last confirmation (documented in docs/api.md)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_who_has_service_pages_owner_and_confirmation(client: TestClient) -> None:
    data = client.get("/api/v1/who", params={"task": "pas"}).json()
    assert data["task"]["id"] == "kle-23.09.02"
    assert data["service_pages"] == [
        {"url": "https://www.kk.dk/borger/borgerservice/pas", "title": "Pas (kk.dk, Borgerservice)"}
    ]
    handler = data["handlers"][0]
    assert handler["owner"] == {"id": "kff-borgerservice", "label": "Borgerservice", "kind": "unit"}
    assert (handler["last_confirmed"], handler["confirmed_by"]) == (None, None)
    assert handler["confirmation"] == "Står i kilden; ikke gennemgået af enheden endnu."


def test_who_on_an_assumed_owner_gives_the_reason(client: TestClient) -> None:
    handler = client.get("/api/v1/who", params={"task": "kle-32.21"}).json()["handlers"][0]
    assert handler["status"] == "antaget"
    assert handler["confirmation"].startswith("Ikke bekræftet – antaget: ")


def test_contacts_carry_opening_hours_only_where_known(client: TestClient) -> None:
    data = client.get("/api/v1/who", params={"task": "kle-27.57.16"}).json()
    contact = data["handlers"][0]["contacts"][0]
    assert contact["opening_hours"] == ["Hverdage kl. 10–13"]
    unit = client.get("/api/v1/units/bif").json()
    assert all(c["opening_hours"] == [] for c in unit["contacts"])


def test_a_referral_ends_at_the_contact_with_its_hours(client: TestClient) -> None:
    data = client.get(
        "/api/v1/referral", params={"from": "borgerraadgiveren", "task": "kle-27.57.16"}
    ).json()
    assert data["to_contacts"][0]["telephone"] == ["33 17 41 22"]
    assert data["to_contacts"][0]["opening_hours"] == ["Hverdage kl. 10–13"]
