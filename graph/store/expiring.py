"""A small thread-safe cache whose answers expire: the one behind token and session lookups.

A request that names a token or a session should not cost a store read every time, and a
revoked token or an ended session must stop working soon after. So each answer (a record,
or None for "not known") is kept for a fixed number of seconds under the secret's digest.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["ExpiringLookups"]

T = TypeVar("T")


class ExpiringLookups(Generic[T]):
    """Remember ``load(secret)`` for ``seconds`` under ``key``; at most ``size`` entries.

    Examples
    --------
    >>> calls = []
    >>> cache = ExpiringLookups(lambda s: calls.append(s) or s.upper(), seconds=60)
    >>> cache.get("k", "abc"), cache.get("k", "abc"), calls
    ('ABC', 'ABC', ['abc'])
    >>> cache.pop("k"); cache.get("k", "abc"), calls
    ('ABC', ['abc', 'abc'])
    """

    def __init__(
        self,
        load: Callable[[str], T | None],
        seconds: float,
        clock: Callable[[], float] = time.monotonic,
        size: int = 1024,
    ) -> None:
        self._load = load
        self.seconds = seconds
        self._clock = clock
        self._size = size
        self._entries: dict[str, tuple[float, T | None]] = {}
        self._lock = threading.Lock()

    def get(self, key: str, secret: str) -> T | None:
        """The answer for ``secret`` (kept under ``key``, its digest), loaded if stale."""
        now = self._clock()
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        record = self._load(secret)
        with self._lock:
            if len(self._entries) >= self._size:
                self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
                if len(self._entries) >= self._size:
                    self._entries.clear()
            self._entries[key] = (now + self.seconds, record)
        return record

    def pop(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
