"""The API's side of SPARQL: start the worker process and send it queries.

The event loop only waits on a Unix socket; parsing, evaluation and the deadline all live
in the worker (see :mod:`api.sparql.worker`), so a runaway query never blocks a request.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from api.problems import ApiProblem
from api.settings import Settings
from api.sparql.fairness import Busy, FairGate
from api.sparql.protocol import encode_frame, unpack_length
from graph.store.backend import Store
from graph.store.change import Change, serialise_triples
from ontology.namespaces import jsonld_context

__all__ = ["SparqlAnswer", "SparqlEngine"]

READY_TIMEOUT = 120.0  # a cold worker parses the Turtle files: well under a second here


@dataclass(frozen=True, slots=True)
class SparqlAnswer:
    media_type: str
    body: bytes


class SparqlEngine:
    """A client of one worker process; restarts it if it dies."""

    def __init__(self, settings: Settings, files: Sequence[Path]) -> None:
        self.settings = settings
        self.files = [str(path) for path in files]
        self.triples: int | None = None
        self._dir = Path(tempfile.mkdtemp(prefix="stafet-sparql-"))
        self._socket = str(self._dir / "worker.sock")
        self._process: subprocess.Popen[bytes] | None = None
        # A gate whose futures belong to the loop that uses it, and threading events: no
        # event loop is bound to the engine when it is made.
        s = settings
        self._gate = FairGate(s.sparql_max_concurrent, s.sparql_per_client, s.sparql_queue_seconds)
        self._restarting = False
        self._ready = threading.Event()
        self._reader = threading.Thread()
        #: The store's change the worker's data shows (0: the seed files, no store).
        self.sequence = 0
        #: The last change the worker has acknowledged applying.
        self.applied = 0
        self._updates: list[str] = []  # command lines since the data was dumped
        self._write_lock = threading.Lock()

    @property
    def status(self) -> str:
        if self._process is None and not self._ready.is_set():
            return "starter"  # not yet started: the app starts it just after start-up
        if self._process is None or self._process.poll() is not None:
            return "nede"
        return "klar" if self.triples is not None else "starter"

    def use_store(self, store: Store) -> None:
        """Serve ``store``'s current data (dumped for the worker) instead of the seed files."""
        head = store.head()
        path = self._dir / "data.nt"
        ox.serialize(
            (ox.Triple(q.subject, q.predicate, q.object) for q in store.data_quads()),
            str(path),
            format=ox.RdfFormat.N_TRIPLES,
        )
        self.files, self.sequence, self.applied = [str(path)], head.sequence, head.sequence
        self._updates = []

    def apply(self, changes: Sequence[Change]) -> None:
        """Send the worker the committed ``changes`` it has not seen (oldest first).

        Queries forked after the worker has read them answer from the new data; a worker
        started again later replays them.
        """
        with self._write_lock:
            for change in changes:
                if change.sequence <= self.sequence:
                    continue
                update = (
                    f"DELETE DATA {{ {serialise_triples(change.removed)} }} ;\n"
                    f"INSERT DATA {{ {serialise_triples(change.added)} }}"
                )
                line = json.dumps({"update": update, "sequence": change.sequence}) + "\n"
                self._updates.append(line)
                self.sequence = change.sequence
                process = self._process
                if process is not None and process.stdin is not None:
                    try:
                        process.stdin.write(line.encode("utf-8"))
                        process.stdin.flush()
                    except OSError:
                        pass  # the worker has died: started again, it replays the changes

    def start(self) -> None:
        """Start the worker; it loads the store while the API compiles its graph."""
        self._discard()
        Path(self._socket).unlink(missing_ok=True)
        self.triples = None
        s = self.settings
        command = [sys.executable, "-m", "api.sparql.worker", "--socket", self._socket]
        if self._updates:
            updates = self._dir / "updates.jsonl"
            updates.write_text("".join(self._updates), encoding="utf-8")
            command += ["--updates", str(updates)]
        command += ["--timeout", str(s.sparql_timeout), "--max-rows", str(s.sparql_max_rows)]
        command += ["--max-triples", str(s.sparql_max_triples)]
        command += ["--memory-mb", str(s.sparql_memory_mb)]
        command += ["--max-children", str(s.sparql_max_concurrent * 2)]
        command += ["--context", json.dumps(jsonld_context()), *self.files]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._process = process
        if self._ready.is_set():  # unset: queries already wait on it (the first start)
            self._ready = threading.Event()
        ready = self._ready
        # The worker says it is ready on stdout; the app does not wait for it to start.
        self._reader = threading.Thread(
            target=self._read_ready,
            args=(process, ready, self.sequence),
            name="stafet-sparql",
            daemon=True,
        )
        self._reader.start()

    def _read_ready(
        self, process: subprocess.Popen[bytes], ready: threading.Event, replayed: int
    ) -> None:
        assert process.stdout is not None
        try:
            line = process.stdout.readline()
            if line:
                self.triples = int(json.loads(line)["triples"])
                self.applied = max(self.applied, replayed)
        except (OSError, ValueError):
            pass  # the worker died before it was ready: ``triples`` stays None
        finally:
            ready.set()
        try:  # then the worker acknowledges each change it applies
            for line in process.stdout:
                answer = json.loads(line)
                self.applied, self.triples = int(answer["applied"]), int(answer["triples"])
        except (OSError, ValueError):
            pass

    async def wait_ready(self, timeout: float = READY_TIMEOUT) -> bool:
        """Wait (without blocking the event loop) until the worker has loaded its store."""
        if not self._ready.is_set():
            await asyncio.to_thread(self._ready.wait, timeout)
        return self.triples is not None

    async def close(self) -> None:
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                await asyncio.wait_for(asyncio.to_thread(process.wait), 5)
            except TimeoutError:
                process.kill()
        self._discard()
        shutil.rmtree(self._dir, ignore_errors=True)

    def _discard(self) -> None:
        """Reap a stopped worker and close its pipes."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.wait()
        self._reader.join(timeout=5)  # it has seen end of file by now
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()

    @property
    def _active(self) -> int:
        """How many queries run now, all clients together (a test sets it to fill them)."""
        return self._gate.active

    @_active.setter
    def _active(self, value: int) -> None:
        self._gate.active = value

    async def query(
        self, query: str, accept: str | None, context_url: str, client: str = ""
    ) -> SparqlAnswer:
        """Run a query for ``client`` (its address) when the gate gives it a fair slot.

        Refusals, timeouts and caps come back as :class:`ApiProblem`.
        """
        timeout = self.settings.sparql_timeout
        try:
            async with self._gate.slot(client):
                return await self._run(query, accept, context_url)
        except Busy:
            raise ApiProblem(
                "too-many-requests",
                "Der kører allerede for mange SPARQL-forespørgsler; prøv igen om lidt.",
                headers={"Retry-After": str(max(1, round(timeout)))},
            ) from None

    async def _run(self, query: str, accept: str | None, context_url: str) -> SparqlAnswer:
        timeout = self.settings.sparql_timeout
        try:
            if not await self.wait_ready():
                raise OSError("the worker did not start")
            request = {"query": query, "accept": accept, "context_url": context_url}
            header, body = await asyncio.wait_for(self._exchange(request), timeout + 5)
        except (OSError, EOFError, asyncio.IncompleteReadError, TimeoutError, ValueError):
            await self._revive()
            raise ApiProblem(
                "unavailable", "SPARQL-processen svarede ikke; den genstartes. Prøv igen."
            ) from None
        problem = header.get("problem")
        if problem:
            raise ApiProblem(str(problem["slug"]), str(problem["detail"]))
        return SparqlAnswer(str(header["media_type"]), body)

    async def _exchange(self, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        reader, writer = await asyncio.open_unix_connection(self._socket)
        try:
            writer.write(encode_frame(request))
            await writer.drain()
            size = unpack_length(await reader.readexactly(4))
            header = json.loads(await reader.readexactly(size))
            body = await reader.readexactly(int(header.get("length", 0)))
            return header, body
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def _revive(self) -> None:
        """Restart the worker if it has died (once, however many requests noticed)."""
        if self._restarting or (self._process is not None and self._process.poll() is None):
            return
        self._restarting = True
        try:
            self.start()
            await self.wait_ready()
        finally:
            self._restarting = False
