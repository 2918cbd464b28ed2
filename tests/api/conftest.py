"""The app on the real Copenhagen data, started once per session, and a live uvicorn server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from graph.data.knowledge import Knowledge
from tests.api.helpers import PROJECT_ROOT, TEST_TIMEOUT

#: Seconds the live server waits for a request's headers.
LIVE_HEADER_TIMEOUT = 2.0


@pytest.fixture(scope="session")
def settings() -> Settings:
    # TestClient sends ``Host: testserver``: that is the app's public address here.
    return Settings(
        sparql_timeout=TEST_TIMEOUT, max_body_bytes=50_000, base_url="http://testserver"
    )


@pytest.fixture(scope="session")
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        deadline = time.monotonic() + 60
        while test_client.get("/health").json()["sparql"] != "klar":
            assert time.monotonic() < deadline, "the SPARQL worker did not start"
            time.sleep(0.05)
        yield test_client


@pytest.fixture(scope="session")
def api_kg(client: TestClient) -> Knowledge:
    """The Knowledge the app loaded."""
    knowledge: Knowledge = client.app.state.runtime.knowledge  # type: ignore[attr-defined]
    return knowledge


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """The server ``stafet serve`` starts, on a free loopback port, stopped at the end.

    Short header and queue limits, so that the tests of them finish quickly.
    """
    port = free_port()
    env = {
        **os.environ,
        "STAFET_SPARQL_TIMEOUT": str(TEST_TIMEOUT),
        "STAFET_HEADER_TIMEOUT": str(LIVE_HEADER_TIMEOUT),
    }
    command = [sys.executable, "-m", "api.server", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"uvicorn stopped at start-up (code {process.returncode})")
            try:
                # ready, not only up: warming up after start-up shares the CPU with requests
                if httpx.get(base + "/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("uvicorn was not ready (/health/ready) within 90 s")
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
