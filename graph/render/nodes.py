"""The nodes and options of Stafet's vis-network networks (shared by :mod:`.networks`).

A node is a plain dict in vis-network's terms (``label``, ``title``, ``shape``, ``color``)
plus Stafet's own keys: ``kind``, ``administration`` (to cluster by) and ``href`` (the
path of the node's URI, :func:`graph.present.links.resource_path`). A ``title`` is plain
text: the renderer shows it as a text node, never as HTML.
"""

from __future__ import annotations

from typing import Any

from graph.data.knowledge import Knowledge
from graph.present.links import resource_path
from graph.present.network_text import network_text
from graph.present.vocabulary import ADMINISTRATION_LABELS, KIND_LABELS, STATUS_LABELS
from graph.questions.quality import administration_key
from graph.render.style import COLOURS, KIND_STYLES, shorten

__all__ = [
    "COLUMN_WIDTH",
    "NODE_FONT_PX",
    "column_layout",
    "graph_node",
    "kind_name",
    "network_options",
    "new_network",
    "through",
    "unit_node",
]

#: Labels' font size in the network's own units: at the 11 px a label needs on screen, the
#: renderer zooms out no further than to 11/14 (``graph/render/templates/network.js``).
NODE_FONT_PX = 14
#: The distance between the columns of a collaboration (wider than a 40-character label).
COLUMN_WIDTH = 330


def new_network(directed: bool = False) -> Any:
    """An empty :class:`pyvis.network.Network` (imported only when a network is drawn)."""
    from pyvis.network import Network

    # cdn_resources is never used: pages come from network_page() or the web app.
    return Network(height="640px", width="100%", directed=directed, cdn_resources="remote")


def kind_name(kind: str) -> str:
    """The Danish name of a kind of node, as a legend lists it (``"enhed"``).

    A kind without a style of its own is named by its code.

    >>> kind_name("post"), kind_name("other")
    ('kontaktpersonordning', 'other')
    """
    return KIND_LABELS[kind].lower() if kind in KIND_STYLES else kind


def unit_node(kg: Knowledge, unit_id: str, **style: Any) -> dict[str, Any]:
    """A unit (or a forum taking part like a unit) as a node, in its administration's colour."""
    unit = kg.units.get(unit_id)
    if unit is None:  # a forum can take part in a task like a unit
        forum = kg.forums[unit_id]
        shape, colour = KIND_STYLES["forum"]
        return {
            "label": forum.label,
            "shape": shape,
            "color": colour,
            "title": f"{forum.label}\n{kind_name('forum').capitalize()}",
            "kind": "forum",
            "href": resource_path(forum.uri),
        } | style
    key = administration_key(kg, unit_id)
    return {
        "label": min([unit.label, *unit.alt_labels], key=len),
        "shape": "dot",
        "color": COLOURS.get(key, "#999999"),
        "title": unit.label
        + "\n"
        + network_text("administration", label=ADMINISTRATION_LABELS.get(key, key)),
        "kind": "unit",
        "administration": key,
        "href": resource_path(unit.uri),
    } | style


def through(kg: Knowledge, ident: str | None) -> str:
    """What a referral hop goes through (forum, contact post, membership), for a title."""
    if ident in kg.forums or ident in kg.units:
        return network_text("through", label=kg.agent_label(ident))
    if ident in kg.registry.arrangements:
        return network_text("through", label=kg.registry.arrangements[ident].label)
    if ident in kg.registry.memberships:
        membership = kg.registry.memberships[ident]
        return network_text(
            "through_membership",
            member=kg.agent_label(membership.member),
            organization=kg.agent_label(membership.organization),
        )
    return ""


