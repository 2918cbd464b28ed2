"""``GET /api/v1/audit``: the audit log of writes and of reads of personal data, for admins."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.auth import PrincipalDep, require_admin
from api.deps import RuntimeDep
from api.models.access import AuditAnswer
from api.openapi import problems
from api.problems import ApiProblem
from graph.store.audit import audit_entries

router = APIRouter(prefix="/api/v1", tags=["adgang"])


@router.get(
    "/audit",
    response_model=AuditAnswer,
    summary="Auditloggen",
    description="Hvem der har skrevet (ændringens id) og hvem der har set personoplysninger "
    "om kontaktpersoner (rute og ressource), og hvornår; ældste først. Kun for "
    "administratorer: uden token 401, med et andet token 403.",
    responses=problems(401, 403, 422, 503),
)
def audit(
    runtime: RuntimeDep,
    principal: PrincipalDep,
    since: Annotated[
        datetime | None,
        Query(
            description="Kun poster fra dette tidspunkt (ISO 8601, fx 2026-12-01T08:00:00Z).",
            openapi_examples={"dato": {"summary": "Et tidspunkt", "value": "2026-12-01T00:00:00Z"}},
        ),
    ] = None,
    limit: Annotated[
        int,
        Query(ge=1, le=10_000, description="Højst så mange poster (de nyeste)."),
    ] = 1000,
) -> dict[str, Any]:
    require_admin(principal)
    if runtime.store is None:
        raise ApiProblem(
            "unavailable", "Der er intet register på denne server (STAFET_STORE_PATH)."
        )
    entries = audit_entries(runtime.store, since=since, limit=limit)
    return {
        "entries": [
            {
                "id": e.id,
                "kind": e.kind,
                "principal": e.principal,
                "at": e.at.isoformat(),
                "change": e.change,
                "route": e.route,
                "resource": e.resource,
            }
            for e in entries
        ]
    }
