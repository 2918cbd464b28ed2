"""Sources → RDF → :class:`~graph.data.knowledge.Knowledge`: load, validate, compile, cache.

- :mod:`graph.data.ids`: resource kinds, URIs ↔ ids, node keys, KLE numbers
- :mod:`graph.data.loader`: where the Turtle comes from (:class:`Source`)
- :mod:`graph.data.compile`: RDF → the typed :class:`Registry` (:mod:`graph.data.model`)
- :mod:`graph.data.network`: the registry → the networkx graph (:data:`RELATIONS`)
- :mod:`graph.data.knowledge`: all of it, with the search index, as one :class:`Knowledge`
- :mod:`graph.data.validation`: SHACL

The names below are imported lazily, so that ``python -m graph.io.kle_import`` (which
needs :mod:`graph.data.ids`) does not pay for pySHACL, networkx and the search index.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph.data.ids import (
        KINDS,
        node_key,
        split_uri,
        task_id,
    )
    from graph.data.knowledge import (
        KLE_CODES,
        SEARCH_KINDS,
        Knowledge,
        Match,
        load_knowledge,
        search_index,
    )
    from graph.data.loader import (
        OWN_ONTOLOGY,
        Source,
        TurtleFiles,
        default_source,
    )
    from graph.data.model import (
        HANDLING_ROLES,
        AgeCondition,
        ContactArrangement,
        ContactPoint,
        DocumentSource,
        Forum,
        Law,
        Membership,
        Participation,
        Provenance,
        Registry,
        Task,
        Unit,
    )
    from graph.data.network import (
        INVERSE_LABELS,
        RELATIONS,
    )
    from graph.data.validation import (
        Finding,
        ValidationReport,
        validate_graph,
    )

_HOMES = {
    "KINDS": "graph.data.ids",
    "node_key": "graph.data.ids",
    "split_uri": "graph.data.ids",
    "task_id": "graph.data.ids",
    "KLE_CODES": "graph.data.knowledge",
    "SEARCH_KINDS": "graph.data.knowledge",
    "Knowledge": "graph.data.knowledge",
    "Match": "graph.data.knowledge",
    "load_knowledge": "graph.data.knowledge",
    "search_index": "graph.data.knowledge",
    "OWN_ONTOLOGY": "graph.data.loader",
    "Source": "graph.data.loader",
    "TurtleFiles": "graph.data.loader",
    "default_source": "graph.data.loader",
    "HANDLING_ROLES": "graph.data.model",
    "AgeCondition": "graph.data.model",
    "ContactArrangement": "graph.data.model",
    "ContactPoint": "graph.data.model",
    "DocumentSource": "graph.data.model",
    "Forum": "graph.data.model",
    "Law": "graph.data.model",
    "Membership": "graph.data.model",
    "Participation": "graph.data.model",
    "Provenance": "graph.data.model",
    "Registry": "graph.data.model",
    "Task": "graph.data.model",
    "Unit": "graph.data.model",
    "INVERSE_LABELS": "graph.data.network",
    "RELATIONS": "graph.data.network",
    "Finding": "graph.data.validation",
    "ValidationReport": "graph.data.validation",
    "validate_graph": "graph.data.validation",
}

__all__ = [
    "HANDLING_ROLES",
    "INVERSE_LABELS",
    "KINDS",
    "KLE_CODES",
    "OWN_ONTOLOGY",
    "RELATIONS",
    "SEARCH_KINDS",
    "AgeCondition",
    "ContactArrangement",
    "ContactPoint",
    "DocumentSource",
    "Finding",
    "Forum",
    "Knowledge",
    "Law",
    "Match",
    "Membership",
    "Participation",
    "Provenance",
    "Registry",
    "Source",
    "Task",
    "TurtleFiles",
    "Unit",
    "ValidationReport",
    "default_source",
    "load_knowledge",
    "node_key",
    "search_index",
    "split_uri",
    "task_id",
    "validate_graph",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'graph.data' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
