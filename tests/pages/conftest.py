"""The app with the pages, on the real data and on a world of hostile labels."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from tests.pages.worlds import evil_data_dir


@pytest.fixture(scope="session")
def pages_client() -> Iterator[TestClient]:
    """The real Copenhagen data; no SPARQL worker (the pages do not use it)."""
    app = create_app(Settings(sparql_enabled=False, warm_rdf=False, base_url="http://testserver"))
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="session")
def evil_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The mini world plus a unit, task, law, forum and contact with hostile labels."""
    folder = tmp_path_factory.mktemp("evil")
    settings = Settings(
        data_dir=evil_data_dir(folder / "data"),
        cache_dir=folder / "cache",
        sparql_enabled=False,
        warm_rdf=False,
        base_url="http://testserver",
    )
    with TestClient(create_app(settings)) as client:
        yield client
