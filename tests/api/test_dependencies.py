"""GET /api/v1/dependencies, /api/v1/overlaps and /api/v1/gaps."""

from __future__ import annotations

import pytest
from fastapi.exceptions import ResponseValidationError
from fastapi.testclient import TestClient

from tests.api.helpers import assert_problem


def test_dependencies_answer_in_the_contract_shape(client: TestClient) -> None:
    data = client.get("/api/v1/dependencies", params={"units": "bif,sof"}).json()
    assert [u["id"] for u in data["units"]] == ["bif", "sof"]
    for key in ("shared_tasks", "process_links", "forums", "contact_arrangements"):
        assert isinstance(data[key], list)
    assert data["shared_tasks"] and data["forums"]


def test_units_may_be_repeated_instead_of_comma_separated(client: TestClient) -> None:
    comma = client.get("/api/v1/dependencies", params={"units": "bif,sof"}).json()
    repeated = client.get("/api/v1/dependencies", params=[("units", "bif"), ("units", "sof")])
    assert repeated.json() == comma


def test_task_narrows_the_answer(client: TestClient) -> None:
    data = client.get(
        "/api/v1/dependencies", params={"units": "bif,sof", "task": "førtidspension"}
    ).json()
    assert [link["task"]["notation"] for link in data["process_links"]] == ["32.03.16"]


def test_one_unit_is_422(client: TestClient) -> None:
    body = assert_problem(
        client.get("/api/v1/dependencies", params={"units": "bif"}), 422, "invalid-value"
    )
    assert "to" in body["detail"]


def test_overlaps(client: TestClient) -> None:
    data = client.get("/api/v1/overlaps").json()
    assert {"overlaps", "matrix", "administrations", "split_by_conditions"} <= data.keys()
    keys = data["administrations"]
    assert set(data["matrix"]) == set(keys)
    assert any(s["task"]["notation"] == "27.60" for s in data["split_by_conditions"])


def test_gaps(client: TestClient) -> None:
    data = client.get("/api/v1/gaps").json()
    for key in (
        "tasks_without_ansvarlig",
        "units_without_contact",
        "contacts_without_phone_or_email",
        "laws_not_cited",
        "antaget",
    ):
        assert key in data
    assert data["counts"]["tasks"] > 1000


def test_gaps_for_a_date_and_a_bad_date(client: TestClient) -> None:
    assert client.get("/api/v1/gaps", params={"as_of": "2020-01-01"}).status_code == 200
    body = assert_problem(
        client.get("/api/v1/gaps", params={"as_of": "31-12-2020"}), 422, "invalid-parameter"
    )
    assert "ÅÅÅÅ-MM-DD" in body["detail"]


@pytest.mark.parametrize(
    ("path", "params", "producer"),
    [
        (
            "/api/v1/dependencies",
            {"units": "bif,sof"},
            "api.routers.dependencies.dependencies_json",
        ),
        ("/api/v1/overlaps", {"as_of": "1901-01-01"}, "api.routers.quality.overlaps_json"),
        ("/api/v1/gaps", {"as_of": "1901-01-01"}, "api.routers.quality.gaps_json"),
    ],
)
def test_answers_are_checked_against_their_models(
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    params: dict[str, str],
    producer: str,
) -> None:
    monkeypatch.setattr(producer, lambda kg, answer, **options: {"units": "not a list"})
    with pytest.raises(ResponseValidationError):
        client.get(path, params=params)
