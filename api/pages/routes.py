"""The Danish pages for staff: search, task, unit, referral, collaboration, coordination,
review, the change log and the import.

One router gathers the page families (one module each in :mod:`api.pages`). Include it before
the generic ``/id/{kind}/{id}`` route, so that a task's and a unit's URI show the rich page
to a browser; their other representations are still answered by
:mod:`api.routers.linked_data`.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.pages import (
    assets,
    changes,
    collaboration,
    coordination,
    entities,
    home,
    importing,
    referral,
    review,
)

__all__ = ["FAMILIES", "router"]

#: The page families, one module each.
FAMILIES = (
    assets,
    home,
    entities,
    referral,
    collaboration,
    coordination,
    review,
    changes,
    importing,
)
router = APIRouter(include_in_schema=False)
for _module in FAMILIES:
    router.include_router(_module.router)
