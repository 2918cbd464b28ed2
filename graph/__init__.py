"""Stafet's graph library: load and validate the RDF, compile it, answer the questions.

One module per family of questions:

- :mod:`graph.responsibility`: :func:`who_handles`
- :mod:`graph.referral`: :func:`referral_path`
- :mod:`graph.dependencies`: :func:`~graph.dependencies.dependencies` (import it from
  there: the module and the function share the name, so the package cannot export it)
- :mod:`graph.quality`: :func:`overlaps`, :func:`gaps`

The names below are imported lazily, so that ``python -m graph.kle_import`` and the CLI do
not pay for pySHACL and networkx until they need them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph.errors import (
        InvalidDataError,
        NoReferralPathError,
        StafetError,
        UnknownEntityError,
    )
    from graph.knowledge import Knowledge, load_knowledge
    from graph.loader import Source, TurtleFiles, default_source
    from graph.quality import gaps, overlaps
    from graph.referral import referral_path
    from graph.responsibility import who_handles
    from graph.validation import ValidationReport, validate_graph

_HOMES = {
    "InvalidDataError": "graph.errors",
    "NoReferralPathError": "graph.errors",
    "StafetError": "graph.errors",
    "UnknownEntityError": "graph.errors",
    "Knowledge": "graph.knowledge",
    "load_knowledge": "graph.knowledge",
    "Source": "graph.loader",
    "TurtleFiles": "graph.loader",
    "default_source": "graph.loader",
    "gaps": "graph.quality",
    "overlaps": "graph.quality",
    "referral_path": "graph.referral",
    "who_handles": "graph.responsibility",
    "ValidationReport": "graph.validation",
    "validate_graph": "graph.validation",
}

__all__ = [
    "InvalidDataError",
    "Knowledge",
    "NoReferralPathError",
    "Source",
    "StafetError",
    "TurtleFiles",
    "UnknownEntityError",
    "ValidationReport",
    "default_source",
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
