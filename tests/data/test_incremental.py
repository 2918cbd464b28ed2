"""Following the store entry by entry gives exactly what compiling the whole store gives."""

from __future__ import annotations

import random
from dataclasses import dataclass
from types import SimpleNamespace

import pyoxigraph as oxigraph
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from graph.data.compile import compile_registry
from graph.data.incremental import follow_changes, touched_entities
from graph.data.knowledge import Knowledge
from graph.data.loader import default_source
from graph.questions.responsibility import who_handles
from graph.store.change import new_change
from graph.store.embedded import EmbeddedStore
from graph.store.source import StoreSource
from ontology.namespaces import STAFET
from scripts.edits import EDIT_KINDS, commit_edit, random_edit


@dataclass
class Follower:
    store: EmbeddedStore
    knowledge: Knowledge
    sequence: int

    def follow(self) -> bool:
        """Apply the store's new changes; True if every one was followed entry by entry."""
        changes = self.store.changes(since=self.sequence)
        head = changes[-1]
        followed = follow_changes(
            self.knowledge, changes, fingerprint=f"store-{head.sequence}-{head.id}"
        )
        self.knowledge, self.sequence = followed.knowledge, head.sequence
        return not followed.full


@pytest.fixture(scope="module")
def follower() -> Follower:
    store = EmbeddedStore(None)
    seed = default_source().store()
    head = store.initialise(seed.quads_for_pattern(None, None, None), agent="test", reason="seed")
    return Follower(store, Knowledge.from_source(StoreSource(store)), head.sequence)


@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.generate],  # a failure is one sequence of edits: no slow shrinking
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    kinds=st.lists(st.sampled_from(EDIT_KINDS), min_size=6, max_size=12),
    seed=st.integers(0, 2**32),
)
def test_following_changes_equals_compiling_the_result(
    follower: Follower, kinds: list[str], seed: int
) -> None:
    rng = random.Random(seed)
    for kind in kinds:
        commit_edit(follower.store, random_edit(follower.store, follower.knowledge, rng, kind))
        if rng.random() < 0.6:  # sometimes one change at a time, sometimes several together
            assert follower.follow(), kind
    if follower.store.head().sequence > follower.sequence:
        assert follower.follow()
    assert follower.knowledge.registry == compile_registry(follower.store.read_graph())


def test_a_new_responsibility_is_answered_and_a_rename_is_found(follower: Follower) -> None:
    rng = random.Random(11)
    name, change, head = random_edit(follower.store, follower.knowledge, rng, "new-responsibility")
    commit_edit(follower.store, (name, change, head))
    assert follower.follow()
    part = next(
        s for s in change.subjects() if "/participation/" in str(s) and "/age" not in str(s)
    )
    task = next(s for s, p, o in change.added if o == part)
    answer = who_handles(follower.knowledge, str(task).rsplit("/", 1)[-1])
    assert part.rsplit("/", 1)[-1] in {p.id for p in answer.handlers}
    ages = follower.knowledge.registry.participations[part.rsplit("/", 1)[-1]].conditions
    assert [c.min_age for c in ages] in ([18], [65])  # the sub-node's age band was read

    sof = URIRef(follower.knowledge.units["sof-borgercenter-handicap"].uri)
    old = Literal(follower.knowledge.units["sof-borgercenter-handicap"].label, lang="da")
    head = follower.store.head()
    rename = new_change(
        agent="test",
        kind="update",
        removed=[(sof, SKOS.prefLabel, old)],
        added=[(sof, SKOS.prefLabel, Literal("Hjælpemiddelhuset Nord", lang="da"))],
    )
    follower.store.commit(rename, expected=head.sequence)
    before = follower.knowledge.search
    assert follower.follow()
    assert follower.knowledge.search is not before  # a name changed: the index was rebuilt
    unit, _ = follower.knowledge.resolve("unit", "hjælpemiddelhuset nord")
    assert unit.id == "sof-borgercenter-handicap"


