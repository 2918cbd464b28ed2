"""``recorded_as_of``: answer from the graph as it was recorded at an earlier moment.

A read route takes :data:`RecordedKnowledgeDep` instead of the plain knowledge graph: without
``recorded_as_of`` it is the current snapshot; with it, the store's data with the later
changes undone (:func:`graph.store.history.recorded_store`), compiled. A few such snapshots
are kept, keyed by the change's sequence number (least recently used goes first): a
compile takes seconds, and people ask about the same few moments. The compiled registry
is also written to the compile cache (``STAFET_CACHE_DIR``), named by the change's number
and id, so a restarted app does not compile the same registration again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Annotated, cast

from fastapi import Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from api.deps import KnowledgeDep
from api.runtime import Runtime
from graph.data.knowledge import Knowledge
from graph.errors import InvalidInputError
from graph.store.backend import Store
from graph.store.history import RecordedSource, parse_moment, resolve_registration

__all__ = ["RecordedAsOfQuery", "RecordedKnowledgeDep", "RecordedSnapshots", "recorded_knowledge"]

#: How many recorded snapshots an app keeps compiled.
SNAPSHOTS = 4

NO_HISTORY = (
    "Data har ingen registreringshistorik: serveren læser de leverede Turtle-filer uden "
    "register (STAFET_STORE_PATH er tom), så recorded_as_of kan ikke bruges."
)

RecordedAsOfQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=40,
        description="Svar, som registret så ud på et tidspunkt (det, vi vidste da): et "
        "ændringsnummer (`sequence` i `/api/v1/changes`) eller et tidspunkt "
        "(ÅÅÅÅ-MM-DDTTT:MM:SS, UTC uden tidszone). Standard er nu.",
        openapi_examples={
            "nummer": {"summary": "Efter ændring 1", "value": "1"},
            "tidspunkt": {"summary": "Et tidspunkt", "value": "2026-12-01T12:00:00+01:00"},
        },
    ),
]


class RecordedSnapshots:
    """Compiled snapshots of the store as recorded, by sequence number (a small LRU)."""

    def __init__(self, size: int = SNAPSHOTS) -> None:
        self.size = size
        self._cache: OrderedDict[int, Knowledge] = OrderedDict()
        self._lock = threading.Lock()
        self._building = threading.Lock()

    def get(self, store: Store, sequence: int, cache_dir: Path | None = None) -> Knowledge:
        with self._lock:
            if sequence in self._cache:
                self._cache.move_to_end(sequence)
                return self._cache[sequence]
        with self._building:  # one compile at a time: two asking the same wait for one
            with self._lock:
                if sequence in self._cache:
                    return self._cache[sequence]
            knowledge = Knowledge.from_source(RecordedSource(store, sequence), cache_dir=cache_dir)
            with self._lock:
                self._cache[sequence] = knowledge
                while len(self._cache) > self.size:
                    self._cache.popitem(last=False)
            return knowledge


def recorded_knowledge(runtime: Runtime, snapshots: RecordedSnapshots, at: str) -> Knowledge:
    """The knowledge graph as recorded at ``at`` (a sequence number or an ISO date-time).

    Raises
    ------
    InvalidInputError
        Without a store (no registration history), or ``at`` unreadable or outside it.
    """
    store = runtime.store
    if store is None:
        raise InvalidInputError(NO_HISTORY)
    sequence = resolve_registration(store, parse_moment(at))
    if sequence == runtime.sequence:
        return runtime.knowledge
    return snapshots.get(store, sequence, runtime.settings.cache_dir)


def _snapshots(request: Request) -> RecordedSnapshots:
    state = request.app.state
    found = getattr(state, "recorded_snapshots", None)
    if found is None:
        found = state.recorded_snapshots = RecordedSnapshots()
    assert isinstance(found, RecordedSnapshots)
    return found


async def get_recorded_knowledge(
    request: Request, current: KnowledgeDep, recorded_as_of: RecordedAsOfQuery = None
) -> Knowledge:
    if recorded_as_of is None:
        return current
    runtime = cast(Runtime, request.app.state.runtime)
    return await run_in_threadpool(recorded_knowledge, runtime, _snapshots(request), recorded_as_of)


RecordedKnowledgeDep = Annotated[Knowledge, Depends(get_recorded_knowledge)]
