"""The Danish pages for staff: search, task, unit, referral, collaboration, coordination.

One router gathers the page families (one module each, ``pages_*.py``). Include it before
the generic ``/id/{kind}/{id}`` route, so that a task's and a unit's URI show the rich page
to a browser; their other representations are still answered by
:mod:`api.routers.linked_data`.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.routers import (
    pages_assets,
    pages_collaboration,
    pages_coordination,
    pages_entities,
    pages_home,
    pages_referral,
)

__all__ = ["FAMILIES", "router"]

#: The page families, one module each.
FAMILIES = (
    pages_assets,
    pages_home,
    pages_entities,
    pages_referral,
    pages_collaboration,
    pages_coordination,
)
router = APIRouter(include_in_schema=False)
for _module in FAMILIES:
    router.include_router(_module.router)
