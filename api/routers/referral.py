"""``GET /api/v1/referral``: the shortest referral path to a unit that handles the task."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.auth import PrincipalDep, audit_personal_read
from api.history import RecordedKnowledgeDep
from api.models.referral import ReferralAnswer
from api.openapi import problems
from api.params import AgeQuery, AsOfQuery, TaskQuery
from graph.present.answers import referral_json
from graph.questions.referral import referral_path

router = APIRouter(prefix="/api/v1", tags=["spørgsmål"])


# ``async``: the answer is quick, CPU-only work; a hand-off to the thread pool costs more
# than the answer itself, and the GIL runs one thread at a time anyway.
@router.get(
    "/referral",
    response_model=ReferralAnswer,
    response_model_exclude_unset=True,
    summary="Hvordan sendes henvendelsen videre?",
    description="Den billigste henvisningsvej (stafet) fra enheden `from` til en enhed, der "
    "varetager opgaven. Hvert hop siger hvordan (`via`: contact_person, contact_point, "
    "single_entry, forum, collaboration, hierarchy, across, external), gennem hvad, med "
    "hvilken hjemmel og hvem man kontakter. Et forum bruges kun til de sager, det findes "
    "for. Afhænger svaret af alder, og er `age` ikke givet, står hver gren i `branches`. "
    "Med `complaint=true` går vejen til den enhed, der traf afgørelsen (genvurdering), og "
    "videre til klageinstansen. Findes der ingen vej, svarer API'et 404 med typen "
    "`no-referral-path`.",
    responses=problems(404, 422),
)
async def referral(
    request: Request,
    kg: RecordedKnowledgeDep,
    principal: PrincipalDep,
    from_unit: Annotated[
        str,
        Query(
            alias="from",
            min_length=1,
            max_length=200,
            description="Enheden, borgeren henvendte sig til: id eller navn.",
            openapi_examples={
                "id": {"summary": "Id", "value": "borgerraadgiveren"},
                "navn": {"summary": "Navn", "value": "Borgerrådgiveren"},
            },
        ),
    ],
    task: TaskQuery,
    age: AgeQuery = None,
    complaint: Annotated[
        bool,
        Query(
            alias="complaint",
            description="Klage over en afgørelse: vejen til den afgørende enhed og klageinstansen.",
        ),
    ] = False,
    as_of: AsOfQuery = None,
) -> dict[str, Any]:
    answer = referral_path(kg, from_unit, task, age=age, complaint=complaint, as_of=as_of)
    personal = principal is not None
    hops = [*answer.hops, *(h for a in answer.alternatives for h in a.hops)]
    hops += [h for branch in answer.branches for h in branch.hops]
    shown = [h.through for h in hops if h.through in kg.registry.arrangements]
    audit_personal_read(request, principal, (post for post in shown if post is not None))
    return referral_json(kg, answer, personal=personal)
