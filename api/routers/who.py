"""``GET /api/v1/who``: who handles a task."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.history import RecordedKnowledgeDep
from api.models.who import WhoAnswer
from api.openapi import problems
from api.params import AgeQuery, AsOfQuery, TaskQuery
from graph.present.answers import who_json
from graph.questions.responsibility import who_handles

router = APIRouter(prefix="/api/v1", tags=["spørgsmål"])


# ``async``: the answer is quick, CPU-only work; a hand-off to the thread pool costs more
# than the answer itself, and the GIL runs one thread at a time anyway.
@router.get(
    "/who",
    response_model=WhoAnswer,
    response_model_exclude_unset=True,
    summary="Hvem varetager opgaven?",
    description="Enhederne, der varetager en opgave, med rolle (`ansvarlig`, `udfoerende`, "
    "`indsigt`, `raadgivende`, `udbetaler` …), betingelser, hjemmel, kontaktpunkter og kilde. "
    "`process` lister trinene, hvor opgaven er et forløb på tværs af enheder; "
    "`fallback_from` er sat, når svaret kommer fra en bredere KLE-gruppe.",
    responses=problems(404, 422),
)
async def who(
    kg: RecordedKnowledgeDep, task: TaskQuery, age: AgeQuery = None, as_of: AsOfQuery = None
) -> dict[str, Any]:
    return who_json(kg, who_handles(kg, task, age=age, as_of=as_of))
