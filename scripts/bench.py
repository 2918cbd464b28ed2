"""Benchmark Stafet against rdflib and Oxigraph SPARQL, over HTTP and at national scale.

``make bench`` (issue 13) writes ``bench/results.json`` and the table between the
``ydelse`` markers in README.md: who-handles and the referral in process (the full JSON
answer) beside the same question as SPARQL in rdflib and in pyoxigraph over the same
Turtle, in the same run; wrk (Debian's, ``scripts/ensure_wrk.py``) against uvicorn with 2
workers on a free 127.0.0.1 port, beside a bare FastAPI app serving a constant body of the
same size the same way; start-up from ``make run``; edit-to-visible; and the synthetic data
(:mod:`graph.io.synthetic`) at 1×, 10× and 100× Copenhagen, each loaded in its own process
(time, peak memory, who and referral p99). Nothing else is contacted. A figure that cannot
be measured here in the time allowed is ``null`` with its reason in ``null_reasons``.

``python scripts/bench.py readme`` writes the table again from ``bench/results.json``;
``python scripts/bench.py http`` measures only :func:`over_http` and prints its figures;
``python scripts/bench.py edit`` measures only edit-to-visible and start-up with a store of
record (merged into ``bench/results.json``); ``python scripts/bench.py edit 1 10 100`` also
edit-to-visible over the synthetic data at those scales (each in its own capped process).
"""

from __future__ import annotations

import json
import os
import platform
import random
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pyoxigraph as ox
from fastapi import FastAPI, Response
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from api.runtime import Runtime, load, settle_memory
from api.settings import Settings
from graph.data.compile import compile_registry
from graph.data.knowledge import Knowledge, load_knowledge
from graph.data.loader import TurtleFiles, default_source, read_snapshot
from graph.errors import StafetError
from graph.io.synthetic import generate, synthetic_source
from graph.present.answers import referral_json, who_json
from graph.questions.areas import area_of
from graph.questions.referral import referral_path
from graph.questions.responsibility import who_handles
from graph.store.change import Change
from graph.store.embedded import EmbeddedStore
from graph.store.open import seed_store
from graph.store.source import StoreSource
from scripts.edits import EDIT_KINDS, commit_edit, random_edit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
README = ROOT / "README.md"
#: Edits timed for edit-to-visible (mixed kinds, in turn).
EDITS = 140
TASK = "kle-32.03.16"
ASKING_UNIT = "borgerraadgiveren"
#: The asking unit in the synthetic data: municipality 1's single entry.
#: How many distinct referral questions a scale is asked (seeded; see referral_figures).
NATIONAL_REFERRALS = 200
#: Seconds a scale may take to generate, load, compile and answer before it is ``null``.
SCALE_TIMEOUT = {1: 300, 10: 480, 100: 840}
#: Seconds the first referral and its timings may take at one scale before it is given up.
REFERRAL_BUDGET = 120
WRK_SECONDS = 10
WRK_CONNECTIONS = 32