def graph_node(kg: Knowledge, key: str, distance: int) -> dict[str, Any]:
    """Any node of the compiled graph, ``distance`` steps from the centre of a picture."""
    data = kg.graph.nodes[key]
    kind, ident = data["kind"], data["id"]
    shape, colour = KIND_STYLES.get(kind, ("dot", "#cccccc"))
    label = data["label"]
    lines = [label, kind_name(kind).capitalize()]
    node: dict[str, Any] = {"shape": shape, "color": colour, "kind": kind}
    if kind == "unit":
        node = unit_node(kg, ident)
        lines = node["title"].split("\n")
        label = node["label"]
    elif kind == "task":
        label = f"{data['notation']} {label}"
        lines = [label, network_text("task")]
    elif kind == "post" and ident in kg.registry.arrangements:
        post = kg.registry.arrangements[ident]
        node["color"] = COLOURS.get(administration_key(kg, post.unit), colour)
        lines.append(network_text("post_in", unit=kg.agent_label(post.unit)))
    if data.get("status"):
        lines.append(
            network_text("status", status=STATUS_LABELS.get(data["status"], data["status"]))
        )
    node.update(
        label=shorten(label, 40),
        title="\n".join(lines),
        size=28 if distance == 0 else (16 if kind in ("unit", "forum") else 11),
        borderWidth=3 if distance == 0 else 1,
        href=resource_path(getattr(getattr(kg, kind + "s", {}).get(ident), "uri", None))
        if kind in ("unit", "task", "law", "forum")
        else None,
        distance=distance,
    )
    return node


def network_options(nodes: int, hierarchical: bool = False) -> dict[str, Any]:
    """vis-network options: a force layout, or left to right (``hierarchical``) for a path."""
    physics: dict[str, Any] = {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {
            "gravitationalConstant": -70,
            "springLength": 100,
            "avoidOverlap": 0.3,
            "damping": 0.7,
        },
        # Lay out before the first frame (hidden iterations are cheap; animated ones cost a
        # frame each) and stop once nodes barely move: measured in Chromium, the 150-node
        # graph of Københavns Kommune settles in 0.7–0.9 s instead of 2.5 s.
        "stabilization": {"iterations": 500, "updateInterval": 50},
        "minVelocity": 2.5,
    }
    options: dict[str, Any] = {
        "physics": physics,
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "navigationButtons": False,
        },
        "nodes": {"font": {"size": NODE_FONT_PX, "color": "#1b1b1b"}, "borderWidth": 1},
        "edges": {
            "smooth": False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"inherit": False},
        },
        "layout": {"improvedLayout": nodes <= 100, "randomSeed": 7},
    }
    if hierarchical:
        options["layout"] = {
            "hierarchical": {
                "enabled": True,
                "direction": "LR",
                "sortMethod": "directed",
                "levelSeparation": 230,
                "nodeSpacing": 120,
            }
        }
        options["physics"] = {
            "solver": "hierarchicalRepulsion",
            "hierarchicalRepulsion": {"nodeDistance": 140, "avoidOverlap": 0.5},
            "stabilization": {"iterations": 150, "updateInterval": 50},
            "minVelocity": 2.5,
        }
    return options


def column_layout(kg: Knowledge, network: Any, sides: list[str]) -> None:
    """Lay two sides out left and right, their units beside them, what they share between.

    Five columns, so that no label lands on another: the first side, its units, the forums,
    tasks and units they share, the second side's units, the second side. Three or more
    sides keep the force layout.
    """
    if len(sides) != 2:
        network.options = network_options(len(network.nodes))
        return
    first, second = (kg.subtree(side) for side in sides)
    for node in network.nodes:
        if node["id"] in sides:
            node["level"] = 0 if node["id"] == sides[0] else 4
        elif node.get("kind") == "unit" and node["id"] in first - second:
            node["level"] = 1
        elif node.get("kind") == "unit" and node["id"] in second - first:
            node["level"] = 3
        else:
            node["level"] = 2
    network.options = network_options(len(network.nodes), hierarchical=True)
    network.options["layout"]["hierarchical"] |= {
        "sortMethod": "hubsize",
        "levelSeparation": COLUMN_WIDTH,
        "nodeSpacing": 90,
    }
