"""The same data compiles the same, read from the shipped Turtle or from a store of record.

A store returns triples in another order than the Turtle parser; where a resource has several
values for a single-valued field (Udbetaling Danmark is both ``ansvarlig`` and ``udbetaler``),
the compiled answer must not depend on that order.
"""

from __future__ import annotations

from graph.data.compile import compile_registry
from graph.data.loader import default_source
from graph.store.embedded import EmbeddedStore
from graph.store.open import seed_store


def test_turtle_and_store_compile_to_the_same_registry() -> None:
    store = EmbeddedStore(None)
    seed_store(store, default_source())
    from_turtle = compile_registry(default_source().read())
    from_store = compile_registry(store.read_graph())
    for kind in ("units", "tasks", "participations", "contacts", "laws", "forums"):
        assert getattr(from_store, kind) == getattr(from_turtle, kind), kind
    boligstotte = from_store.participations["kle-32.06-udk-ansvarlig"]
    assert boligstotte.role == "ansvarlig"
