"""The SPARQL worker: one Oxigraph store in its own process, one forked child per query.

Started by :mod:`api.sparql.engine` as ``python -m api.sparql.worker``. Oxigraph evaluates
in Rust and cannot be interrupted from Python, so every query runs in a child forked from
this process: it shares the loaded store copy-on-write (a fork takes a few milliseconds),
has an address-space limit, dies by ``SIGALRM`` at the deadline whatever it is doing, and
cannot open a file or socket once it starts evaluating. The worker itself only accepts,
forks, reaps and, when a child was stopped, tells the client why.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import selectors
import signal
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from api.sparql import results
from api.sparql.evaluate import (
    Limits,
    evaluate,
    killed_message,
    memory_message,
    timeout_message,
)
from api.sparql.protocol import encode_frame, problem_header
from api.sparql.sandbox import run_child
from graph.data.loader import add_standard_types

__all__ = ["Limits", "main"]

GRACE = 1.0  # seconds past the deadline before the worker kills a child itself
# How a child ends when it runs out of its address space: Python's MemoryError is answered
# by the child itself; Rust aborts on a failed allocation; a bad pointer after it, SIGSEGV.
MEMORY_SIGNALS = frozenset({signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS})


@dataclass(slots=True)
class Child:
    conn: socket.socket
    deadline: float
    killed: bool = False


def load_store(files: list[str]) -> ox.Store:
    store = ox.Store()
    for path in files:
        store.load(Path(path).read_bytes(), format=ox.RdfFormat.TURTLE)
    add_standard_types(store)  # the same standard types as every other view of the data
    return store


def serve(listener: socket.socket, store: ox.Store, limits: Limits) -> None:
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    selector.register(sys.stdin.fileno(), selectors.EVENT_READ)  # EOF: the API has gone
    children: dict[int, Child] = {}
    commands = Commands(sys.stdin.fileno())
    try:
        while True:
            now = time.monotonic()
            wait = min((c.deadline for c in children.values()), default=now + 60) - now
            for key, _ in selector.select(max(0.0, wait)):
                if key.fileobj is listener:
                    conn, _ = listener.accept()
                    if len(children) >= limits.max_children:
                        _tell(conn, "too-many-requests", "For mange samtidige forespørgsler.")
                        continue
                    pid = os.fork()
                    if pid == 0:
                        signal.set_wakeup_fd(-1)
                        for fd in (wake_read, wake_write, listener.fileno()):
                            os.close(fd)
                        try:
                            run_child(conn, store, limits)
                        finally:
                            os._exit(0)
                    children[pid] = Child(conn, time.monotonic() + limits.timeout + GRACE)
                elif key.fileobj == wake_read:
                    while _drain(wake_read):
                        pass
                elif not commands.read(store):
                    return
            _reap(children, limits)
            for pid, child in children.items():
                if not child.killed and time.monotonic() > child.deadline:
                    child.killed = True
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


class Commands:
    """The API's changes to the data, one JSON line each on stdin (end of file: it has gone).

    A line ``{"update": "DELETE DATA {…} ; INSERT DATA {…}", "sequence": n}`` is applied to
    the store before the next query is forked, and acknowledged on stdout.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.pending = b""

    def read(self, store: ox.Store) -> bool:
        data = os.read(self.fd, 1 << 16)
        if not data:
            return False
        self.pending += data
        while b"\n" in self.pending:
            line, self.pending = self.pending.split(b"\n", 1)
            if line.strip():
                sequence = apply_update(store, line)
                print(json.dumps({"applied": sequence, "triples": len(store)}), flush=True)
        return True


def apply_update(store: ox.Store, line: bytes) -> int:
    """Apply one command line (see :class:`Commands`); return its sequence number."""
    command = json.loads(line)
    store.update(str(command["update"]))
    return int(command.get("sequence", 0))


def _drain(fd: int) -> bool:
    try:
        return bool(os.read(fd, 512))
    except BlockingIOError:
        return False


def _reap(children: dict[int, Child], limits: Limits) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        child = children.pop(pid, None)
        if child is None:
            continue
        if os.WIFSIGNALED(status):
            signum = os.WTERMSIG(status)
            if signum == signal.SIGALRM or child.killed:
                _tell(child.conn, "sparql-timeout", timeout_message(limits))
            elif signum in MEMORY_SIGNALS:
                _tell(child.conn, "sparql-too-large", memory_message(limits))
            else:  # SIGKILL or SIGTERM from outside: an operator or the kernel's OOM killer
                _tell(child.conn, "unavailable", killed_message(signal.Signals(signum).name))
        elif os.WEXITSTATUS(status) != 0:
            _tell(child.conn, "bad-request", "Forespørgslen kunne ikke behandles.")
        child.conn.close()


def _tell(conn: socket.socket, slug: str, detail: str) -> None:
    try:
        conn.settimeout(1.0)
        conn.sendall(encode_frame(problem_header(slug, detail)))
    except OSError:
        pass
    finally:
        conn.close()


def _warm(store: ox.Store, limits: Limits) -> None:
    """Run each path once, so that every lazy import happens before children seal their fds."""
    queries = {
        "SELECT * WHERE { ?s ?p ?o } LIMIT 1": results.SOLUTION_TYPES,
        "ASK { ?s ?p ?o }": results.BOOLEAN_TYPES,
        "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1": results.GRAPH_TYPES,
    }
    for query, media_types in queries.items():
        for media_type in media_types:
            evaluate({"query": query, "accept": media_type, "context_url": ""}, store, limits)
    for bad in ("SELECT", "INSERT DATA { <a:b> <a:c> <a:d> }"):
        evaluate({"query": bad, "accept": None}, store, limits)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Stafets SPARQL-proces (startes af API'et).")
    parser.add_argument("--socket", required=True)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--max-rows", type=int, default=10_000)
    parser.add_argument("--max-triples", type=int, default=20_000)
    parser.add_argument("--memory-mb", type=int, default=1024)
    parser.add_argument("--max-children", type=int, default=8)
    parser.add_argument("--context", default="{}", help="the JSON-LD context, as JSON")
    parser.add_argument("--updates", help="changes to apply after loading (JSON lines)")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the API, which stops us
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    limits = Limits(
        timeout=args.timeout,
        max_rows=args.max_rows,
        max_triples=args.max_triples,
        memory_bytes=args.memory_mb * 2**20,
        max_children=args.max_children,
        context=json.loads(args.context),
    )
    store = load_store(args.files)
    if args.updates:
        for line in Path(args.updates).read_bytes().splitlines():
            if line.strip():
                apply_update(store, line)
    _warm(store, limits)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(args.socket)
    listener.listen(64)
    print(f'{{"ready": true, "triples": {len(store)}}}', flush=True)
    serve(listener, store, limits)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
