"""Focused SHACL: validate only what a change touches, with the neighbourhood it points at.

Validating the whole graph takes about 25 s; a change touches a handful of resources. The
data graph here is those resources as they will be, plus — for every node they point at
or are pointed at from — its classes, code list and names, plus the chain of parents of
any unit (the shapes follow ``org:subOrganizationOf`` to the municipality). pySHACL then
checks only the touched nodes (``focus_nodes``), with our shapes and the CPSV-AP shapes
(harvested once per process) and the class hierarchy of the ontology graph that
:func:`graph.data.validation.validate_graph` uses.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SH, SKOS

from graph.data.loader import ontology_graph, shapes_graph
from graph.edit.errors import FieldError
from graph.store.backend import DATA_GRAPH, Store
from graph.store.change import Triple
from ontology.namespaces import CV, STAFET

if TYPE_CHECKING:  # pySHACL is imported when an edit is first validated, not at start-up
    from pyshacl.shapes_graph import ShapesGraph

__all__ = ["validate_focused"]

#: What a neighbour contributes: enough for sh:class, sh:node on code lists and names.
_NEIGHBOUR_PREDICATES = (RDF.type, SKOS.inScheme, SKOS.prefLabel, DCTERMS.title, DCTERMS.identifier)

#: The field of an edit a SHACL result on this predicate concerns.
FIELD_OF: dict[URIRef, str] = {
    DCTERMS.description: "description",
    CV.hasParticipant: "unit",
    CV.role: "role",
    ORG.role: "role",
    STAFET.condition: "conditions",
    STAFET.legalBasis: "legal_basis",
    STAFET.stepOrder: "step",
    STAFET.validFrom: "valid_from",
    STAFET.validUntil: "valid_until",
    DCTERMS.source: "source",
    STAFET.status: "status",
    SKOS.prefLabel: "name",
    DCTERMS.title: "name",
    ORG.subOrganizationOf: "parent",
    ORG.member: "member",
    ORG.organization: "organization",
    CV.telephone: "telephone",
    CV.email: "email",
    STAFET.carriesCasesFor: "case_scope",
    STAFET.parentUnit: "parent",
    DCTERMS.identifier: "id",
    DCTERMS.spatial: "spatial",
}


#: One validation at a time: the harvested shapes are shared between them.
_LOCK = threading.Lock()


@cache
def _shapes() -> ShapesGraph:
    """Our shapes and CPSV-AP's, harvested once (pySHACL would re-read them per call)."""
    from pyshacl.shapes_graph import ShapesGraph

    shapes = ShapesGraph(shapes_graph(("stafet", "cpsv-ap")))
    shapes.shapes  # noqa: B018 - the property harvests and caches the shapes
    return shapes


@cache
def _ontology() -> tuple[Triple, ...]:
    """The class hierarchy of our ontology, ORG and CPSV-AP: what ``sh:class`` needs of the
    ontology graph (``validate_graph`` mixes in the whole of it)."""
    ontology = ontology_graph()
    return tuple(
        (s, RDFS.subClassOf, o)
        for s, o in ontology.subject_objects(RDFS.subClassOf)
        if isinstance(s, URIRef) and isinstance(o, URIRef)
    )


def warm_up() -> None:
    """Harvest the shapes and read the ontology now (the first validation would otherwise)."""
    _shapes()
    _ontology()


def focused_graph(
    store: Store, focus: Iterable[URIRef], removed: frozenset[Triple], added: frozenset[Triple]
) -> Graph:
    """The touched nodes as they will be, and their neighbourhood."""
    nodes = set(focus) | {s for s, _, _ in added | removed}
    own = ((store.resource_triples(nodes) | _pointing_at(store, set(focus))) - removed) | added
    graph = Graph()
    for triple in own:
        graph.add(triple)
    neighbours = {o for _, _, o in own if isinstance(o, URIRef)} | {
        s for s, _, o in own if o in nodes
    }
    neighbours -= nodes
    for triple in _neighbourhood(store, neighbours):
        if triple not in removed:
            graph.add(triple)
    for triple in _chains(store, graph.objects(None, ORG.subOrganizationOf)):
        graph.add(triple)
    return graph


