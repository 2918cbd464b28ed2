"""An instance with ``STAFET_WRITER_URL`` forwards writes and answers reads itself.

The forwarding that works end to end is in tests/cluster/test_two_instances.py (a real
writer, a real Oxigraph server). Here: what a caller gets when the writer cannot be reached,
when the configuration loops, and which requests stay local.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.main import create_app
from api.settings import Settings
from tests.api.conftest import free_port
from tests.edit.seeded import seeded_copy

RESPONSIBILITY = {
    "task": "kle-32.03.16",
    "unit": "tmf",
    "role": "indsigt",
    "description": "Får indsigt i sagen.",
    "status": "antaget",
    "source": "kk-dk",
    "note": "Antaget af testen.",
}


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = seeded_copy(tmp_path_factory.mktemp("forwarding") / "store")
    settings = Settings(
        store_path=store,
        sparql_enabled=False,
        base_url="http://testserver",
        writer_url=f"http://127.0.0.1:{free_port()}",  # nothing listens there
    )
    with TestClient(create_app(settings)) as client:
        yield client


def _head(client: TestClient) -> int:
    return int(client.app.state.runtime.store.head().sequence)  # type: ignore[attr-defined]


def test_a_write_while_the_writer_is_down_is_503_and_changes_nothing(reader: TestClient) -> None:
    before = _head(reader)
    response = reader.post(
        "/api/v1/responsibilities", json=RESPONSIBILITY, headers={"Authorization": "Bearer x"}
    )
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    assert "skriveinstansen svarer ikke" in response.json()["detail"]
    assert _head(reader) == before


def test_reads_are_answered_here_and_health_says_writes_are_forwarded(reader: TestClient) -> None:
    who = reader.get("/api/v1/who", params={"task": "førtidspension"})
    assert who.status_code == 200
    assert reader.get("/health").json()["store"]["writes"] == "videresendes"


def test_a_forwarded_request_is_never_forwarded_again(reader: TestClient) -> None:
    response = reader.post(
        "/api/v1/responsibilities", json=RESPONSIBILITY, headers={"X-Stafet-Forwarded": "1"}
    )
    assert response.status_code == 503
    assert "STAFET_WRITER_URL" in response.json()["detail"]


def test_the_writer_url_must_be_an_http_address() -> None:
    with pytest.raises(ValidationError, match="writer_url skal være en http"):
        Settings(writer_url="stafet-skriver:8000")
    assert Settings(writer_url=" ").writer_url is None
    assert Settings(writer_url="http://skriver:8000/").writer_url == "http://skriver:8000"
