"""The rich pages at a task's and a unit's own URI: ``/id/task/{id}`` and ``/id/unit/{id}``.

These routes come before the generic ``/id/{kind}/{id}`` of :mod:`api.routers.linked_data`
and answer only a browser (HTML); every other representation (``.jsonld``, ``.ttl``,
``.nt`` or an ``Accept`` header asking for RDF) is handed to that route unchanged, so the
URI keeps its content negotiation and its ``Link`` headers.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from api.auth import PrincipalDep, audit_personal_read
from api.deps import KnowledgeDep, RuntimeDep
from api.links import TWIN_TYPES, resource_links
from api.negotiation import choose_media_type
from api.pages.common import (
    Twin,
    contact_view,
    graph_context,
    json_page,
    law_view,
    page,
    roles_in_order,
    unit_choices,
)
from api.params import AgeQuery, AsOfQuery
from api.routers.linked_data import linked_resource
from graph.data.knowledge import Knowledge
from graph.data.model import HANDLING_ROLES
from graph.data.network import RELATIONS
from graph.present.answers import who_json
from graph.present.common import dated_names_json
from graph.present.resources import resource_json
from graph.present.vocabulary import ROLE_LABELS
from graph.questions.resources import UnitDetails, describe_resource
from graph.questions.responsibility import who_handles
from graph.render.networks import DEFAULT_RELATIONS, RELATION_LABELS, neighbourhood_network

router = APIRouter(include_in_schema=False)

HTML = "text/html"
#: The most nodes a unit's graph draws; the page says how many it left out.
GRAPH_LIMIT = 150
Ident = Annotated[str, Path(max_length=200)]
Depth = Annotated[int, Query(ge=1, le=3, description="Hvor mange skridt ud fra enheden.")]
Relations = Annotated[
    list[str] | None, Query(max_length=len(RELATIONS), description="Relationer, der vises.")
]
Focus = Annotated[str | None, Query(max_length=220, description="Knuden, grafen fokuserer på.")]


def _wants_html(request: Request, ident: str) -> bool:
    if any(suffix and ident.endswith(suffix) for suffix in TWIN_TYPES):
        return False
    offers = list(TWIN_TYPES.values())
    return choose_media_type(request.headers.get("accept"), offers) == HTML


def _twins(kind: str, ident: str) -> list[Twin]:
    return [
        Twin("JSON", f"/api/v1/{kind}s/{ident}"),
        Twin("JSON-LD", f"/id/{kind}/{ident}.jsonld", "application/ld+json"),
        Twin("Turtle", f"/id/{kind}/{ident}.ttl", "text/turtle"),
        Twin("N-Triples", f"/id/{kind}/{ident}.nt", "application/n-triples"),
    ]


def _headers(request: Request, kind: str, ident: str) -> str:
    return resource_links(request, kind, ident)


def _task_twin(ident: str, age: int | None) -> str:
    """The task page's JSON twin: the same data for the same age."""
    return f"/id/task/{quote(ident, safe='')}.json" + ("" if age is None else f"?alder={age}")


def _task_headers(request: Request, ident: str, age: int | None) -> str:
    """The page's JSON twin first, then every representation of the URI (as it always has)."""
    base = str(request.base_url).rstrip("/")
    twin = f'<{base}{_task_twin(ident, age)}>; rel="alternate"; type="application/json"'
    return f"{twin}, {resource_links(request, 'task', ident)}"


def task_page_data(
    kg: Knowledge, ident: str, age: int | None, as_of: date | None = None
) -> dict[str, Any]:
    """The task page's data, which the page shows and its JSON twin is.

    The task, who handles it for a citizen of ``age`` (the who-answer, grouped by role
    and summed up) on ``as_of`` (today if None), its laws, and the units to choose from
    for a referral.
    """
    task = resource_json(kg, describe_resource(kg, "task", ident, as_of=as_of))
    who = who_json(kg, who_handles(kg, ident, age=age, as_of=as_of))
    by_role = _handlers_by_role(kg, who["handlers"])
    return {
        "task": task,
        "who": who,
        "by_role": by_role,
        "summary": [
            {
                "role": ROLE_LABELS.get(group["role"], group["role"]),
                "units": list(dict.fromkeys(h["unit"]["label"] for h in group["handlers"])),
            }
            for group in by_role
            if group["role"] in HANDLING_ROLES
        ],
        "laws": [law_view(kg, law) for law in task["legal_basis"]],
        "age": age,
        "as_of": as_of,
        "units": unit_choices(kg),
        "who_json": f"/api/v1/who?task={ident}" + (f"&age={age}" if age is not None else ""),
    }


