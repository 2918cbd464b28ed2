"""Gather what repeats in a picture: one node for many alike (shared by :mod:`.networks`).

A neighbourhood of a unit can hold eight contact posts with the same name, or twenty tasks
that hang on one sub-unit and on nothing else. Drawn one by one they crowd the picture
and say nothing the page's lists do not; drawn as one node, "Kontaktperson for
BIF–SOF-samarbejdet (8)" or "Opgaver (20)", with the members in its tooltip, the picture
shows its shape. Units are never gathered by name (two units may share a name, such as
two rehabilitation teams), and nothing that hangs on the centre itself is gathered: those
are the centre's own tasks and forums.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph.data.knowledge import Knowledge
from graph.present.network_text import network_text
from graph.present.vocabulary import KIND_PLURALS
from graph.render.nodes import kind_name
from graph.render.style import KIND_STYLES, shorten

__all__ = ["GROUP_AT", "Group", "group_node", "repeated_groups"]

#: How many leaves of one kind on one node are gathered into one.
GROUP_AT = 3
#: How many members a group's tooltip names.
NAMED_MEMBERS = 12


@dataclass(frozen=True, slots=True)
class Group:
    """Nodes drawn as one: its node id, their kind, its label and the members' keys."""

    key: str
    kind: str
    label: str
    members: tuple[str, ...]


def repeated_groups(
    kg: Knowledge,
    order: Sequence[tuple[str, int]],
    links: Iterable[tuple[str, str, str]],
    centre: str,
    at_least: int = GROUP_AT,
) -> dict[str, Group]:
    """Which node keys of ``order`` are drawn together, and as what group.

    ``links`` are the edges drawn, as ``(source, target, relation)``. Two kinds of repeat
    are gathered: nodes other than units that share kind and label (two or more), and
    leaves (nodes with one neighbour, which is not ``centre``) of one kind on the same
    neighbour by the same relation (``at_least`` or more).

    Examples
    --------
    >>> from graph import load_knowledge
    >>> from graph.render.networks import neighbourhood
    >>> kg = load_knowledge()
    >>> order = neighbourhood(kg, "unit/kk", depth=2, relations=["sub_organization_of"])
    >>> links = [(k, "unit/" + kg.units[k[5:]].parent, "sub_organization_of")
    ...          for k, d in order if d]
    >>> groups = repeated_groups(kg, order, links, "unit/kk")
    >>> groups["unit/bif-jobcenter"].label, groups["unit/bif-jobcenter"].key
    ('Enheder (6)', 'gruppe:unit:unit/bif')
    """
    neighbours: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for source, target, relation in links:
        neighbours[source].add((target, relation))
        neighbours[target].add((source, relation))
    grouped: dict[str, Group] = {}
    same_label: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, _ in order:
        data = kg.graph.nodes[key]
        if key != centre and data["kind"] != "unit":
            same_label[(data["kind"], data["label"])].append(key)
    for (kind, label), members in same_label.items():
        if len(members) >= 2:
            group = Group(
                f"gruppe:{kind}:{members[0]}",
                kind,
                f"{shorten(label, 34)} ({len(members)})",
                tuple(members),
            )
            grouped |= dict.fromkeys(members, group)
    leaves: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for key, _ in order:
        around = {node for node, _ in neighbours[key]}
        if key == centre or key in grouped or len(around) != 1 or centre in around:
            continue
        (neighbour,) = around
        relation = min(r for _, r in neighbours[key])
        leaves[(kg.graph.nodes[key]["kind"], neighbour, relation)].append(key)
    for (kind, neighbour, _), members in leaves.items():
        if len(members) >= at_least:
            name = KIND_PLURALS.get(kind) or kind_name(kind).capitalize()
            label = f"{name} ({len(members)})"
            group = Group(f"gruppe:{kind}:{neighbour}", kind, label, tuple(members))
            grouped |= dict.fromkeys(members, group)
    return grouped


def _member_label(data: Mapping[str, Any]) -> str:
    return f"{data['notation']} {data['label']}" if data.get("notation") else str(data["label"])


def group_node(kg: Knowledge, group: Group, distance: int) -> dict[str, Any]:
    """A group as a node: its kind's shape and colour, its members named in the tooltip."""
    shape, colour = KIND_STYLES.get(group.kind, ("dot", "#cccccc"))
    names = sorted(_member_label(kg.graph.nodes[key]) for key in group.members)
    lines = [group.label, *names[:NAMED_MEMBERS]]
    if len(names) > NAMED_MEMBERS:
        lines.append(network_text("more", count=len(names) - NAMED_MEMBERS))
    return {
        "label": group.label,
        "title": "\n".join(lines),
        "shape": shape,
        "color": colour,
        "kind": group.kind,
        "size": 16,
        "borderWidth": 2,
        "href": None,
        "distance": distance,
        "grouped": len(group.members),
    }
