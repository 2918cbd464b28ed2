"""The store of record's guarded commits and log, on an embedded store seeded with the real data."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from graph.data.loader import default_source
from graph.store.backend import StaleHeadError, StoreError, StoreNotReadyError
from graph.store.change import new_change
from graph.store.embedded import EmbeddedStore
from graph.store.terms import GENID

SOF = URIRef("https://stafet.kk.dk/id/unit/sof")


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    store = EmbeddedStore(None)
    seed = default_source().store()
    store.initialise(seed.quads_for_pattern(None, None, None), agent="test", reason="seed")
    return store


def test_an_empty_store_is_not_ready() -> None:
    with pytest.raises(StoreNotReadyError, match="stafet store init"):
        EmbeddedStore(None).head()


def test_the_seed_is_held_without_blank_nodes(store: EmbeddedStore) -> None:
    graph = store.read_graph()
    assert len(graph) > 140_000
    assert not any(type(term).__name__ == "BNode" for triple in graph for term in triple)
    assert any(str(o).startswith(GENID) for o in graph.objects(None, None))
    with pytest.raises(StoreError, match="allerede oprettet"):
        store.initialise([], agent="test", reason="again")


def test_a_commit_moves_data_and_head_together_and_a_stale_one_writes_nothing(
    store: EmbeddedStore,
) -> None:
    head = store.head()
    before = store.resource_triples([SOF])
    old = {t for t in before if t[1] == SKOS.prefLabel}
    renamed = (SOF, SKOS.prefLabel, Literal("Socialforvaltningen (prøve)", lang="da"))
    change = new_change(agent="anna", kind="update", removed=old, added=[renamed])
    committed = store.commit(change, expected=head.sequence)
    assert committed.sequence == head.sequence + 1 == store.head().sequence
    assert renamed in store.resource_triples([SOF])

    late = new_change(agent="bo", kind="update", added=[(SOF, SKOS.altLabel, Literal("x"))])
    with pytest.raises(StaleHeadError):
        store.commit(late, expected=head.sequence)
    assert (SOF, SKOS.altLabel, Literal("x")) not in store.resource_triples([SOF])

    logged = store.changes(since=head.sequence)
    assert [(c.id, c.agent, c.removed, c.added) for c in logged] == [
        (change.id, "anna", frozenset(old), frozenset([renamed]))
    ]
    reverse = logged[0].inverse()
    undo = new_change(agent="anna", kind="update", removed=reverse.removed, added=reverse.added)
    assert store.commit(undo, expected=committed.sequence).sequence == committed.sequence + 1
    assert store.resource_triples([SOF]) == before
