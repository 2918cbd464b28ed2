"""The store of record: one interface, an embedded Oxigraph store or any SPARQL 1.1 endpoint.

The store holds three kinds of named graph:

- :data:`DATA_GRAPH`: the facts as they stand now (seeded from the shipped Turtle);
- :data:`LOG_GRAPH`: every committed :class:`~graph.store.change.Change` as a PROV activity,
  with the exact triples it removed and added, and the head: the sequence number of the
  last change;
- :data:`ACCESS_GRAPH` and :data:`AUDIT_GRAPH`: API tokens (hashed) and the audit log, which
  are never part of the public data.

A backend implements four primitives (:meth:`Store.select`, :meth:`Store.update`,
:meth:`Store.data_quads`, :meth:`Store.load`); the rest is written once, in SPARQL, so that
every engine behaves the same. A commit is a single SPARQL ``DELETE … INSERT … WHERE``
operation guarded by the head: it changes the data and advances the head together, or — if
another writer committed first — does nothing, and the writer is told (:class:`StaleHeadError`).
One operation is atomic in every SPARQL 1.1 engine, so two app instances on one store never
interleave half-changes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import pyoxigraph as oxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from graph.data.loader import to_rdflib
from graph.errors import StafetError
from graph.store.change import Change, Triple, new_change, parse_triples, serialise_triples
from graph.store.terms import from_oxigraph, skolemise, to_oxigraph
from ontology.namespaces import ID, STAFET

__all__ = [
    "ACCESS_GRAPH",
    "AUDIT_GRAPH",
    "DATA_GRAPH",
    "LOG_GRAPH",
    "Head",
    "InexactChangeError",
    "StaleHeadError",
    "Store",
    "StoreError",
    "StoreNotReadyError",
    "change_uri",
    "graph_from_quads",
    "quad",
    "rows_from_oxigraph",
]

DATA_GRAPH = URIRef("https://stafet.kk.dk/graph/data")
LOG_GRAPH = URIRef("https://stafet.kk.dk/graph/log")
ACCESS_GRAPH = URIRef("https://stafet.kk.dk/graph/access")
AUDIT_GRAPH = URIRef("https://stafet.kk.dk/graph/audit")

#: The subject that carries the head in the log graph.
_HEAD = LOG_GRAPH


class StoreError(StafetError):
    """The store could not be read or written (unreachable, refused, inconsistent)."""


class StoreNotReadyError(StoreError):
    """The store has no data yet: ``stafet store init`` has not been run."""


class InexactChangeError(StoreError):
    """A change removes a triple the data lacks, or adds one it has: nothing was written."""


class StaleHeadError(StoreError):
    """Another change was committed first; read again and retry."""

    def __init__(self, expected: int, head: Head) -> None:
        super().__init__(
            f"registret er ændret i mellemtiden (forventede ændring {expected}, "
            f"registret er ved {head.sequence})"
        )
        self.expected = expected
        self.head = head


@dataclass(frozen=True, slots=True)
class Head:
    """Where the log stands: the last committed change's sequence number and id."""

    sequence: int
    change: str


def change_uri(change_id: str) -> URIRef:
    """The IRI of a change (a ``prov:Activity``).

    >>> change_uri("ab12")
    rdflib.term.URIRef('https://stafet.kk.dk/id/change/ab12')
    """
    return ID[f"change/{change_id}"]