def test_an_edit_of_kle_is_compiled_in_full(follower: Follower) -> None:
    task = URIRef(follower.knowledge.tasks["kle-32.03.16"].uri)
    head = follower.store.head()
    change = new_change(
        agent="test",
        kind="update",
        added=[(task, SKOS.altLabel, Literal("pension i utide (prøve)", lang="da"))],
    )
    follower.store.commit(change, expected=head.sequence)
    assert not follower.follow()  # a task's own triples: not followed entry by entry
    assert "pension i utide (prøve)" in follower.knowledge.tasks["kle-32.03.16"].alt_labels
    assert follower.knowledge.registry == compile_registry(follower.store.read_graph())


def test_a_status_confirmation_keeps_the_search_index(follower: Follower) -> None:
    rng = random.Random(3)
    commit_edit(follower.store, random_edit(follower.store, follower.knowledge, rng, "confirm"))
    before = follower.knowledge.search
    assert follower.follow()
    assert follower.knowledge.search is before


def test_a_kle_keyword_is_traced_to_its_concept_and_compiled_in_full(follower: Follower) -> None:
    data = follower.knowledge.store
    keyword = next(
        iter(data.quads_for_pattern(None, oxigraph.NamedNode(str(STAFET.keyword)), None))
    )
    node = URIRef(keyword.object.value)
    assert "/.well-known/genid/" in node  # a skolemised blank node of the seed
    weight = (node, STAFET.weight, Literal(9))
    change = SimpleNamespace(kind="update", removed=frozenset(), added=frozenset({weight}))
    assert touched_entities(data, [change]) is None
    name = next(iter(data.quads_for_pattern(None, oxigraph.NamedNode(str(STAFET.datedName)), None)))
    dated = URIRef(name.object.value)  # a unit's dated name: a sub-node of the unit
    until = (dated, STAFET.validUntil, Literal("2026-12-31"))
    change = SimpleNamespace(kind="update", removed=frozenset(), added=frozenset({until}))
    assert touched_entities(data, [change]) == {URIRef(name.subject.value)}


def test_an_ended_contact_point_is_no_contact_after_its_end(follower: Follower) -> None:
    from datetime import date, timedelta

    from rdflib.namespace import XSD

    from graph.questions.responsibility import contact_points_for

    kg = follower.knowledge
    unit = next(u for u in kg.units.values() if u.contacts and u.parent and u.kind == "unit")
    before = contact_points_for(kg, unit.id)
    assert before.holder == unit.id and not before.inherited
    yesterday = date.today() - timedelta(days=1)
    ended = [
        (
            URIRef(kg.registry.contacts[c].uri),
            STAFET.validUntil,
            Literal(yesterday, datatype=XSD.date),
        )
        for c in unit.contacts
    ]
    follower.store.commit(
        new_change(agent="test", kind="end", added=ended), expected=follower.store.head().sequence
    )
    follower.follow()
    kg = follower.knowledge
    now = contact_points_for(kg, unit.id)
    assert now.holder != unit.id and set(now.contacts).isdisjoint(unit.contacts)
    assert contact_points_for(kg, unit.id, yesterday) == before  # as it stood on its last day


def test_a_derived_index_is_kept_while_no_edit_touches_what_it_reads(follower: Follower) -> None:
    kg = follower.knowledge
    tasks = kg.derived("test-tasks", lambda k: sorted(k.tasks), reads=("tasks",))
    units = kg.derived(
        "test-units", lambda k: {u.id: u.label for u in k.units.values()}, reads=("units",)
    )
    unread = kg.derived("test-unread", lambda k: object())
    unit = next(u for u in kg.units.values() if u.kind == "unit")
    head = follower.store.head()
    rename = new_change(
        agent="test",
        kind="update",
        removed=[(URIRef(unit.uri), SKOS.prefLabel, Literal(unit.label, lang="da"))],
        added=[(URIRef(unit.uri), SKOS.prefLabel, Literal("Afdelingen for prøver", lang="da"))],
    )
    follower.store.commit(rename, expected=head.sequence)
    assert follower.follow()
    now = follower.knowledge
    assert now.derived("test-tasks", lambda k: []) is tasks  # carried over
    renamed = now.derived("test-units", lambda k: {u.id: u.label for u in k.units.values()})
    assert renamed is not units and renamed[unit.id] == "Afdelingen for prøver"
    assert now.derived("test-unread", lambda k: None) is None  # no ``reads``: built again
    assert unread is not None
