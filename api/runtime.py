"""What the app holds while it runs: one Knowledge snapshot, the SPARQL worker, caches.

Built in the lifespan and kept on ``app.state.runtime``; nothing lives in module globals.
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
from graph.data.loader import TurtleFiles
from graph.questions.referral import referral_graph

__all__ = ["Runtime", "load"]

T = TypeVar("T")


@dataclass
class Runtime:
    settings: Settings
    knowledge: Knowledge
    sparql: SparqlEngine | None
    load_seconds: float
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


def load(settings: Settings, source: TurtleFiles) -> tuple[Knowledge, float]:
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
