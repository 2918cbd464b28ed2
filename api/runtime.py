"""What the app holds while it runs: one Knowledge snapshot, the SPARQL worker, caches.

Built in the lifespan and kept on ``app.state.runtime``; nothing lives in module globals.
With a store of record, :meth:`Runtime.follow` brings the snapshot up to the store's head:
after this instance commits a change, and when another instance has.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from api.settings import Settings
from api.sparql.engine import SparqlEngine
from graph.data.knowledge import Knowledge, load_knowledge
from graph.data.loader import Source
from graph.questions.referral import referral_graph
from graph.store.backend import Store
from graph.store.source import StoreSource

__all__ = ["Runtime", "load"]

T = TypeVar("T")


@dataclass
class Runtime:
    settings: Settings
    knowledge: Knowledge
    sparql: SparqlEngine | None
    load_seconds: float
    store: Store | None = None
    #: The store's change the snapshot shows (0 without a store).
    sequence: int = 0
    _follow_lock: threading.Lock = field(default_factory=threading.Lock)
    _cache: OrderedDict[tuple[str, ...], Any] = field(default_factory=OrderedDict)
    _cache_lock: threading.Lock = field(default_factory=threading.Lock)

    def cached(self, key: tuple[str, ...], build: Callable[[], T], size: int = 16) -> T:
        """A rendered answer, built once per key (small LRU; answers depend only on key)."""
        with self._cache_lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return cast(T, self._cache[key])
        body = build()
        with self._cache_lock:
            self._cache[key] = body
            while len(self._cache) > size:
                self._cache.popitem(last=False)
        return body

    def follow(self) -> int:
        """Bring the snapshot up to the store's head; return the change it now shows.

        Today this recompiles the whole graph from the store; the snapshot is swapped in
        whole, so a request sees the old graph or the new one, never a mixture.
        """
        if self.store is None:
            return self.sequence
        with self._follow_lock:
            head = self.store.head()
            if head.sequence == self.sequence:
                return self.sequence
            source = StoreSource(self.store)
            knowledge, _ = load(self.settings, source)
            self.knowledge, self.sequence = knowledge, source.head.sequence
            with self._cache_lock:
                self._cache.clear()
            return self.sequence


def load(settings: Settings, source: Source) -> tuple[Knowledge, float]:
    """Load and compile the knowledge graph, and build the indexes requests read."""
    started = time.perf_counter()
    if settings.cache_dir is not None:
        knowledge = Knowledge.from_source(source, cache_dir=settings.cache_dir)
    else:
        knowledge = load_knowledge(source)
    knowledge.search  # noqa: B018 - build the search index now, not on the first request
    knowledge.participations_by_task  # noqa: B018
    knowledge.participations_by_unit  # noqa: B018
    knowledge.children  # noqa: B018
    referral_graph(knowledge)
    knowledge.store  # noqa: B018 - the Oxigraph store behind the /id/… RDF twins
    return knowledge, time.perf_counter() - started
