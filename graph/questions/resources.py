"""One resource with its relations in both directions, typed, and as RDF.

:func:`graph.present.resources.resource_json` gives the contract's JSON of a
:class:`Resource`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pyoxigraph as oxigraph
from rdflib import BNode, Graph

from graph.data.ids import node_key
from graph.data.knowledge import Knowledge
from graph.data.loader import to_rdflib
from graph.data.model import (
    ContactArrangement,
    Forum,
    Law,
    Membership,
    Participation,
    Task,
    Unit,
    in_period,
)
from graph.data.network import RELATIONS
from graph.errors import UnknownEntityError
from graph.questions.responsibility import ContactPoints, contact_points_for
from ontology.namespaces import PREFIXES

__all__ = [
    "KINDS",
    "ForumDetails",
    "LawDetails",
    "Relation",
    "Resource",
    "TaskDetails",
    "UnitDetails",
    "describe_resource",
    "resource_rdf",
]

#: The kinds of resource that have their own pages and URIs.
KINDS = ("unit", "task", "law", "forum")


@dataclass(frozen=True, slots=True)
class Relation:
    """One edge of the compiled graph from the resource: ``out`` as the RDF says it."""

    relation: str
    label: str
    direction: str
    target_kind: str
    target_id: str
    target_label: str
    role: str | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True)
class UnitDetails:
    """A unit's participations, memberships, place in the hierarchy and contact points."""

    unit: Unit
    participations: tuple[Participation, ...]
    memberships: tuple[Membership, ...]
    ancestors: tuple[str, ...]
    children: tuple[str, ...]
    contacts: ContactPoints
    arrangements: tuple[ContactArrangement, ...]
    #: The day the details are as of (None: today, undated).
    as_of: date | None = None


@dataclass(frozen=True, slots=True)
class TaskDetails:
    """A task with its KLE ancestors (top first) and narrower tasks (by notation)."""

    task: Task
    breadcrumb: tuple[Task, ...]
    narrower: tuple[Task, ...]


@dataclass(frozen=True, slots=True)
class LawDetails:
    """A law and the provisions under it."""

    law: Law
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ForumDetails:
    """A forum, the forums under it, its tasks and its members (by role, then id)."""

    forum: Forum
    parts: tuple[str, ...]
    tasks: tuple[str, ...]
    members: tuple[Membership, ...]


_Details = UnitDetails | TaskDetails | LawDetails | ForumDetails


@dataclass(frozen=True, slots=True)
class Resource:
    """A unit, task, law or forum with every relation, outgoing and incoming."""

    kind: str
    id: str
    label: str
    uri: str
    relations: tuple[Relation, ...]
    details: _Details


def describe_resource(
    kg: Knowledge, kind: str, ident: str, *, as_of: date | None = None
) -> Resource:
    """Return the resource ``kind/ident`` with every relation, outgoing and incoming.

    ``as_of`` gives a unit as it stood that day: its name, its place in the hierarchy, the
    responsibilities and memberships valid then.

    Raises
    ------
    UnknownEntityError
        For an unknown kind or id, with the nearest ids as suggestions.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> resource = describe_resource(load_knowledge(), "unit", "bif")
    >>> resource.label, resource.kind
    ('Beskæftigelses-, Integrations- og Erhvervsforvaltningen', 'unit')
    >>> describe_resource(load_knowledge(), "unit", "bif", as_of=date(2025, 6, 1)).label
    'Beskæftigelses- og Integrationsforvaltningen'
    """
    if kind not in KINDS:
        raise UnknownEntityError("any", f"{kind}/{ident}")
    entities: dict[str, Unit | Task | Law | Forum] = getattr(kg, kind + "s")
    if ident not in entities:
        raise UnknownEntityError(kind, ident, kg.suggestions(kind, ident))
    entity = entities[ident]
    details = _unit(kg, ident, as_of) if kind == "unit" else _DETAILS[kind](kg, ident)
    return Resource(
        kind=kind,
        id=ident,
        label=entity.label_on(as_of) if isinstance(entity, Unit) else entity.label,
        uri=entity.uri,
        relations=_relations(kg, node_key(kind, ident)),
        details=details,
    )


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


def _relations(kg: Knowledge, key: str) -> tuple[Relation, ...]:
    found = []
    for _, target, data in kg.graph.out_edges(key, data=True):
        node = kg.graph.nodes[target]
        found.append(
            Relation(
                relation=data["relation"],
                label=data["label"],
                direction="out" if data["relation"] in RELATIONS else "in",
                target_kind=node["kind"],
                target_id=node["id"],
                target_label=node["label"],
                role=data.get("role"),
                status=data.get("status"),
            )
        )
    found.sort(key=lambda r: (r.relation, r.target_kind, r.target_id))
    return tuple(found)


def _unit(kg: Knowledge, ident: str, day: date | None = None) -> UnitDetails:
    parts = kg.participations_by_unit.get(ident, [])
    members = (m for m in kg.registry.memberships.values() if m.member == ident)
    if day is None:
        children = tuple(kg.children.get(ident, []))
    else:
        parts = [p for p in parts if p.is_valid_on(day)]
        members = (m for m in members if in_period(m.valid_from, m.valid_until, day))
        children = tuple(sorted(u.id for u in kg.units.values() if u.parent_on(day) == ident))
    return UnitDetails(
        unit=kg.units[ident],
        participations=tuple(parts),
        memberships=tuple(sorted(members, key=lambda m: m.organization)),
        ancestors=tuple(reversed(kg.unit_ancestors(ident, day))),
        children=children,
        contacts=contact_points_for(kg, ident, day),
        arrangements=tuple(p for p in kg.registry.arrangements.values() if p.unit == ident),
        as_of=day,
    )


def _task(kg: Knowledge, ident: str) -> TaskDetails:
    return TaskDetails(
        task=kg.tasks[ident],
        breadcrumb=tuple(kg.tasks[t] for t in reversed(kg.task_ancestors(ident))),
        narrower=tuple(
            t for t in sorted(kg.tasks.values(), key=lambda t: t.notation) if t.broader == ident
        ),
    )


def _law(kg: Knowledge, ident: str) -> LawDetails:
    return LawDetails(
        law=kg.laws[ident],
        parts=tuple(other.id for other in kg.laws.values() if other.parent == ident),
    )


def _forum(kg: Knowledge, ident: str) -> ForumDetails:
    forum = kg.forums[ident]
    return ForumDetails(
        forum=forum,
        parts=tuple(sorted(f.id for f in kg.forums.values() if f.parent == ident)),
        tasks=tuple(t for t in forum.tasks if t in kg.tasks),
        members=tuple(
            sorted(
                (m for m in kg.registry.memberships.values() if m.organization == ident),
                key=lambda m: (m.role, m.member),
            )
        ),
    )


_DETAILS: dict[str, Callable[[Knowledge, str], _Details]] = {
    "unit": _unit,
    "task": _task,
    "law": _law,
    "forum": _forum,
}
