"""Helpers the API tests share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: Short, so that the runaway-query tests take seconds, not minutes.
TEST_TIMEOUT = 2.0


def assert_problem(
    response: httpx.Response, status: int, slug: str | None = None
) -> dict[str, Any]:
    """The response is RFC 9457 problem+json with this status (and problem type)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys(), body
    assert body["status"] == status
    assert isinstance(body["detail"], str) and body["detail"]
    if slug is not None:
        assert body["type"] == f"https://stafet.kk.dk/problems/{slug}"
    return body
