"""Networks of units, tasks, forums and laws for vis-network: data, no drawing, no web paths.

Each function returns a :class:`pyvis.network.Network` whose nodes and edges are plain
dicts (see :mod:`graph.render.nodes`); :mod:`graph.render.embed` turns one into a
standalone page or the data a web page hands to the renderer. Colours come from
:mod:`graph.render.style`, Danish words from :mod:`graph.present.vocabulary`. Nothing here
imports matplotlib.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from graph.data.knowledge import Knowledge
from graph.data.network import RELATIONS
from graph.errors import InvalidInputError, UnknownEntityError
from graph.present.coordination import bottlenecks, communities
from graph.present.dependencies import dependencies_json
from graph.present.links import resource_path
from graph.present.network_text import network_text
from graph.present.vocabulary import ADMINISTRATION_LABELS, ROLE_LABELS, STATUS_LABELS, VIA_LABELS
from graph.questions.dependencies import Dependencies
from graph.questions.quality import administration_key
from graph.questions.referral import COSTS, ReferralAnswer, referral_graph
from graph.render.groups import group_node, repeated_groups
from graph.render.nodes import (
    NODE_FONT_PX,
    column_layout,
    graph_node,
    network_options,
    new_network,
    through,
    unit_node,
)
from graph.render.style import (
    COLOURS,
    COMMUNITY_COLOURS,
    PATH_COLOUR,
    RELATION_COLOURS,
    VIA_COLOURS,
)

__all__ = [
    "DEFAULT_RELATIONS",
    "RELATION_LABELS",
    "collaboration_network",
    "neighbourhood",
    "neighbourhood_network",
    "referral_network",
    "referral_path_network",
]

#: The relations of the compiled graph (each read in both directions), with Danish names.
RELATION_LABELS = {relation: label for relation, (_, label) in RELATIONS.items()}
#: Relations a unit's neighbourhood shows unless asked otherwise: the main ones, where the
#: unit sits, what it takes part in and which forums it is in (the page offers the rest;
#: KLE's own hierarchy alone would bring in hundreds of topics).
DEFAULT_RELATIONS = ("sub_organization_of", "participates_in", "member_of")
_INVERSE = {inverse: relation for relation, (inverse, _) in RELATIONS.items()}
_KIND_ORDER = {kind: index for index, kind in enumerate(("unit", "forum", "post", "task", "law"))}


def referral_network(
    kg: Knowledge, units: Iterable[str] | None = None, colour_by: str = "administration"
) -> Any:
    """The referral graph between units as a :class:`pyvis.network.Network`.

    Node size grows with how often the relay passes through the unit
    (:func:`~graph.questions.coordination.bottlenecks`), colour shows the administration (or the
    community, ``colour_by="community"``); an edge's colour and thickness show the
    cheapest way to hand over between the two units. External authorities and political
    bodies are left out. Each node's ``administration`` is its administration key, so that
    a page can cluster by it, and ``href`` is the path of its URI. (Not pyvis's ``group``:
    pyvis drops a node's colour when it has one.)

    Parameters
    ----------
    units
        Unit ids to show (default: all the municipality's own units), e.g.
        ``kg.subtree("bif") | kg.subtree("sof")``.
    """
    graph = referral_graph(kg)
    chosen = sorted(
        set(units)
        if units is not None
        else {u.id for u in kg.units.values() if not u.is_external and u.kind != "political"}
    )
    passes = {r["id"]: r["passes"] for r in bottlenecks(kg)}
    community = {
        m["id"]: (index, c["name"]) for index, c in enumerate(communities(kg)) for m in c["members"]
    }
    network = new_network()
    for unit_id in chosen:
        unit = kg.units[unit_id]
        key = administration_key(kg, unit_id)
        index, community_name = community.get(unit_id, (-1, network_text("no_community")))
        colour = (
            COMMUNITY_COLOURS[index % len(COMMUNITY_COLOURS)]
            if colour_by == "community" and index >= 0
            else COLOURS.get(key, "#999999")
        )
        network.add_node(
            unit_id,
            label=min([unit.label, *unit.alt_labels], key=len),
            title="\n".join(
                [
                    unit.label,
                    network_text("administration", label=ADMINISTRATION_LABELS.get(key, key)),
                    network_text("community", name=community_name),
                    network_text("passes", count=passes.get(unit_id, 0)),
                ]
            ),
            color=colour,
            size=10 + 3 * math.sqrt(passes.get(unit_id, 0)),
            administration=key,
            kind="unit",
            href=resource_path(unit.uri),
        )
    for source, target, data in sorted(graph.edges(data=True)):
        if source < target and source in chosen and target in chosen:
            reverse = graph.get_edge_data(target, source)
            if reverse is not None and reverse["cost"] < data["cost"]:
                data = reverse
            network.add_edge(
                source,
                target,
                title=f"{VIA_LABELS[data['via']]}{through(kg, data.get('through'))} "
                + network_text("cost", cost=data["cost"]),
                color=VIA_COLOURS[data["via"]],
                width=1 + 2 * (COSTS["external"] - data["cost"]) / COSTS["external"],
                dashes=data["via"] == "hierarchy",
            )
    network.options = {
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "damping": 0.7},
            "stabilization": {"iterations": 300},
            "minVelocity": 2.5,  # settles in well under a second instead of jittering on
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "navigationButtons": False,
            "keyboard": {"enabled": True, "bindToWindow": False},
        },
        "nodes": {"font": {"size": NODE_FONT_PX}, "borderWidth": 1},
        "layout": {"randomSeed": 7},  # the same picture every time
    }
    return network


def neighbourhood(
    kg: Knowledge, centre: str, depth: int = 2, relations: Iterable[str] | None = None
) -> list[tuple[str, int]]:
    """The nodes around ``centre`` (a node key such as ``"unit/bif"``), nearest first.

    Follows the compiled graph's relations in both directions, only those named in
    ``relations`` (keys of :data:`~graph.data.network.RELATIONS`; default
    :data:`DEFAULT_RELATIONS`), at most ``depth`` steps. Within one distance, units come
    first, then forums, contact posts, tasks and laws, each by label.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> found = dict(neighbourhood(kg, "unit/bif", depth=1, relations=["sub_organization_of"]))
    >>> found["unit/bif"], found["unit/kk"], found["unit/bif-jobcenter"]
    (0, 1, 1)
    """
    if centre not in kg.graph:
        raise UnknownEntityError("any", centre)
    chosen = set(DEFAULT_RELATIONS if relations is None else relations)
    unknown = chosen - RELATIONS.keys()
    if unknown:
        raise InvalidInputError(
            f"Ukendt relation: {', '.join(sorted(unknown))}. Brug: {', '.join(RELATIONS)}."
        )
    found = {centre: 0}
    order = [(centre, 0)]
    frontier = [centre]
    for distance in range(1, depth + 1):
        reached = {
            target
            for node in frontier
            for _, target, data in kg.graph.out_edges(node, data=True)
            if _INVERSE.get(data["relation"], data["relation"]) in chosen and target not in found
        }
        frontier = sorted(reached, key=lambda key: _node_order(kg, key))
        for node in frontier:
            found[node] = distance
            order.append((node, distance))
    return order


def _node_order(kg: Knowledge, key: str) -> tuple[int, str, str]:
    data = kg.graph.nodes[key]
    # The key breaks ties between equal labels (two posts may share a name), so the same
    # data always gives the same picture, whatever the order of a set.
    return (
        _KIND_ORDER.get(data["kind"], len(_KIND_ORDER)),
        str(data.get("notation", "")) + data["label"],
        key,
    )


def neighbourhood_network(
    kg: Knowledge,
    centre: str,
    depth: int = 2,
    relations: Iterable[str] | None = None,
    limit: int = 150,
) -> tuple[Any, int]:
    """A unit's (or any entity's) neighbourhood as a network, and how many nodes it has.

    What repeats is drawn as one node (:func:`~graph.render.groups.repeated_groups`: eight
    contact posts of one name, the twenty tasks of one sub-unit). At most ``limit`` nodes
    are drawn, the nearest first (see :func:`neighbourhood`); the second value says how
    many the whole neighbourhood would draw, so that a page can say what it left out.
    Units and contact posts take their administration's colour; each kind of node has its
    own shape (:data:`KIND_STYLES`); each relation its colour (:data:`RELATION_COLOURS`);
    an assumed fact (status ``antaget``) is a dashed edge.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> network, total = neighbourhood_network(load_knowledge(), "unit/bif", depth=1)
    >>> network.nodes[0]["id"], network.nodes[0]["size"], total == len(network.nodes)
    ('unit/bif', 28, True)
    """
    relations = tuple(DEFAULT_RELATIONS if relations is None else relations)
    order = neighbourhood(kg, centre, depth, relations)
    links = _links(kg, [key for key, _ in order], relations)
    groups = repeated_groups(kg, order, ((s, t, r) for s, t, r, _ in links), centre)
    drawn: dict[str, int] = {}
    for key, distance in order:
        drawn.setdefault(groups[key].key if key in groups else key, distance)
    shown = dict(list(drawn.items())[:limit])
    network = new_network(directed=True)
    by_key = {group.key: group for group in groups.values()}
    for key, distance in shown.items():
        node = group_node(kg, by_key[key], distance) if key in by_key else None
        network.add_node(key, **(node or graph_node(kg, key, distance)))
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for source, target, relation, data in links:
        ends = tuple(groups[k].key if k in groups else k for k in (source, target))
        if ends[0] != ends[1] and ends[0] in shown and ends[1] in shown:
            edges.setdefault((ends[0], ends[1], relation), []).append(data)
    labels = {
        key: by_key[key].label if key in by_key else kg.graph.nodes[key]["label"] for key in shown
    }
    for (source, target, relation), found in edges.items():
        network.add_edge(
            source,
            target,
            title=_link_title(labels[source], labels[target], relation, found),
            color=RELATION_COLOURS[relation],
            dashes=all(data.get("status") == "antaget" for data in found),
            relation=relation,
        )
    network.options = network_options(len(shown))
    return network, len(drawn)


def _links(
    kg: Knowledge, keys: list[str], relations: Iterable[str]
) -> list[tuple[str, str, str, dict[str, Any]]]:
    """The edges among ``keys`` by ``relations``: each once, from the end that has it."""
    inside = set(keys)
    chosen = set(relations)
    seen: set[tuple[str, str, str]] = set()
    found = []
    for key in keys:
        for _, target, data in kg.graph.out_edges(key, data=True):
            relation = data["relation"]
            if relation not in chosen or target not in inside:
                continue  # an inverse is drawn from the other end, as its relation
            if (key, target, relation) not in seen:
                seen.add((key, target, relation))
                found.append((key, target, relation, data))
    return found


def _link_title(source: str, target: str, relation: str, found: list[dict[str, Any]]) -> str:
    """An edge's tooltip: who relates how to whom; the role and status where it is one fact."""
    text = f"{source} {RELATION_LABELS[relation]} {target}"
    if len(found) == 1:
        role, status = found[0].get("role"), found[0].get("status") or ""
        if role:
            text += "\n" + network_text("role", role=ROLE_LABELS.get(role, role))
        if status:
            text += "\n" + network_text("status", status=STATUS_LABELS.get(status, status))
    return text


def referral_path_network(kg: Knowledge, answer: ReferralAnswer) -> Any:
    """The referral path as a network, left to right, the path highlighted.

    The units of the best path and of the alternatives are drawn; the best path's hops are
    thick, numbered and red (:data:`PATH_COLOUR`), the alternatives' thin, grey and dashed.
    """
    network = new_network(directed=True)
    paths = [answer.hops] + [hops for _, hops, _ in answer.alternatives]
    level: dict[str, int] = {answer.from_unit.id: 0}
    for hops in paths:
        for index, hop in enumerate(hops, start=1):
            level[hop.target] = min(level.get(hop.target, index), index)
    on_path = {answer.from_unit.id, *(hop.target for hop in answer.hops)}
    for unit_id, where in level.items():
        extra = ""
        if unit_id == answer.from_unit.id:
            extra = "\n" + network_text("you_are_here")
        elif unit_id == answer.target.unit:
            role = ROLE_LABELS.get(answer.target.role, answer.target.role)
            extra = "\n" + network_text("handles", role=role)
        node = unit_node(kg, unit_id)
        node["title"] += extra
        network.add_node(
            unit_id,
            **node
            | {
                "level": where,
                "size": 24 if unit_id in on_path else 13,
                "borderWidth": 4 if unit_id in on_path else 1,
                "color": node["color"]
                if unit_id in on_path
                else {"background": node["color"], "border": "#666666"},
                "on_path": unit_id in on_path,
            },
        )
    drawn: set[tuple[str, str]] = set()
    for number, hop in enumerate(answer.hops, start=1):
        drawn.add((hop.source, hop.target))
        network.add_edge(
            hop.source,
            hop.target,
            label=str(number),
            title=network_text(
                "hop", number=number, via=VIA_LABELS[hop.via], through=through(kg, hop.through)
            ),
            color=PATH_COLOUR,
            width=5,
            font={"size": 16, "strokeWidth": 4, "color": PATH_COLOUR},
            on_path=True,
        )
    for hops in paths[1:]:
        for hop in hops:
            if (hop.source, hop.target) in drawn:
                continue
            drawn.add((hop.source, hop.target))
            network.add_edge(
                hop.source,
                hop.target,
                title=network_text(
                    "alternative", via=VIA_LABELS[hop.via], through=through(kg, hop.through)
                ),
                color="#8a8a8a",
                width=1.5,
                dashes=True,
                on_path=False,
            )
    network.options = network_options(len(level), hierarchical=True)
    return network


def collaboration_network(kg: Knowledge, found: Dependencies, task_limit: int = 25) -> Any:
    """How two or more administrations work together, as a network.

    The sides (administrations or units), the units of theirs that take part, the forums
    they share, contact-person posts and (at most ``task_limit``) shared tasks, process
    chains first. Units take their administration's colour; a unit is linked to its side.
    """
    network = new_network(directed=True)

    def unit(unit_id: str) -> None:
        if unit_id not in network.get_nodes() and (unit_id in kg.units or unit_id in kg.forums):
            network.add_node(unit_id, **unit_node(kg, unit_id, size=16))

    def edge(source: str, target: str, relation: str, title: str, dashed: bool = False) -> None:
        if source in network.get_nodes() and target in network.get_nodes():
            network.add_edge(
                source,
                target,
                title=title,
                color=RELATION_COLOURS[relation],
                dashes=dashed,
                relation=relation,
            )

    sides = [u.id for u in found.units]
    for side in sides:
        network.add_node(side, **unit_node(kg, side, size=30, borderWidth=3))
    data = dependencies_json(kg, found)
    processes = {link["task"]["id"] for link in data["process_links"]}
    tasks = sorted(
        data["shared_tasks"],
        key=lambda t: (t["task"]["id"] not in processes, t["task"]["notation"]),
    )
    for row in data["forums"]:
        network.add_node(
            "forum/" + row["id"],
            **graph_node(kg, "forum/" + row["id"], 1) | {"size": 18},
        )
        for members in row["members"].values():
            for member in members:
                unit(member)
                edge(
                    member,
                    "forum/" + row["id"],
                    "member_of",
                    network_text("member_of", member=kg.agent_label(member), forum=row["label"]),
                )
    for row in tasks[:task_limit]:
        key = "task/" + row["task"]["id"]
        network.add_node(key, **graph_node(kg, key, 1))
        for part in row["participants"]:
            unit(part["unit"]["id"])
            role = ROLE_LABELS.get(part["role"], part["role"])
            step = network_text("step", step=part["step"]) if part["step"] else ""
            edge(
                part["unit"]["id"],
                key,
                "participates_in",
                network_text(
                    "takes_part",
                    unit=part["unit"]["label"],
                    role=role,
                    step=step,
                    task=row["task"]["label"],
                ),
                dashed=part["status"] == "antaget",
            )
    for post in data["contact_arrangements"]:
        unit(post["unit"]["id"])
        for served in post["serves"]:
            target = "forum/" + served["id"] if served["kind"] == "forum" else served["id"]
            edge(
                post["unit"]["id"],
                target,
                "serves",
                network_text("post_serves", post=post["label"], unit=post["unit"]["label"]),
                dashed=post["status"] == "antaget",
            )
    for membership in data["cross_memberships"]:
        unit(membership["member"]["id"])
        unit(membership["organization"]["id"])
        edge(
            membership["member"]["id"],
            membership["organization"]["id"],
            "member_of",
            network_text(
                "membership",
                member=membership["member"]["label"],
                role=membership["role"],
                organization=membership["organization"]["label"],
            ),
        )
    for node in list(network.nodes):
        if node["id"] in sides or node.get("kind") != "unit":
            continue
        owner = next((s for s in sides if node["id"] in kg.subtree(s)), None)
        if owner is not None:
            edge(
                node["id"],
                owner,
                "sub_organization_of",
                network_text("under", unit=node["label"], parent=kg.agent_label(owner)),
            )
    column_layout(kg, network, sides)
    return network
