"""Open the configured store of record, and seed it from the shipped Turtle the first time."""

from __future__ import annotations

import logging
from pathlib import Path

from graph.data.loader import TurtleFiles
from graph.errors import InvalidInputError
from graph.store.backend import Head, Store
from graph.store.embedded import EmbeddedStore

__all__ = ["open_store", "seed_store"]

log = logging.getLogger("stafet.store")


def open_store(
    *,
    path: Path | None = None,
    url: str | None = None,
    update_url: str | None = None,
    user: str | None = None,
    password: str | None = None,
) -> Store:
    """The store at a SPARQL endpoint (``url``) or on disk (``path``).

    Examples
    --------
    >>> open_store()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.InvalidInputError: intet register angivet (STAFET_STORE_PATH eller ...)
    """
    if url:
        from graph.store.sparql import SparqlStore

        return SparqlStore(url, update_url=update_url, user=user, password=password)
    if path is None:
        raise InvalidInputError("intet register angivet (STAFET_STORE_PATH eller STAFET_STORE_URL)")
    path.mkdir(parents=True, exist_ok=True)
    return EmbeddedStore(path)


def seed_store(store: Store, seed: TurtleFiles, *, agent: str = "stafet") -> Head:
    """Initialise an empty ``store`` from ``seed`` (a no-op for a store that has data)."""
    if store.is_ready():
        return store.head()
    log.info("Opretter registret ud fra %s", seed.describe())
    quads = seed.store().quads_for_pattern(None, None, None)
    return store.initialise(
        quads, agent=agent, reason=f"Oprettet ud fra de leverede data ({seed.fingerprint()[:12]})"
    )