_PREFIXES = """
PREFIX cv: <http://data.europa.eu/m8g/>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX stafet: <https://stafet.kk.dk/def#>
PREFIX role: <https://stafet.kk.dk/def/role/>
PREFIX task: <https://stafet.kk.dk/id/task/>
PREFIX unit: <https://stafet.kk.dk/id/unit/>
"""
# Who handles the topic: its own current participations, or, where the topic has no
# ansvarlig of its own, also its KLE group's (the fallback who_handles makes; the data has
# three KLE levels, so two UNION branches say it without a property path). For each row
# what the answer shows: the unit and its label, its administration (the nearest ancestor
# typed stafet:Administration), the role and its label, the step in a process chain, the
# condition, the legal basis, the source's title and locator, the status, and the unit's
# own contact point. Ended participations (validUntil before today) are left out.
WHO_SPARQL = (
    _PREFIXES
    + """
SELECT ?task ?part ?unit ?unitLabel ?admin ?adminLabel ?role ?roleLabel ?step ?stepLabel
       ?conditionLabel ?lawLabel ?sourceTitle ?locator ?status ?phone ?email
WHERE {
  {
    BIND(<%(task)s> AS ?task)
  } UNION {
    <%(task)s> cv:isClassifiedBy/skos:broader ?groupConcept .
    ?task cv:isClassifiedBy ?groupConcept .
    FILTER NOT EXISTS { <%(task)s> cv:hasParticipation/cv:role role:ansvarlig }
  }
  ?task cv:hasParticipation ?part .
  ?part cv:role ?role ; cv:hasParticipant ?unit ; stafet:status ?status .
  FILTER NOT EXISTS { ?part stafet:validUntil ?until FILTER(?until < NOW()) }
  ?role skos:prefLabel ?roleLabel . FILTER(lang(?roleLabel) = "da")
  ?unit skos:prefLabel ?unitLabel .
  OPTIONAL { ?unit org:subOrganizationOf* ?admin . ?admin a stafet:Administration ;
             skos:prefLabel ?adminLabel }
  OPTIONAL { ?part stafet:stepOrder ?step . OPTIONAL { ?part stafet:stepLabel ?stepLabel } }
  OPTIONAL { ?part stafet:condition/<http://www.w3.org/2000/01/rdf-schema#label> ?conditionLabel }
  OPTIONAL { ?part stafet:legalBasis/skos:prefLabel ?lawLabel }
  OPTIONAL { ?part dct:source/dct:title ?sourceTitle }
  OPTIONAL { ?part stafet:sourceLocator ?locator }
  OPTIONAL { ?unit cv:contactPoint ?cp . OPTIONAL { ?cp cv:telephone ?phone }
             OPTIONAL { ?cp cv:email ?email } }
}"""
)
# The referral: the task's current handlers (ansvarlig or udførende, the roles a referral
# may end at; own or the group's, as above) and each
# channel that carries the case to it from the asking unit in one step, as a competent user
# would look for them: a contact-person arrangement sitting in the asking unit that serves
# the handler (or an ancestor of it), or sitting in the handler's side and serving the
# asking unit (Borgerrådgiverens contact persons in the administrations), a forum carrying
# cases for the task or its group where both the asking unit and the handler (or its
# ancestors) are members, and the nearest common ancestor for the way through the
# hierarchy. SPARQL has no weighted shortest path: the multi-hop search Stafet does
# (Dijkstra over the channel weights) is left to the client, so this query is less work
# than the answer it is compared with.
REFERRAL_SPARQL = (
    _PREFIXES
    + """
SELECT ?handler ?handlerLabel ?role ?via ?through ?throughLabel ?phone ?email
WHERE {
  {
    BIND(<%(task)s> AS ?task)
  } UNION {
    <%(task)s> cv:isClassifiedBy/skos:broader ?groupConcept .
    ?task cv:isClassifiedBy ?groupConcept .
    FILTER NOT EXISTS { <%(task)s> cv:hasParticipation/cv:role role:ansvarlig }
  }
  ?task cv:hasParticipation ?part .
  ?part cv:role ?role ; cv:hasParticipant ?handler .
  FILTER(?role IN (role:ansvarlig, role:udfoerende))
  FILTER NOT EXISTS { ?part stafet:validUntil ?until FILTER(?until < NOW()) }
  ?handler skos:prefLabel ?handlerLabel .
  OPTIONAL { ?handler cv:contactPoint ?cp . OPTIONAL { ?cp cv:telephone ?phone }
             OPTIONAL { ?cp cv:email ?email } }
  {
    ?post org:postIn <%(unit)s> ; stafet:serves ?through .
    ?handler org:subOrganizationOf* ?through .
    BIND("contact_person" AS ?via)
  } UNION {
    ?post org:postIn ?through ; stafet:serves <%(unit)s> .
    ?handler org:subOrganizationOf* ?through .
    BIND("contact_person" AS ?via)
  } UNION {
    ?through stafet:carriesCasesFor ?scope .
    FILTER(?scope = ?task || EXISTS { ?task cv:isClassifiedBy/skos:broader ?c .
                                      ?scope cv:isClassifiedBy ?c })
    ?m1 org:organization ?through ; org:member <%(unit)s> .
    ?m2 org:organization ?through ; org:member ?member .
    ?handler org:subOrganizationOf* ?member .
    BIND("forum" AS ?via)
  } UNION {
    <%(unit)s> org:subOrganizationOf+ ?through .
    ?handler org:subOrganizationOf* ?through .
    FILTER NOT EXISTS { <%(unit)s> org:subOrganizationOf+ ?lower .
                        ?lower org:subOrganizationOf+ ?through .
                        ?handler org:subOrganizationOf* ?lower }
    BIND("hierarchy" AS ?via)
  }
  OPTIONAL { ?through skos:prefLabel ?throughLabel }
}"""
)


def sparql_for(template: str, task: str, unit: str = "") -> str:
    """The query for one task (and asking unit), their URIs written in."""
    base = "https://stafet.kk.dk/id/"
    return template % {"task": f"{base}task/{task}", "unit": f"{base}unit/{unit}"}


def timings_us(call: Callable[[], object], count: int) -> list[float]:
    """``count`` timed calls after a warm-up, in microseconds, sorted."""
    for _ in range(min(20, count)):
        call()
    times = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1e6)
    return sorted(times)


def p50(times: list[float]) -> float:
    return round(statistics.median(times), 1)


def p99(times: list[float]) -> float:
    return round(times[min(len(times) - 1, round(0.99 * (len(times) - 1)))], 1)


