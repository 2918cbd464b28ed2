"""Follow the store of record: a new :class:`Knowledge` from the last one and a few changes.

Compiling the whole graph takes seconds (KLE's keywords dominate); an edit touches a handful
of entities. :func:`follow_changes` patches the snapshot's Oxigraph copy of the data with the
changes' exact triples, re-reads only the entities the changes touch and keeps every other
compiled entry. The last snapshot's indexes are carried over, patched by the entries that
changed (:mod:`graph.data.carry`); the search index is patched document by document (a new
index sharing the old one's structure, :func:`~graph.search.with_documents`);
derived indexes that read none of the changed tables are kept; the networkx graph and
everything else is built on first use. So a follow costs the size of the edit.

What a change touches is mapped to the entity it belongs to:

- a subject of ours (``…/id/unit/sof``) is that entity; a sub-node (a skolemised
  ``/.well-known/genid/…`` node, or ``<entity>/…``) belongs to whoever points at it;
- ``task cv:hasParticipation p`` is the participation ``p`` (the task itself is unchanged);
- a shared condition (``…/id/condition/…``) is every participation that carries it.

Anything else — KLE (tasks and their concepts), the ontology, places and portals, a
changed document that others cite, the seed (``init``) — is compiled again in full from the
source (the store at its head): correct, only slower (:attr:`Followed.full`).

The Oxigraph copy is patched in place and shared with the snapshot followed: the registry
is swapped whole, the per-resource RDF (``/id/…`` twins) moves a moment earlier.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pyoxigraph as oxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from graph.data.carry import Delta, carried, merge
from graph.data.compile import compile_registry
from graph.data.ids import split_uri
from graph.data.knowledge import Knowledge, document_of
from graph.data.loader import to_rdflib
from graph.search import Document, SearchIndex, with_documents
from ontology.namespaces import CV, STAFET

__all__ = ["ChangeLike", "Followed", "follow_changes", "touched_entities"]

#: The kinds of our ids whose entity is read from its own triples and its sub-nodes'.
ENTITY_KINDS = frozenset(
    {"unit", "contact", "forum", "law", "membership", "participation", "post", "source"}
)
#: Objects whose own triples an entity's compilation reads (an age band, a frequency).
_CONTEXT = (URIRef(STAFET.condition), URIRef(STAFET.meetingFrequency))
_HAS_PARTICIPATION = URIRef(CV.hasParticipation)
_GENID = "/.well-known/genid/"
#: The kinds besides tasks the search index holds.
_SEARCHED = ("unit", "law", "forum")


class ChangeLike(Protocol):
    """What :func:`follow_changes` reads of a committed change (:class:`graph.store.Change`)."""

    @property
    def kind(self) -> str: ...

    @property
    def removed(self) -> frozenset[tuple[URIRef, URIRef, Node]]: ...

    @property
    def added(self) -> frozenset[tuple[URIRef, URIRef, Node]]: ...


@dataclass(frozen=True, slots=True)
class Followed:
    """A snapshot brought forward: the new knowledge and how it was made."""

    knowledge: Knowledge
    #: Compiled again in full (a change this module does not follow entry by entry).
    full: bool
    #: The entities re-read (empty after a full rebuild).
    entities: frozenset[str]
    #: The search index changed (a searchable name changed): patched, or left to be built.
    reindexed: bool


def follow_changes(
    knowledge: Knowledge, changes: Sequence[ChangeLike], *, fingerprint: str
) -> Followed:
    """The knowledge after ``changes`` (committed after ``knowledge``'s, oldest first).

    ``knowledge.store`` (the data in Oxigraph) is patched with the changes' exact triples;
    replaying a change already in it is harmless, so a copy read at a later head also ends
    at the last change's state.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from rdflib import Literal
    >>> from rdflib.namespace import SKOS
    >>> from graph.data.knowledge import load_knowledge
    >>> from graph.data.loader import OWN_ONTOLOGY, TurtleFiles
    >>> kg = load_knowledge(TurtleFiles([OWN_ONTOLOGY, "tests/fixtures/mini.ttl"]))
    >>> unit = URIRef(kg.units["a"].uri)
    >>> old = Literal(kg.units["a"].label, lang="da")
    >>> rename = SimpleNamespace(kind="update", removed=frozenset({(unit, SKOS.prefLabel, old)}),
    ...     added=frozenset({(unit, SKOS.prefLabel, Literal("Nyt navn", lang="da"))}))
    >>> followed = follow_changes(kg, [rename], fingerprint="x")
    >>> followed.knowledge.units["a"].label, followed.full, followed.reindexed
    ('Nyt navn', False, True)
    >>> followed.knowledge.resolve("unit", "nyt navn")[0].id
    'a'
    """
    data = knowledge.store
    for change in changes:
        _patch(data, change)
    roots = touched_entities(data, changes)
    if roots is not None:
        graph = _entity_graph(data, roots)
        partial = compile_registry(graph, known_sources=knowledge.registry.sources)
        merged = merge(knowledge.registry, partial, {str(root) for root in roots})
        if merged is not None:
            registry, delta = merged
            search, reindexed = _search(knowledge, delta)
            followed = Knowledge(
                registry,
                fingerprint=fingerprint,
                source=knowledge.source,
                search=search,
                store=data,
                carried=carried(knowledge, registry, delta),
                derived=knowledge.derived_reading(delta.tables),
            )
            return Followed(followed, False, frozenset(map(str, roots)), reindexed)
    # The source's own reading (the store at its head: later changes are replayed again,
    # harmlessly); compile picks one of several values by the order it reads triples in.
    source = knowledge.source
    rdf = source.read() if source is not None else _rdflib(data)
    rebuilt = Knowledge.from_rdf(rdf, fingerprint=fingerprint, source=source)
    rebuilt.__dict__["store"] = data
    return Followed(rebuilt, True, frozenset(), True)


def touched_entities(data: oxigraph.Store, changes: Iterable[ChangeLike]) -> set[URIRef] | None:
    """The entities ``changes`` touch, by URI; ``None`` when only a full rebuild will do.

    ``data`` is the data after the changes (sub-nodes are traced to their owners there).
    """
    roots: set[URIRef] = set()
    for change in changes:
        if change.kind == "init":
            return None
        for subject, predicate, obj in change.removed | change.added:
            found = _entities_of(data, subject, predicate, obj)
            if found is None:
                return None
            roots |= found
    return roots


def _entities_of(
    data: oxigraph.Store, subject: URIRef, predicate: URIRef, obj: Node
) -> set[URIRef] | None:
    kind = split_uri(subject)[0]
    if _is_subnode(subject):
        owners = _owners(data, subject)  # none: a sub-node unlinked in its owner's change
        if any(split_uri(owner)[0] not in ENTITY_KINDS for owner in owners):
            return None  # a KLE keyword, say: its task is compiled with the whole graph
        return owners
    if kind == "task" and predicate == _HAS_PARTICIPATION and isinstance(obj, URIRef):
        return {obj}
    if kind == "condition":
        return {
            URIRef(str(q.subject.value))
            for q in data.quads_for_pattern(None, _ox(STAFET.condition), _ox(subject))
            if isinstance(q.subject, oxigraph.NamedNode)
        }
    if kind in ENTITY_KINDS:
        return {subject}
    return None


def _is_subnode(node: URIRef) -> bool:
    kind, ident = split_uri(node)
    return _GENID in str(node) or (kind in ENTITY_KINDS and "/" in ident)


def _owners(data: oxigraph.Store, node: URIRef, depth: int = 0) -> set[URIRef]:
    """The entities that point at a sub-node (through sub-nodes, a few levels up)."""
    found: set[URIRef] = set()
    for quad in data.quads_for_pattern(None, None, _ox(node)):
        if not isinstance(quad.subject, oxigraph.NamedNode):
            continue
        referrer = URIRef(quad.subject.value)
        if not _is_subnode(referrer):
            found.add(referrer)
        elif depth < 3:
            found |= _owners(data, referrer, depth + 1)
    return found


def _entity_graph(data: oxigraph.Store, roots: set[URIRef]) -> Graph:
    """The triples ``roots`` are compiled from: theirs, their sub-nodes', their context."""
    graph = Graph()
    blank: dict[str, Any] = {}
    names: dict[str, URIRef] = {}
    pending = [_ox(root) for root in roots]
    seen = set(pending)
    quads: list[Any] = []
    while pending:
        node = pending.pop()
        for quad in data.quads_for_pattern(node, None, None):
            quads.append(quad)
            target = quad.object
            if isinstance(target, oxigraph.NamedNode) and target not in seen:
                uri = URIRef(target.value)
                if _is_subnode(uri) or URIRef(quad.predicate.value) in _CONTEXT:
                    seen.add(target)
                    pending.append(target)
    for root in roots:
        if split_uri(root)[0] == "participation":
            quads.extend(data.quads_for_pattern(None, _ox(_HAS_PARTICIPATION), _ox(root)))
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


def _search(knowledge: Knowledge, delta: Delta) -> tuple[SearchIndex | None, bool]:
    """The last snapshot's search index with the changed units, laws and forums patched in
    (``None``: built on first use, when it was never built or a document went), and
    whether any document changed."""
    documents = []
    gone = False
    for kind in _SEARCHED:
        table = f"{kind}s"
        before, after = delta.old.get(table, {}), delta.new.get(table, {})
        gone = gone or bool(before.keys() - after.keys())
        documents += [
            document
            for ident, entry in after.items()
            if (document := document_of(kind, entry)) != _document(kind, before.get(ident))
        ]
    index: SearchIndex | None = knowledge.__dict__.get("search")
    if index is None or gone:
        return None, gone or bool(documents)
    return (with_documents(index, documents), True) if documents else (index, False)


def _document(kind: str, entry: Any) -> Document | None:
    return None if entry is None else document_of(kind, entry)


def _patch(data: oxigraph.Store, change: ChangeLike) -> None:
    for triple in change.removed:
        data.remove(_quad(triple))
    for triple in change.added:
        data.add(_quad(triple))


def _quad(triple: tuple[URIRef, URIRef, Node]) -> Any:
    subject, predicate, obj = triple
    return oxigraph.Quad(_ox(subject), _ox(predicate), _term(obj))


def _ox(node: URIRef | str) -> oxigraph.NamedNode:
    return oxigraph.NamedNode(str(node))


def _term(node: Node) -> Any:
    if isinstance(node, URIRef):
        return _ox(node)
    assert isinstance(node, Literal)
    if node.language:
        return oxigraph.Literal(str(node), language=node.language)
    if node.datatype is None:
        return oxigraph.Literal(str(node))
    return oxigraph.Literal(str(node), datatype=_ox(node.datatype))


def _rdflib(data: oxigraph.Store) -> Graph:
    graph = Graph()
    blank: dict[str, Any] = {}
    names: dict[str, URIRef] = {}
    graph.addN(_rdflib_quads(data, graph, blank, names))
    return graph


def _rdflib_quads(
    data: oxigraph.Store, graph: Graph, blank: dict[str, Any], names: dict[str, URIRef]
) -> Iterator[tuple[Node, Node, Node, Graph]]:
    for q in data.quads_for_pattern(None, None, None):
        yield (
            to_rdflib(q.subject, blank, names),
            to_rdflib(q.predicate, blank, names),
            to_rdflib(q.object, blank, names),
            graph,
        )
