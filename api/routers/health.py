"""``GET /health`` (liveness: is the app up, on which data, what is missing) and readiness."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import RuntimeDep
from api.models.search import Health
from api.openapi import problems
from api.problems import ApiProblem
from api.responses import JSONResponse
from api.runtime import Runtime

router = APIRouter(tags=["drift"])


@router.get(
    "/health",
    response_model=Health,
    summary="Sundhedstjek",
    description="Svarer altid 200, når processen kører: `ok`, når alt er klar, ellers "
    "`degraded` med det, der mangler (`missing`: fx SPARQL-processen eller data), med "
    "datafingeraftryk og antal.",
)
async def health(runtime: RuntimeDep) -> JSONResponse:
    kg = runtime.knowledge
    sparql = runtime.sparql
    missing = _missing(runtime)
    return JSONResponse(
        {
            "status": "degraded" if missing else "ok",
            "missing": missing,
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
            "store": _store(runtime),
        }
    )


@router.get(
    "/health/ready",
    summary="Klar til trafik?",
    description="200 `ok`, når data er indlæst, indekserne er bygget og SPARQL-processen "
    "(hvis slået til) er klar; ellers 503 med det, der mangler. Til en load balancers eller "
    "orkestrators readiness-tjek.",
    responses=problems(503),
)
async def ready(runtime: RuntimeDep) -> JSONResponse:
    missing = _missing(runtime)
    if missing:
        raise ApiProblem("unavailable", "Ikke klar: mangler " + ", ".join(missing) + ".")
    return JSONResponse({"status": "ok"})


def _store(runtime: Runtime) -> dict[str, object] | None:
    """How far the answers follow the store of record."""
    if runtime.store is None:
        return None
    lag = runtime.lag_seconds
    return {
        "sequence": runtime.sequence,
        "head": runtime.head,
        "behind": max(0, runtime.head - runtime.sequence),
        "checked_seconds_ago": round(lag, 3) if lag is not None else None,
        "error": runtime.error,
        "writes": "videresendes" if runtime.settings.writer_url else "her",
    }


def _missing(runtime: Runtime) -> list[str]:
    """What a fully working app has and this one lacks, in Danish."""
    kg = runtime.knowledge
    missing = []
    if not (kg.units and kg.tasks):
        missing.append("data (ingen enheder eller opgaver indlæst)")
    if runtime.warming:
        missing.append("opvarmning (søgning, henvisningsveje og RDF-kopi bygges)")
    sparql = runtime.sparql
    if sparql is not None and sparql.status != "klar":
        missing.append(f"SPARQL-processen ({sparql.status})")
    return missing
