"""``GET /api/v1/overlaps`` and ``/api/v1/gaps``: for the coordination group."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter

from api.deps import RuntimeDep
from api.history import RecordedKnowledgeDep
from api.models.quality import GapsAnswer, OverlapsAnswer
from api.openapi import problems
from api.params import AsOfQuery
from graph.present.quality import gaps_json, overlaps_json
from graph.questions.quality import gaps, overlaps

router = APIRouter(prefix="/api/v1", tags=["kvalitet"])


@router.get(
    "/overlaps",
    response_model=OverlapsAnswer,
    summary="Overlap i ansvaret",
    description="Opgaver med mere end én enhed i samme rolle (især mere end én `ansvarlig`), "
    "opgaver delt efter betingelser, og matricen forvaltning × forvaltning.",
    responses=problems(422),
)
def overlaps_route(
    runtime: RuntimeDep, kg: RecordedKnowledgeDep, as_of: AsOfQuery = None
) -> dict[str, Any]:
    day = as_of or date.today()
    return runtime.cached(
        ("overlaps", day.isoformat(), kg.fingerprint),
        lambda: overlaps_json(kg, overlaps(kg, as_of=day)),
    )


@router.get(
    "/gaps",
    response_model=GapsAnswer,
    summary="Huller i data",
    description="Opgaver uden `ansvarlig`, enheder uden kontaktpunkt, kontaktpunkter uden "
    "telefon eller e-mail, love som ingen opgave henviser til, fora uden medlemmer, og "
    "fakta der stadig er `antaget`.",
    responses=problems(422),
)
def gaps_route(
    runtime: RuntimeDep, kg: RecordedKnowledgeDep, as_of: AsOfQuery = None
) -> dict[str, Any]:
    day = as_of or date.today()
    return runtime.cached(
        ("gaps", day.isoformat(), kg.fingerprint), lambda: gaps_json(kg, gaps(kg, as_of=day))
    )
