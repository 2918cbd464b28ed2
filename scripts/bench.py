"""Benchmark Stafet's answers: in process, over HTTP on loopback, and rdflib SPARQL.

Run with ``make bench``. Prints a Markdown table of p50/p99 latencies (milliseconds).
Request counts are fixed and the server is a uvicorn on a free 127.0.0.1 port, started
and stopped here; nothing else is contacted.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
from rdflib.plugins.sparql import prepareQuery

from graph.data.knowledge import load_knowledge
from graph.data.loader import default_source
from graph.present.answers import referral_json, who_json
from graph.questions.referral import referral_path
from graph.questions.responsibility import who_handles

ROOT = Path(__file__).resolve().parent.parent
TASK = "kle-32.03.16"
WHO_SPARQL = """
PREFIX cv: <http://data.europa.eu/m8g/>
SELECT ?unit WHERE {
  <https://stafet.kk.dk/id/task/kle-32.03.16> cv:hasParticipation ?p .
  ?p cv:role <https://stafet.kk.dk/def/role/ansvarlig> ; cv:hasParticipant ?unit .
}"""
Row = tuple[str, str, int, float, float]


def measure(name: str, where: str, call: Callable[[], object], count: int) -> Row:
    for _ in range(min(20, count)):  # warm up
        call()
    times = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    return name, where, count, statistics.median(times), p99


def in_process() -> list[Row]:
    kg = load_knowledge()
    kg.search  # noqa: B018 - build the index before timing
    responsible = [p.unit for p in kg.participations_by_task[TASK] if p.role == "ansvarlig"]
    assert responsible == ["sof"], responsible
    return [
        measure("who (id)", "i processen", lambda: who_json(kg, who_handles(kg, TASK)), 2000),
        measure(
            "who (fri tekst)",
            "i processen",
            lambda: who_json(kg, who_handles(kg, "førtidspension")),
            2000,
        ),
        measure(
            "referral",
            "i processen",
            lambda: referral_json(kg, referral_path(kg, "borgerraadgiveren", "førtidspension")),
            500,
        ),
        measure("search", "i processen", lambda: kg.search.search("hjælpemidler"), 1000),
        measure(
            "who-opslag (kompileret)",
            "i processen",
            lambda: [p.unit for p in kg.participations_by_task[TASK] if p.role == "ansvarlig"],
            20000,
        ),
    ]


def sparql_engines() -> list[Row]:
    source = default_source()
    rdf = source.read()  # an rdflib Graph of the same Turtle files
    query = prepareQuery(WHO_SPARQL)
    units = [str(row[0]) for row in rdf.query(query)]
    assert units == ["https://stafet.kk.dk/id/unit/sof"], units
    store = ox.Store()
    for path in source.files:
        store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE)
    return [
        measure("who via SPARQL", "rdflib", lambda: list(rdf.query(query)), 300),
        measure("who via SPARQL", "Oxigraph", lambda: list(store.query(WHO_SPARQL)), 2000),
    ]


@contextmanager
def server(**env: str) -> Iterator[tuple[httpx.Client, float]]:
    """A uvicorn on a free loopback port; yields a client and the seconds to first /health."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            while True:
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    if process.poll() is not None or time.perf_counter() - started > 180:
                        raise SystemExit("uvicorn did not start") from None
                    time.sleep(0.02)
            yield client, time.perf_counter() - started
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def startup_seconds() -> dict[str, tuple[float, float]]:
    """Process start to first /health answer, and the graph's own load time, cold and warm."""
    found = {}
    with tempfile.TemporaryDirectory() as empty:
        for name, env in (("kold (tom cache)", {"STAFET_CACHE_DIR": empty}), ("varm", {})):
            with server(STAFET_WARM_RDF="false", **env) as (client, seconds):
                found[name] = (seconds, client.get("/health").json()["load_seconds"])
    return found


def over_http() -> list[Row]:
    with server(STAFET_WARM_RDF="false") as (client, _):

        def get(path: str, **params: str) -> Callable[[], object]:
            def call() -> None:
                client.get(path, params=params).raise_for_status()

            return call

        referral = {"from": "borgerraadgiveren", "task": "førtidspension"}
        return [
            measure("who (id)", "HTTP", get("/api/v1/who", task=TASK), 1000),
            measure("who (fri tekst)", "HTTP", get("/api/v1/who", task="førtidspension"), 1000),
            measure("referral", "HTTP", get("/api/v1/referral", **referral), 500),
            measure("search", "HTTP", get("/api/v1/search", q="hjælpemidler"), 1000),
            measure("who via SPARQL", "HTTP /sparql", get("/sparql", query=WHO_SPARQL), 300),
            measure("health", "HTTP", get("/health"), 1000),
        ]


def main() -> int:
    local = in_process()
    engines = sparql_engines()
    remote = over_http()
    startups = startup_seconds()
    compiled = local[-1][3]
    print("| spørgsmål | hvor | antal | p50 (ms) | p99 (ms) | p50 / kompileret opslag |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for name, where, count, p50, p99 in [*local, *engines, *remote]:
        ratio = f"{p50 / compiled:,.0f}×"
        print(f"| {name} | {where} | {count} | {p50:.3f} | {p99:.3f} | {ratio} |")
    print("\n| opstart | proces til første svar på /health (s) | heraf grafen (s) |")
    print("| --- | ---: | ---: |")
    for name, (seconds, load) in startups.items():
        print(f"| {name} | {seconds:.1f} | {load:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
