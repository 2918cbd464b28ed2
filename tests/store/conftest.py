"""Fixtures for the store of record: a live Oxigraph server, and seeded stores of both kinds.

Other test packages use the server with ``from tests.store.conftest import oxigraph_server``
(or :class:`tests.store.oxigraph_server.OxigraphServer` directly) and mark their tests
``@pytest.mark.oxigraph_server``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.data.loader import default_source
from graph.store.backend import Store
from graph.store.embedded import EmbeddedStore
from graph.store.open import seed_store
from graph.store.sparql import SparqlStore
from tests.store.oxigraph_server import OxigraphServer

__all__ = ["oxigraph_server", "seeded_store"]


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """A fresh, empty ``oxigraph serve`` on loopback (``.query_url``, ``.update_url``)."""
    with OxigraphServer(tmp_path / "oxigraph") as server:
        yield server


@pytest.fixture(
    scope="module",
    params=["embedded", pytest.param("oxigraph_server", marks=pytest.mark.oxigraph_server)],
)
def seeded_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """A store seeded from the shipped Turtle: embedded on disk, then on a live server."""
    where = tmp_path_factory.mktemp(f"store-{request.param}")
    if request.param == "embedded":
        store: Store = EmbeddedStore(where / "store")
        seed_store(store, default_source())
        yield store
        store.close()
        return
    with OxigraphServer(where / "oxigraph") as server:
        store = SparqlStore(server.query_url, update_url=server.update_url)
        seed_store(store, default_source())
        yield store
