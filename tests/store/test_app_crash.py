"""SIGKILL of the app server during a stream of HTTP writes loses no acknowledged change.

A real ``python -m api.server`` on an embedded store (the mini world: each start takes a few
seconds) takes a stream of ``POST /api/v1/responsibilities`` from two clients; it is killed
at a random moment. Then the store is opened directly: the log is sound
(:func:`graph.store.export.verify`), every write the server answered 201 is in the data and
the log, nothing half-written is there, and a restarted server answers with them.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from graph.data.loader import OWN_ONTOLOGY, TurtleFiles
from graph.store.embedded import EmbeddedStore
from graph.store.export import verify
from graph.store.open import seed_store
from graph.store.tokens import create_token
from tests.api.conftest import free_port
from tests.app_server import Server, stop, wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini.ttl"
TRIALS = 5
CLIENTS = 2
PARTICIPATION = "https://stafet.kk.dk/id/participation/"


def _start(data: Path, store: Path, cache: Path) -> Server:
    port = free_port()
    env = {
        **os.environ,
        "STAFET_DATA_DIR": str(data),
        "STAFET_STORE_PATH": str(store),
        "STAFET_CACHE_DIR": str(cache),
        "STAFET_SPARQL_ENABLED": "false",
        "STAFET_BASE_URL": f"http://127.0.0.1:{port}",
    }
    command = [sys.executable, "-m", "api.server", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return Server(f"http://127.0.0.1:{port}", process)


def _stream(base: str, token: str, prefix: str, stop_: threading.Event, out: list[str]) -> None:
    """POST responsibilities until the server dies; ``out`` gets the ids answered 201."""
    with httpx.Client(base_url=base, timeout=10) as client:
        n = 0
        while not stop_.is_set():
            ident = f"{prefix}-{n}"
            body = {
                "id": ident,
                "task": "kle-01.01.01",
                "unit": ("a", "b")[n % 2],
                "role": "indsigt",
                "description": "Får indsigt (skrevet af nedbrudstesten).",
                "status": "antaget",
                "source": "https://www.kk.dk/",
                "note": "Antaget af testen.",
            }
            try:
                response = client.post(
                    "/api/v1/responsibilities",
                    json=body,
                    headers={"Authorization": f"Bearer {token}"},
                )
            except httpx.TransportError:
                return  # the server is gone: this write was not acknowledged
            assert response.status_code == 201, response.text
            out.append(ident)
            n += 1


def test_sigkill_of_the_app_server_during_http_writes_loses_nothing(tmp_path: Path) -> None:
    data, where, cache = tmp_path / "data", tmp_path / "store", tmp_path / "cache"
    data.mkdir()
    shutil.copy(MINI, data / "mini.ttl")
    seed = TurtleFiles([OWN_ONTOLOGY, data / "mini.ttl"])
    store = EmbeddedStore(where)
    seed_store(store, seed)
    token = create_token(store, role="admin", name="nedbrudstest").secret
    store.close()
    del store
    rng, acknowledged = random.Random(7), []
    for trial in range(TRIALS):
        server = _start(data, where, cache)
        wait_until_healthy(server, time.monotonic() + 120)
        stop_, outs = threading.Event(), [[] for _ in range(CLIENTS)]
        clients = [
            threading.Thread(target=_stream, args=(server.base, token, f"t{trial}c{c}", stop_, out))
            for c, out in enumerate(outs)
        ]
        for thread in clients:
            thread.start()
        deadline = time.monotonic() + 60
        while sum(map(len, outs)) < 3:  # a stream under way, then a kill at a random moment
            assert time.monotonic() < deadline, "the server never acknowledged a write"
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 1.5))
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(10)
        stop_.set()
        for thread in clients:
            thread.join(30)
        acknowledged += [ident for out in outs for ident in out]

        reopened = EmbeddedStore(where)
        found = verify(reopened, seed)
        assert found.problems == [] and found.reached_seed is True
        logged = {uri for change in reopened.changes(0) for uri in change.resources}
        subjects = {quad.subject.value for quad in reopened.data_quads()}
        stored = {u.removeprefix(PARTICIPATION) for u in subjects if u.startswith(PARTICIPATION)}
        missing = [i for i in acknowledged if i not in stored or PARTICIPATION + i not in logged]
        assert missing == [], f"trial {trial}: acknowledged writes lost: {missing[:5]}"
        reopened.close()
        del reopened

    server = _start(data, where, cache)  # a restart answers with every acknowledged write
    try:
        wait_until_healthy(server, time.monotonic() + 120)
        for ident in rng.sample(acknowledged, min(10, len(acknowledged))):
            answer = httpx.get(f"{server.base}/api/v1/responsibilities/{ident}", timeout=10)
            assert answer.status_code == 200, (ident, answer.text)
    finally:
        stop(server)
    print(
        f"\napp server: {TRIALS} SIGKILL trials, {len(acknowledged)} acknowledged writes, none lost"
    )