def copenhagen_questions() -> dict[str, dict[str, float]]:
    """who_handles and referral_path on the Copenhagen data: Stafet, rdflib, Oxigraph."""
    kg = load_knowledge()
    kg.search  # noqa: B018 - build the index before timing
    source = default_source()
    rdf = source.read()  # an rdflib Graph of the same Turtle files
    store = source.store()  # Oxigraph, with the same standard types
    found: dict[str, dict[str, float]] = {}
    questions = {
        "who_handles": (
            lambda: who_json(kg, who_handles(kg, TASK)),
            sparql_for(WHO_SPARQL, TASK),
            3000,
        ),
        "referral_path": (
            lambda: referral_json(kg, referral_path(kg, ASKING_UNIT, TASK)),
            sparql_for(REFERRAL_SPARQL, TASK, ASKING_UNIT),
            1000,
        ),
    }
    for name, (answer, sparql, count) in questions.items():
        query = prepareQuery(sparql)

        def with_rdflib(query: Query = query) -> list[object]:
            return list(rdf.query(query))

        def with_oxigraph(sparql: str = sparql) -> list[object]:
            solutions = store.query(sparql)
            assert isinstance(solutions, ox.QuerySolutions)
            return list(solutions)

        rows = len(with_rdflib())
        if not rows or rows != len(with_oxigraph()):
            raise SystemExit(f"{name}: rdflib and Oxigraph disagree ({rows} rows in rdflib)")
        stafet = timings_us(answer, count)
        found[name] = {
            "stafet_p50_us": p50(stafet),
            "stafet_p99_us": p99(stafet),
            "rdflib_sparql_p50_us": p50(timings_us(with_rdflib, 60)),
            "oxigraph_sparql_p50_us": p50(timings_us(with_oxigraph, 1000)),
            "sparql_rows": rows,
        }
    typed = timings_us(lambda: who_handles(kg, TASK), 3000)
    found["who_handles"]["typed_answer_p50_us"] = p50(typed)
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def await_answer(url: str, process: subprocess.Popen[bytes], started: float) -> float:
    """Poll ``url`` until it answers 200; the seconds since ``started``."""
    with httpx.Client(timeout=10) as client:
        while True:
            try:
                if client.get(url).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.perf_counter() - started > 180:
                raise SystemExit(f"{url} answered nothing")
            time.sleep(0.02)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group the benchmark started, then wait (SIGKILL after 15 s)."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def server(**env: str) -> Iterator[tuple[httpx.Client, float]]:
    """A uvicorn on a free loopback port; yields a client and the seconds to first /health."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, start_new_session=True)
    try:
        seconds = await_answer(f"http://127.0.0.1:{port}/health", process, started)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            yield client, seconds
    finally:
        stop(process)


def make_run_startup() -> dict[str, float]:
    """``make run`` (installed) to the first answered request (who by id), cold then warm.

    Twice: as ``make run`` starts by default, over the embedded store of record (a new
    one: the cold start also seeds it from the shipped Turtle), and over the Turtle files
    alone (``STAFET_STORE_PATH=""``). Cold: no compiled cache; warm: the cache the cold
    start wrote.
    """
    found = {}
    with tempfile.TemporaryDirectory() as folder:
        for kind, store in (("store", str(Path(folder) / "store")), ("turtle", "")):
            cache = str(Path(folder) / f"cache-{kind}")
            for name in ("cold_s", "warm_s"):
                port = free_port()
                env = {**os.environ, "STAFET_CACHE_DIR": cache, "STAFET_STORE_PATH": store}
                started = time.perf_counter()
                command = ["make", "-s", "run", f"PORT={port}"]
                process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
                try:
                    url = f"http://127.0.0.1:{port}/api/v1/who?task={TASK}"
                    found[f"{kind}_{name}"] = round(await_answer(url, process, started), 2)
                finally:
                    stop(process)
    return found


def bare_app() -> FastAPI:
    """A bare FastAPI app: ``GET /bare`` returns the constant JSON body in
    ``$STAFET_BENCH_BODY`` (a file), as bytes, nothing computed."""
    body = Path(os.environ["STAFET_BENCH_BODY"]).read_bytes()
    app = FastAPI()

    @app.get("/bare")
    def bare() -> Response:
        return Response(content=body, media_type="application/json")

    return app


def wrk(url: str, *headers: str) -> float:
    """Requests per second from Debian's wrk: 2 threads, 32 connections, 10 s."""
    command = ["wrk", "-t2", f"-c{WRK_CONNECTIONS}", f"-d{WRK_SECONDS}s"]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if match is None or errors is not None:
        raise SystemExit(f"wrk against {url} failed:\n{out}")
    return round(float(match.group(1)))


#: How both apps are served: what ``stafet serve`` (and so a deployment) runs, the guarded
#: h11 protocol and its limits (:func:`api.server.server_config`), with 2 workers. The bare
#: app gets the same parser, so the ratio compares the apps, not two HTTP parsers.
SERVER_OPTIONS = (
    "--http",
    os.environ.get("STAFET_BENCH_HTTP", "api.server:GuardedH11Protocol"),
    "--h11-max-incomplete-event-size",
    "32768",
    "--timeout-keep-alive",
    "5",
    "--no-server-header",
)


