"""Benchmark Stafet's answers: in process, over HTTP on loopback, and rdflib SPARQL.

Run with ``make bench``. Prints a Markdown table of p50/p99 latencies (milliseconds).
Request counts are fixed and the server is a uvicorn on a free 127.0.0.1 port, started
and stopped here; nothing else is contacted. ``python scripts/bench.py edit`` measures only
edit-to-visible (a committed change → ``who`` on the same instance answers with it) and
start-up with a store of record; every run writes its figures to ``bench/results.json``.
"""

from __future__ import annotations

import json
import os
import random
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

from api.runtime import Runtime, load
from api.settings import Settings
from graph.data.knowledge import Knowledge, load_knowledge
from graph.data.loader import default_source
from graph.present.answers import referral_json, who_json
from graph.questions.referral import referral_path
from graph.questions.responsibility import who_handles
from graph.store.change import Change
from graph.store.embedded import EmbeddedStore
from graph.store.open import seed_store
from graph.store.source import StoreSource
from scripts.edits import EDIT_KINDS, commit_edit, random_edit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
#: Edits timed for edit-to-visible (mixed kinds, in turn).
EDITS = 140
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


def _visible(kg: Knowledge, name: str, change: Change) -> bool:
    """Does ``kg`` answer with ``change``? ``who`` for a responsibility, else the entity."""
    subjects = {str(s) for s in change.subjects()}
    if name == "new-responsibility":
        task = next(str(s) for s, _, o in change.added if "/task/" in str(s))
        found = who_handles(kg, task.rsplit("/", 1)[-1]).handlers
        return any(p.uri in subjects for p in found)
    if name in ("end-responsibility", "confirm"):
        part = next(p for p in kg.registry.participations.values() if p.uri in subjects)
        return (
            part.valid_until is not None
            if name == "end-responsibility"
            else (part.provenance.status == "bekraeftet")
        )
    if name == "rename-unit":
        label = next(str(o) for _, p, o in change.added if p.endswith("prefLabel"))
        return any(u.label == label for u in kg.units.values())
    if name == "move-unit":
        parent = next(str(o) for *_, o in change.added).rsplit("/", 1)[-1]
        return any(u.uri in subjects and u.parent == parent for u in kg.units.values())
    table = kg.registry.contacts if name == "new-contact" else kg.registry.memberships
    return any(entry.uri in subjects for entry in table.values())


def _percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1)}


def edit_to_visible(count: int = EDITS) -> dict[str, object]:
    """Commit ``count`` mixed edits to an in-memory store and time until ``who`` shows each.

    Timed from the commit acknowledged to the same instance answering with it
    (``runtime.follow()`` then the question); ``with_commit`` includes the commit.
    """
    store = EmbeddedStore(None)
    seed_store(store, default_source())
    with tempfile.TemporaryDirectory() as cache:
        settings = Settings(store_path=None, sparql_enabled=False, cache_dir=Path(cache))
        knowledge, _ = load(settings, StoreSource(store))
    runtime = Runtime(settings, knowledge, None, 0.0, store, store.head().sequence)
    rng = random.Random(11)
    visible: list[float] = []
    with_commit: list[float] = []
    by_kind: dict[str, list[float]] = {kind: [] for kind in EDIT_KINDS}
    for number in range(count):
        name = EDIT_KINDS[number % len(EDIT_KINDS)]
        edit = random_edit(store, runtime.knowledge, rng, name)
        started = time.perf_counter()
        change = commit_edit(store, edit)
        acknowledged = time.perf_counter()
        runtime.follow()
        if not _visible(runtime.knowledge, name, change):
            raise SystemExit(f"edit {number} ({name}) is not visible after follow()")
        done = time.perf_counter()
        visible.append((done - acknowledged) * 1000)
        with_commit.append((done - started) * 1000)
        by_kind[name].append((done - acknowledged) * 1000)
    return {
        "edits": count,
        "edit_to_visible_p50_ms": _percentiles(visible)["p50_ms"],
        "edit_to_visible_p95_ms": _percentiles(visible)["p95_ms"],
        "with_commit": _percentiles(with_commit),
        "by_kind": {kind: _percentiles(times) for kind, times in by_kind.items()},
    }


def store_startup_seconds() -> dict[str, tuple[float, float]]:
    """Start-up over a store of record on disk: first run (seeds it), then warm, then with
    the store but no compiled cache."""
    found = {}
    with tempfile.TemporaryDirectory() as folder:
        store, cache, empty = (str(Path(folder) / name) for name in ("store", "cache", "empty"))
        runs = (
            ("register: første start (opretter registret)", cache),
            ("register: varm (cache for hovedet)", cache),
            ("register: kold (tom cache)", empty),
        )
        for name, cache_dir in runs:
            env = {"STAFET_STORE_PATH": store, "STAFET_CACHE_DIR": cache_dir}
            with server(STAFET_WARM_RDF="false", **env) as (client, seconds):
                found[name] = (seconds, client.get("/health").json()["load_seconds"])
    return found


def write_results(figures: dict[str, object]) -> None:
    """Merge ``figures`` into bench/results.json."""
    known = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    known.update(figures)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(known, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def print_edits(edits: dict[str, object], startups: dict[str, tuple[float, float]]) -> None:
    print(f"\n| ændring → synlig ({edits['edits']} ændringer) | p50 (ms) | p95 (ms) |")
    print("| --- | ---: | ---: |")
    print(f"| alle | {edits['edit_to_visible_p50_ms']} | {edits['edit_to_visible_p95_ms']} |")
    by_kind = edits["by_kind"]
    assert isinstance(by_kind, dict)
    for kind, figures in by_kind.items():
        print(f"| {kind} | {figures['p50_ms']} | {figures['p95_ms']} |")
    print_startups(startups)


def print_startups(startups: dict[str, tuple[float, float]]) -> None:
    print("\n| opstart | proces til første svar på /health (s) | heraf grafen (s) |")
    print("| --- | ---: | ---: |")
    for name, (seconds, load_seconds) in startups.items():
        print(f"| {name} | {seconds:.1f} | {load_seconds:.1f} |")


def edits_only() -> int:
    edits = edit_to_visible()
    startups = store_startup_seconds()
    write_results({"edit_to_visible": edits, "store_startup_seconds": startups})
    print_edits(edits, startups)
    return 0


def main() -> int:
    if sys.argv[1:] == ["edit"]:
        return edits_only()
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
    print_startups(startups)
    edits = edit_to_visible()
    store_startups = store_startup_seconds()
    print_edits(edits, store_startups)
    latencies = {
        f"{name} ({where})": {"p50_ms": p50, "p99_ms": p99}
        for name, where, _, p50, p99 in [*local, *engines, *remote]
    }
    write_results(
        {
            "latencies": latencies,
            "startup_seconds": startups,
            "edit_to_visible": edits,
            "store_startup_seconds": store_startups,
        }
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
