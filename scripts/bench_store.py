"""Benchmark the store of record at Copenhagen scale: init time and commit latency.

Both backends: the embedded store on disk, and a live Oxigraph server on loopback (the
``oxigraph`` binary of the dev dependencies). Each commit is the writer's whole step: read the
head, read the resource, commit one guarded change (a label replaced).

    .venv/bin/python scripts/bench_store.py [--commits 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.data.loader import default_source
from graph.store.backend import Store
from graph.store.change import new_change
from graph.store.embedded import EmbeddedStore
from graph.store.open import seed_store
from graph.store.sparql import SparqlStore
from tests.store.oxigraph_server import OxigraphServer

SOF = URIRef("https://stafet.kk.dk/id/unit/sof")


def commit_latencies(store: Store, count: int) -> list[float]:
    seconds: list[float] = []
    for i in range(count):
        started = time.perf_counter()
        head = store.head()
        old = {t for t in store.resource_triples([SOF]) if t[1] == RDFS.comment}
        new = (SOF, RDFS.comment, Literal(f"benchmark {i}", lang="da"))
        store.commit(
            new_change(agent="bench", kind="update", removed=old, added=[new]),
            expected=head.sequence,
        )
        seconds.append(time.perf_counter() - started)
    return seconds


def report(name: str, init: float, triples: int, seconds: list[float]) -> None:
    ordered = sorted(seconds)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"{name:18} init {init:6.1f} s ({triples} triples)   commit p50 "
        f"{statistics.median(ordered) * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  (n={len(ordered)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, default=200)
    args = parser.parse_args()
    seed = default_source()
    with tempfile.TemporaryDirectory() as tmp:
        embedded = EmbeddedStore(Path(tmp) / "embedded")
        started = time.perf_counter()
        seed_store(embedded, seed)
        init = time.perf_counter() - started
        triples = len(embedded.snapshot()[1])
        report("embedded (disk)", init, triples, commit_latencies(embedded, args.commits))
        embedded.close()
        with OxigraphServer(Path(tmp) / "server") as server:
            remote = SparqlStore(server.query_url, update_url=server.update_url)
            started = time.perf_counter()
            seed_store(remote, seed)
            init = time.perf_counter() - started
            report("oxigraph server", init, triples, commit_latencies(remote, args.commits))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
