"""Stafet past one machine: two app instances over one live Oxigraph server.

Both instances are real ``python -m api.server`` processes with ``STAFET_STORE_URL`` set; the
store is an ``oxigraph serve`` on loopback. A change written through one instance is answered
by the other within :data:`VISIBLE_WITHIN` seconds (its poller follows the store), and reads
on both keep succeeding while a stream of writes goes on.

Writes may go to either instance: the second has ``STAFET_WRITER_URL`` naming the first and
forwards every write to it (api/forwarding.py). Oxigraph (0.5) runs concurrent SPARQL updates
without a write-conflict check, so two instances committing on their own could both pass the
head guard (tests/store/test_conformance.py records that as an expected failure of the bare
store); with one writer, editors racing through both instances still get one winner.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph.data.loader import default_source
from graph.store.open import seed_store
from graph.store.sparql import SparqlStore
from graph.store.tokens import create_token
from tests.api.conftest import free_port
from tests.api.helpers import PROJECT_ROOT
from tests.app_server import Server, stop, wait_until_healthy
from tests.store.oxigraph_server import OxigraphServer

pytestmark = pytest.mark.oxigraph_server

#: The promise: a write through one instance is answered by the other within this many
#: seconds (poll interval 0.25 s + following the change, with room for a loaded CI machine).
VISIBLE_WITHIN = 5.0
#: Tasks the stream of writes gives a new, assumed "indsigt" responsibility (one each).
TASKS = ("kle-32.03.16", "kle-27.12.00", "kle-29.09.00", "kle-25.02.00", "kle-17.02.00")


def _start(url: str, update_url: str, cache: Path, writer: str = "") -> Server:
    port = free_port()
    env = {
        "STAFET_WRITER_URL": writer,
        **os.environ,
        "STAFET_STORE_PATH": "",
        "STAFET_STORE_URL": url,
        "STAFET_STORE_UPDATE_URL": update_url,
        "STAFET_STORE_POLL_SECONDS": "0.25",
        "STAFET_CACHE_DIR": str(cache),
        "STAFET_SPARQL_ENABLED": "false",
        "STAFET_BASE_URL": f"http://127.0.0.1:{port}",
    }
    command = [sys.executable, "-m", "api.server", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env)
    return Server(f"http://127.0.0.1:{port}", process)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server, str]]:
    where = tmp_path_factory.mktemp("cluster")
    with OxigraphServer(where / "oxigraph") as server:
        store = SparqlStore(server.query_url, update_url=server.update_url)
        seed_store(store, default_source())
        token = create_token(store, role="admin", name="klyngetest").secret
        cache = where / "cache"
        first = _start(server.query_url, server.update_url, cache)
        second = None
        try:
            deadline = time.monotonic() + 300
            wait_until_healthy(first, deadline)  # first: the second reuses its compiled cache
            second = _start(server.query_url, server.update_url, cache, writer=first.base)
            wait_until_healthy(second, deadline)
            yield first, second, token
        finally:
            stop(first, timeout=20)
            if second is not None:
                stop(second, timeout=20)


def _units(base: str, task: str) -> set[str]:
    answer = httpx.get(f"{base}/api/v1/who", params={"task": task}, timeout=10).json()
    return {handler["unit"]["id"] for handler in answer["handlers"]}


def _write(base: str, token: str, task: str, unit: str) -> httpx.Response:
    body = {
        "task": task,
        "unit": unit,
        "role": "indsigt",
        "description": "Får indsigt i sagen (skrevet af klyngetesten).",
        "status": "antaget",
        "source": "kk-dk",
        "note": "Antaget af testen.",
    }
    return httpx.post(
        f"{base}/api/v1/responsibilities",
        json=body,
        headers={"Authorization": f"Bearer {token}"} if token else {},
        timeout=30,
    )


def test_a_write_through_one_instance_is_answered_by_the_other(
    cluster: tuple[Server, Server, str],
) -> None:
    first, second, token = cluster
    task = TASKS[0]
    assert "tmf" not in _units(second.base, task)
    response = _write(first.base, token, task, "tmf")
    assert response.status_code == 201, response.text
    acknowledged = time.monotonic()
    assert "tmf" in _units(first.base, task)  # the writer answers with its own write at once
    while "tmf" not in _units(second.base, task):
        assert time.monotonic() - acknowledged < VISIBLE_WITHIN, "the other instance lags"
        time.sleep(0.05)
    seen = time.monotonic() - acknowledged
    health = httpx.get(second.base + "/health", timeout=5).json()
    assert health["store"]["sequence"] == health["store"]["head"]
    print(f"\nvisible on the other instance after {seen:.2f} s")


def test_reads_on_both_instances_never_fail_while_writes_go_on(
    cluster: tuple[Server, Server, str],
) -> None:
    first, second, token = cluster
    stop = threading.Event()
    outcomes: list[tuple[int, float]] = []
    lock = threading.Lock()

    def read(base: str) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            while not stop.is_set():
                started = time.monotonic()
                try:
                    status = client.get(
                        "/api/v1/who", params={"task": "førtidspension"}
                    ).status_code
                except httpx.HTTPError:
                    status = 0
                with lock:
                    outcomes.append((status, time.monotonic() - started))

    readers = [threading.Thread(target=read, args=(b,)) for b in (first.base, second.base) * 2]
    for thread in readers:
        thread.start()
    started = time.monotonic()
    written = []
    try:
        for task in TASKS[1:]:
            for unit, instance in (("bif", first), ("kff", second)):
                response = _write(instance.base, token, task, unit)
                written.append(response.status_code)
    finally:
        stop.set()
        for thread in readers:
            thread.join()
    seconds = time.monotonic() - started
    statuses = [status for status, _ in outcomes]
    assert written == [201] * len(written)
    assert statuses and set(statuses) == {200}, {s: statuses.count(s) for s in set(statuses)}
    latencies = sorted(latency for _, latency in outcomes)
    print(
        f"\n{len(written)} writes and {len(outcomes)} reads in {seconds:.1f} s "
        f"({len(outcomes) / seconds:.0f} reads/s), errors 0, read p50 "
        f"{statistics.median(latencies) * 1000:.0f} ms, p95 "
        f"{latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms"
    )
    for task in TASKS[1:]:
        deadline = time.monotonic() + VISIBLE_WITHIN
        while not {"bif", "kff"} <= _units(first.base, task) & _units(second.base, task):
            assert time.monotonic() < deadline, f"{task}: the instances disagree"
            time.sleep(0.1)


def test_a_write_through_the_reading_instance_is_forwarded_and_answered_at_once(
    cluster: tuple[Server, Server, str],
) -> None:
    first, second, token = cluster
    assert httpx.get(second.base + "/health", timeout=5).json()["store"]["writes"] == (
        "videresendes"
    )
    task = "kle-27.03.08"
    assert "buf" not in _units(first.base, task)
    response = _write(second.base, token, task, "buf")
    assert response.status_code == 201, response.text
    assert response.headers["etag"] and response.json()["fields"]["unit"] == "buf"
    assert "buf" in _units(second.base, task)  # read-your-writes on the forwarding instance
    deadline = time.monotonic() + VISIBLE_WITHIN
    while "buf" not in _units(first.base, task):
        assert time.monotonic() < deadline, "the writer does not answer with the change"
        time.sleep(0.05)
    anonymous = _write(second.base, "", "kle-27.03.12", "buf")
    assert anonymous.status_code == 401  # the writer checks the caller, not the forwarder
    assert anonymous.headers["content-type"].startswith("application/problem+json")


def test_editors_racing_through_both_instances_have_one_winner_and_lose_nothing(
    cluster: tuple[Server, Server, str],
) -> None:
    first, second, token = cluster
    created = _write(first.base, token, "kle-32.03.04", "suf")
    assert created.status_code == 201, created.text
    path = f"/api/v1/responsibilities/{created.json()['id']}"
    etag = created.headers["etag"]
    auth = {"Authorization": f"Bearer {token}"}
    rounds, editors = 4, 8
    for round_ in range(rounds):
        results: dict[int, httpx.Response] = {}

        def edit(
            n: int, tag: str = etag, r: int = round_, out: dict[int, httpx.Response] = results
        ) -> None:
            base = (first, second)[n % 2].base
            out[n] = httpx.patch(
                base + path,
                json={"note": f"runde {r}, redaktør {n}"},
                headers={**auth, "If-Match": tag},
                timeout=30,
            )

        threads = [threading.Thread(target=edit, args=(n,)) for n in range(editors)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = {n: r.status_code for n, r in results.items()}
        winners = [n for n, status in statuses.items() if status == 200]
        assert len(winners) == 1, statuses
        assert set(statuses.values()) == {200, 412}, statuses
        for instance in (first, second):
            deadline = time.monotonic() + VISIBLE_WITHIN
            while True:
                now = httpx.get(instance.base + path, timeout=10)
                if now.json()["fields"]["note"] == f"runde {round_}, redaktør {winners[0]}":
                    break
                assert time.monotonic() < deadline, (instance.base, now.json()["fields"])
                time.sleep(0.05)
        etag = now.headers["etag"]
    heads = {httpx.get(i.base + "/health", timeout=5).json()["store"]["head"] for i in cluster[:2]}
    assert len(heads) == 1  # one line of changes, not two heads
    print(f"\n{rounds} rounds x {editors} editors over two instances: one winner each")
