"""The default store of record: an Oxigraph store on disk (RocksDB), in this process."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as oxigraph
from rdflib.term import Node

from graph.store.backend import DATA_GRAPH, Store, StoreError, rows_from_oxigraph
from graph.store.terms import to_oxigraph

__all__ = ["EmbeddedStore"]


class EmbeddedStore(Store):
    """An embedded Oxigraph store: at ``path`` (persistent), or in memory (``None``, for tests).

    Examples
    --------
    >>> store = EmbeddedStore(None)
    >>> store.is_ready()
    False
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        try:
            self._store = oxigraph.Store(str(path)) if path is not None else oxigraph.Store()
        except OSError as exc:
            raise StoreError(f"registret i {path} kan ikke åbnes: {exc}") from exc

    def select(self, query: str) -> list[dict[str, Node]]:
        result = self._store.query(query)
        if not isinstance(result, oxigraph.QuerySolutions):
            raise StoreError("forespørgslen er ikke en SELECT")
        return rows_from_oxigraph(result)

    def update(self, text: str) -> None:
        self._store.update(text)

    def data_quads(self) -> Iterator[Any]:
        # A query reads one snapshot: a commit meanwhile is either wholly in it or not at all.
        graph = to_oxigraph(DATA_GRAPH)
        result = self._store.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
        )
        assert isinstance(result, oxigraph.QueryTriples)
        for triple in result:
            yield oxigraph.Quad(triple.subject, triple.predicate, triple.object)

    def load(self, quads: Sequence[Any]) -> None:
        self._store.bulk_extend(quads)
        self._store.flush()

    def close(self) -> None:
        self._store.flush()
