"""A fair share of the SPARQL worker for each client: per-client slots and a short queue.

Each client (its address; a token later) may run ``per_client`` queries at a time, and all
clients together ``total``. A query that finds no free slot waits up to ``wait`` seconds;
when a slot frees, the waiting client that was served longest ago gets it, so one client
that hammers cannot starve another. Past the wait, or with a full queue, :class:`Busy`.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from itertools import count

__all__ = ["Busy", "FairGate"]

REMEMBERED_CLIENTS = 4096  # when each client was last served, for this many clients


class Busy(Exception):
    """No slot came free within the wait."""


@dataclass(eq=False)
class _Waiter:
    client: str
    future: asyncio.Future[None] = field(repr=False)


class FairGate:
    """Hand out query slots fairly between clients.

    Examples
    --------
    >>> async def demo() -> list[str]:
    ...     gate, seen = FairGate(total=2, per_client=1, wait=0.05), []
    ...     async with gate.slot("a"):
    ...         async with gate.slot("b"):
    ...             seen.append("a and b run together")
    ...         try:
    ...             async with gate.slot("a"):
    ...                 pass
    ...         except Busy:
    ...             seen.append("a second query from a waits, then is refused")
    ...     return seen
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with ThreadPoolExecutor(1) as pool:  # a thread of its own: no other loop in the way
    ...     pool.submit(lambda: asyncio.run(demo())).result()
    ['a and b run together', 'a second query from a waits, then is refused']
    """

    def __init__(self, total: int, per_client: int, wait: float) -> None:
        self.total = total
        self.per_client = per_client
        self.wait = wait
        self.active = 0
        self._running: dict[str, int] = {}
        self._waiting: list[_Waiter] = []
        self._served: OrderedDict[str, int] = OrderedDict()
        self._tickets = count()

    @asynccontextmanager
    async def slot(self, client: str) -> AsyncIterator[None]:
        """Hold one slot for ``client`` while the block runs; :class:`Busy` if none frees."""
        await self._acquire(client)
        try:
            yield
        finally:
            self._release(client)

    def _may_run(self, client: str) -> bool:
        return self.active < self.total and self._running.get(client, 0) < self.per_client

    async def _acquire(self, client: str) -> None:
        if self._may_run(client):
            self._grant(client)
            return
        queued = sum(1 for waiter in self._waiting if waiter.client == client)
        if queued >= self.per_client or self.wait <= 0:
            raise Busy
        waiter = _Waiter(client, asyncio.get_running_loop().create_future())
        self._waiting.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter.future), self.wait)
        except TimeoutError:
            if not waiter.future.done():  # not granted just as the wait ended
                self._abandon(waiter)
                raise Busy from None
        except BaseException:  # the request was cancelled: the client went away
            if waiter.future.done():
                self._release(client)
            else:
                self._abandon(waiter)
            raise

    def _abandon(self, waiter: _Waiter) -> None:
        self._waiting.remove(waiter)
        waiter.future.cancel()

    def _grant(self, client: str) -> None:
        self.active += 1
        self._running[client] = self._running.get(client, 0) + 1
        self._served[client] = next(self._tickets)
        self._served.move_to_end(client)
        while len(self._served) > REMEMBERED_CLIENTS:
            self._served.popitem(last=False)

    def _release(self, client: str) -> None:
        self.active = max(0, self.active - 1)
        left = self._running.get(client, 0) - 1
        if left > 0:
            self._running[client] = left
        else:
            self._running.pop(client, None)
        self._dispatch()

    def _dispatch(self) -> None:
        """Give free slots to waiting clients, the one served longest ago first."""
        while True:
            ready = [w for w in self._waiting if self._may_run(w.client)]
            if not ready:
                return
            chosen = min(ready, key=lambda w: self._served.get(w.client, -1))
            self._waiting.remove(chosen)
            self._grant(chosen.client)
            chosen.future.set_result(None)