@router.get("/id/task/{ident}.json")
def task_page_json(
    request: Request, kg: KnowledgeDep, ident: Ident, alder: AgeQuery = None
) -> Response:
    data = task_page_data(kg, ident, alder)
    html = f"/id/task/{quote(ident, safe='')}" + ("" if alder is None else f"?alder={alder}")
    return json_page(request, data, html)


@router.get("/id/task/{ident}")
def task_page(
    request: Request,
    runtime: RuntimeDep,
    kg: KnowledgeDep,
    ident: Ident,
    alder: AgeQuery = None,
    dato: AsOfQuery = None,
) -> Response:
    if not _wants_html(request, ident):
        return linked_resource(request, runtime, "task", ident)
    twins = [Twin("JSON", _task_twin(ident, alder)), *_twins("task", ident)[1:]]
    response = page(
        request,
        "task.html",
        task_page_data(kg, ident, alder, dato),
        twins,
        link_header=_task_headers(request, ident, alder),
    )
    # Cookie: a signed-in member of staff sees their own header (api.response_cache keeps
    # only the anonymous page).
    response.headers["Vary"] = "Accept, Cookie"
    return response


def _agent_path(unit: dict[str, Any]) -> str:
    kind = "forum" if unit["kind"] == "forum" else "unit"
    return f"/id/{kind}/{unit['id']}"


def _handlers_by_role(kg: Knowledge, handlers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    roles = roles_in_order({h["role"] for h in handlers})
    return [
        {
            "role": role,
            "handlers": [
                {
                    **h,
                    "href": _agent_path(h["unit"]),
                    "laws": [law_view(kg, law) for law in h["legal_basis"]],
                    "contacts": [contact_view(c) for c in h["contacts"]],
                }
                for h in handlers
                if h["role"] == role
            ],
        }
        for role in roles
    ]


@router.get("/id/unit/{ident}")
def unit_page(
    request: Request,
    runtime: RuntimeDep,
    kg: KnowledgeDep,
    ident: Ident,
    principal: PrincipalDep,
    dybde: Depth = 2,
    relation: Relations = None,
    fokus: Focus = None,
    f: Annotated[str | None, Query(max_length=1, description="Formularen er sendt.")] = None,
    dato: AsOfQuery = None,
) -> Response:
    if not _wants_html(request, ident):
        return linked_resource(request, runtime, "unit", ident)
    found = describe_resource(kg, "unit", ident, as_of=dato)
    if principal is not None and isinstance(found.details, UnitDetails):  # staff signed in
        audit_personal_read(request, principal, (p.id for p in found.details.arrangements))
    unit = resource_json(kg, found, personal=principal is not None)
    for post in unit["contact_arrangements"]:
        post["serves"] = [kg.agent_label(served) for served in post["serves"]]
    unit["forums"] = [
        {**forum, "kind": "forum" if forum["id"] in kg.forums else "unit"}
        for forum in unit["forums"]
    ]
    chosen = list(DEFAULT_RELATIONS) if relation is None and f is None else (relation or [])
    centre = f"unit/{ident}"
    network, total = neighbourhood_network(kg, centre, dybde, chosen, limit=GRAPH_LIMIT)
    shown = {node["id"] for node in network.nodes}
    dated = kg.units.get(unit["id"])
    context = {
        "unit": unit,
        "names": dated_names_json(dated.names) if dated is not None else [],
        "as_of": dato,
        "label_then": dated.label_on(dato) if dated is not None and dato else None,
        "label_today": dated.label if dated is not None else unit["label"],
        "roles": [
            {"role": role, "tasks": unit["tasks_by_role"][role]}
            for role in roles_in_order(unit["tasks_by_role"])
        ],
        "contacts": [contact_view(c) for c in unit["contacts"]],
        "graph": graph_context(network, focusable=True, focus=fokus if fokus in shown else None),
        "depth": dybde,
        "relations": [
            {"key": key, "label": label, "checked": key in chosen}
            for key, label in RELATION_LABELS.items()
        ],
        "total": total,
        "limit": GRAPH_LIMIT,
        "focus": fokus if fokus in shown else None,
    }
    response = page(
        request,
        "unit.html",
        context,
        _twins("unit", ident),
        link_header=_headers(request, "unit", ident),
    )
    response.headers["Vary"] = "Accept"
    return response
