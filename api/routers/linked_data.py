"""``GET /id/{kind}/{id}``: each resource's own URI, and ``/context.jsonld``.

HTML for a browser, JSON-LD, Turtle or N-Triples by ``Accept`` or by a ``.jsonld``,
``.ttl`` or ``.nt`` suffix; every representation names the others in ``Link`` headers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from api.deps import RuntimeDep
from api.links import TWIN_TYPES, resource_links
from api.negotiation import choose_media_type
from api.openapi import problems
from api.pages import templates
from api.problems import ApiProblem
from api.rdf import JSONLD, render_graph
from api.responses import JSONResponse
from graph.errors import UnknownEntityError
from graph.present.resources import resource_json
from graph.questions.resources import KINDS, describe_resource, resource_rdf
from ontology.namespaces import ID, jsonld_context

router = APIRouter(tags=["linked data"])

HTML = "text/html"
_CONTENT = {
    media_type: {"schema": {"type": "object" if "json" in media_type else "string"}}
    for media_type in TWIN_TYPES.values()
}


@router.get(
    "/context.jsonld",
    name="context",
    summary="JSON-LD-konteksten",
    description="Konteksten, som JSON-LD-svarene henviser til. Den serveres her, så intet "
    "hentes fra nettet.",
    response_class=JSONResponse,
    responses={200: {"content": {JSONLD: {"schema": {"type": "object"}}}}},
)
def context() -> Response:
    return JSONResponse({"@context": jsonld_context()}, media_type=JSONLD)


@router.get(
    "/id/{kind}/{ident}",
    name="linked_resource",
    summary="En ressources egen URI",
    description="HTML til en browser; JSON-LD (`application/ld+json`), Turtle (`text/turtle`) "
    "eller N-Triples (`application/n-triples`) efter `Accept`-headeren eller endelsen "
    '`.jsonld`, `.ttl`, `.nt`. `Link: <…>; rel="alternate"` peger på hver tvilling.',
    response_class=Response,
    responses={200: {"description": "Ressourcen.", "content": _CONTENT}, **problems(404, 406, 422)},
)
def linked_resource(
    request: Request,
    runtime: RuntimeDep,
    kind: Annotated[
        str,
        Path(
            max_length=40,
            description="Slags: unit, task, law, forum, participation, contact, post …",
            openapi_examples={"enhed": {"summary": "Enhed", "value": "unit"}},
        ),
    ],
    ident: Annotated[
        str,
        Path(
            max_length=200,
            description="Id, evt. med endelsen .jsonld, .ttl eller .nt.",
            openapi_examples={
                "html": {"summary": "Som HTML", "value": "bif"},
                "turtle": {"summary": "Som Turtle", "value": "bif.ttl"},
            },
        ),
    ],
) -> Response:
    ident, media_type = _split_suffix(ident)
    if media_type is None:
        media_type = choose_media_type(request.headers.get("accept"), list(TWIN_TYPES.values()))
        if media_type is None:
            raise ApiProblem(
                "not-acceptable",
                "Ressourcen findes som " + ", ".join(TWIN_TYPES.values()) + "; ret Accept.",
            )
    kg = runtime.knowledge
    data = resource_json(kg, describe_resource(kg, kind, ident)) if kind in KINDS else None
    graph = None
    if data is None or media_type != HTML:
        graph = resource_rdf(kg, str(ID[f"{kind}/{ident}"]))
        if not len(graph):
            raise UnknownEntityError("any", f"{kind}/{ident}")
    headers = {"Link": resource_links(request, kind, ident), "Vary": "Accept"}
    if media_type != HTML:
        assert graph is not None
        context_url = str(request.url_for("context"))
        body = render_graph(graph, media_type, context=jsonld_context(), context_url=context_url)
        charset = "; charset=utf-8" if media_type.startswith("text/") else ""
        return Response(body, media_type=media_type + charset, headers=headers)
    triples = sorted((str(p), str(o)) for _, p, o in graph) if graph is not None else []
    context = {
        "kind": kind,
        "ident": ident,
        "data": data,
        "triples": triples,
        "uri": str(ID[f"{kind}/{ident}"]),
        "twins": _twins(kind, ident),
    }
    return templates.TemplateResponse(request, "resource.html", context, headers=headers)


def _split_suffix(ident: str) -> tuple[str, str | None]:
    for suffix, media_type in TWIN_TYPES.items():
        if suffix and ident.endswith(suffix):
            return ident[: -len(suffix)], media_type
    return ident, None


def _twins(kind: str, ident: str) -> list[tuple[str, str]]:
    names = {".jsonld": "JSON-LD", ".ttl": "Turtle", ".nt": "N-Triples"}
    base = f"/id/{kind}/{ident}"
    found = [(label, base + suffix) for suffix, label in names.items()]
    if kind in KINDS:
        found.append(("JSON", f"/api/v1/{kind}s/{ident}"))
    return found
