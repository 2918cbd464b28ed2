"""Terms between rdflib and Oxigraph, and blank nodes made into stable IRIs (skolemised).

The store of record holds no blank nodes: a change must be able to name every triple it
removes, and a blank node cannot be named across two requests. The seed's blank nodes (KLE's
weighted keywords, dated names) become IRIs under ``/.well-known/genid/`` (RDF 1.1 § 3.5)
derived from what they say and who points at them, so two ``store init`` of the same seed
give the same store.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pyoxigraph as oxigraph
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.data.loader import to_rdflib
from graph.errors import InvalidInputError

__all__ = ["GENID", "from_oxigraph", "skolemise", "to_oxigraph"]

#: Where skolem IRIs live.
GENID = "https://stafet.kk.dk/.well-known/genid/"

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_oxigraph(node: Node) -> Any:
    """Convert an rdflib term to Oxigraph (a blank node is refused).

    Examples
    --------
    >>> to_oxigraph(Literal("hej", lang="da"))
    <Literal value=hej language=da>
    >>> to_oxigraph(Literal(3))
    <Literal value=3 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    if isinstance(node, URIRef):
        return oxigraph.NamedNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return oxigraph.Literal(str(node), language=node.language)
        datatype = node.datatype
        if datatype is None or str(datatype) == _XSD_STRING:
            return oxigraph.Literal(str(node))
        return oxigraph.Literal(str(node), datatype=oxigraph.NamedNode(str(datatype)))
    if isinstance(node, BNode):
        raise InvalidInputError("blanke knuder kan ikke gemmes i registret")
    raise InvalidInputError(f"ukendt RDF-term: {node!r}")


def from_oxigraph(term: Any) -> Node:
    """Convert an Oxigraph term to rdflib."""
    return to_rdflib(term)


def skolemise(quads: Iterable[Any]) -> list[Any]:
    """Replace every blank node by an IRI derived from its triples and its referrers.

    Examples
    --------
    >>> text = b'<urn:t> <urn:k> [ <urn:v> "a" ] . <urn:t> <urn:k> [ <urn:v> "b" ] .'
    >>> quads = list(oxigraph.parse(input=text, format=oxigraph.RdfFormat.TURTLE))
    >>> out = skolemise(quads)
    >>> sorted(str(q.object)[:40] for q in out if q.predicate.value == "urn:k")[0]
    '<https://stafet.kk.dk/.well-known/genid/'
    >>> skolemise(quads) == out  # the same seed, the same IRIs
    True
    >>> len({q.object for q in out if q.predicate.value == "urn:k"})
    2
    """
    quads = list(quads)
    own: dict[Any, list[str]] = defaultdict(list)
    parents: dict[Any, list[str]] = defaultdict(list)
    for quad in quads:
        subject, obj = quad.subject, quad.object
        if isinstance(subject, oxigraph.BlankNode):
            value = "_" if isinstance(obj, oxigraph.BlankNode) else str(obj)
            own[subject].append(f"{quad.predicate} {value}")
        if isinstance(obj, oxigraph.BlankNode):
            parent = "_" if isinstance(subject, oxigraph.BlankNode) else str(subject)
            parents[obj].append(f"{parent} {quad.predicate}")
    names: dict[Any, Any] = {}
    for node in {*own, *parents}:
        key = "\n".join([*sorted(parents[node]), "|", *sorted(own[node])])
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        names[node] = oxigraph.NamedNode(GENID + digest)
    return [
        oxigraph.Quad(
            names.get(quad.subject, quad.subject),
            quad.predicate,
            names.get(quad.object, quad.object),
            quad.graph_name,
        )
        for quad in quads
    ]
