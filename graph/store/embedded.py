"""The default store of record: an Oxigraph store on disk (RocksDB), in this process."""

from __future__ import annotations

import threading
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
        # Oxigraph runs concurrent updates side by side (each on its own snapshot, with no
        # write conflict check), so two guarded commits could both see the same head. The
        # store's directory is locked to this process, so one lock here serialises them all.
        self._writing = threading.Lock()
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
        try:
            with self._writing:
                self._store.update(text)
        except OSError as exc:
            raise StoreError(
                f"registret i {self.path or 'hukommelsen'} kan ikke skrives: {exc}"
            ) from exc

    def data_quads(self) -> Iterator[Any]:
        # Oxigraph iterates over one snapshot: a commit meanwhile is wholly in it or not at all.
        for item in self._store.quads_for_pattern(None, None, None, to_oxigraph(DATA_GRAPH)):
            yield oxigraph.Quad(item.subject, item.predicate, item.object)

    def load(self, quads: Sequence[Any]) -> None:
        # One transaction (not bulk_extend, which may leave half a load behind a crash).
        try:
            with self._writing:
                self._store.extend(quads)
        except OSError as exc:
            raise StoreError(
                f"registret i {self.path or 'hukommelsen'} kan ikke skrives: {exc}"
            ) from exc
        self._store.flush()

    def close(self) -> None:
        self._store.flush()
