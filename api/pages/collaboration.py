"""Samarbejde (``/samarbejde?a=bif&b=sof``): how two administrations work together."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import KnowledgeDep
from api.pages.common import (
    Twin,
    administration_choices,
    graph_context,
    json_page,
    page,
    with_query,
)
from graph.data.knowledge import Knowledge
from graph.errors import StafetError, UnknownEntityError
from graph.present.coordination import short_label
from graph.present.dependencies import dependencies_json
from graph.present.vocabulary import not_found, not_found_advice
from graph.questions.dependencies import dependencies
from graph.render.networks import collaboration_network

router = APIRouter(include_in_schema=False)

Side = Annotated[str, Query(min_length=1, max_length=200, description="En forvaltning (id).")]
TaskFilter = Annotated[str | None, Query(max_length=200, description="Afgræns til en opgave.")]


def _sides(kg: Knowledge, data: dict[str, Any]) -> dict[str, str]:
    """Each side's short name (``BIF``), for tags next to units."""
    return {unit["id"]: short_label(kg, unit["id"]) for unit in data["units"]}


@router.get("/samarbejde")
def collaboration_page(
    request: Request,
    kg: KnowledgeDep,
    a: Side = "bif",
    b: Side = "sof",
    opgave: TaskFilter = None,
) -> Response:
    context: dict[str, Any] = {
        "a": a,
        "b": b,
        "opgave": opgave or "",
        "choices": administration_choices(kg),
        "data": None,
        "error": None,
        "suggestions": [],
    }
    twins = [Twin("JSON", with_query("/samarbejde.json", request))]
    try:
        found = dependencies(kg, [a, b], task=opgave or None)
    except UnknownEntityError as error:  # say what was not found; offer the nearest, never guess
        asked = {"a": a, "b": b} | ({"opgave": opgave} if opgave else {})
        context["error"] = not_found(error.kind, error.query) + " " + not_found_advice(error)
        context["suggestions"] = [
            {
                "href": "/samarbejde?"
                + urlencode({k: s.id if v == error.query else v for k, v in asked.items()}),
                "label": s.label,
            }
            for s in error.suggestions
        ]
        return page(request, "collaboration.html", context, twins, status_code=404)
    except StafetError as error:
        context["error"] = str(error)
        return page(request, "collaboration.html", context, twins, status_code=422)
    data = dependencies_json(kg, found)
    for forum in data["forums"]:
        forum["member_labels"] = {
            side: [kg.agent_label(member) for member in members]
            for side, members in forum["members"].items()
        }
    context |= {
        "data": data,
        "sides": _sides(kg, data),
        "arrangements": data["contact_arrangements"],
        "graph": graph_context(collaboration_network(kg, found), focusable=True),
    }
    return page(request, "collaboration.html", context, twins)


@router.get("/samarbejde.json")
def collaboration_json(
    request: Request,
    kg: KnowledgeDep,
    a: Side = "bif",
    b: Side = "sof",
    opgave: TaskFilter = None,
) -> Response:
    data = dependencies_json(kg, dependencies(kg, [a, b], task=opgave or None))
    return json_page(request, data, with_query("/samarbejde", request))
