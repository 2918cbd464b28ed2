"""What the app holds while it runs: one Knowledge snapshot, the SPARQL worker, caches.

Built in the lifespan and kept on ``app.state.runtime``; nothing lives in module globals.
With a store of record, :meth:`Runtime.follow` brings the snapshot up to the store's head:
after this instance commits a change, and — from the poller the lifespan starts
(:meth:`Runtime.start_polling`) — when another instance has.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from api.settings import Settings
from api.sparql.engine import SparqlEngine
from graph.data.cache import read_registry, write_registry
from graph.data.incremental import follow_changes
from graph.data.knowledge import Knowledge
from graph.data.loader import PROJECT_ROOT, Source
from graph.questions.channels import prepared
from graph.store.backend import Store
from graph.store.source import StoreSource

__all__ = ["Runtime", "load"]

T = TypeVar("T")
log = logging.getLogger("stafet.api")
#: Where the compiled registry is cached when ``settings.cache_dir`` is not set.
DEFAULT_CACHE_DIR = PROJECT_ROOT / ".cache" / "compiled"
#: How many municipalities' referral channels the warm-up prepares (the rest on their first
#: referral: at national scale, preparing all of them would hold the CPU for minutes).
WARM_AREAS = 3
#: How many older compiled caches a start-up tries to bring forward (newest first).
_OLDER_CACHES = 5


@dataclass
class Runtime:
    settings: Settings
    knowledge: Knowledge
    sparql: SparqlEngine | None
    load_seconds: float
    store: Store | None = None
    #: The store's change the snapshot shows (0 without a store).
    sequence: int = 0
    #: The store's head when it was last read, when (monotonic seconds), and why not.
    head: int = 0
    checked_at: float | None = None
    error: str | None = None
    _follow_lock: threading.Lock = field(default_factory=threading.Lock)
    _cache: OrderedDict[tuple[str, ...], Any] = field(default_factory=OrderedDict)
    _cache_lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _poller: threading.Thread | None = None
    _warmer: threading.Thread | None = None
    _warmed: threading.Event = field(default_factory=threading.Event)

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

        The changes since :attr:`sequence` are applied entry by entry
        (:func:`graph.data.incremental.follow_changes`: the last snapshot's indexes are
        carried over and patched); the snapshot is swapped in whole, so a request sees the
        old graph or the new one, never a mixture, and the answer caches are cleared.
        Nothing is built whole here: what the follow did not carry over (the networkx
        graph, the referral's structures) is built by the first request that needs it. The
        SPARQL worker is sent the same changes.

        Raises
        ------
        StoreError
            The store could not be read (the snapshot stays as it was).
        """
        if self.store is None:
            return self.sequence
        with self._follow_lock:
            head = self.store.head()
            self.head, self.checked_at = head.sequence, time.monotonic()
            if head.sequence <= self.sequence:
                return self.sequence
            changes = self.store.changes(since=self.sequence, until=head.sequence)
            if changes:
                last = changes[-1]
                fingerprint = f"store-{last.sequence}-{last.id}"
                followed = follow_changes(self.knowledge, changes, fingerprint=fingerprint)
                self.knowledge, self.sequence = followed.knowledge, last.sequence
                with self._cache_lock:
                    self._cache.clear()
                if self.sparql is not None:
                    self.sparql.apply(changes)
            return self.sequence

    @property
    def lag_seconds(self) -> float | None:
        """Seconds since the store's head was last read (None: never, or no store)."""
        return None if self.checked_at is None else time.monotonic() - self.checked_at

    def save_cache(self) -> None:
        """Write the compiled registry for the change it shows (a restart then reads it)."""
        if self.store is None:
            return
        path = cache_dir(self.settings) / f"{self.knowledge.fingerprint}.json"
        if not path.exists():
            write_registry(self.knowledge.registry, path)

    def start_warming(self) -> None:
        """Finish the start-up in a background thread while the app already answers.

        The indexes the first answers read were built by :func:`load`; the rest (search,
        referral graph, the Oxigraph copy behind the RDF twins) is built here, then the
        SPARQL worker is given the store's data and started: ``/health/ready`` answers 200
        once it is ready. A request that needs an index not yet built waits for it
        (``cached_property`` builds it once); requests meanwhile share the CPU with it.
        """
        if self._warmer is not None:
            return
        self._warmer = threading.Thread(target=self._warm, name="stafet-warm", daemon=True)
        self._warmer.start()

    def _warm(self) -> None:
        try:
            warm(self.knowledge)
            if self.sparql is not None:  # last: /health/ready says when all of it is done
                with self._follow_lock:  # a follow meanwhile would send the worker changes twice
                    if self.store is not None:
                        self.sparql.use_store(self.store)
                    self.sparql.start()
        except Exception as exc:  # logged: the request that needs the index builds it again
            log.warning("Opvarmning efter start mislykkedes: %s: %s", type(exc).__name__, exc)
        settle_memory()
        self._warmed.set()

    @property
    def warming(self) -> bool:
        """The start-up's warming is still building indexes (``/health/ready`` says 503)."""
        return self._warmer is not None and not self._warmed.is_set()

    def start_polling(self) -> None:
        """Follow the store every ``settings.store_poll_seconds``, in a background thread."""
        if self.store is None or self._poller is not None:
            return
        self._stop.clear()
        self._poller = threading.Thread(target=self._poll, name="stafet-follow", daemon=True)
        self._poller.start()

    def stop_polling(self) -> None:
        """Stop the poller, and wait for the start-up's warming (it may start a worker)."""
        poller, self._poller = self._poller, None
        self._stop.set()
        if poller is not None:
            poller.join(timeout=30)
        if self._warmer is not None:
            self._warmer.join(timeout=120)

    def _poll(self) -> None:
        while not self._stop.wait(self.settings.store_poll_seconds):
            try:
                self.follow()
            except Exception as exc:  # a failed poll is logged and retried, whatever it was
                message = f"{type(exc).__name__}: {exc}"
                if message != self.error:
                    log.warning("Registret kunne ikke følges (prøver igen): %s", message)
                self.error = message
            else:
                if self.error is not None:
                    log.info("Registret følges igen (ændring %d)", self.sequence)
                self.error = None


