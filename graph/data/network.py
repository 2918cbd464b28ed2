"""The compiled networkx graph: one node per entity, both directions of every relation.

Each relation is stored once in RDF (and once in the :class:`~graph.data.model.Registry`)
and given both directions here (style: relations are read from both ends). The graph is
built from two tables: :data:`_NODES` (which entities are nodes, with which attributes)
and :data:`_EDGES` (which relations each kind of entity states).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from graph.data.ids import node_key
from graph.data.model import (
    ContactArrangement,
    Forum,
    Law,
    Membership,
    Participation,
    Registry,
    Task,
    Unit,
)

if TYPE_CHECKING:
    import networkx as nx  # imported where a graph is built, on first use

__all__ = ["INVERSE_LABELS", "RELATIONS", "build_graph"]

#: relation → (inverse relation, Danish label). The only edges the compiled graph has.
RELATIONS: dict[str, tuple[str, str]] = {
    "sub_organization_of": ("has_sub_organization", "hører under"),
    "participates_in": ("has_participant", "deltager i opgaven"),
    "member_of": ("has_member", "er medlem af"),
    "part_of": ("has_part", "er del af"),
    "concerns": ("discussed_in", "handler om opgaven"),
    "post_in": ("has_post", "kontaktperson i"),
    "serves": ("served_by", "er indgang for"),
    "broader": ("narrower", "hører under KLE"),
    "legal_resource": ("cited_by", "hviler på"),
    "contact_point": ("contact_of", "kontaktpunkt"),
}
#: inverse relation → its Danish label.
INVERSE_LABELS = {
    "has_sub_organization": "har underenhed",
    "has_participant": "varetages af",
    "has_member": "har medlem",
    "has_part": "har del",
    "discussed_in": "drøftes i",
    "has_post": "har kontaktperson",
    "served_by": "betjenes af",
    "narrower": "har underemne",
    "cited_by": "citeres af",
    "contact_of": "kontaktpunkt for",
}

#: (source node, target node, relation, edge attributes)
_Edge = tuple[str, str, str, dict[str, object]]

#: node kind, the registry's table of them, and the node's attributes besides kind and id.
_NODES: tuple[tuple[str, str, Callable[[Any], dict[str, object]]], ...] = (
    (
        "unit",
        "units",
        lambda unit: {
            "label": unit.label,
            "unit_kind": unit.kind,
            "status": unit.provenance.status or "",
        },
    ),
    (
        "task",
        "tasks",
        lambda task: {"label": task.label, "notation": task.notation, "level": task.level},
    ),
    ("law", "laws", lambda law: {"label": law.label}),
    (
        "forum",
        "forums",
        lambda forum: {"label": forum.label, "status": forum.provenance.status or ""},
    ),
    ("post", "arrangements", lambda post: {"label": post.label}),
    ("contact", "contacts", lambda contact: {"label": contact.label or contact.id}),
)


def build_graph(registry: Registry) -> nx.MultiDiGraph:
    """Return the compiled multigraph: one node per entity, both directions of each relation.

    An edge whose end is not a node (a reference to nothing) is left out.

    Examples
    --------
    >>> from graph.data.model import Law
    >>> registry = Registry(laws={
    ...     "sel": Law("sel", "urn:sel", "Serviceloven", None),
    ...     "sel-85": Law("sel-85", "urn:sel-85", "§ 85", "sel"),
    ... })
    >>> sorted(build_graph(registry).edges(keys=True))
    [('law/sel', 'law/sel-85', 'has_part'), ('law/sel-85', 'law/sel', 'part_of')]
    """
    import networkx as nx  # on first use: not at the app's start-up

    graph = nx.MultiDiGraph()
    for kind, table, describe in _NODES:
        for entity in getattr(registry, table).values():
            graph.add_node(node_key(kind, entity.id), kind=kind, id=entity.id, **describe(entity))
    for table, edges in _EDGES:
        for entity in getattr(registry, table).values():
            for source, target, relation, attrs in edges(registry, entity):
                _link(graph, source, target, relation, attrs)
    return graph


def _link(
    graph: nx.MultiDiGraph, source: str, target: str, relation: str, attrs: dict[str, object]
) -> None:
    if source not in graph or target not in graph:
        return
    inverse, label = RELATIONS[relation]
    graph.add_edge(source, target, key=relation, relation=relation, label=label, **attrs)
    graph.add_edge(
        target, source, key=inverse, relation=inverse, label=INVERSE_LABELS[inverse], **attrs
    )


def _agent_key(registry: Registry, ident: str) -> str:
    """A participant or member: a forum if one has the id, else a unit."""
    return node_key("forum" if ident in registry.forums else "unit", ident)


def _unit_edges(registry: Registry, unit: Unit) -> Iterator[_Edge]:
    here = node_key("unit", unit.id)
    if unit.parent:
        yield here, node_key("unit", unit.parent), "sub_organization_of", {}
    for contact_id in unit.contacts:
        yield here, node_key("contact", contact_id), "contact_point", {}


def _task_edges(registry: Registry, task: Task) -> Iterator[_Edge]:
    here = node_key("task", task.id)
    if task.broader:
        yield here, node_key("task", task.broader), "broader", {}
    for law_id in task.legal_resources:
        yield here, node_key("law", law_id), "legal_resource", {}


def _law_edges(registry: Registry, law: Law) -> Iterator[_Edge]:
    if law.parent:
        yield node_key("law", law.id), node_key("law", law.parent), "part_of", {}


def _participation_edges(registry: Registry, part: Participation) -> Iterator[_Edge]:
    # A unit by that id first; a forum only when no unit has it.
    kind = "forum" if part.unit not in registry.units and part.unit in registry.forums else "unit"
    attrs: dict[str, object] = {
        "role": part.role,
        "participation": part.id,
        "status": part.provenance.status or "",
    }
    task = node_key("task", part.task)
    yield node_key(kind, part.unit), task, "participates_in", attrs
    for law_id in part.legal_basis:
        yield task, node_key("law", law_id), "legal_resource", {}


def _forum_edges(registry: Registry, forum: Forum) -> Iterator[_Edge]:
    here = node_key("forum", forum.id)
    if forum.parent:
        yield here, node_key("forum", forum.parent), "part_of", {}
    for task_id in forum.tasks:
        yield here, node_key("task", task_id), "concerns", {}


def _membership_edges(registry: Registry, membership: Membership) -> Iterator[_Edge]:
    attrs: dict[str, object] = {
        "role": membership.role,
        "membership": membership.id,
        "status": membership.provenance.status or "",
    }
    member = _agent_key(registry, membership.member)
    yield member, _agent_key(registry, membership.organization), "member_of", attrs


def _post_edges(registry: Registry, post: ContactArrangement) -> Iterator[_Edge]:
    here = node_key("post", post.id)
    yield here, _agent_key(registry, post.unit), "post_in", {}
    for served in post.serves:
        yield here, _agent_key(registry, served), "serves", {}
    for contact_id in post.contacts:
        yield here, node_key("contact", contact_id), "contact_point", {}
    for task_id in post.tasks:
        yield here, node_key("task", task_id), "concerns", {}


#: the registry's table of an entity kind, and the relations one such entity states.
_EDGES: tuple[tuple[str, Callable[[Registry, Any], Iterator[_Edge]]], ...] = (
    ("units", _unit_edges),
    ("tasks", _task_edges),
    ("laws", _law_edges),
    ("participations", _participation_edges),
    ("forums", _forum_edges),
    ("memberships", _membership_edges),
    ("arrangements", _post_edges),
)
