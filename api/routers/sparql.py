"""``GET/POST /sparql``: the SPARQL 1.1 Protocol, read-only.

Queries run in the worker process (see :mod:`api.sparql.worker`), which refuses updates,
``SERVICE`` and ``FROM`` before evaluating, stops a query at the deadline and caps the
size of its result. This module only reads the request and passes it on.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import SparqlDep, get_sparql
from api.negotiation import choose_media_type
from api.openapi import problems
from api.pages import templates
from api.problems import ApiProblem
from api.sparql.engine import SparqlEngine

router = APIRouter(tags=["linked data"])

_RESULT_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
]
_RESPONSES = {
    200: {
        "description": "SELECT/ASK: JSON (standard), XML, CSV eller TSV; CONSTRUCT/DESCRIBE: "
        "Turtle (standard), JSON-LD eller N-Triples, efter `Accept`.",
        "content": {
            media_type: {"schema": {"type": "object" if "json" in media_type else "string"}}
            for media_type in _RESULT_TYPES
        }
        | {"text/html": {"schema": {"type": "string"}}},
    },
    **problems(400, 403, 406, 413, 415, 422, 429, 503),
}
_QUERY_EXAMPLE = (
    "PREFIX cv: <http://data.europa.eu/m8g/>\n"
    "SELECT ?enhed WHERE {\n"
    "  <https://stafet.kk.dk/id/task/kle-32.03.16> cv:hasParticipation ?p .\n"
    "  ?p cv:role <https://stafet.kk.dk/def/role/ansvarlig> ; cv:hasParticipant ?enhed .\n"
    "}"
)
_ONE_QUERY = "Angiv præcis én forespørgsel i parameteren query."
_FORBIDDEN_GRAPHS = (
    "default-graph-uri og named-graph-uri er ikke tilladt: forespørgsler går altid mod "
    "Stafets egne data."
)


@router.get(
    "/sparql",
    summary="SPARQL-forespørgsel (GET)",
    description="SPARQL 1.1 Protocol, kun læsning (SELECT, ASK, CONSTRUCT, DESCRIBE). "
    "Opdateringer, SERVICE og FROM/FROM NAMED afvises med 403. Uden `query` får en browser "
    "en formular.",
    response_class=Response,
    responses=_RESPONSES,
)
async def sparql_get(
    request: Request,
    query: Annotated[
        str | None,
        Query(
            max_length=50_000,
            description="Forespørgslen.",
            openapi_examples={"hvem": {"summary": "Hvem er ansvarlig?", "value": _QUERY_EXAMPLE}},
        ),
    ] = None,
    default_graph_uri: Annotated[
        list[str], Query(alias="default-graph-uri", description="Ikke tilladt.")
    ] = [],  # noqa: B006 - FastAPI copies defaults
    named_graph_uri: Annotated[
        list[str], Query(alias="named-graph-uri", description="Ikke tilladt.")
    ] = [],  # noqa: B006
) -> Response:
    if default_graph_uri or named_graph_uri:
        raise ApiProblem("sparql-forbidden", _FORBIDDEN_GRAPHS)
    if len(request.query_params.getlist("query")) > 1:
        raise ApiProblem("bad-request", _ONE_QUERY)
    if query is None:
        if (
            choose_media_type(request.headers.get("accept"), ["application/json", "text/html"])
            == "text/html"
        ):
            return templates.TemplateResponse(request, "sparql.html", {"example": _QUERY_EXAMPLE})
        raise ApiProblem("bad-request", "Angiv forespørgslen i parameteren query.")
    return await _answer(await get_sparql(request), request, query)


@router.post(
    "/sparql",
    summary="SPARQL-forespørgsel (POST)",
    description="Som GET, med forespørgslen i kroppen: `application/x-www-form-urlencoded` "
    "(feltet `query`) eller `application/sparql-query`.",
    response_class=Response,
    responses=_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "query": {"type": "string", "description": "Forespørgslen."}
                        },
                        "required": ["query"],
                    },
                    "example": {"query": _QUERY_EXAMPLE},
                },
                "application/sparql-query": {
                    "schema": {"type": "string"},
                    "example": _QUERY_EXAMPLE,
                },
            },
        }
    },
)
async def sparql_post(request: Request, engine: SparqlDep) -> Response:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    in_url = request.query_params
    if "default-graph-uri" in in_url or "named-graph-uri" in in_url:
        raise ApiProblem("sparql-forbidden", _FORBIDDEN_GRAPHS)
    if "query" in in_url:
        raise ApiProblem("bad-request", "Send forespørgslen i kroppen, ikke også i adressen.")
    body = await request.body()
    if media_type == "application/x-www-form-urlencoded":
        try:
            fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
        except (UnicodeDecodeError, ValueError) as exc:
            raise ApiProblem("bad-request", f"Kroppen kan ikke læses som formular: {exc}") from None
        if "update" in fields:
            raise ApiProblem(
                "sparql-forbidden", "SPARQL Update er ikke tilladt: endpointet er skrivebeskyttet."
            )
        if "default-graph-uri" in fields or "named-graph-uri" in fields:
            raise ApiProblem("sparql-forbidden", _FORBIDDEN_GRAPHS)
        if len(fields.get("query", [])) != 1:
            raise ApiProblem("bad-request", "Angiv præcis én forespørgsel i feltet query.")
        query = fields["query"][0]
    elif media_type == "application/sparql-query":
        try:
            query = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ApiProblem("bad-request", "Forespørgslen skal være UTF-8.") from None
    elif media_type == "application/sparql-update":
        raise ApiProblem(
            "sparql-forbidden", "SPARQL Update er ikke tilladt: endpointet er skrivebeskyttet."
        )
    else:
        raise ApiProblem(
            "unsupported-media-type",
            "Send forespørgslen som application/x-www-form-urlencoded (feltet query) eller "
            "application/sparql-query.",
        )
    return await _answer(engine, request, query)


async def _answer(engine: SparqlEngine, request: Request, query: str) -> Response:
    client = request.client.host if request.client else ""
    answer = await engine.query(
        query, request.headers.get("accept"), str(request.url_for("context")), client
    )
    return Response(answer.body, media_type=answer.media_type)
