"""A change to the store of record: the triples it removes and adds, and who made it why.

A :class:`Change` is exact: ``removed`` are triples that were in the data when it was made,
``added`` triples that were not. So a change can be replayed forward (a follower catching up)
and backward (the graph as it was recorded at an earlier moment), and the log of changes is
the whole registration history. Blank nodes never occur in a change: the store holds the data
skolemised (:func:`graph.store.terms.skolemise`), and edits mint IRIs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyoxigraph as oxigraph
from rdflib import BNode, URIRef
from rdflib.term import Node

from graph.errors import InvalidInputError
from graph.store.terms import from_oxigraph, to_oxigraph

__all__ = ["CHANGE_KINDS", "Change", "Triple", "new_change", "parse_triples", "serialise_triples"]

#: A triple of the data, in rdflib terms (never a blank node).
Triple = tuple[URIRef, URIRef, Node]

#: What a change does: ``init`` loads the seed; ``create``/``update``/``end`` edit a resource
#: (an end sets ``validUntil``: nothing is deleted); ``confirm``/``dispute`` review a fact;
#: ``import`` is a batch from a spreadsheet.
CHANGE_KINDS = ("init", "create", "update", "end", "confirm", "dispute", "import", "batch")


@dataclass(frozen=True, slots=True)
class Change:
    """One atomic change, as committed (``sequence`` > 0) or proposed (``sequence`` 0).

    Examples
    --------
    >>> from rdflib import RDFS, Literal
    >>> change = new_change(
    ...     agent="anna", kind="update", reason="Nyt navn",
    ...     removed=[(URIRef("urn:x"), RDFS.label, Literal("A"))],
    ...     added=[(URIRef("urn:x"), RDFS.label, Literal("B"))],
    ... )
    >>> change.inverse().added == change.removed
    True
    >>> change.subjects()
    frozenset({rdflib.term.URIRef('urn:x')})
    """

    id: str
    agent: str
    kind: str
    recorded_at: datetime
    reason: str = ""
    source: str | None = None
    resources: tuple[str, ...] = ()
    removed: frozenset[Triple] = field(default_factory=frozenset)
    added: frozenset[Triple] = field(default_factory=frozenset)
    sequence: int = 0

    def inverse(self) -> Change:
        """The change that undoes this one (for reading the graph as recorded earlier)."""
        return Change(
            id=self.id,
            agent=self.agent,
            kind=self.kind,
            recorded_at=self.recorded_at,
            reason=self.reason,
            source=self.source,
            resources=self.resources,
            removed=self.added,
            added=self.removed,
            sequence=self.sequence,
        )

    def subjects(self) -> frozenset[URIRef]:
        """Every subject whose triples the change touches."""
        return frozenset(s for s, _, _ in self.removed | self.added)

    def is_empty(self) -> bool:
        return not self.removed and not self.added


def new_change(
    *,
    agent: str,
    kind: str,
    removed: Iterable[Triple] = (),
    added: Iterable[Triple] = (),
    reason: str = "",
    source: str | None = None,
    resources: Iterable[str] = (),
    recorded_at: datetime | None = None,
) -> Change:
    """Make a proposed change with a fresh id; a triple both removed and added is dropped."""
    if kind not in CHANGE_KINDS:
        raise InvalidInputError(f"ukendt slags ændring: {kind!r}")
    gone, new = frozenset(removed), frozenset(added)
    both = gone & new
    for triple in gone | new:
        if any(isinstance(term, BNode) for term in triple):
            raise InvalidInputError("en ændring må ikke indeholde blanke knuder")
    return Change(
        id=uuid.uuid4().hex,
        agent=agent,
        kind=kind,
        recorded_at=recorded_at or datetime.now(UTC),
        reason=reason,
        source=source,
        resources=tuple(dict.fromkeys(resources)),
        removed=gone - both,
        added=new - both,
    )


def serialise_triples(triples: Iterable[Triple]) -> str:
    """N-Triples text, one sorted line per triple (stable, so it can be diffed).

    Examples
    --------
    >>> from rdflib import Literal
    >>> print(serialise_triples([(URIRef("urn:b"), URIRef("urn:p"), Literal("æ\\n"))]))
    <urn:b> <urn:p> "æ\\n" .
    """
    lines = sorted(
        f"{oxigraph.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))} ."
        for s, p, o in triples
    )
    return "\n".join(lines)


def parse_triples(text: str) -> frozenset[Triple]:
    """Read what :func:`serialise_triples` wrote.

    Examples
    --------
    >>> from rdflib import Literal
    >>> triples = {(URIRef("urn:a"), URIRef("urn:p"), Literal("x", lang="da"))}
    >>> parse_triples(serialise_triples(triples)) == triples
    True
    """
    if not text.strip():
        return frozenset()
    found: set[Triple] = set()
    for quad in oxigraph.parse(input=text.encode("utf-8"), format=oxigraph.RdfFormat.N_TRIPLES):
        subject, predicate = from_oxigraph(quad.subject), from_oxigraph(quad.predicate)
        assert isinstance(subject, URIRef) and isinstance(predicate, URIRef)
        found.add((subject, predicate, from_oxigraph(quad.object)))
    return frozenset(found)