class Store(ABC):
    """A store of record. Subclasses implement the four primitives."""

    # -- primitives --------------------------------------------------------------
    @abstractmethod
    def select(self, query: str) -> list[dict[str, Node]]:
        """Run a SPARQL SELECT; each row maps variable names to rdflib terms."""

    @abstractmethod
    def update(self, text: str) -> None:
        """Run a SPARQL Update request (atomically)."""

    @abstractmethod
    def data_quads(self) -> Iterator[Any]:
        """Every triple of :data:`DATA_GRAPH`, as Oxigraph quads (one consistent snapshot)."""

    @abstractmethod
    def load(self, quads: Sequence[Any]) -> None:
        """Bulk-load Oxigraph quads (each names its graph): only for initialising."""

    def close(self) -> None:  # noqa: B027 - optional for backends
        """Release the store (flush an embedded store)."""

    # -- the head and the log ----------------------------------------------------
    def head(self) -> Head:
        """The last committed change; :class:`StoreNotReadyError` before ``init``."""
        rows = self.select(
            f"SELECT ?n ?c WHERE {{ GRAPH <{LOG_GRAPH}> {{ <{_HEAD}> "
            f"<{STAFET.head}> ?n ; <{STAFET.headChange}> ?c }} }}"
        )
        if not rows:
            raise StoreNotReadyError("registret er tomt: kør 'stafet store init'")
        if len(rows) > 1:
            raise StoreError("registret har mere end ét hoved i ændringsloggen")
        number, change = rows[0]["n"], rows[0]["c"]
        assert isinstance(number, Literal)
        return Head(int(number.toPython()), str(change).rsplit("/", 1)[-1])

    def is_ready(self) -> bool:
        try:
            self.head()
        except StoreNotReadyError:
            return False
        return True

    def commit(self, change: Change, *, expected: int) -> Change:
        """Commit ``change`` if the head is still at ``expected``; return it with its number.

        Read the head *before* reading what the change is computed from: then a change
        computed from a state that has since moved is refused, never applied on top of it.
        The same operation checks that the change is exact (every removed triple is in the
        data, no added one is), so the log can always be replayed backwards.

        Raises
        ------
        StaleHeadError
            Another change was committed since ``expected``; nothing was written.
        InexactChangeError
            The head is still at ``expected`` but the change does not fit the data.
        """
        committed = replace(change, sequence=expected + 1)
        self.update(_commit_update(committed, expected))
        uri = change_uri(change.id)
        found = self.select(
            f"SELECT ?n WHERE {{ GRAPH <{LOG_GRAPH}> {{ <{uri}> <{STAFET.sequence}> ?n }} }}"
        )
        if not found:
            head = self.head()
            if head.sequence != expected:
                raise StaleHeadError(expected, head)
            raise InexactChangeError(
                "ændringen passer ikke til registret, som det er nu (den fjerner noget, der "
                "ikke er der, eller tilføjer noget, der allerede er der); intet er gemt"
            )
        return committed

    def changes(self, since: int = 0, until: int | None = None) -> list[Change]:
        """The committed changes with ``since < sequence <= until``, oldest first."""
        upper = f"&& ?n <= {int(until)}" if until is not None else ""
        rows = self.select(
            f"""SELECT ?c ?n ?at ?agent ?kind ?why ?src ?gone ?new
                (GROUP_CONCAT(STR(?r); SEPARATOR=" ") AS ?res)
            WHERE {{ GRAPH <{LOG_GRAPH}> {{
                ?c <{STAFET.sequence}> ?n ; <{PROV.startedAtTime}> ?at ;
                   <{STAFET.agentName}> ?agent ; <{STAFET.changeKind}> ?kind ;
                   <{STAFET.removedTriples}> ?gone ; <{STAFET.addedTriples}> ?new .
                OPTIONAL {{ ?c <{RDFS.comment}> ?why }}
                OPTIONAL {{ ?c <{DCTERMS.source}> ?src }}
                OPTIONAL {{ ?c <{STAFET.affects}> ?r }}
                FILTER (?n > {int(since)} {upper})
            }} }}
            GROUP BY ?c ?n ?at ?agent ?kind ?why ?src ?gone ?new
            ORDER BY ?n"""
        )
        return [_change_from_row(row) for row in rows]

    def has_data(self) -> bool:
        """Whether the data graph holds any triple (with or without a log)."""
        rows = self.select(f"SELECT ?s WHERE {{ GRAPH <{DATA_GRAPH}> {{ ?s ?p ?o }} }} LIMIT 1")
        return bool(rows)

    def initialise(self, quads: Iterable[Any], *, agent: str, reason: str) -> Head:
        """Load the seed (blank nodes skolemised) and start the log at change 1.

        The log and the head are loaded last, after every data triple: a load that is cut
        off leaves a store without a head, which is never taken for a ready one.

        Raises
        ------
        StoreError
            The store already holds data: initialising twice would lose the history.
        """
        if self.is_ready():
            raise StoreError("registret er allerede oprettet; eksportér det i stedet")
        if self.has_data():
            raise StoreError(
                f"registret har data i <{DATA_GRAPH}>, men ingen ændringslog (en afbrudt "
                "oprettelse?): tøm grafen og kør 'stafet store init' igen"
            )
        first = replace(new_change(agent=agent, kind="init", reason=reason), sequence=1)
        log = [
            *_activity(first),
            (_HEAD, STAFET.head, Literal(1, datatype=XSD.integer)),
            (_HEAD, STAFET.headChange, change_uri(first.id)),
        ]
        data = [
            oxigraph.Quad(q.subject, q.predicate, q.object, to_oxigraph(DATA_GRAPH))
            for q in skolemise(quads)
        ]
        self.load([*data, *(quad(s, p, o, LOG_GRAPH) for s, p, o in log)])
        return self.head()

    # -- reading the data ----------------------------------------------------------
    def snapshot(self, attempts: int = 5) -> tuple[Head, list[Any]]:
        """The data graph's quads and the head they belong to, read consistently.

        The head is read before and after the data; if a commit came in between, the
        read is repeated (a few times, then :class:`StoreError`).
        """
        for _ in range(attempts):
            before = self.head()
            quads = list(self.data_quads())
            if self.head() == before:
                return before, quads
        raise StoreError(
            f"registret ændrede sig under hver af {attempts} læsninger; prøv igen om lidt"
        )

    # -- reading the data ----------------------------------------------------------
    def read_graph(self) -> Graph:
        """The current data as an rdflib graph (what :mod:`graph.data.compile` reads)."""
        return graph_from_quads(self.data_quads())

    def resource_triples(self, subjects: Iterable[URIRef]) -> frozenset[Triple]:
        """The current triples whose subject is one of ``subjects``."""
        values = " ".join(f"<{s}>" for s in subjects)
        if not values:
            return frozenset()
        rows = self.select(
            f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} "
            f"GRAPH <{DATA_GRAPH}> {{ ?s ?p ?o }} }}"
        )
        found: set[Triple] = set()
        for row in rows:
            subject, predicate = row["s"], row["p"]
            assert isinstance(subject, URIRef) and isinstance(predicate, URIRef)
            found.add((subject, predicate, row["o"]))
        return frozenset(found)