@contextmanager
def workers(app: str, **env: str) -> Iterator[str]:
    """uvicorn with 2 workers serving the factory ``app`` as :data:`SERVER_OPTIONS` say;
    yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--factory", "--workers", "2"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    command += SERVER_OPTIONS
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        # Ready: data loaded and the SPARQL worker process done loading its store, so that
        # no worker's start-up still competes with wrk for the two cores.
        probe = f"{base}/health/ready" if "api.main" in app else f"{base}/bare"
        started = time.perf_counter()
        await_answer(probe, process, started)
        ready = 0
        while ready < 20:  # 20 fresh connections in a row answered: both workers are ready
            ready = ready + 1 if httpx.get(probe).status_code == 200 else 0
            if time.perf_counter() - started > 180:
                raise SystemExit(f"{probe} is not ready")
            time.sleep(0.05)
        time.sleep(2)
        yield base
    finally:
        stop(process)


def over_http() -> dict[str, float]:
    """wrk against the app (who by id, the task page) and the bare app, in the same run.

    Both are served at once (idle when not loaded); the bare app is loaded before and after
    the app and its figure is the mean of the two, so a change in the machine's load
    during the run weighs on both sides alike.
    """
    found: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        body = Path(folder) / "body.json"
        with workers("api.main:create_app", STAFET_WARM_RDF="false", STAFET_STORE_PATH="") as base:
            who = f"{base}/api/v1/who?task={TASK}"
            body.write_bytes(httpx.get(who).raise_for_status().content)
            page = f"{base}/id/task/{TASK}"
            if "text/html" not in httpx.get(page, headers={"Accept": "text/html"}).headers.get(
                "content-type", ""
            ):
                raise SystemExit(f"{page} is not HTML")
            with workers("scripts.bench:bare_app", STAFET_BENCH_BODY=str(body)) as bare:
                before = wrk(f"{bare}/bare")
                found["api_req_per_s"] = wrk(who)
                found["task_page_req_per_s"] = wrk(page, "Accept: text/html")
                after = wrk(f"{bare}/bare")
        found["bare_fastapi_req_per_s"] = round((before + after) / 2)
        found["bare_fastapi_first_req_per_s"], found["bare_fastapi_last_req_per_s"] = before, after
        found["body_bytes"] = body.stat().st_size
    return found


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


def edit_to_visible(count: int = EDITS, seed: TurtleFiles | None = None) -> dict[str, object]:
    """Commit ``count`` mixed edits to an in-memory store and time until ``who`` shows each.

    The store of record is seeded (bulk loaded) from ``seed`` (the Copenhagen data by
    default, or a synthetic folder); the edits are a fixed seeded stream of every kind
    :mod:`scripts.edits` makes, renames included. Timed from the commit acknowledged to the
    same instance answering with it (``runtime.follow()`` then the question);
    ``with_commit`` includes the commit.
    """
    started = time.perf_counter()
    store = EmbeddedStore(None)
    seed_store(store, seed or default_source())
    seeded = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as cache:
        settings = Settings(store_path=None, sparql_enabled=False, cache_dir=Path(cache))
        knowledge, load_seconds = load(settings, StoreSource(store))
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
        "seed_s": round(seeded, 1),
        "load_s": round(load_seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "edit_to_visible_p50_ms": _percentiles(visible)["p50_ms"],
        "edit_to_visible_p95_ms": _percentiles(visible)["p95_ms"],
        "with_commit": _percentiles(with_commit),
        "by_kind": {kind: _percentiles(times) for kind, times in by_kind.items()},
    }


def synthetic_edits(scale: int, out: Path, count: int = EDITS) -> None:
    """:func:`edit_to_visible` over the synthetic data at ``scale`` (``/tmp/syn-SCALE`` when
    it is there and complete, else generated), written to ``out``: run in its own process
    (``bench.py edit-scale SCALE OUT``) so that its memory is its own and capped."""
    folder = Path(f"/tmp/syn-{scale}")
    with tempfile.TemporaryDirectory() as scratch:
        if not (folder / "DONE").exists():
            folder = Path(scratch) / "data"
            generate(scale, folder)
        figures = edit_to_visible(count, synthetic_source(folder))
    out.write_text(json.dumps(figures), encoding="utf-8")


def edit_scales(wanted: list[int], count: int = EDITS) -> dict[str, dict[str, object] | None]:
    """:func:`synthetic_edits` at each scale in ``wanted``, each in its own capped process
    within :data:`SCALE_TIMEOUT`; ``None`` (with the reason) where it did not finish."""
    found: dict[str, dict[str, object] | None] = {}
    for scale in wanted:
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "edits.json"
            command = [sys.executable, str(Path(__file__)), "edit-scale", str(scale), str(out)]
            command.append(str(count))
            timeout = SCALE_TIMEOUT.get(scale, 840) + 300
            try:
                run = subprocess.run(
                    command, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                    preexec_fn=_limit_memory,
                )  # fmt: skip
                failure = run.stderr.strip().splitlines()[-1:] if run.returncode else None
            except subprocess.TimeoutExpired:
                failure = [f"blev ikke færdig inden for {timeout} s"]
            found[f"{scale}x"] = json.loads(out.read_text()) if out.exists() else None
        if failure:
            REASONS[f"edit_to_visible.{scale}x"] = f"{scale}×: {failure[0]}"
        print(f"edits {scale}×: {found[f'{scale}x']}", file=sys.stderr)
    return found


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


def _rss_mb() -> int:
    """The process's resident memory now (``VmRSS``), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024
    return 0


