"""After every kind of edit, the followed snapshot answers as one compiled from scratch.

On the real data and on a small synthetic set: the store of record is seeded, every kind of
edit :mod:`scripts.edits` makes is committed and followed (with the indexes the app builds
at start-up already built, so they are carried over and patched), and the followed
:class:`Knowledge` is compared with one compiled from the store at the same head: the
registry, the patched indexes, who handles the edited task, the search for the edited
names, the unit and task resources, and the referral.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from graph.data.incremental import follow_changes
from graph.data.knowledge import Knowledge
from graph.data.loader import TurtleFiles, default_source
from graph.io.synthetic import generate, synthetic_source
from graph.questions.referral import referral_path
from graph.questions.resources import describe_resource
from graph.questions.responsibility import who_handles
from graph.store.change import Change, new_change
from graph.store.embedded import EmbeddedStore
from graph.store.source import StoreSource
from scripts.edits import EDIT_KINDS, commit_edit, random_edit

#: Tasks asked on every comparison besides the edited one (a topic with a KLE group above).
TASKS = ("kle-32.03.16", "kle-23.09.02")


@dataclass
class Follower:
    store: EmbeddedStore
    knowledge: Knowledge
    sequence: int

    def commit(self, change: Change) -> Change:
        return self.store.commit(change, expected=self.store.head().sequence)

    def follow(self) -> Knowledge:
        changes = self.store.changes(since=self.sequence)
        head = changes[-1]
        followed = follow_changes(
            self.knowledge, changes, fingerprint=f"store-{head.sequence}-{head.id}"
        )
        assert not followed.full
        self.knowledge, self.sequence = followed.knowledge, head.sequence
        return self.knowledge

    def scratch(self) -> Knowledge:
        return Knowledge.from_rdf(self.store.read_graph())


def _warm(kg: Knowledge) -> None:
    """What the app builds at start-up (api.runtime.warm), less the referral graph."""
    kg.search  # noqa: B018
    kg.participations_by_task  # noqa: B018
    kg.participations_by_unit  # noqa: B018
    kg.children  # noqa: B018
    kg.task_by_notation  # noqa: B018


def _seeded(seed: TurtleFiles) -> Follower:
    store = EmbeddedStore(None)
    head = store.initialise(
        seed.store().quads_for_pattern(None, None, None), agent="test", reason="seed"
    )
    knowledge = Knowledge.from_source(StoreSource(store))
    _warm(knowledge)
    return Follower(store, knowledge, head.sequence)


@pytest.fixture(scope="module", params=["copenhagen", "synthetic"])
def follower(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Follower:
    if request.param == "copenhagen":
        return _seeded(default_source())
    folder: Path = tmp_path_factory.mktemp("synthetic")
    generate(0.05, folder)
    return _seeded(synthetic_source(folder))


def _edited_task(change: Change) -> str | None:
    found = [str(s) for s, _, _ in change.added if "/id/task/" in str(s)]
    return found[0].rsplit("/", 1)[-1] if found else None


def _units_of(change: Change, kg: Knowledge) -> Iterator[str]:
    for subject in change.subjects():
        ident = str(subject).rsplit("/", 1)[-1]
        if "/id/unit/" in str(subject) and ident in kg.units:
            yield ident


def _assert_same(followed: Knowledge, scratch: Knowledge, change: Change) -> None:
    assert followed.registry == scratch.registry
    # The patched indexes are exactly the indexes built again from the followed registry,
    # and hold what a compile from scratch holds.
    rebuilt = Knowledge(followed.registry)
    for name in ("participations_by_task", "participations_by_unit", "children"):
        assert followed.__dict__[name] == getattr(rebuilt, name), name
    assert followed.participations_by_task == scratch.participations_by_task
    assert followed.children == scratch.children
    assert {u: sorted(p.id for p in ps) for u, ps in followed.participations_by_unit.items()} == {
        u: sorted(p.id for p in ps) for u, ps in scratch.participations_by_unit.items()
    }
    edited = _edited_task(change)
    for task in {*TASKS, *([edited] if edited else [])}:
        assert who_handles(followed, task) == who_handles(scratch, task), task
        assert describe_resource(followed, "task", task) == describe_resource(scratch, "task", task)
    for unit in _units_of(change, followed):
        label = followed.units[unit].label
        for kind in ("unit", "any"):
            assert followed.search.search(label, kind=kind) == scratch.search.search(
                label, kind=kind
            )
        assert describe_resource(followed, "unit", unit) == describe_resource(scratch, "unit", unit)


@pytest.mark.parametrize("kind", EDIT_KINDS)
def test_each_kind_of_edit_is_followed_to_what_a_compile_gives(
    follower: Follower, kind: str
) -> None:
    rng = random.Random(f"{kind}-13")
    before = follower.knowledge
    change = commit_edit(follower.store, random_edit(follower.store, before, rng, kind))
    followed = follower.follow()
    carried = set(followed.__dict__) & {"participations_by_task", "children", "search"}
    assert carried == {"participations_by_task", "children", "search"}  # not left to build
    assert "graph" not in followed.__dict__  # the networkx graph waits for its first use
    _assert_same(followed, follower.scratch(), change)


def test_a_rename_is_found_by_the_new_name_only_and_the_old_snapshot_is_untouched(
    follower: Follower,
) -> None:
    kg = follower.knowledge
    unit = next(u for u in kg.units.values() if u.kind == "unit" and not u.alt_labels)
    old_label = unit.label
    old_hits = kg.search.search(old_label, kind="unit")
    assert kg.resolve("unit", old_label)[0].id == unit.id
    follower.commit(
        new_change(
            agent="test",
            kind="update",
            removed=[(URIRef(unit.uri), SKOS.prefLabel, Literal(old_label, lang="da"))],
            added=[(URIRef(unit.uri), SKOS.prefLabel, Literal("Vandrørsværket Ø", lang="da"))],
        )
    )
    followed = follower.follow()
    assert followed.search is not kg.search
    assert followed.resolve("unit", "vandrørsværket ø")[0].id == unit.id
    assert unit.id not in {h.id for h in followed.search.search(old_label, kind="unit")}
    scratch = follower.scratch()
    for query in (old_label, "Vandrørsværket Ø", "vandrorsvaerk"):
        assert followed.search.search(query) == scratch.search.search(query)
        assert followed.search.suggest(query) == scratch.search.suggest(query)
    # The snapshot followed (a request may still be reading it) answers as it did.
    assert kg.search.search(old_label, kind="unit") == old_hits
    assert kg.search.search("Vandrørsværket Ø", kind="unit") == []
    assert kg.units[unit.id].label == old_label


def test_after_every_edit_the_referral_answers_as_a_compile_does(follower: Follower) -> None:
    kg = follower.knowledge
    scratch = follower.scratch()
    asking = "syn001-f1-c1" if "syn001-f1-c1" in kg.units else "borgerraadgiveren"
    assert referral_path(kg, asking, TASKS[0]) == referral_path(scratch, asking, TASKS[0])
