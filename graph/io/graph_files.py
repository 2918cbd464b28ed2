"""The compiled graph as a file for Gephi and other graph tools: GEXF or GraphML.

Both formats want scalar attributes, so every attribute is written as text and ``None``
is left out; each edge keeps its relation name as its key. GEXF takes an ``id`` attribute
as the node's own id, so ours is written as ``stafet_id`` there.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import networkx as nx

from graph.data.knowledge import Knowledge

__all__ = ["GRAPH_FORMATS", "graph_file"]

#: What :func:`graph_file` writes.
GRAPH_FORMATS = ("gexf", "graphml")

_WRITERS = {"gexf": nx.write_gexf, "graphml": nx.write_graphml}
_RENAMED = {"gexf": {"id": "stafet_id"}, "graphml": {}}


def graph_file(
    kg: Knowledge,
    fmt: str,
    node_extras: Mapping[str, Mapping[str, str]] | None = None,
) -> bytes:
    """The knowledge graph in ``fmt`` (one of :data:`GRAPH_FORMATS`), UTF-8.

    Parameters
    ----------
    node_extras
        Further attributes by graph node (``{"unit/kff": {"flaskehals": "12"}}``).

    Examples
    --------
    >>> from graph import load_knowledge
    >>> graph_file(load_knowledge(), "graphml")[:38]
    b"<?xml version='1.0' encoding='utf-8'?>"
    """
    renamed = _RENAMED[fmt]
    extras = node_extras or {}
    simple = nx.MultiDiGraph()
    for node, data in kg.graph.nodes(data=True):
        simple.add_node(node, **{**_text(data, renamed), **extras.get(node, {})})
    for source, target, key, data in kg.graph.edges(keys=True, data=True):
        simple.add_edge(source, target, key=key, **_text(data, {}))
    buffer = io.BytesIO()
    _WRITERS[fmt](simple, buffer, encoding="utf-8")
    return buffer.getvalue()


def _text(data: Mapping[str, Any], renamed: Mapping[str, str]) -> dict[str, str]:
    return {renamed.get(k, k): str(v) for k, v in data.items() if v is not None}
