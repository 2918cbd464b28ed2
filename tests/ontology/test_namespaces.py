"""The typed namespaces of ontology/namespaces.py and the terms of ontology/stafet.ttl agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DefinedNamespace

from ontology.namespaces import MROLE, ROLE, STAFET, STATUS

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology" / "stafet.ttl"
NAMESPACES = [STAFET, ROLE, MROLE, STATUS]


@pytest.fixture(scope="module")
def subjects() -> set[str]:
    graph = Graph().parse(ONTOLOGY, format="turtle")
    return {str(s) for s in graph.subjects() if isinstance(s, URIRef)}


def declared(namespace: type[DefinedNamespace]) -> set[str]:
    """The terms a DefinedNamespace class declares, as full URIs."""
    base = str(namespace._NS)
    return {base + name for name in namespace.__annotations__ if not name.startswith("_")}


def defined(namespace: type[DefinedNamespace], subjects: set[str]) -> set[str]:
    """The subjects of stafet.ttl in the namespace (its own URI, the scheme, left out)."""
    base = str(namespace._NS)
    return {s for s in subjects if s.startswith(base) and s != base and "#" not in s[len(base) :]}


@pytest.mark.parametrize("namespace", NAMESPACES, ids=lambda ns: ns.__name__)
def test_every_declared_term_is_in_the_ontology(
    namespace: type[DefinedNamespace], subjects: set[str]
) -> None:
    assert declared(namespace) - subjects == set()


@pytest.mark.parametrize("namespace", NAMESPACES, ids=lambda ns: ns.__name__)
def test_every_term_of_the_ontology_is_declared(
    namespace: type[DefinedNamespace], subjects: set[str]
) -> None:
    assert defined(namespace, subjects) - declared(namespace) == set()


def test_the_namespaces_do_not_overlap() -> None:
    # STAFET ends in "#", the others in "/" below it: no term could be claimed twice.
    bases = [str(ns._NS) for ns in NAMESPACES]
    assert all(not a.startswith(b) for a in bases for b in bases if a != b)