def graph_from_quads(quads: Iterable[Any]) -> Graph:
    """An rdflib graph of Oxigraph quads' triples (the graph names are dropped)."""
    graph = Graph()
    blank: dict[str, Any] = {}
    names: dict[str, URIRef] = {}
    graph.addN(
        (
            to_rdflib(q.subject, blank, names),
            to_rdflib(q.predicate, blank, names),
            to_rdflib(q.object, blank, names),
            graph,
        )
        for q in quads
    )
    return graph


def _term(node: Node) -> str:
    return str(to_oxigraph(node))


def _triples_block(graph: URIRef, triples: Iterable[Triple]) -> str:
    body = "\n".join(f"{_term(s)} {_term(p)} {_term(o)} ." for s, p, o in triples)
    return f"GRAPH <{graph}> {{\n{body}\n}}" if body else ""


def _activity(change: Change) -> list[Triple]:
    uri = change_uri(change.id)
    triples: list[Triple] = [
        (uri, RDF.type, PROV.Activity),
        (uri, RDF.type, STAFET.Change),
        (uri, STAFET.sequence, Literal(change.sequence, datatype=XSD.integer)),
        (uri, PROV.startedAtTime, Literal(change.recorded_at.isoformat(), datatype=XSD.dateTime)),
        (uri, STAFET.agentName, Literal(change.agent)),
        (uri, STAFET.changeKind, Literal(change.kind)),
        (uri, STAFET.removedTriples, Literal(serialise_triples(change.removed))),
        (uri, STAFET.addedTriples, Literal(serialise_triples(change.added))),
    ]
    if change.reason:
        triples.append((uri, RDFS.comment, Literal(change.reason, lang="da")))
    if change.source:
        triples.append((uri, DCTERMS.source, Literal(change.source)))
    triples.extend((uri, STAFET.affects, URIRef(r)) for r in change.resources)
    return triples


