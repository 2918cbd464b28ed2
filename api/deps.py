"""Dependencies routes declare with ``Annotated``: the knowledge graph, runtime, SPARQL."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from api.problems import ApiProblem
from api.runtime import Runtime
from api.sparql.engine import SparqlEngine
from graph.data.knowledge import Knowledge

__all__ = ["KnowledgeDep", "RuntimeDep", "SparqlDep"]


def get_runtime(request: Request) -> Runtime:
    return cast(Runtime, request.app.state.runtime)


def get_knowledge(request: Request) -> Knowledge:
    return get_runtime(request).knowledge


def get_sparql(request: Request) -> SparqlEngine:
    engine = get_runtime(request).sparql
    if engine is None:
        raise ApiProblem(
            "unavailable", "SPARQL er slået fra på denne server (STAFET_SPARQL_ENABLED)."
        )
    return engine


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
KnowledgeDep = Annotated[Knowledge, Depends(get_knowledge)]
SparqlDep = Annotated[SparqlEngine, Depends(get_sparql)]
