"""Stafet's graph library: load and validate the RDF, compile it, answer the questions.

One module per family of questions:

- :mod:`graph.questions.responsibility`: :func:`who_handles`
- :mod:`graph.questions.referral`: :func:`referral_path`
- :mod:`graph.questions.dependencies`: :func:`~graph.questions.dependencies.dependencies`
  (import it from there: the module and the function share the name)
- :mod:`graph.questions.quality`: :func:`overlaps`, :func:`gaps`
- :mod:`graph.questions.resources`: :func:`describe_resource`

Their answers are typed; :mod:`graph.present.answers` and :mod:`graph.present.resources` turn
them into the HTTP contract's JSON.

The names below are imported lazily, so that ``python -m graph.io.kle_import`` and the CLI do
not pay for pySHACL and networkx until they need them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph.data.knowledge import Knowledge, load_knowledge
    from graph.data.loader import OWN_ONTOLOGY, Source, TurtleFiles, default_source
    from graph.data.validation import ValidationReport, validate_graph
    from graph.errors import (
        InvalidDataError,
        InvalidInputError,
        NoReferralPathError,
        StafetError,
        UnknownEntityError,
    )
    from graph.questions.quality import gaps, overlaps
    from graph.questions.referral import referral_path
    from graph.questions.resources import describe_resource
    from graph.questions.responsibility import who_handles

_HOMES = {
    "InvalidDataError": "graph.errors",
    "InvalidInputError": "graph.errors",
    "NoReferralPathError": "graph.errors",
    "StafetError": "graph.errors",
    "UnknownEntityError": "graph.errors",
    "Knowledge": "graph.data.knowledge",
    "load_knowledge": "graph.data.knowledge",
    "OWN_ONTOLOGY": "graph.data.loader",
    "Source": "graph.data.loader",
    "TurtleFiles": "graph.data.loader",
    "default_source": "graph.data.loader",
    "gaps": "graph.questions.quality",
    "overlaps": "graph.questions.quality",
    "describe_resource": "graph.questions.resources",
    "referral_path": "graph.questions.referral",
    "who_handles": "graph.questions.responsibility",
    "ValidationReport": "graph.data.validation",
    "validate_graph": "graph.data.validation",
}

__all__ = [
    "OWN_ONTOLOGY",
    "InvalidDataError",
    "InvalidInputError",
    "Knowledge",
    "NoReferralPathError",
    "Source",
    "StafetError",
    "TurtleFiles",
    "UnknownEntityError",
    "ValidationReport",
    "default_source",
    "describe_resource",
    "gaps",
    "load_knowledge",
    "overlaps",
    "referral_path",
    "validate_graph",
    "who_handles",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'graph' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