def _commit_update(change: Change, expected: int) -> str:
    """One guarded DELETE/INSERT: the data, the log entry and the head move together.

    The guard: the head is at ``expected``, every removed triple is in the data and no
    added one is. Otherwise the WHERE has no solution and nothing changes.
    """
    uri = change_uri(change.id)
    delete = _triples_block(DATA_GRAPH, change.removed)
    insert = _triples_block(DATA_GRAPH, change.added)
    log = _triples_block(
        LOG_GRAPH,
        [
            *_activity(change),
            (_HEAD, STAFET.head, Literal(change.sequence, datatype=XSD.integer)),
            (_HEAD, STAFET.headChange, uri),
        ],
    )
    present = _count_guard("gone", change.removed, len(change.removed))
    absent = _count_guard("new", change.added, 0)
    return f"""DELETE {{
{delete}
GRAPH <{LOG_GRAPH}> {{ <{_HEAD}> <{STAFET.head}> ?n ; <{STAFET.headChange}> ?c . }}
}}
INSERT {{
{insert}
{log}
}}
WHERE {{
GRAPH <{LOG_GRAPH}> {{ <{_HEAD}> <{STAFET.head}> ?n ; <{STAFET.headChange}> ?c . }}
FILTER (?n = {int(expected)})
{present}
{absent}
}}"""


def _count_guard(name: str, triples: frozenset[Triple], expected: int) -> str:
    """A WHERE part true when exactly ``expected`` of ``triples`` are in the data.

    A flat ``VALUES`` table and a count, not one pattern per triple: a change of thousands
    of triples would otherwise become a join (or ``NOT EXISTS``) thousands deep.
    """
    if not triples:
        return ""
    rows = "\n".join(f"({_term(s)} {_term(p)} {_term(o)})" for s, p, o in triples)
    return (
        f"{{ SELECT (COUNT(*) AS ?{name}) WHERE {{ VALUES (?s ?p ?o) {{\n{rows}\n}} "
        f"GRAPH <{DATA_GRAPH}> {{ ?s ?p ?o }} }} }}\nFILTER (?{name} = {int(expected)})"
    )


def _change_from_row(row: dict[str, Node]) -> Change:
    resources = str(row.get("res") or "").split()
    source = row.get("src")
    return Change(
        id=str(row["c"]).rsplit("/", 1)[-1],
        agent=str(row["agent"]),
        kind=str(row["kind"]),
        recorded_at=datetime.fromisoformat(str(row["at"])),
        reason=str(row.get("why") or ""),
        source=str(source) if source is not None else None,
        resources=tuple(resources),
        removed=parse_triples(str(row["gone"])),
        added=parse_triples(str(row["new"])),
        sequence=int(str(row["n"])),
    )


def rows_from_oxigraph(solutions: Any) -> list[dict[str, Node]]:
    """Oxigraph's SELECT solutions as rows of rdflib terms (for the backends)."""
    names = [v.value for v in solutions.variables]
    return [
        {
            name: from_oxigraph(value)
            for name, value in zip(names, row, strict=True)
            if value is not None
        }
        for row in solutions
    ]


def quad(subject: Node, predicate: Node, obj: Node, graph: URIRef) -> Any:
    """An Oxigraph quad from rdflib terms."""
    return oxigraph.Quad(
        to_oxigraph(subject), to_oxigraph(predicate), to_oxigraph(obj), to_oxigraph(graph)
    )
