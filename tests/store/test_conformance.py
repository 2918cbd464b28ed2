"""One set of behaviours, run on both backends: the embedded store and a live Oxigraph server.

Each test starts from whatever head the shared, seeded store is at, so they do not depend
on one another's order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS, XSD

from graph.data.loader import default_source
from graph.store.backend import (
    DATA_GRAPH,
    InexactChangeError,
    StaleHeadError,
    Store,
    StoreError,
)
from graph.store.change import Change, Triple, new_change
from graph.store.sparql import SparqlStore
from graph.store.terms import skolemise

SOF = URIRef("https://stafet.kk.dk/id/unit/sof")
TEST = "https://stafet.kk.dk/id/test/"
COUNT = URIRef(f"{TEST}count")

HOSTILE = [
    'med "anførselstegn" og \\"skråstreg\\"',
    "linje 1\nlinje 2\r\nlinje 3\t",
    '} } ; DROP ALL ; INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> "c" } } #',
    "\"\"\" tre anførselstegn \"\"\" ''' og apostroffer '''",
    "ÆØÅ æøå – “typografisk” ✓ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u200b nul-bredde",
    "x" * 200_000,
    "\\u0022 ikke en escape \\n",
    "> <urn:p> <urn:o> . <urn:s",
]


def count(store: Store) -> int:
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DATA_GRAPH}> {{ ?s ?p ?o }} }}")
    return int(str(rows[0]["n"]))


def commit_now(store: Store, **change: object) -> Change:
    head = store.head()
    return store.commit(new_change(agent="test", kind="update", **change), expected=head.sequence)  # type: ignore[arg-type]


def test_init_from_the_real_seed_holds_it_whole_without_blank_nodes(seeded_store: Store) -> None:
    seed = list(skolemise(default_source().store().quads_for_pattern(None, None, None)))
    first = seeded_store.changes(0, 1)
    assert [(c.sequence, c.kind, c.added, c.removed) for c in first] == [
        (1, "init", frozenset(), frozenset())
    ]
    graph = seeded_store.read_graph()
    assert not any(type(term).__name__ == "BNode" for triple in graph for term in triple)
    assert len({(q.subject, q.predicate, q.object) for q in seed}) == len(graph) > 140_000
    assert (SOF, RDFS.label, Literal("Socialforvaltningen", lang="da")) in graph or any(
        "Socialforvaltningen" in str(o) for o in graph.objects(SOF, SKOS.prefLabel)
    )
    with pytest.raises(StoreError, match="allerede oprettet"):
        seeded_store.initialise([], agent="test", reason="igen")


def test_a_guarded_commit_moves_the_head_and_a_stale_one_writes_nothing(
    seeded_store: Store,
) -> None:
    head = seeded_store.head()
    note = (SOF, RDFS.comment, Literal("prøve 1", lang="da"))
    done = seeded_store.commit(
        new_change(agent="anna", kind="update", added=[note]), expected=head.sequence
    )
    assert done.sequence == head.sequence + 1
    assert seeded_store.head().sequence == done.sequence and seeded_store.head().change == done.id
    assert note in seeded_store.resource_triples([SOF])

    before = count(seeded_store)
    late = (SOF, RDFS.comment, Literal("for sent", lang="da"))
    with pytest.raises(StaleHeadError) as stale:
        seeded_store.commit(
            new_change(agent="bo", kind="update", added=[late], removed=[note]),
            expected=head.sequence,
        )
    assert stale.value.head.sequence == done.sequence
    assert seeded_store.head().sequence == done.sequence
    assert count(seeded_store) == before
    assert {late} & seeded_store.resource_triples([SOF]) == set()
    assert note in seeded_store.resource_triples([SOF])


def test_an_inexact_change_writes_nothing(seeded_store: Store) -> None:
    head = seeded_store.head()
    absent = (SOF, RDFS.comment, Literal("findes ikke", lang="da"))
    label = next(t for t in seeded_store.resource_triples([SOF]) if t[1] == SKOS.prefLabel)
    for bad in (
        new_change(agent="c", kind="update", removed=[absent]),
        new_change(agent="c", kind="update", added=[label]),
    ):
        with pytest.raises(InexactChangeError, match="passer ikke"):
            seeded_store.commit(bad, expected=head.sequence)
    assert seeded_store.head() == head


def test_changes_since_and_until(seeded_store: Store) -> None:
    start = seeded_store.head().sequence
    made = [
        commit_now(seeded_store, added=[(URIRef(f"{TEST}c{i}"), RDFS.label, Literal(f"c{i}"))])
        for i in range(3)
    ]
    assert [c.id for c in seeded_store.changes(since=start)] == [c.id for c in made]
    middle = seeded_store.changes(since=start, until=start + 2)
    assert [c.sequence for c in middle] == [start + 1, start + 2]
    assert middle[1].added == made[1].added and middle[1].agent == "test"
    assert seeded_store.changes(since=start + 3) == []


def test_resource_triples_and_read_graph_agree(seeded_store: Store) -> None:
    mine = seeded_store.resource_triples([SOF])
    graph = seeded_store.read_graph()
    assert mine == {(s, p, o) for s, p, o in graph.triples((SOF, None, None))}
    assert any(p == SKOS.prefLabel for _, p, _ in mine)
    assert seeded_store.resource_triples([]) == frozenset()
    assert seeded_store.resource_triples([URIRef(f"{TEST}nothing")]) == frozenset()


def test_a_large_change_is_atomic(seeded_store: Store) -> None:
    before = count(seeded_store)
    bulk: list[Triple] = [
        (URIRef(f"{TEST}bulk/{i}"), RDFS.label, Literal(f"række {i}")) for i in range(6000)
    ]
    absent = (URIRef(f"{TEST}bulk/none"), RDFS.label, Literal("ingen"))
    with pytest.raises(InexactChangeError):
        commit_now(seeded_store, added=bulk, removed=[absent])
    assert count(seeded_store) == before

    done = commit_now(seeded_store, added=bulk)
    assert count(seeded_store) == before + 6000
    assert seeded_store.changes(since=done.sequence - 1)[0].added == frozenset(bulk)
    commit_now(seeded_store, removed=bulk)
    assert count(seeded_store) == before


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_literals_round_trip_exactly(seeded_store: Store, text: str) -> None:
    subject = URIRef(f"{TEST}hostile/{len(text)}-{hash(text) & 0xFFFF}")
    before = count(seeded_store)
    triples = {
        (subject, RDFS.label, Literal(text, lang="da")),
        (subject, RDFS.comment, Literal(text)),
        (subject, SKOS.note, Literal(text, datatype=XSD.string)),
    }
    done = commit_now(seeded_store, added=triples)
    assert seeded_store.resource_triples([subject]) == {
        (subject, RDFS.label, Literal(text, lang="da")),
        (subject, RDFS.comment, Literal(text)),
        (subject, SKOS.note, Literal(text)),
    }
    assert count(seeded_store) == before + 3
    logged = seeded_store.changes(since=done.sequence - 1)[0]
    assert {str(o) for _, _, o in logged.added} == {text}
    commit_now(seeded_store, removed=seeded_store.resource_triples([subject]))
    assert count(seeded_store) == before
    assert not seeded_store.select("SELECT ?s WHERE { GRAPH <urn:x> { ?s ?p ?o } } LIMIT 1")


def _increment(store: Store, counter: URIRef, retries: list[int]) -> None:
    while True:
        head = store.head()
        (old,) = store.resource_triples([counter])
        value = int(str(old[2]))
        new = (counter, COUNT, Literal(value + 1, datatype=XSD.integer))
        try:
            store.commit(
                new_change(agent="t", kind="update", removed=[old], added=[new]),
                expected=head.sequence,
            )
            return
        except StaleHeadError:
            retries.append(1)


def _handle(store: Store) -> Store:
    """Another writer's handle on the same store (for a server: another app instance)."""
    if isinstance(store, SparqlStore):
        return SparqlStore(store.url, update_url=store.update_url)
    return store  # an embedded store is one process's: its threads share it


