"""The security review's findings that are tested below the HTTP layer, one by one."""

from __future__ import annotations

import asyncio
import faulthandler
import json
import logging
import os
import signal
import socket
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.routers.health import _missing
from api.settings import Settings
from api.sparql import worker
from api.sparql.evaluate import Limits
from api.sparql.fairness import Busy, FairGate
from api.sparql.guard import QueryRefused, inspect_query, normalise_query
from api.sparql.protocol import unpack_length
from api.sparql.results import write_graph
from graph.data.cache import CACHE_FORMAT, read_registry, write_registry
from graph.data.knowledge import Knowledge
from graph.data.loader import TurtleFiles
from graph.errors import InvalidDataError
from ontology.namespaces import jsonld_context
from tests.api.helpers import assert_problem

XSD = "http://www.w3.org/2001/XMLSchema#"
T = TypeVar("T")

# -- 1. the guard and the engine read the same text -----------------------------------


@pytest.mark.parametrize("line_end", ["\r", "\r\n", "\n"])
def test_service_after_a_comment_is_refused_whatever_ends_the_line(line_end: str) -> None:
    text = normalise_query(f"SELECT * WHERE {{ # x{line_end}SERVICE <http://x/> {{ ?s ?p ?o }}\n}}")
    with pytest.raises(QueryRefused):
        inspect_query(text)


@pytest.mark.parametrize("character", ["\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"])
def test_a_line_end_one_parser_knows_and_the_other_not_is_refused(character: str) -> None:
    with pytest.raises(QueryRefused, match="kontroltegn"):
        inspect_query(f"SELECT * # x{character}FROM <file:///etc/passwd>\nWHERE {{ ?s ?p ?o }}")


def test_what_the_guard_passes_oxigraph_reads_alike() -> None:
    """After a commented line (ended by CR, LF or CRLF) both parsers read the same pattern."""
    from rdflib import Graph, URIRef

    graph = Graph()
    graph.add((URIRef("urn:s"), URIRef("urn:p"), URIRef("urn:o")))
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o")))
    for line_end in ("\r", "\n", "\r\n"):
        text = normalise_query(f"ASK {{ # x{line_end}<urn:s> <urn:p> <urn:o> }}")
        assert inspect_query(text) == "ASK"
        assert bool(store.query(text)) is graph.query(text).askAnswer is True


# -- 3. the fair share -------------------------------------------------------------------


