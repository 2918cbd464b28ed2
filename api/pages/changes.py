"""``/aendringer``: the change log for staff, and each entity page's own history.

The page reads the same log, with the same filters, as ``GET /api/v1/changes``
(:func:`graph.questions.history.change_log`, worded by :mod:`graph.present.history`): who,
when, what kind, why, and field by field what stood before and after, in Danish. The
history of one unit or task is offered to the entity pages as the Jinja global
``entity_history(request, kind, id)`` (the include ``_history.html``), so those pages need
no code of their own for it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import RuntimeDep
from api.pages import templates
from api.pages.common import Twin, json_page, page, with_query
from api.params import AsOfQuery
from api.runtime import Runtime
from graph.errors import InvalidInputError, UnknownEntityError
from graph.present.history import change_log_json
from graph.present.vocabulary import ADMINISTRATION_LABELS, ADMINISTRATION_NAMES, CHANGE_KIND_LABELS
from graph.questions.history import change_log

__all__ = ["entity_history", "router"]

router = APIRouter(include_in_schema=False)

#: Changes a page of the log shows; changes an entity page lists before "se alle".
PAGE_SIZE = 25
HISTORY_SIZE = 5
Text = Annotated[str | None, Query(max_length=200)]


def _entries(
    runtime: Runtime, filters: dict[str, Any], limit: int, before: int | None
) -> dict[str, Any]:
    store = runtime.store
    if store is None:
        return {"changes": [], "next": None}
    kg = runtime.knowledge
    found = change_log(kg, store.changes(since=0), limit=limit, before=before, **filters)
    data = change_log_json(kg, found)
    for entry in data["changes"]:
        entry["kind_label"] = CHANGE_KIND_LABELS.get(entry["kind"], entry["kind"])
        entry["when_text"] = datetime.fromisoformat(entry["when"]).strftime("%d.%m.%Y kl. %H:%M")
    return data


def entity_history(request: Request, kind: str, ident: str) -> dict[str, Any] | None:
    """The latest changes to a unit or task (None when the app has no store of record)."""
    runtime = cast(Runtime, request.app.state.runtime)
    if runtime.store is None:
        return None
    try:
        data = _entries(runtime, {"resource": f"{kind}/{ident}"}, HISTORY_SIZE, None)
    except (UnknownEntityError, InvalidInputError):
        return None
    return {**data, "href": "/aendringer?" + urlencode({"ressource": f"{kind}/{ident}"})}


templates.env.globals["entity_history"] = entity_history


@router.get("/aendringer")
@router.get("/aendringer.json")
def changes_page(
    request: Request,
    runtime: RuntimeDep,
    forvaltning: Text = None,
    enhed: Text = None,
    slags: Annotated[str | None, Query(max_length=20)] = None,
    siden: AsOfQuery = None,
    ressource: Annotated[str | None, Query(max_length=300)] = None,
    naeste: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    filters = {
        "forvaltning": forvaltning or None,
        "unit": enhed or None,
        "kind": slags if slags in CHANGE_KIND_LABELS else None,
        "resource": ressource or None,
        "since": datetime.combine(siden, time(0), UTC) if siden else None,
    }
    error = None
    try:
        data = _entries(runtime, filters, PAGE_SIZE, naeste)
    except (UnknownEntityError, InvalidInputError) as exc:
        data, error = {"changes": [], "next": None}, str(exc)
    shown = {
        "forvaltning": forvaltning or "",
        "enhed": enhed or "",
        "slags": slags or "",
        "siden": siden.isoformat() if isinstance(siden, date) else "",
        "ressource": ressource or "",
    }
    more = urlencode({**{k: v for k, v in shown.items() if v}, "naeste": data["next"]})
    context = {
        "log": data,
        "filters": shown,
        "error": error,
        "has_store": runtime.store is not None,
        "next_href": f"/aendringer?{more}" if data["next"] else None,
        "kinds": CHANGE_KIND_LABELS,
        "forvaltninger": [
            {"id": key, "label": f"{ADMINISTRATION_NAMES[key]} ({label})"}
            for key, label in ADMINISTRATION_LABELS.items()
            if key not in ("oevrige", "ekstern")
        ],
    }
    status = 422 if error else 200
    if request.url.path.endswith(".json"):
        return json_page(
            request,
            {"changes": data["changes"], "next": data["next"], "error": error},
            with_query("/aendringer", request),
        )
    twin = Twin("JSON", with_query("/aendringer.json", request))
    return page(request, "aendringer.html", context, [twin], status_code=status)