def _pointing_at(store: Store, nodes: set[URIRef]) -> frozenset[Triple]:
    """The triples whose object is one of ``nodes`` (``task cv:hasParticipation part`` …)."""
    values = " ".join(f"<{n}>" for n in nodes)
    rows = store.select(
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?o {{ {values} }} GRAPH <{DATA_GRAPH}> {{ ?s ?p ?o }} }}"
    )
    return frozenset((r["s"], r["p"], r["o"]) for r in rows)  # type: ignore[misc]


def _neighbourhood(store: Store, nodes: set[URIRef]) -> list[Triple]:
    if not nodes:
        return []
    values = " ".join(f"<{n}>" for n in nodes)
    predicates = ", ".join(f"<{p}>" for p in _NEIGHBOUR_PREDICATES)
    # One VALUES, outside the GRAPH pattern: Oxigraph plans that as a lookup per subject.
    rows = store.select(
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} "
        f"GRAPH <{DATA_GRAPH}> {{ ?s ?p ?o FILTER (?p IN ({predicates})) }} }}"
    )
    return [(r["s"], r["p"], r["o"]) for r in rows]  # type: ignore[misc]


def _chains(store: Store, parents: Iterable[object]) -> list[Triple]:
    """Every ``org:subOrganizationOf`` above the given parents, with the classes on the way."""
    found: list[Triple] = []
    for start in {p for p in parents if isinstance(p, URIRef)}:
        # A constant start: the path is walked from it (a VALUES start is not, in Oxigraph).
        rows = store.select(
            f"SELECT ?a ?b WHERE {{ GRAPH <{DATA_GRAPH}> {{ "
            f"<{start}> <{ORG.subOrganizationOf}>* ?a "
            f"OPTIONAL {{ ?a <{ORG.subOrganizationOf}> ?b }} }} }}"
        )
        for row in rows:
            if "b" in row:
                found.append((row["a"], ORG.subOrganizationOf, row["b"]))  # type: ignore[arg-type]
        chain = {row["a"] for row in rows if isinstance(row["a"], URIRef)}
        found += [t for t in _neighbourhood(store, chain) if t[1] == RDF.type]
    return found


def validate_focused(
    store: Store,
    focus: Iterable[URIRef],
    removed: frozenset[Triple],
    added: frozenset[Triple],
    field_prefix: dict[URIRef, str] | None = None,
) -> list[FieldError]:
    """The SHACL violations of the touched nodes, as field errors with the shapes' Danish text."""
    focus_nodes = sorted(set(focus))
    if not focus_nodes:
        return []
    data = focused_graph(store, focus_nodes, removed, added)
    for triple in _ontology():
        data.add(triple)
    results = _run(data, focus_nodes)
    errors: list[FieldError] = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus_node = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        field = FIELD_OF.get(path, "") if isinstance(path, URIRef) else ""
        prefix = (field_prefix or {}).get(focus_node, "") if isinstance(focus_node, URIRef) else ""
        errors.append(FieldError(prefix + field, _message(results, result)))
    return sorted(set(errors), key=lambda e: (e.field, e.message))


def _run(data: Graph, focus_nodes: list[URIRef]) -> Graph:
    from pyshacl.graph_abstraction import DataGraph
    from pyshacl.validator import Validator

    options = {
        "inference": "none",
        "inplace": True,
        "allow_warnings": True,
        "allow_infos": True,
        "abort_on_first": False,
        "focus_nodes": list(focus_nodes),
    }
    with _LOCK:
        validator = Validator(DataGraph.from_rdflib(data), shacl_graph=Graph(), options=options)
        validator.shacl_graph = _shapes()
        _, results, _ = validator.run()  # type: ignore[no-untyped-call]
    assert isinstance(results, Graph)
    return results


def _message(results: Graph, result: object) -> str:
    messages = list(results.objects(result, SH.resultMessage))  # type: ignore[arg-type]
    danish = [m for m in messages if isinstance(m, Literal) and m.language == "da"]
    if danish:
        return str(danish[0])
    text = str(messages[0]) if messages else "reglen er ikke overholdt"
    return f"Overholder ikke CPSV-AP: {text}"
