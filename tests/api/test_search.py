"""GET /api/v1/search."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import assert_problem


def test_search_answers_in_the_contract_shape(client: TestClient) -> None:
    response = client.get("/api/v1/search", params={"q": "hjælpemidler"})
    assert response.status_code == 200
    data = response.json()
    assert data["query"] == "hjælpemidler"
    assert data["results"]
    for result in data["results"]:
        assert {"id", "kind", "label", "score", "matched", "uri"} <= result.keys()
        assert result["matched"] in {
            "id",
            "notation",
            "label",
            "synonym",
            "keyword",
            "partial",
            "fuzzy",
        }
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)
    assert data["results"][0]["notation"]


@pytest.mark.parametrize("kind", ["task", "unit", "law", "forum"])
def test_kind_limits_the_results(client: TestClient, kind: str) -> None:
    data = client.get("/api/v1/search", params={"q": "social", "kind": kind, "limit": 3}).json()
    assert len(data["results"]) <= 3
    assert {r["kind"] for r in data["results"]} <= {kind}


def test_abbreviation_finds_the_unit(client: TestClient) -> None:
    data = client.get("/api/v1/search", params={"q": "BIF", "kind": "unit"}).json()
    assert data["results"][0]["id"] == "bif"


def test_a_query_of_only_punctuation_is_422(client: TestClient) -> None:
    assert_problem(client.get("/api/v1/search", params={"q": "?!"}), 422, "invalid-value")


def test_unknown_kind_is_422_naming_the_choices(client: TestClient) -> None:
    body = assert_problem(
        client.get("/api/v1/search", params={"q": "x", "kind": "person"}), 422, "invalid-parameter"
    )
    assert "'kind' skal være en af" in body["detail"]
