"""The store of record as a :class:`~graph.data.loader.Source`: what the app compiles from."""

from __future__ import annotations

import pyoxigraph as oxigraph
from rdflib import Graph

from graph.store.backend import Head, Store

__all__ = ["StoreSource"]


class StoreSource:
    """The data graph of ``store`` at the head it was first read at.

    The fingerprint names that head, so a compiled cache follows the store's changes.
    """

    def __init__(self, store: Store) -> None:
        self.backend = store
        self.head: Head = store.head()

    def read(self) -> Graph:
        self.head = self.backend.head()
        return self.backend.read_graph()

    def fingerprint(self) -> str:
        return f"store-{self.head.sequence}-{self.head.change}"

    def describe(self) -> str:
        return f"registret (ændring {self.head.sequence})"

    def store(self) -> oxigraph.Store:
        copy = oxigraph.Store()
        copy.bulk_extend(self.backend.data_quads())
        return copy
