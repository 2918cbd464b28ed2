"""Turtle written the same way every time: subjects in IRI order, for diff-friendly files.

The importers (:mod:`graph.io.kle_import`, :mod:`graph.io.defaults_import`) write their
generated Turtle through :func:`sorted_turtle`, so ``make data`` gives byte-identical
files for the same sources.
"""

from __future__ import annotations

import io

from rdflib import BNode, Graph
from rdflib.graph import _SubjectType
from rdflib.plugins.serializers.turtle import TurtleSerializer

__all__ = ["sorted_turtle"]


class _SortedTurtleSerializer(TurtleSerializer):
    """rdflib's Turtle serialiser, with subjects in IRI order.

    The stock serialiser orders subjects by how often they are referenced, which puts a
    group after all its topics; sorting by IRI reads like KLE itself.
    """

    def orderSubjects(self) -> list[_SubjectType]:
        return sorted(self._subjects, key=lambda subject: (isinstance(subject, BNode), subject))


def sorted_turtle(graph: Graph) -> str:
    """Turtle with subjects in IRI order: byte-identical for the same graph, diff-friendly.

    Parameters
    ----------
    graph
        Any rdflib graph.

    Returns
    -------
    str
        The Turtle text.

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph()
    >>> g.bind("x", "http://x/")
    >>> for name in ("b", "a"):
    ...     _ = g.add((URIRef(f"http://x/{name}"), URIRef("http://x/p"), Literal(name)))
    >>> text = sorted_turtle(g)
    >>> [line for line in text.splitlines() if line.startswith("x:")]
    ['x:a x:p "a" .', 'x:b x:p "b" .']
    """
    buffer = io.BytesIO()
    _SortedTurtleSerializer(graph).serialize(buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")
