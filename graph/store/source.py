"""The store of record as a :class:`~graph.data.loader.Source`: what the app compiles from."""

from __future__ import annotations

import pyoxigraph as oxigraph
from rdflib import Graph

from graph.data.facts import Facts
from graph.store.backend import Head, Store, StoreError, graph_from_quads

__all__ = ["StoreSource"]


class StoreSource:
    """The data graph of ``store`` at the head it was first read at.

    The fingerprint names that head, so a compiled cache follows the store's changes.
    """

    def __init__(self, store: Store) -> None:
        self.backend = store
        self.head: Head = store.head()

    def read(self) -> Graph:
        self.head, quads = self.backend.snapshot()
        return graph_from_quads(quads)

    def snapshot(self, attempts: int = 5) -> tuple[Facts, oxigraph.Store]:
        """What to compile and an in-memory copy, from one pass over the data at one head.

        The quads stream into both (never a list of them, nor an rdflib graph); if a commit
        came in meanwhile, the read is repeated (as :meth:`Store.snapshot`).
        """
        for _ in range(attempts):
            before = self.backend.head()
            facts, copy = Facts(), oxigraph.Store()
            copy.bulk_extend(facts.tee(self.backend.data_quads()))
            if self.backend.head() == before:
                self.head = before
                return facts, copy
        raise StoreError(
            f"registret ændrede sig under hver af {attempts} læsninger; prøv igen om lidt"
        )

    def fingerprint(self) -> str:
        return f"store-{self.head.sequence}-{self.head.change}"

    def describe(self) -> str:
        return f"registret (ændring {self.head.sequence})"

    def store(self) -> oxigraph.Store:
        self.head, quads = self.backend.snapshot()
        copy = oxigraph.Store()
        copy.bulk_extend(quads)
        return copy