class _OutOfTime(Exception):
    """A stage ran past its budget (raised by SIGALRM in the main thread)."""


def _budget(seconds: int) -> None:
    def expire(signum: int, frame: object) -> None:
        raise _OutOfTime

    signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)


def national(scale: int, folder: Path, out: Path) -> None:
    """Load and compile ``scale`` synthetic municipalities as the app does, then time the questions.

    Run in its own process (``bench.py national SCALE [DIR OUT]``) so that its peak memory is
    its own; after every stage the figures so far are written to ``OUT`` (JSON), so a stage
    that runs out of time still leaves the ones before it. The data is generated into ``DIR``
    unless it holds a finished set (a ``DONE`` file, as ``/tmp/syn-N`` shared between runs).
    ``load_s`` is parsing (the compiler's index, and Oxigraph's store on a second thread);
    ``compile_s`` the registry and the networkx graph; ``serve_s`` the indexes the server
    builds before its first request (search, participations; not the referral graph, timed
    with the first referral). ``rss_mb`` is the resident memory after each stage and
    ``peak_rss_mb`` the high-water mark so far. The referral gets :data:`REFERRAL_BUDGET`.
    """
    figures: dict[str, object] = {"municipalities": scale, "stage": "generate", "rss_mb": {}}

    def done(stage: str, **values: object) -> None:
        """The stage in progress has ended (its memory noted); ``stage`` is the next one."""
        rss: dict[str, int] = figures["rss_mb"]  # type: ignore[assignment]
        rss[str(figures["stage"])] = _rss_mb()
        figures.update(values, stage=stage)
        figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        out.write_text(json.dumps(figures), encoding="utf-8")

    started = time.perf_counter()
    if not (folder / "DONE").exists():
        generate(scale, folder)
    done("load", generate_s=round(time.perf_counter() - started, 1))
    started = time.perf_counter()
    source = synthetic_source(folder)
    facts, store = read_snapshot(source)
    done("compile", load_s=round(time.perf_counter() - started, 1), triples=len(store))
    started = time.perf_counter()
    registry = compile_registry(facts)
    del facts
    kg = Knowledge(registry, fingerprint=source.fingerprint(), source=source, store=store)
    done("serve", compile_s=round(time.perf_counter() - started, 1))
    started = time.perf_counter()
    for index in ("search", "participations_by_task", "participations_by_unit", "children"):
        getattr(kg, index)
    settle_memory()  # as the app's warm-up ends
    done("who_handles", serve_s=round(time.perf_counter() - started, 1))
    who = timings_us(lambda: who_json(kg, who_handles(kg, TASK)), 100)
    done("referral_path", who_handles_p50_us=p50(who), who_handles_p99_us=p99(who))
    _budget(REFERRAL_BUDGET)
    try:
        # Distinct questions from units all over the country: "cold" prepares each asked
        # municipality's channels on its first question; "new" are other questions after.
        asked = referral_figures(kg, NATIONAL_REFERRALS)
        done("referral_path", first_referral_s=round(asked["first_referral_ms"] / 1e3, 2))
    except _OutOfTime:
        done("referral_out_of_time", referral_budget_s=REFERRAL_BUDGET)
        return
    finally:
        signal.alarm(0)
    done(
        "done",
        referral_path_p50_us=asked["new_p50_us"],
        referral_path_p99_us=asked["new_p99_us"],
        referral_path_cold_p50_us=asked["cold_p50_us"],
        referral_path_cold_p99_us=asked["cold_p99_us"],
        referral_path_warm_p50_us=asked["warm_p50_us"],
    )


def referral_bench(folder: str, count: int = 200) -> dict[str, object]:
    """p50/p99 of a fixed, seeded set of referral questions (``bench.py referral DIR [N]``).

    ``DIR`` is a synthetic folder, or ``copenhagen`` for the real data. The questions
    (``count`` of them, seed 13) pair an internal unit of any municipality with a KLE topic
    some unit handles; each is answered with its JSON, as the API does. Timed: loading, the
    first referral after load, the set once from cold (each municipality's first question
    builds what its search needs), another set once the areas are prepared (new) and the
    first set again (warm). Errors (no path) are answers too.
    """
    started = time.perf_counter()
    if folder == "copenhagen":
        kg = load_knowledge()
    else:
        kg = Knowledge.from_source(synthetic_source(Path(folder)))  # as the app: no rdflib
    settle_memory()  # as the app's warm-up ends
    figures: dict[str, object] = {"data": folder, "units": len(kg.units)}
    figures["load_s"] = round(time.perf_counter() - started, 1)
    figures.update(referral_figures(kg, count))
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    figures["load_average"] = os.getloadavg()[0]
    return figures