def settle_memory() -> None:
    """Take what the start-up built out of the cyclic garbage collector's walks.

    The snapshot lives as long as the process, and a follower reuses most of it: frozen
    (``gc.freeze``, after a collection so that no garbage is kept), a full collection walks
    only what came after. Without this, one in twenty follows paused seconds walking
    millions of objects, and at 100 municipalities a referral now and then paused for the
    collector longer than it took to answer. Frozen objects are still freed when nothing
    refers to them.
    """
    gc.collect()
    gc.freeze()


def warm_first(knowledge: Knowledge) -> None:
    """Build the indexes the first answers (who handles a task, by id) read."""
    knowledge.participations_by_task  # noqa: B018
    knowledge.participations_by_unit  # noqa: B018
    knowledge.children  # noqa: B018


def warm(knowledge: Knowledge) -> None:
    """Build the indexes requests read now, not on the first request that needs them."""
    warm_first(knowledge)
    knowledge.search  # noqa: B018
    for municipality in _municipalities(knowledge)[:WARM_AREAS]:
        prepared(knowledge, municipality)  # the referral search's channels from there
    knowledge.store  # noqa: B018 - the Oxigraph store behind the /id/… RDF twins


def _municipalities(knowledge: Knowledge) -> list[str]:
    return sorted(
        u.id for u in knowledge.units.values() if u.kind == "municipality" and not u.is_external
    )


def cache_dir(settings: Settings) -> Path:
    return settings.cache_dir or DEFAULT_CACHE_DIR


def load(settings: Settings, source: Source) -> tuple[Knowledge, float]:
    """Load and compile the knowledge graph, and build the indexes the first answers read.

    The rest is built by :meth:`Runtime.start_warming` once the app answers.

    From a store without a compiled cache for its head, the newest cache of an earlier
    change of the same store is brought forward by the changes since (no full compile).
    """
    started = time.perf_counter()
    folder = cache_dir(settings)
    knowledge = None
    if isinstance(source, StoreSource):
        knowledge = _from_older_cache(source, folder)
    if knowledge is None:
        knowledge = Knowledge.from_source(source, cache_dir=folder)
    warm_first(knowledge)
    return knowledge, time.perf_counter() - started


def _from_older_cache(source: StoreSource, folder: Path) -> Knowledge | None:
    head = source.head.sequence
    if (folder / f"{source.fingerprint()}.json").exists():
        return None  # the head's own cache: Knowledge.from_source reads it
    older: list[tuple[int, str, Path]] = []
    for path in folder.glob("store-*-*.json"):
        digits, _, change = path.stem.removeprefix("store-").partition("-")
        if digits.isdigit() and int(digits) < head:
            older.append((int(digits), change, path))
    for number, change, path in sorted(older, reverse=True)[:_OLDER_CACHES]:
        logged = source.backend.changes(since=number - 1, until=number)
        if not logged or logged[0].id != change:
            continue  # another store's cache
        registry = read_registry(path)
        if registry is None:
            continue
        base = Knowledge(registry, fingerprint=path.stem, source=source)
        changes = source.backend.changes(since=number, until=head)
        knowledge = follow_changes(base, changes, fingerprint=source.fingerprint()).knowledge
        write_registry(knowledge.registry, folder / f"{source.fingerprint()}.json")
        log.info("Kompileret cache for ændring %d ført frem til %d", number, head)
        return knowledge
    return None