def _run(scenario: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``scenario`` in a thread with its own event loop (another test may hold one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(scenario())).result()


def test_a_waiting_client_gets_the_next_slot_before_a_client_already_served() -> None:
    async def scenario() -> list[str]:
        gate = FairGate(total=1, per_client=1, wait=1.0)
        order: list[str] = []
        release = asyncio.Event()

        async def run(client: str) -> None:
            async with gate.slot(client):
                order.append(client)
                await release.wait()

        first = asyncio.create_task(run("a"))
        await asyncio.sleep(0)
        waiting = [asyncio.create_task(run("b")), asyncio.create_task(run("c"))]
        await asyncio.sleep(0)
        release.set()
        await asyncio.gather(first, *waiting)
        return order

    assert _run(scenario) == ["a", "b", "c"]


def test_the_gate_refuses_after_the_wait_and_frees_every_slot() -> None:
    async def scenario() -> int:
        gate = FairGate(total=1, per_client=1, wait=0.05)
        async with gate.slot("a"):
            with pytest.raises(Busy):
                async with gate.slot("b"):
                    pass
        async with gate.slot("b"):
            pass
        return gate.active

    assert _run(scenario) == 0


# -- 4. one log line per JSON-LD answer, not one traceback per literal ---------------


def test_ill_typed_literals_log_one_line_and_keep_their_datatype(
    caplog: pytest.LogCaptureFixture,
) -> None:
    subject, predicate = ox.NamedNode("https://stafet.kk.dk/id/x"), ox.NamedNode("urn:p")
    triples = [
        ox.Triple(subject, predicate, ox.Literal(f"bad{n}", datatype=ox.NamedNode(XSD + kind)))
        for n in range(50)
        for kind in ("integer", "date", "boolean")
    ]
    with caplog.at_level(logging.DEBUG):
        body = write_graph(
            triples,
            "application/ld+json",
            context=jsonld_context(),
            prefixes={},
            context_url="http://testserver/context.jsonld",
        )
    assert [r.name for r in caplog.records] == ["stafet.sparql"]
    assert "150" in caplog.records[0].getMessage()
    values = json.loads(body)["urn:p"]
    assert len(values) == 150
    assert {v["@type"] for v in values} == {"xsd:integer", "xsd:date", "xsd:boolean"}


# -- 5. a corrupt compile cache is a miss ------------------------------------------------


def _corrupt(path: Path, how: str) -> None:
    if how == "directory":
        path.mkdir(parents=True)
        return
    texts = {
        "wrong-shape": f'{{"format": {CACHE_FORMAT}, "registry": {{"units": {{"x": [1, 2]}}}}}}',
        "wrong-type": f'{{"format": {CACHE_FORMAT}, "registry": []}}',
        "list": "[1, 2, 3]",
        "deep": f'{{"format": {CACHE_FORMAT}, "registry": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "not-json": "{",
        "not-utf8": "\udcff",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(texts[how].encode("utf-8", "surrogateescape"))


@pytest.mark.parametrize(
    "how", ["wrong-shape", "wrong-type", "list", "deep", "not-json", "not-utf8", "directory"]
)
def test_a_corrupt_cache_is_rebuilt_and_named_once(
    mini_files: list[Path], tmp_path: Path, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    source = TurtleFiles(mini_files)
    path = tmp_path / f"{source.fingerprint()}.json"
    _corrupt(path, how)
    with caplog.at_level(logging.WARNING, logger="stafet.cache"):
        kg = Knowledge.from_source(source, cache_dir=tmp_path)
    assert kg.units
    named = [r for r in caplog.records if str(path) in r.getMessage()]
    assert len(named) == (2 if how == "directory" else 1)  # read, and (directory) write


def test_a_registry_with_a_field_of_the_wrong_type_is_a_miss(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    from graph.data.model import Registry, Unit

    assert write_registry(Registry(), path)
    payload = json.loads(path.read_text())
    payload["registry"]["units"] = {"x": {f: None for f in Unit.__dataclass_fields__}}
    path.write_text(json.dumps(payload))
    assert read_registry(path) is None


def test_an_unwritable_cache_never_stops_start_up(mini_files: list[Path], tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    kg = Knowledge.from_source(TurtleFiles(mini_files), cache_dir=blocker / "compiled")
    assert kg.units
    if os.geteuid() != 0:  # root writes anywhere: a read-only folder only stops others
        folder = tmp_path / "read-only"
        folder.mkdir(mode=0o500)
        assert Knowledge.from_source(TurtleFiles(mini_files), cache_dir=folder).units


# -- 7. absolute URLs from the configured base URL -------------------------------------


def test_urls_and_redirects_use_the_configured_base_url() -> None:
    settings = Settings(
        sparql_enabled=False, base_url="https://stafet.kk.dk", allowed_hosts="testserver"
    )
    with TestClient(create_app(settings)) as client:
        redirect = client.get("/static", follow_redirects=False)
        assert redirect.headers["location"] == "https://stafet.kk.dk/static/"
        page = client.get("/id/unit/bif.jsonld")
        assert page.json()["@context"] == "https://stafet.kk.dk/context.jsonld"
        assert "<https://stafet.kk.dk/id/unit/bif>" in page.headers["link"]
        assert client.get("/health", headers={"host": "evil.example"}).status_code == 400


def test_the_default_base_url_is_what_make_run_serves() -> None:
    settings = Settings()
    assert settings.base_url == "http://127.0.0.1:8000"
    assert settings.trusted_hosts == ["127.0.0.1", "localhost"]


# -- 9. health, readiness, broken links in the data, a killed query --------------------


def test_ready_says_503_while_the_start_up_still_warms_the_indexes(client: TestClient) -> None:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    assert not runtime.warming  # the fixture's app has finished its warm-up
    runtime._warmed.clear()  # as between the first answer and the end of the warm-up
    try:
        ready = client.get("/health/ready")
        health = client.get("/health").json()
    finally:
        runtime._warmed.set()
    assert_problem(ready, 503, "unavailable")
    assert "opvarmning" in ready.json()["detail"]
    assert health["status"] == "degraded"
    assert health["missing"][0].startswith("opvarmning")
    assert client.get("/health/ready").json() == {"status": "ok"}


def test_health_says_degraded_and_ready_says_503_when_sparql_is_down(client: TestClient) -> None:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    engine = runtime.sparql
    runtime.sparql = SimpleNamespace(status="nede", triples=None)
    try:
        health = client.get("/health")
        ready = client.get("/health/ready")
    finally:
        runtime.sparql = engine
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["missing"] == ["SPARQL-processen (nede)"]
    assert_problem(ready, 503, "unavailable")
    assert client.get("/health/ready").json() == {"status": "ok"}
    assert client.get("/health").json()["status"] == "ok"


def test_health_names_missing_data() -> None:
    nothing = SimpleNamespace(units={}, tasks={})
    empty = SimpleNamespace(knowledge=nothing, sparql=None, warming=False)
    assert _missing(empty) == ["data (ingen enheder eller opgaver indlæst)"]  # type: ignore[arg-type]


def test_a_broken_symlink_in_the_data_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "ok.ttl").write_text("")
    (tmp_path / "gone.ttl").symlink_to(tmp_path / "does-not-exist.ttl")
    with pytest.raises(InvalidDataError, match="brudt symbolsk link") as caught:
        TurtleFiles([tmp_path])
    assert "gone.ttl" in str(caught.value)


def _read_problem(conn: socket.socket) -> dict[str, Any]:
    conn.settimeout(5)
    size = unpack_length(conn.recv(4))
    header: dict[str, Any] = json.loads(conn.recv(size))
    return header["problem"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("signum", "slug"),
    [
        (signal.SIGKILL, "unavailable"),
        (signal.SIGTERM, "unavailable"),
        (signal.SIGABRT, "sparql-too-large"),
        (signal.SIGALRM, "sparql-timeout"),
    ],
)
def test_a_stopped_query_child_is_reported_by_how_it_stopped(signum: int, slug: str) -> None:
    limits = Limits(1.0, 10, 10, 2**20, 2, {})
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:  # the query child, stopped from outside before it answers
        faulthandler.disable()  # pytest's: it would report the abort on stderr
        os.kill(os.getpid(), signum)
        time.sleep(5)
        os._exit(0)
    children = {pid: worker.Child(theirs, time.monotonic() + 10)}
    deadline = time.monotonic() + 5
    while children and time.monotonic() < deadline:
        worker._reap(children, limits)
        time.sleep(0.01)
    problem = _read_problem(ours)
    ours.close()
    assert problem["slug"] == slug
    if slug == "unavailable":
        assert "stoppet udefra" in problem["detail"]