def referral_figures(kg: Knowledge, count: int) -> dict[str, float]:
    """The referral timings of :func:`referral_bench` on ``kg`` (µs; the first in ms)."""
    figures: dict[str, float] = {"questions": count}
    picker = random.Random(13)
    units = sorted(
        u.id for u in kg.units.values() if not u.is_external and u.kind != "municipality"
    )
    topics = sorted({p.task for p in kg.registry.participations.values() if p.task in kg.tasks})
    questions = [(picker.choice(units), picker.choice(topics)) for _ in range(count)]

    def ask(unit: str, task: str) -> None:
        with suppress(StafetError):
            referral_json(kg, referral_path(kg, unit, task))

    # "new": other units and tasks, in the municipalities the first set asked from (their
    # channels prepared), so that it times a question and not a municipality's preparation.
    asked_areas = {area_of(kg, unit) for unit, _ in questions}
    prepared_units = [unit for unit in units if area_of(kg, unit) in asked_areas]
    others = [(picker.choice(prepared_units), picker.choice(topics)) for _ in range(count)]
    started = time.perf_counter()
    ask(*questions[0])
    figures["first_referral_ms"] = round((time.perf_counter() - started) * 1e3, 1)
    # cold: from the load on (each municipality's first question prepares its area); new:
    # other questions once the areas are prepared; warm: the first set again.
    for run, asked in (("cold", questions), ("new", others), ("warm", questions)):
        times = []
        for unit, task in asked:
            begun = time.perf_counter()
            ask(unit, task)
            times.append((time.perf_counter() - begun) * 1e6)
        times.sort()
        figures[f"{run}_p50_us"], figures[f"{run}_p99_us"] = p50(times), p99(times)
    return figures


def _available_mb() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable"):
            return int(line.split()[1]) // 1024
    return 0


