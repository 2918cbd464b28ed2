"""``GET /api/v1/overlaps`` and ``/api/v1/gaps``: for the coordination group."""

from __future__ import annotations

import json
from datetime import date

from fastapi import APIRouter
from starlette.responses import Response

from api.deps import RuntimeDep
from api.models.quality import GapsAnswer, OverlapsAnswer
from api.openapi import problems
from api.params import AsOfQuery
from graph.questions.quality import gaps, overlaps

router = APIRouter(prefix="/api/v1", tags=["kvalitet"])


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@router.get(
    "/overlaps",
    response_model=OverlapsAnswer,
    summary="Overlap i ansvaret",
    description="Opgaver med mere end én enhed i samme rolle (især mere end én `ansvarlig`), "
    "opgaver delt efter betingelser, og matricen forvaltning × forvaltning.",
    responses=problems(422),
)
def overlaps_route(runtime: RuntimeDep, as_of: AsOfQuery = None) -> Response:
    day = as_of or date.today()
    body = runtime.cached(
        ("overlaps", day.isoformat()), lambda: _json(overlaps(runtime.knowledge, as_of=day))
    )
    return Response(body, media_type="application/json")


@router.get(
    "/gaps",
    response_model=GapsAnswer,
    summary="Huller i data",
    description="Opgaver uden `ansvarlig`, enheder uden kontaktpunkt, kontaktpunkter uden "
    "telefon eller e-mail, love som ingen opgave henviser til, fora uden medlemmer, og "
    "fakta der stadig er `antaget`.",
    responses=problems(422),
)
def gaps_route(runtime: RuntimeDep, as_of: AsOfQuery = None) -> Response:
    day = as_of or date.today()
    body = runtime.cached(
        ("gaps", day.isoformat()), lambda: _json(gaps(runtime.knowledge, as_of=day))
    )
    return Response(body, media_type="application/json")