def test_concurrent_writers_in_one_instance_lose_no_update(seeded_store: Store) -> None:
    _race(seeded_store, lambda: seeded_store)


def _race(seeded_store: Store, handle: Callable[[], Store]) -> None:
    counter = URIRef(f"{TEST}counter")
    zero = (counter, COUNT, Literal(0, datatype=XSD.integer))
    existing = seeded_store.resource_triples([counter])
    commit_now(seeded_store, removed=existing, added=[zero])
    writers, each = 4, 15
    retries: list[int] = []
    failures: list[BaseException] = []

    def work() -> None:
        mine = handle()
        try:
            for _ in range(each):
                _increment(mine, counter, retries)
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(writers)]
    start = seeded_store.head().sequence
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not failures
    (final,) = seeded_store.resource_triples([counter])
    assert int(str(final[2])) == writers * each
    assert seeded_store.head().sequence == start + writers * each
    print(f"{writers} writers x {each}: {len(retries)} stale-head retries")


def test_every_change_is_exact_and_the_log_has_no_gaps(seeded_store: Store) -> None:
    from graph.store.export import verify

    findings = verify(seeded_store, default_source())
    assert findings.problems == []
    assert findings.changes == seeded_store.head().sequence
    assert findings.reached_seed is True


def test_concurrent_writers_in_separate_instances_lose_no_update(
    seeded_store: Store, request: pytest.FixtureRequest
) -> None:
    if isinstance(seeded_store, SparqlStore):
        request.applymarker(
            pytest.mark.xfail(
                reason="Oxigraph server 0.5.13 runs concurrent updates without a write-conflict "
                "check: two instances' guarded commits can both succeed (two heads); a "
                "deployment names one writer (STAFET_WRITER_URL, tests/cluster)",
                strict=False,
            )
        )
    _race(seeded_store, lambda: _handle(seeded_store))