def _limit_memory() -> None:
    """In the child: an address-space cap at 3/4 of what is free, so a scale that does not
    fit fails with MemoryError instead of waking the OOM killer on the machine's other jobs."""
    cap = _available_mb() * 3 // 4 * 1024 * 1024
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    cap = cap if hard == resource.RLIM_INFINITY else min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def one_scale(scale: int, timeout: int) -> dict[str, object]:
    """One scale in its own process; the figures it reached, with ``stage`` where it stopped."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "figures.json"
        shared = Path(f"/tmp/syn-{scale}")  # generated by another run: reused (COMMON brief)
        data = shared if (shared / "DONE").exists() else Path(folder) / "data"
        command = [sys.executable, str(Path(__file__)), "national", str(scale), str(data), str(out)]
        try:
            run = subprocess.run(
                command,
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=timeout,
                preexec_fn=_limit_memory,
            )
            failure = run.stderr.strip().splitlines()[-1:] if run.returncode else None
        except subprocess.TimeoutExpired:
            failure = [f"blev ikke færdig inden for {timeout} s"]
        figures = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    if failure:
        stage = figures.get("stage", "generate")
        REASONS[f"{scale}x"] = f"{scale}×: standsede i trinnet '{stage}': {failure[0]}"
    elif figures.get("stage") == "referral_out_of_time":
        REASONS[f"{scale}x.referral_path"] = (
            f"{scale}×: henvisningernes målinger tog over {REFERRAL_BUDGET} s"
        )
    return figures


def scales() -> dict[str, dict[str, object] | None]:
    """Each scale in turn within :data:`SCALE_TIMEOUT`, each under the memory cap of
    :func:`_limit_memory` (a scale that does not fit stops with its stage named)."""
    found: dict[str, dict[str, object] | None] = {}
    for scale, timeout in SCALE_TIMEOUT.items():
        found[f"{scale}x"] = one_scale(scale, timeout)
        print(f"{scale}×: {found[f'{scale}x']}", file=sys.stderr)
    return found


#: Why a figure is ``null``, by key (filled while the benchmark runs).
REASONS: dict[str, str] = {}


def machine() -> dict[str, object]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cores": os.cpu_count(),
        "ram_gb": round(memory_kb / 1024 / 1024, 1),
        "cpu": model,
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def write_results(figures: dict[str, object]) -> None:
    """Merge ``figures`` into bench/results.json."""
    known = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    known.update(figures)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(known, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _figure(value: object, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value >= 100:
        value = round(value)
    text = f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)
    return f"{text.replace('.', ',') if isinstance(value, float) else text}{unit}"


def readme_table(results: dict[str, object]) -> str:
    """The Markdown table of ``results`` (Danish, for the README)."""
    who = results["who_handles"]
    ref = results["referral_path"]
    assert isinstance(who, dict) and isinstance(ref, dict)
    rows = [
        "| spørgsmål | Stafet p50 | Stafet p99 | rdflib SPARQL p50 | Oxigraph SPARQL p50 "
        "| 100× p99 |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, figures in (("who (id, hele JSON-svaret)", who), ("henvisning", ref)):
        cells = [
            figures[k]
            for k in (
                "stafet_p50_us",
                "stafet_p99_us",
                "rdflib_sparql_p50_us",
                "oxigraph_sparql_p50_us",
                "national_p99_us",
            )
        ]
        rows.append(f"| {name} | " + " | ".join(_figure(c, " µs") for c in cells) + " |")
    rows += ["", "| måling | værdi |", "| --- | ---: |"]
    edit = results["edit_to_visible_p95_ms"]
    assert isinstance(edit, dict)
    pairs = [
        ("opstart, `make run` til første svar (s, varm cache)", results["startup_s"]),
        ("opstart, samme, uden register (kun Turtle) (s)", results.get("startup_turtle_s")),
        ("who over HTTP, 2 workers, wrk (req/s)", results["api_req_per_s"]),
        ("bar FastAPI, samme krop, samme vej (req/s)", results["bare_fastapi_req_per_s"]),
        ("opgavesiden `/id/task/kle-32.03.16` (req/s)", results["task_page_req_per_s"]),
        ("ændring → synlig, p95, 1× (ms)", edit.get("1x")),
        ("ændring → synlig, p95, 100× (ms)", edit.get("100x")),
        ("100×: indlæst og kompileret (s)", results["national_load_s"]),
        ("100×: største hukommelse (MB)", results["national_peak_rss_mb"]),
    ]
    rows += [f"| {name} | {_figure(value)} |" for name, value in pairs]
    per_scale = results["scales"]
    assert isinstance(per_scale, dict)
    rows += [
        "",
        "| skala | tripler | indlæsning (s) | kompilering (s) | maks. RSS (MB) | who p99 (µs) "
        "| henvisning p99, nye spørgsmål (µs) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    keys = (
        "triples",
        "load_s",
        "compile_s",
        "peak_rss_mb",
        "who_handles_p99_us",
        "referral_path_p99_us",
    )
    for scale, figures in per_scale.items():
        if figures is None:
            rows.append(f"| {scale} |" + " – |" * len(keys))
            continue
        rows.append(f"| {scale} | " + " | ".join(_figure(figures.get(k)) for k in keys) + " |")
    info = results["machine"]
    assert isinstance(info, dict)
    rows += [
        "",
        f"Maskine: {info['cores']} kerner, {info['ram_gb']} GB RAM, {info['cpu']}, Python "
        f"{info['python']}. Kommando: `{results['command']}` ({results['measured_at']}).",
    ]
    reasons = results["null_reasons"]
    assert isinstance(reasons, dict)
    rows += [f"Ikke målt ({key}): {why}." for key, why in reasons.items()]
    return "\n".join(rows)


def write_readme(results: dict[str, object]) -> None:
    """Put the table between the ``ydelse`` markers in README.md."""
    text = README.read_text(encoding="utf-8")
    begin, end = "<!-- ydelse:start -->", "<!-- ydelse:end -->"
    if begin not in text:
        raise SystemExit(f"README.md has no {begin} marker")
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    README.write_text(f"{head}{begin}\n{readme_table(results)}\n{end}{tail}", encoding="utf-8")


def print_edits(edits: dict[str, object], startups: dict[str, tuple[float, float]]) -> None:
    print(f"\n| ændring → synlig ({edits['edits']} ændringer) | p50 (ms) | p95 (ms) |")
    print("| --- | ---: | ---: |")
    print(f"| alle | {edits['edit_to_visible_p50_ms']} | {edits['edit_to_visible_p95_ms']} |")
    by_kind = edits["by_kind"]
    assert isinstance(by_kind, dict)
    for kind, figures in by_kind.items():
        print(f"| {kind} | {figures['p50_ms']} | {figures['p95_ms']} |")
    if not startups:
        return
    print("\n| opstart | proces til første svar på /health (s) | heraf grafen (s) |")
    print("| --- | ---: | ---: |")
    for name, (seconds, load_seconds) in startups.items():
        print(f"| {name} | {seconds:.1f} | {load_seconds:.1f} |")


def edits_only(wanted: list[int]) -> int:
    """``bench.py edit [SCALE…]``: the Copenhagen data, then each synthetic scale asked for
    (``edit_to_visible_p95_ms`` takes its ``100x`` from the synthetic 100×)."""
    edits = edit_to_visible()
    startups = store_startup_seconds() if not wanted else {}
    per_scale = edit_scales(wanted)
    print_edits(edits, startups)
    for scale, measured in per_scale.items():
        if measured is not None:
            print(f"\n{scale} (syntetisk, {measured['load_s']} s indlæsning):")
            print_edits(measured, {})
    p95 = {"1x": edits["edit_to_visible_p95_ms"], **_scale_p95(per_scale, ("100x",))}
    figures: dict[str, object] = {"edit_to_visible": edits, "edit_to_visible_p95_ms": p95}
    figures["edit_to_visible_scales"] = per_scale
    figures["edit_to_visible_null_reasons"] = {
        key: why for key, why in REASONS.items() if key.startswith("edit_to_visible")
    }
    if startups:
        figures["store_startup_seconds"] = startups
    write_results(figures)
    return 0


def _scale_p95(
    per_scale: dict[str, dict[str, object] | None], keys: tuple[str, ...]
) -> dict[str, object]:
    return {
        key: figures["edit_to_visible_p95_ms"]
        for key in keys
        if (figures := per_scale.get(key)) is not None
    }


def main() -> int:
    if sys.argv[1:2] == ["edit"]:
        return edits_only([int(scale) for scale in sys.argv[2:]])
    if sys.argv[1:2] == ["edit-scale"]:
        synthetic_edits(int(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
        return 0
    if sys.argv[1:] == ["startup"]:
        print(json.dumps(make_run_startup()))
        return 0
    if sys.argv[1:] == ["readme"]:  # the table again from bench/results.json
        write_readme(json.loads(RESULTS.read_text(encoding="utf-8")))
        return 0
    if sys.argv[1:2] == ["referral"]:
        print(json.dumps(referral_bench(sys.argv[2], *map(int, sys.argv[3:4]))))
        return 0
    if sys.argv[1:] == ["http"]:  # only over_http: wrk against the app and the bare app
        figures: dict[str, object] = {"load_before": os.getloadavg()[0], **over_http()}
        figures["api_to_bare_ratio"] = round(
            float(str(figures["api_req_per_s"])) / float(str(figures["bare_fastapi_req_per_s"])), 2
        )
        figures["load_after"] = os.getloadavg()[0]
        print(json.dumps(figures, indent=2))
        return 0
    if sys.argv[1:2] == ["national"]:  # national SCALE [DIR OUT]: one scale, printed
        scale = int(sys.argv[2])
        folder = Path(sys.argv[3]) if len(sys.argv) > 3 else Path(f"/tmp/syn-{scale}")
        out = Path(sys.argv[4]) if len(sys.argv) > 4 else Path(f"/tmp/national-{scale}.json")
        national(scale, folder, out)
        print(out.read_text(encoding="utf-8"))
        return 0
    begun = time.perf_counter()
    questions = copenhagen_questions()
    print(f"questions: {questions}", file=sys.stderr)
    http = over_http()
    print(f"http: {http}", file=sys.stderr)
    startup = make_run_startup()
    print(f"startup: {startup}", file=sys.stderr)
    edits = edit_to_visible()
    per_scale = scales()
    big = per_scale.get("100x")
    big = big or {}
    for name in ("who_handles", "referral_path"):
        questions[name]["national_p99_us"] = big.get(f"{name}_p99_us")  # type: ignore[assignment]
    if "100x" in REASONS:
        REASONS["national"] = REASONS["100x"]
    if "100x.referral_path" in REASONS:
        REASONS["referral_path.national_p99_us"] = REASONS["100x.referral_path"]
    # Edits at 100× only where 100× loaded in the run: the store's seed is the same load.
    edit_scale = edit_scales([100]) if "who_handles_p99_us" in big else {}
    if not edit_scale:
        REASONS["edit_to_visible_p95_ms.100x"] = "ikke kørt: 100×-data blev ikke indlæst i kørslen"
    elif edit_scale["100x"] is None:
        REASONS["edit_to_visible_p95_ms.100x"] = REASONS["edit_to_visible.100x"]
    results: dict[str, object] = {
        "who_handles": questions["who_handles"],
        "referral_path": questions["referral_path"],
        "startup_s": startup["store_warm_s"],
        "startup_cold_s": startup["store_cold_s"],
        "startup_turtle_s": startup["turtle_warm_s"],
        "startup_turtle_cold_s": startup["turtle_cold_s"],
        "api_req_per_s": http["api_req_per_s"],
        "bare_fastapi_req_per_s": http["bare_fastapi_req_per_s"],
        "api_to_bare_ratio": round(http["api_req_per_s"] / http["bare_fastapi_req_per_s"], 2),
        "body_bytes": http["body_bytes"],
        "task_page_req_per_s": http["task_page_req_per_s"],
        "edit_to_visible_p95_ms": {
            "1x": edits["edit_to_visible_p95_ms"],
            "100x": _scale_p95(edit_scale, ("100x",)).get("100x"),
        },
        "edit_to_visible_scales": edit_scale,
        "national_peak_rss_mb": big.get("peak_rss_mb") if "who_handles_p99_us" in big else None,
        "national_load_s": (
            round(float(str(big["load_s"])) + float(str(big["compile_s"])), 1)
            if "compile_s" in big
            else None
        ),
        "scales": per_scale,
        "null_reasons": REASONS,
        "machine": machine(),
        "command": "make bench",
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "bench_s": round(time.perf_counter() - begun),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_readme(results)
    print(readme_table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
