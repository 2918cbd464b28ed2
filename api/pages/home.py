"""Forsiden (``/``): one search box, examples, the relay principle; and the whole municipality.

The search box works without JavaScript (the form reloads ``/?q=…`` with grouped results);
with it, ``/static/stafet.js`` suggests as you type from ``/api/v1/search``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import KnowledgeDep
from api.pages.common import LABELS, Twin, graph_context, json_page, page, with_query
from graph.data.knowledge import Knowledge
from graph.data.model import HANDLING_ROLES
from graph.errors import UnknownEntityError
from graph.present.vocabulary import ADMINISTRATION_LABELS, ROLE_LABELS, VIA_LABELS
from graph.questions.responsibility import who_handles
from graph.render.embed import administration_groups
from graph.render.networks import referral_network
from graph.render.style import VIA_COLOURS

router = APIRouter(include_in_schema=False)

KINDS = ("task", "unit", "law", "forum")
#: (question, kind, what to look up, extra parameters, which page).
EXAMPLES: list[tuple[str, str, str, dict[str, str | int], str]] = [
    ("Hvem varetager førtidspension?", "task", "førtidspension", {}, "task"),
    ("Hjælpemidler til en borger på 70 år", "task", "hjælpemidler", {"alder": 70}, "task"),
    (
        "Borgerrådgiveren får en henvendelse om førtidspension",
        "task",
        "førtidspension",
        {"fra": "borgerraadgiveren"},
        "referral",
    ),
    (
        "Boligstøtte: en henvendelse, der skal ud af kommunen",
        "task",
        "boligstøtte",
        {"fra": "bif"},
        "referral",
    ),
    ("Hvad laver Jobcenter København?", "unit", "Jobcenter København", {}, "unit"),
]
SearchQuery = Annotated[str | None, Query(max_length=200, description="Søgeteksten.")]


def search_results(kg: Knowledge, q: str | None) -> list[dict[str, Any]]:
    """The hits for ``q``, grouped by kind in the order opgaver, enheder, love, fora."""
    if not q or not q.strip():
        return []
    hits = [asdict(hit) for hit in kg.search.search(q, kind="any", limit=40)]
    return [
        {
            "kind": kind,
            "label": LABELS["kinds_plural"][kind],
            "hits": [
                {**hit, "href": f"/id/{hit['kind']}/{hit['id']}"}
                for hit in hits
                if hit["kind"] == kind
            ],
        }
        for kind in KINDS
        if any(hit["kind"] == kind for hit in hits)
    ]


def best_answer(kg: Knowledge, groups: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The best task hit with who handles it, so the answer is one glance away."""
    tasks: list[dict[str, Any]] = next((g["hits"] for g in groups if g["kind"] == "task"), [])
    if not tasks:
        return None
    top = tasks[0]
    who = who_handles(kg, top["id"])
    handlers = [p for p in who.handlers if p.role in HANDLING_ROLES]
    return {
        **top,
        "handlers": [
            {"role": ROLE_LABELS.get(p.role, p.role), "unit": kg.agent_label(p.unit)}
            for p in handlers
        ],
        "conditional": any(p.conditions for p in handlers),
    }


def examples(kg: Knowledge) -> list[dict[str, str]]:
    """The examples whose task or unit exists in this data, as links."""
    found = []
    for question, kind, text, params, target in EXAMPLES:
        try:
            entity, _ = kg.resolve(kind, text)
            if "fra" in params:
                kg.resolve("unit", str(params["fra"]))
        except UnknownEntityError:
            continue
        if target == "referral":
            query = {"fra": params["fra"], "opgave": entity.id}
            href = "/henvisning?" + urlencode(query)
        else:
            extra = {k: v for k, v in params.items() if k != "fra"}
            href = f"/id/{kind}/{entity.id}" + ("?" + urlencode(extra) if extra else "")
        found.append({"question": question, "href": href, "label": entity.label})
    return found


def front_page(kg: Knowledge, q: str | None) -> dict[str, Any]:
    """The front page's data, which the page shows and ``/index.json`` is.

    The hits grouped by kind, the best answer (who handles the top task hit), the
    examples, and where the search box asks for suggestions.
    """
    groups = search_results(kg, q)
    return {
        "query": q,
        "results": groups,
        "best": best_answer(kg, groups),
        "examples": examples(kg),
        "search": "/api/v1/search?q=",
    }


@router.get("/")
def home(request: Request, kg: KnowledgeDep, q: SearchQuery = None) -> Response:
    data = front_page(kg, q)
    context = {
        "q": q or "",
        "groups": data["results"],
        "best": data["best"],
        "examples": data["examples"],
    }
    return page(request, "home.html", context, [Twin("JSON", with_query("/index.json", request))])


@router.get("/index.json")
def home_json(request: Request, kg: KnowledgeDep, q: SearchQuery = None) -> Response:
    return json_page(request, front_page(kg, q), with_query("/", request))


ClusterQuery = Annotated[
    Literal["ja", "nej"], Query(description="Saml enhederne i klynger pr. forvaltning.")
]


def municipality(kg: Knowledge, klynger: str) -> dict[str, Any]:
    network = referral_network(kg)
    order = list(ADMINISTRATION_LABELS)
    groups: dict[str, list[dict[str, str]]] = {key: [] for key in order}
    for node in sorted(network.nodes, key=lambda n: kg.units[n["id"]].label):
        groups.setdefault(node["administration"], []).append(
            {"id": node["id"], "label": kg.units[node["id"]].label, "href": node["href"]}
        )
    return {
        "network": network,
        "clustered": klynger == "ja",
        "groups": {key: units for key, units in groups.items() if units},
        "vias": [
            {"via": via, "label": label, "colour": VIA_COLOURS[via]}
            for via, label in VIA_LABELS.items()
        ],
    }


@router.get("/kommunen")
def whole_municipality(
    request: Request, kg: KnowledgeDep, klynger: ClusterQuery = "ja"
) -> Response:
    found = municipality(kg, klynger)
    extra: dict[str, Any] = {"focusable": True}
    if found["clustered"]:
        extra |= {"cluster": "administration", "groups": administration_groups()}
    context = {
        **{k: v for k, v in found.items() if k != "network"},
        "graph": graph_context(found["network"], **extra),
        "klynger": klynger,
    }
    return page(request, "municipality.html", context, [Twin("JSON", "/kommunen.json")])


@router.get("/kommunen.json")
def whole_municipality_json(request: Request, kg: KnowledgeDep) -> Response:
    network = referral_network(kg)
    return json_page(
        request,
        {"nodes": network.nodes, "edges": network.edges, "groups": administration_groups()},
        "/kommunen",
    )
