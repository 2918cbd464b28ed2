"""One resource with its relations in both directions, as JSON and as RDF."""

from __future__ import annotations

from typing import Any

import pyoxigraph as oxigraph
from rdflib import BNode, Graph

from graph.data.ids import node_key
from graph.data.knowledge import Knowledge
from graph.data.loader import to_rdflib
from graph.data.network import RELATIONS
from graph.errors import UnknownEntityError
from graph.present.common import contacts_for, law_summary, task_summary, unit_summary
from ontology.namespaces import PREFIXES

__all__ = ["KINDS", "describe_resource", "resource_rdf"]

#: The kinds of resource that have their own pages and URIs.
KINDS = ("unit", "task", "law", "forum")


def describe_resource(kg: Knowledge, kind: str, ident: str) -> dict[str, Any]:
    """Return the resource ``kind/ident`` with every relation, outgoing and incoming.

    Raises
    ------
    UnknownEntityError
        For an unknown kind or id, with the nearest ids as suggestions.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> data = describe_resource(load_knowledge(), "unit", "bif")
    >>> data["label"], data["kind"]
    ('Beskæftigelses- og Integrationsforvaltningen', 'unit')
    """
    if kind not in KINDS:
        raise UnknownEntityError("any", f"{kind}/{ident}")
    entities: dict[str, Any] = getattr(kg, kind + "s")
    if ident not in entities:
        raise UnknownEntityError(kind, ident, kg.suggestions(kind, ident))
    entity = entities[ident]
    data: dict[str, Any] = {
        "id": ident,
        "kind": kind,
        "label": entity.label,
        "uri": entity.uri,
        "relations": _relations(kg, node_key(kind, ident)),
    }
    if kind == "unit":
        data.update(_unit(kg, ident))
    elif kind == "task":
        data.update(_task(kg, ident))
    elif kind == "law":
        data.update(_law(kg, ident))
    else:
        data.update(_forum(kg, ident))
    return data


def resource_rdf(kg: Knowledge, uri: str) -> Graph:
    """The resource's concise bounded description: its triples, blank nodes followed.

    Read from the snapshot's Oxigraph store, so that one resource does not need the whole
    rdflib graph (seconds to build) in memory. A string that is no IRI at all describes
    nothing: the graph is empty, as for an IRI the data does not mention.
    """
    result = Graph()
    try:
        start = oxigraph.NamedNode(uri)
    except ValueError:
        return result
    for prefix, namespace in PREFIXES.items():
        result.bind(prefix, namespace)
    blank_nodes: dict[str, BNode] = {}
    pending: list[oxigraph.NamedNode | oxigraph.BlankNode] = [start]
    seen: set[str] = set()
    while pending:
        subject = pending.pop()
        if str(subject) in seen:
            continue
        seen.add(str(subject))
        for quad in kg.store.quads_for_pattern(subject, None, None):
            result.add(
                (
                    to_rdflib(quad.subject, blank_nodes),
                    to_rdflib(quad.predicate, blank_nodes),
                    to_rdflib(quad.object, blank_nodes),
                )
            )
            if isinstance(quad.object, oxigraph.BlankNode):
                pending.append(quad.object)
    return result


def _relations(kg: Knowledge, key: str) -> list[dict[str, Any]]:
    found = []
    for _, target, data in kg.graph.out_edges(key, data=True):
        node = kg.graph.nodes[target]
        found.append(
            {
                "relation": data["relation"],
                "label": data["label"],
                "direction": "out" if data["relation"] in RELATIONS else "in",
                "target": {"kind": node["kind"], "id": node["id"], "label": node["label"]},
                **{k: data[k] for k in ("role", "status") if k in data},
            }
        )
    found.sort(key=lambda r: (r["relation"], r["target"]["kind"], r["target"]["id"]))
    return found


def _unit(kg: Knowledge, ident: str) -> dict[str, Any]:
    unit = kg.units[ident]
    tasks: dict[str, list[dict[str, Any]]] = {}
    for part in kg.participations_by_unit.get(ident, []):
        tasks.setdefault(part.role, []).append(
            {
                **task_summary(kg.tasks[part.task]),
                "conditions": [c.to_dict() for c in part.conditions],
                "step": part.step,
                "status": part.provenance.status,
                "source": part.provenance.describe(),
            }
        )
    forums = [
        {"id": m.organization, "label": kg.agent_label(m.organization), "role": m.role}
        for m in kg.registry.memberships.values()
        if m.member == ident
    ]
    return {
        **unit_summary(kg, ident),
        "kind": "unit",
        "unit_kind": unit.kind,
        "alt_labels": list(unit.alt_labels),
        "breadcrumb": [unit_summary(kg, u) for u in reversed(kg.unit_ancestors(ident))],
        "children": [unit_summary(kg, c) for c in kg.children.get(ident, [])],
        "tasks_by_role": {
            role: sorted(rows, key=lambda r: r["notation"]) for role, rows in tasks.items()
        },
        "contacts": contacts_for(kg, ident),
        "contact_arrangements": [
            {"id": p.id, "label": p.label, "serves": list(p.serves), "status": p.provenance.status}
            for p in kg.registry.arrangements.values()
            if p.unit == ident
        ],
        "forums": sorted(forums, key=lambda f: f["id"]),
        "note": unit.note,
        "source": unit.provenance.describe(),
        "status": unit.provenance.status,
    }


def _task(kg: Knowledge, ident: str) -> dict[str, Any]:
    task = kg.tasks[ident]
    return {
        **task_summary(task),
        "description": task.description,
        "alt_labels": list(task.alt_labels),
        "keywords": [{"text": text, "weight": weight} for text, weight in task.keywords],
        "breadcrumb": [task_summary(kg.tasks[t]) for t in reversed(kg.task_ancestors(ident))],
        "narrower": [
            task_summary(t)
            for t in sorted(kg.tasks.values(), key=lambda t: t.notation)
            if t.broader == ident
        ],
        "legal_basis": [law_summary(kg, law) for law in task.legal_resources],
        "in_social_field": task.in_social_field,
    }


def _law(kg: Knowledge, ident: str) -> dict[str, Any]:
    law = kg.laws[ident]
    return {
        **law_summary(kg, ident),
        "alt_labels": list(law.alt_labels),
        "part_of": law_summary(kg, law.parent) if law.parent else None,
        "parts": [law_summary(kg, other.id) for other in kg.laws.values() if other.parent == ident],
        "number": law.number,
        "definition": law.definition,
    }


def _forum(kg: Knowledge, ident: str) -> dict[str, Any]:
    forum = kg.forums[ident]
    return {
        "part_of": forum.parent,
        "parts": sorted(f.id for f in kg.forums.values() if f.parent == ident),
        "description": forum.description,
        "meetings_per_year": forum.meetings_per_year,
        "frequency": forum.frequency,
        "agenda": list(forum.agenda),
        "tasks": [task_summary(kg.tasks[t]) for t in forum.tasks if t in kg.tasks],
        "members": sorted(
            (
                {
                    "id": m.member,
                    "label": kg.agent_label(m.member),
                    "role": m.role,
                    "status": m.provenance.status,
                }
                for m in kg.registry.memberships.values()
                if m.organization == ident
            ),
            key=lambda m: (m["role"], m["id"]),
        ),
        "portal": forum.portal,
        "note": forum.note,
        "source": forum.provenance.describe(),
        "status": forum.provenance.status,
    }
