"""``GET /api/v1/search``: find tasks, units, laws and forums as staff type them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from api.history import RecordedKnowledgeDep
from api.models.search import SearchAnswer
from api.openapi import problems
from api.params import AsOfQuery

router = APIRouter(prefix="/api/v1", tags=["spørgsmål"])


# ``async``: the answer is quick, CPU-only work; a hand-off to the thread pool costs more
# than the answer itself, and the GIL runs one thread at a time anyway.
@router.get(
    "/search",
    response_model=SearchAnswer,
    response_model_exclude_unset=True,
    summary="Søg efter opgaver, enheder, love og fora",
    description="Finder det, medarbejdere skriver: store og små bogstaver, med eller uden "
    "æ/ø/å, små stavefejl, bøjninger, KLE-numre, stikord og forkortelser. Bedste først; "
    "`matched` siger hvordan (id, notation, label, synonym, keyword, partial, fuzzy).",
    responses=problems(422),
)
async def search(
    kg: RecordedKnowledgeDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="Søgeteksten.",
            openapi_examples={
                "opgave": {"summary": "En opgave", "value": "hjælpemidler"},
                "stavefejl": {"summary": "Med stavefejl", "value": "fortidspenson"},
                "enhed": {"summary": "En forkortelse", "value": "BIF"},
            },
        ),
    ],
    kind: Annotated[
        Literal["task", "unit", "law", "forum", "any"],
        Query(description="Søg kun i én slags (standard: alle)."),
    ] = "any",
    limit: Annotated[int, Query(ge=1, le=100, description="Højst så mange resultater.")] = 10,
    as_of: AsOfQuery = None,
) -> dict[str, Any]:
    hits = kg.search.search(q, kind=kind, limit=limit)
    results = [asdict(hit) for hit in hits]
    if as_of is not None:  # a unit by the name it had that day
        for result in results:
            if result["kind"] == "unit" and result["id"] in kg.units:
                result["label"] = kg.units[result["id"]].label_on(as_of)
    answer = {"query": q, "kind": kind, "limit": limit, "results": results}
    return answer if as_of is None else {**answer, "as_of": as_of.isoformat()}
