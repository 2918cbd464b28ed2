"""``GET /health``: is the app up, and on which data."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import RuntimeDep
from api.models.search import Health
from api.responses import JSONResponse

router = APIRouter(tags=["drift"])


@router.get(
    "/health",
    response_model=Health,
    summary="Sundhedstjek",
    description="Svarer `ok`, når API'et er klar, med datafingeraftryk og antal.",
)
async def health(runtime: RuntimeDep) -> JSONResponse:
    kg = runtime.knowledge
    sparql = runtime.sparql
    return JSONResponse(
        {
            "status": "ok",
            "fingerprint": kg.fingerprint,
            "triples": sparql.triples if sparql else None,
            "counts": {
                "units": len(kg.units),
                "tasks": len(kg.tasks),
                "laws": len(kg.laws),
                "forums": len(kg.forums),
                "participations": len(kg.registry.participations),
            },
            "load_seconds": round(runtime.load_seconds, 3),
            "sparql": sparql.status if sparql else "slået fra",
        }
    )
