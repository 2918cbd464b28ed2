"""The forked child that answers one query: deadline, memory limit, sealed descriptors."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import socket
from pathlib import Path

import pyoxigraph as ox

from api.sparql.evaluate import Limits, evaluate, memory_message
from api.sparql.protocol import encode_frame, problem_header, read_frame

__all__ = ["run_child", "seal_descriptors"]


def run_child(conn: socket.socket, store: ox.Store, limits: Limits) -> None:
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # the kernel ends us, even inside Rust
    signal.setitimer(signal.ITIMER_REAL, limits.timeout)
    _limit_memory(limits.memory_bytes)
    try:
        request = read_frame(conn)
        seal_descriptors(conn)
        header, body = evaluate(request, store, limits)
    except MemoryError:
        header, body = problem_header("sparql-too-large", memory_message(limits)), b""
    except Exception as exc:  # a broken request must still get an answer
        header, body = problem_header("bad-request", f"Forespørgslen kunne ikke læses: {exc}"), b""
    signal.setitimer(signal.ITIMER_REAL, 0)
    with contextlib.suppress(OSError):  # the client has gone: nobody to tell
        conn.sendall(encode_frame(header, body))


def _limit_memory(extra: int) -> None:
    try:
        status = Path("/proc/self/status").read_text()
        size = next(
            int(line.split()[1]) * 1024
            for line in status.splitlines()
            if line.startswith("VmSize:")
        )
    except (OSError, StopIteration, ValueError):
        return
    resource.setrlimit(resource.RLIMIT_AS, (size + extra, size + extra))


def seal_descriptors(conn: socket.socket) -> None:
    """Leave no free file descriptor: from here on nothing can open a file or a socket.

    Defence in depth behind the guard: even a ``SERVICE`` the guard missed could not
    connect anywhere, and no function could read a file.
    """
    top = max(conn.fileno(), 2)
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    os.closerange(top + 1, max(soft, top + 1))
    resource.setrlimit(resource.RLIMIT_NOFILE, (top + 1, top + 1))
    while True:
        try:
            os.open(os.devnull, os.O_RDONLY)
        except OSError:
            break
