"""A confirmation in the review shows where the fact is shown: ``last_confirmed`` and
``confirmed_by`` in ``/api/v1/who`` and "Sidst bekræftet … af …" on the task page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.api.test_edits import build_app
from tests.edit.seeded import seeded_copy

PART = "kle-32.21-bif-ansvarlig"  # assumed: BIF handles enkeltydelser


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = build_app(seeded_copy(tmp_path_factory.mktemp("confirmed") / "store"))
    with TestClient(app) as client:
        yield client


def test_a_confirmation_shows_in_who_and_on_the_task_page(reviewed: TestClient) -> None:
    before = reviewed.get("/api/v1/who", params={"task": "kle-32.21"}).json()["handlers"][0]
    assert before["participation"] == PART and before["last_confirmed"] is None
    etag = reviewed.get(f"/api/v1/responsibilities/{PART}").headers["etag"]
    confirmed = reviewed.post(
        f"/api/v1/responsibilities/{PART}/confirm",
        json={"source": "kk-dk", "assured_on": "2026-11-03"},
        headers={"X-Test-As": "reviewer", "If-Match": etag},
    )
    assert confirmed.status_code == 200, confirmed.text
    after = reviewed.get("/api/v1/who", params={"task": "kle-32.21"}).json()["handlers"][0]
    assert (after["status"], after["last_confirmed"], after["confirmed_by"]) == (
        "bekraeftet",
        "2026-11-03",
        "reviewer@test",
    )
    assert after["owner"]["id"] == "bif"
    page = reviewed.get("/id/task/kle-32.21", headers={"accept": "text/html"}).text
    assert "Sidst bekræftet 2026-11-03 af reviewer@test." in page
    assert "Ikke bekræftet – antaget: Enheden er ikke bekræftet." not in page
