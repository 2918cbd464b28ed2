"""``GET /api/v1/dependencies``: how two or more units depend on each other."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.auth import PrincipalDep, audit_personal_read
from api.history import RecordedKnowledgeDep
from api.models.dependencies import DependenciesAnswer
from api.openapi import problems
from api.params import AsOfQuery
from graph.errors import InvalidInputError
from graph.present.dependencies import dependencies_json
from graph.questions.dependencies import dependencies

router = APIRouter(prefix="/api/v1", tags=["spørgsmål"])

MAX_UNITS = 20


@router.get(
    "/dependencies",
    response_model=DependenciesAnswer,
    summary="Hvordan afhænger enhederne af hinanden?",
    description="Fælles opgaver, forløb på tværs, fælles fora og kontaktpersonordninger "
    "mellem to eller flere enheder. En forvaltning står for sig selv og alle enheder under "
    "den.",
    responses=problems(404, 422),
)
def unit_dependencies(
    request: Request,
    kg: RecordedKnowledgeDep,
    principal: PrincipalDep,
    units: Annotated[
        list[str],
        Query(
            min_length=1,
            max_length=MAX_UNITS,
            description="To eller flere enheder (id eller navn), kommasepareret (`bif,sof`) "
            "eller gentaget (`units=bif&units=sof`).",
            openapi_examples={"bif-sof": {"summary": "BIF og SOF", "value": ["bif,sof"]}},
        ),
    ],
    task: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="Afgræns til en opgave og KLE-emnerne under den (id, nummer eller tekst).",
            openapi_examples={"pension": {"summary": "Førtidspension", "value": "førtidspension"}},
        ),
    ] = None,
    as_of: AsOfQuery = None,
) -> dict[str, Any]:
    names = [name.strip() for value in units for name in value.split(",") if name.strip()]
    if len(names) > MAX_UNITS:
        raise InvalidInputError(f"Angiv højst {MAX_UNITS} enheder, ikke {len(names)}.")
    answer = dependencies(kg, names, task=task, as_of=as_of)
    audit_personal_read(request, principal, (row.post.id for row in answer.contact_arrangements))
    return dependencies_json(kg, answer, personal=principal is not None)
