"""Registration time: the graph as it was recorded at an earlier moment, and what changed.

The store holds the data as it stands now and the exact log of every change
(:class:`~graph.store.change.Change`). Undoing the changes after a moment, newest first,
gives the data as it was recorded then: what Stafet believed at that moment, as OS2mo's
registrations do. Valid time (what was true on a day) is another axis: the data itself
dates participations, names and parents, and the questions take ``as_of``.

A moment is a change's sequence number (``12``) or an ISO date-time
(``2026-12-01T20:15:00+00:00``; without a zone it is read as UTC).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as oxigraph
from rdflib import BNode, Graph

from graph.data.loader import to_rdflib
from graph.errors import InvalidInputError
from graph.store.backend import Store
from graph.store.change import Change, Triple
from graph.store.terms import to_oxigraph

__all__ = [
    "RecordedSource",
    "TripleDiff",
    "graph_as_recorded",
    "net_effect",
    "parse_moment",
    "recorded_store",
    "registration_diff",
    "resolve_registration",
]

#: A moment in registration time: a change's sequence number or a date-time.
Moment = int | datetime


@dataclass(frozen=True, slots=True)
class TripleDiff:
    """What the data gained and lost between two registrations (``before`` → ``after``)."""

    before: int
    after: int
    added: frozenset[Triple]
    removed: frozenset[Triple]


def parse_moment(text: str) -> Moment:
    """Read a moment as a person or a tool writes it: a sequence number or an ISO date-time.

    Examples
    --------
    >>> parse_moment("12")
    12
    >>> parse_moment("2026-12-01T20:15:00")
    datetime.datetime(2026, 12, 1, 20, 15, tzinfo=datetime.timezone.utc)
    >>> parse_moment("i går")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.InvalidInputError: 'i går' er hverken et ændringsnummer eller et tidspunkt ...
    """
    value = text.strip()
    if value.isdigit():
        return int(value)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(
            f"{text!r} er hverken et ændringsnummer eller et tidspunkt (ÅÅÅÅ-MM-DDTTT:MM:SS)"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def resolve_registration(store: Store, at: Moment) -> int:
    """The sequence number of the last change recorded at or before ``at``.

    Raises
    ------
    InvalidInputError
        ``at`` lies before the store was created, or after its last change (a number).
    """
    head = store.head().sequence
    if isinstance(at, int):
        if at < 1:
            raise InvalidInputError("registret begynder med ændring 1")
        if at > head:
            raise InvalidInputError(f"registret har kun {head} ændringer, ikke {at}")
        return at
    moment = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    found = 0
    for change in store.changes():
        if change.recorded_at > moment:
            break
        found = change.sequence
    if found == 0:
        raise InvalidInputError(
            f"registret blev oprettet efter {moment.isoformat()}: der er ingen registrering før"
        )
    return found


def recorded_store(store: Store, sequence: int) -> oxigraph.Store:
    """The data as recorded just after change ``sequence``, in an in-memory Oxigraph store.

    The current data with every later change undone (:meth:`Change.inverse`), newest first.
    """
    copy = oxigraph.Store()
    copy.bulk_extend(store.data_quads())
    for change in reversed(store.changes(since=sequence)):
        undo = change.inverse()
        for triple in undo.removed:
            copy.remove(_quad(triple))
        for triple in undo.added:
            copy.add(_quad(triple))
    return copy


def graph_as_recorded(store: Store, at: Moment) -> Graph:
    """The data graph as it was recorded at ``at`` (a sequence number or a date-time).

    Examples
    --------
    >>> from rdflib import RDFS, Literal, URIRef
    >>> from graph.store.change import new_change
    >>> from graph.store.embedded import EmbeddedStore
    >>> store = EmbeddedStore(None)
    >>> head = store.initialise([], agent="test", reason="tom")
    >>> name = (URIRef("urn:u"), RDFS.label, Literal("Ny"))
    >>> _ = store.commit(new_change(agent="anna", kind="create", added=[name]), expected=1)
    >>> len(graph_as_recorded(store, 1)), len(graph_as_recorded(store, 2))
    (0, 1)
    """
    return _rdflib_graph(recorded_store(store, resolve_registration(store, at)))


def net_effect(changes: Iterable[Change]) -> tuple[frozenset[Triple], frozenset[Triple]]:
    """``(added, removed)``: what a run of exact changes, oldest first, did in all.

    Examples
    --------
    >>> from rdflib import RDFS, Literal, URIRef
    >>> from graph.store.change import new_change
    >>> a = (URIRef("urn:u"), RDFS.label, Literal("A"))
    >>> b = (URIRef("urn:u"), RDFS.label, Literal("B"))
    >>> one = new_change(agent="x", kind="create", added=[a])
    >>> two = new_change(agent="x", kind="update", removed=[a], added=[b])
    >>> net_effect([one, two]) == (frozenset({b}), frozenset())
    True
    """
    added: set[Triple] = set()
    removed: set[Triple] = set()
    for change in changes:
        for triple in change.removed:
            if triple in added:
                added.discard(triple)
            else:
                removed.add(triple)
        for triple in change.added:
            if triple in removed:
                removed.discard(triple)
            else:
                added.add(triple)
    return frozenset(added), frozenset(removed)


def registration_diff(store: Store, before: Moment, after: Moment) -> TripleDiff:
    """The facts added and removed between two registrations (in either order)."""
    first, second = resolve_registration(store, before), resolve_registration(store, after)
    low, high = sorted((first, second))
    added, removed = net_effect(store.changes(since=low, until=high))
    if first > second:
        added, removed = removed, added
    return TripleDiff(before=first, after=second, added=added, removed=removed)


class RecordedSource:
    """The data as recorded just after change ``sequence``: a :class:`~graph.data.loader.Source`."""

    def __init__(self, store: Store, sequence: int) -> None:
        self.backend = store
        self.sequence = sequence
        self._store: oxigraph.Store | None = None
        found = store.changes(since=sequence - 1, until=sequence)
        #: The change's id: with the number it names this registration in any store.
        self.change = found[0].id if found else ""

    def _copy(self) -> oxigraph.Store:
        if self._store is None:
            self._store = recorded_store(self.backend, self.sequence)
        return self._store

    def read(self) -> Graph:
        return _rdflib_graph(self._copy())

    def fingerprint(self) -> str:
        return f"recorded-{self.sequence}-{self.change}"

    def describe(self) -> str:
        return f"registret som det var efter ændring {self.sequence}"

    def store(self) -> oxigraph.Store:
        return self._copy()


def _quad(triple: Triple) -> oxigraph.Quad:
    s, p, o = triple
    return oxigraph.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))


def _rdflib_graph(data: oxigraph.Store) -> Graph:
    graph = Graph()
    blank: dict[str, BNode] = {}
    graph.addN(
        (
            to_rdflib(q.subject, blank),
            to_rdflib(q.predicate, blank),
            to_rdflib(q.object, blank),
            graph,
        )
        for q in data
    )
    return graph
