"""Dependencies routes declare with ``Annotated``: the knowledge graph, runtime, SPARQL."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from api.problems import ApiProblem
from api.runtime import Runtime
from api.sparql.engine import SparqlEngine
from graph.data.knowledge import Knowledge

__all__ = ["KnowledgeDep", "RuntimeDep", "SparqlDep"]


# ``async`` although they never wait: FastAPI runs a plain ``def`` dependency in the
# thread pool, and each such hand-off costs more than these attribute reads.


async def get_runtime(request: Request) -> Runtime:
    return _runtime(request)


async def get_knowledge(request: Request) -> Knowledge:
    return _runtime(request).knowledge


async def get_sparql(request: Request) -> SparqlEngine:
    engine = _runtime(request).sparql
    if engine is None:
        raise ApiProblem(
            "unavailable", "SPARQL er slået fra på denne server (STAFET_SPARQL_ENABLED)."
        )
    return engine


def _runtime(request: Request) -> Runtime:
    return cast(Runtime, request.app.state.runtime)


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
KnowledgeDep = Annotated[Knowledge, Depends(get_knowledge)]
SparqlDep = Annotated[SparqlEngine, Depends(get_sparql)]
