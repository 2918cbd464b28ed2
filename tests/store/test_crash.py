"""SIGKILL during a stream of writes loses no acknowledged change and leaves no half one.

The writer is a subprocess (tests/store/crash_writer.py) that prints each change after its
commit returned. It (embedded store) or the Oxigraph server under it is killed at a random
moment; the store is reopened and checked with :func:`graph.store.export.verify`. A small
seed keeps each trial short: what is tested is the log and the commit, not the data.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graph.data.loader import OWN_ONTOLOGY, TurtleFiles
from graph.store.backend import Store
from graph.store.embedded import EmbeddedStore
from graph.store.export import verify
from graph.store.open import seed_store
from graph.store.sparql import SparqlStore
from tests.store.crash_writer import write_one
from tests.store.oxigraph_server import OxigraphServer

ROOT = Path(__file__).resolve().parents[2]
SEED = TurtleFiles([OWN_ONTOLOGY, ROOT / "tests" / "fixtures" / "mini.ttl"])
TRIALS = 20


class Writer:
    """The writer subprocess and the acknowledged changes it printed."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.store.crash_writer", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.acknowledged: list[tuple[int, str]] = []
        self.first = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            parts = line.split()
            if not line.endswith("\n") or len(parts) != 2:
                continue  # cut off mid-line by the kill: not (wholly) acknowledged
            self.acknowledged.append((int(parts[0]), parts[1]))
            self.first.set()

    def wait_and_finish(self) -> list[tuple[int, str]]:
        self.process.wait(30)
        self._reader.join(30)
        assert self.process.stdout is not None
        self.process.stdout.close()
        return self.acknowledged


def check(store: Store, acknowledged: list[tuple[int, str]]) -> int:
    """Every acknowledged change is in the log, the log is sound, writing goes on."""
    found = verify(store, SEED)
    assert found.problems == [] and found.reached_seed is True
    logged = {c.id: c.sequence for c in store.changes(0)}
    assert all(logged.get(change) == number for number, change in acknowledged)
    head = store.head()
    assert head.sequence >= (acknowledged[-1][0] if acknowledged else 1)
    assert head.sequence <= (acknowledged[-1][0] if acknowledged else 1) + 1  # at most one unsaid
    sequence, _ = write_one(store)
    assert sequence == head.sequence + 1
    return sequence


def test_sigkill_of_an_embedded_writer_loses_nothing(tmp_path: Path) -> None:
    where = tmp_path / "store"
    store = EmbeddedStore(where)
    seed_store(store, SEED)
    store.close()
    del store
    rng, writes = random.Random(11), 0
    for _ in range(TRIALS):
        writer = Writer("embedded", str(where))
        assert writer.first.wait(60), "the writer never acknowledged a change"
        time.sleep(rng.uniform(0, 0.4))
        writer.process.send_signal(signal.SIGKILL)
        acknowledged = writer.wait_and_finish()
        writes += len(acknowledged)
        reopened = EmbeddedStore(where)
        check(reopened, acknowledged)
        reopened.close()
        del reopened
    print(f"embedded: {TRIALS} SIGKILL trials, {writes} acknowledged writes, none lost")


@pytest.mark.oxigraph_server
def test_sigkill_of_the_oxigraph_server_loses_nothing(tmp_path: Path) -> None:
    server = OxigraphServer(tmp_path / "oxigraph")
    server.start()
    store = SparqlStore(server.query_url, update_url=server.update_url)
    seed_store(store, SEED)
    rng, writes = random.Random(11), 0
    try:
        for _ in range(TRIALS):
            writer = Writer("sparql", server.query_url, server.update_url)
            assert writer.first.wait(60), "the writer never acknowledged a change"
            time.sleep(rng.uniform(0, 0.4))
            server.kill()
            acknowledged = writer.wait_and_finish()
            writes += len(acknowledged)
            server.start()
            check(store, acknowledged)
    finally:
        server.stop()
    print(f"oxigraph server: {TRIALS} SIGKILL trials, {writes} acknowledged writes, none lost")
