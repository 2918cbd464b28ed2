"""GET /api/v1/referral: the shortest hand-over path."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.helpers import assert_problem

VIA = {
    "contact_person",
    "contact_point",
    "single_entry",
    "forum",
    "collaboration",
    "hierarchy",
    "across",
    "external",
    "appeal",
}


def test_referral_answers_in_the_contract_shape(client: TestClient) -> None:
    response = client.get(
        "/api/v1/referral", params={"from": "Borgerrådgiveren", "task": "førtidspension"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["from"]["id"] == "borgerraadgiveren"
    assert {"id", "label", "forvaltning"} <= data["to"].keys()
    assert data["task"]["id"] == "kle-32.03.16"
    assert data["received_by_municipality"] is True
    assert isinstance(data["leaves_municipality"], bool)
    assert isinstance(data["cost"], int | float)
    assert isinstance(data["alternatives"], list)
    assert data["hops"]
    assert data["hops"][0]["from"]["id"] == "borgerraadgiveren"
    assert data["hops"][-1]["to"]["id"] == data["to"]["id"]
    for hop in data["hops"]:
        assert hop["via"] in VIA
        assert isinstance(hop["legal_basis"], list)
        assert hop["through"] is None or {"id", "label"} <= hop["through"].keys()


def test_unknown_unit_is_404_with_suggestions(client: TestClient) -> None:
    body = assert_problem(
        client.get("/api/v1/referral", params={"from": "zzqqxx", "task": "førtidspension"}),
        404,
        "no-confident-match",  # neither an id nor a name: free text that fits nothing
    )
    assert isinstance(body["suggestions"], list)


def test_no_path_is_404_of_its_own_type(client: TestClient) -> None:
    # An external authority has no way back into the municipality.
    body = assert_problem(
        client.get("/api/v1/referral", params={"from": "udk", "task": "førtidspension"}),
        404,
        "no-referral-path",
    )
    assert "henvisningsvej" in body["detail"]


def test_from_is_required(client: TestClient) -> None:
    body = assert_problem(
        client.get("/api/v1/referral", params={"task": "x"}), 422, "invalid-parameter"
    )
    assert body["errors"][0]["parameter"] == "from"


def test_the_new_fields_are_in_the_contract_shape(client: TestClient) -> None:
    data = client.get(
        "/api/v1/referral", params={"from": "kff-borgerservice", "task": "hjælpemidler"}
    ).json()
    assert [b["to"]["id"] for b in data["branches"]] == [
        "sof-borgercenter-handicap",
        "suf-hjaelpemiddelcentret",
    ]
    assert all(b["condition"] and b["hops"] for b in data["branches"])
    assert isinstance(data["to_contacts"], list)
    assert "contact_inherited_from" in data["hops"][0]
    one = client.get(
        "/api/v1/referral", params={"from": "kff-borgerservice", "task": "hjælpemidler", "age": 30}
    ).json()
    assert one["branches"] == []


def test_complaint_ends_at_the_appeal_body(client: TestClient) -> None:
    data = client.get(
        "/api/v1/referral",
        params={"from": "borgerraadgiveren", "task": "førtidspension", "complaint": "true"},
    ).json()
    assert data["complaint"]["deciding_unit"]["id"] == "sof"
    assert data["complaint"]["appeal_body"]["id"] == "ankestyrelsen"
    assert data["hops"][-1]["via"] == "appeal"
    assert data["hops"][-1]["to"]["id"] == "ankestyrelsen"


def test_inside_hops_cite_guidance_not_forwarding(client: TestClient) -> None:
    data = client.get(
        "/api/v1/referral", params={"from": "borgerraadgiveren", "task": "førtidspension"}
    ).json()
    for hop in data["hops"]:
        laws = [law["id"] for law in hop["legal_basis"]]
        assert "forvaltningsloven-7-1" in laws and "forvaltningsloven-7-2" not in laws


def test_clearly_unknown_from_is_404_with_suggestions_never_a_guess(client: TestClient) -> None:
    for text in ("qxqxqzv-ukendt", "zz"):
        body = assert_problem(
            client.get("/api/v1/referral", params={"from": text, "task": "førtidspension"}),
            404,
            "no-confident-match",
        )
        assert isinstance(body["suggestions"], list)
