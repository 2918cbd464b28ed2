"""An app server in a subprocess, as the browser and cluster tests start it: wait for its
``/health``, stop it with SIGTERM (then SIGKILL)."""

from __future__ import annotations

import signal
import subprocess
import time
from dataclasses import dataclass

import httpx
import pytest

__all__ = ["Server", "stop", "wait_until_healthy"]


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]


def wait_until_healthy(server: Server, deadline: float) -> None:
    """Return once ``/health/ready`` answers 200 (loaded and warmed: a follow then patches built
    indexes instead of building them); fail the test if the process dies or time runs out."""
    while True:
        if server.process.poll() is not None:
            pytest.fail(f"the app server stopped at start-up (code {server.process.returncode})")
        try:
            if httpx.get(server.base + "/health/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            pytest.fail("the app server was not ready (/health/ready) in time")
        time.sleep(0.1)


def stop(server: Server, timeout: float = 15) -> None:
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=5)
