"""A real Oxigraph server on loopback, for the tests (the ``oxigraph`` package's binary).

``OxigraphServer(location)`` runs ``oxigraph serve --location DIR --bind 127.0.0.1:PORT``,
waits until it answers a query, and can be killed (SIGKILL) and started again on the same
directory: what the crash tests and the two-instance tests need.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

__all__ = ["OxigraphServer", "oxigraph_binary"]


def oxigraph_binary() -> Path:
    """The ``oxigraph`` executable: beside this Python (the venv's bin), else on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("oxigraph")
    if found is None:
        raise FileNotFoundError("the oxigraph server binary is missing: run `make install`")
    return Path(found)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class OxigraphServer:
    """One ``oxigraph serve`` process over ``location`` (a directory kept across restarts)."""

    def __init__(self, location: Path, port: int | None = None) -> None:
        self.location = location
        self.port = port or _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._log = location.parent / f"{location.name}.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    def start(self, wait: float = 30.0) -> None:
        """Start the server and wait until it answers (or raise with its log)."""
        self.location.mkdir(parents=True, exist_ok=True)
        with self._log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(oxigraph_binary()),
                    "serve",
                    "--location",
                    str(self.location),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self._answers():
                return
            time.sleep(0.05)
        output = self._log.read_text(errors="replace")[-2000:]
        self.stop()
        raise RuntimeError(f"oxigraph serve did not start on port {self.port}:\n{output}")

    def _answers(self) -> bool:
        request = urllib.request.Request(
            self.query_url,
            data=b"ASK {}",
            headers={"Content-Type": "application/sparql-query"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=1) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def kill(self) -> None:
        """SIGKILL the server: no flush, no goodbye."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after a few seconds)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def __enter__(self) -> OxigraphServer:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
