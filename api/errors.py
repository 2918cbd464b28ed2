"""Every error becomes application/problem+json here, or, for a browser, a Danish page.

The graph library raises its own small hierarchy; this module maps it (and FastAPI's and
Starlette's errors) to HTTP. Routes never build error responses themselves.

A client that prefers ``text/html`` (a browser) gets the same status as a page in the site's
layout: what went wrong in Danish, "Mente du …" links and a search box. Every other client
(``Accept: */*``, ``application/json``, problem+json, no header) gets problem+json, and the
API's own addresses (``/api/``, ``/sparql``, machine twins such as ``.json`` or ``.ttl``)
always do.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from api.negotiation import prefers_html
from api.pages.common import error_page
from api.problems import PROBLEM_TYPES, ApiProblem, problem_response
from api.validation import describe_errors
from graph.errors import (
    InvalidDataError,
    InvalidInputError,
    NoConfidentMatchError,
    NoReferralPathError,
    StafetError,
    UnknownEntityError,
)
from graph.present.vocabulary import not_found, not_found_advice, parameter_label

__all__ = ["install_error_handlers"]

log = logging.getLogger("stafet.api")

#: Plain HTTP errors raised by Starlette (unknown route, wrong method, ...).
_HTTP_SLUGS = {
    400: "bad-request",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "invalid-parameter",
    429: "too-many-requests",
    503: "unavailable",
}
_HTTP_DETAILS = {
    404: "Adressen findes ikke. Se /docs for de adresser, API'et har.",
    405: "Adressen findes, men ikke med denne HTTP-metode; se Allow-headeren.",
    413: "Forespørgslens krop er for stor.",
}
#: What a page says instead, for staff rather than programmers.
_PAGE_HEADINGS = {
    404: "Siden findes ikke",
    405: "Siden kan ikke bruges sådan",
    500: "Der skete en fejl hos Stafet",
}
_PAGE_DETAILS = {
    404: "Adressen findes ikke i Stafet. Måske er den skrevet forkert, eller siden er flyttet. "
    "Søg efter det, du leder efter, herunder.",
    405: "Adressen findes, men ikke til det, din browser bad om. Gå til siden, og brug "
    "formularen der.",
}
_UNEXPECTED = "Der skete en uventet fejl. Den er logget; prøv igen, eller kontakt drift."
#: Addresses for tools: their errors are always problem+json, whatever Accept says.
_TOOL_PREFIXES = ("/api/", "/sparql", "/health", "/openapi.json", "/context.jsonld")
_TOOL_SUFFIXES = (".json", ".jsonld", ".ttl", ".nt")


def _path(request: Request) -> str:
    """The request's path inside the app (without a proxy's root path)."""
    path, root = request.url.path, request.scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def _negotiable(request: Request) -> bool:
    path = _path(request)
    return not path.startswith(_TOOL_PREFIXES) and not path.endswith(_TOOL_SUFFIXES)


def _respond(
    request: Request,
    slug: str,
    detail: str,
    *,
    status: int | None = None,
    headers: Mapping[str, str] | None = None,
    heading: str | None = None,
    page_detail: str | None = None,
    lines: Sequence[str] = (),
    links: Sequence[Mapping[str, str]] = (),
    search: str = "",
    **extra: Any,
) -> Response:
    """Problem+json, or for a browser on a page's address the same error as a Danish page."""
    negotiable = _negotiable(request)
    headers = {**(headers or {}), **({"Vary": "Accept"} if negotiable else {})} or None
    status = status or PROBLEM_TYPES[slug][0]
    if negotiable and prefers_html(request.headers.get("accept")):
        try:
            return error_page(
                request,
                status,
                heading or _PAGE_HEADINGS.get(status, PROBLEM_TYPES[slug][1]),
                page_detail or detail,
                errors=lines,
                suggestions=links,
                search=search or request.query_params.get("q", ""),
                headers=headers,
            )
        except Exception:  # the page itself failed: the problem still gets out
            log.exception("error page failed on %s", request.url.path)
    return problem_response(
        slug, detail, instance=request.url.path, status=status, headers=headers, **extra
    )


def _suggestion_links(request: Request, error: UnknownEntityError) -> list[dict[str, str]]:
    """Each suggestion as a link: the same page with the unknown value replaced, if a
    parameter held it, else the suggested resource's own page."""
    params = request.query_params.multi_items()
    asked_in_query = any(value == error.query for _, value in params)
    links = []
    for suggestion in error.suggestions:
        if asked_in_query:
            query = [(k, suggestion.id if v == error.query else v) for k, v in params]
            href = f"{_path(request)}?{urlencode(query)}"
        else:
            href = f"/id/{suggestion.kind}/{quote(suggestion.id, safe='')}"
        links.append({"href": href, "label": suggestion.label, "kind": suggestion.kind})
    return links


async def _stafet_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, UnknownEntityError):
        # Free text that matched nothing confidently is told apart from an unknown id.
        slug = "no-confident-match" if isinstance(exc, NoConfidentMatchError) else "unknown-entity"
        suggestions = [{"id": s.id, "kind": s.kind, "label": s.label} for s in exc.suggestions]
        return _respond(
            request,
            slug,
            str(exc),
            heading=not_found(exc.kind, exc.query),
            page_detail=not_found_advice(exc),
            links=_suggestion_links(request, exc),
            search=exc.query,
            suggestions=suggestions,
        )
    if isinstance(exc, NoReferralPathError):
        return _respond(request, "no-referral-path", str(exc))
    if isinstance(exc, InvalidDataError):
        log.error("invalid data while answering %s: %s", request.url.path, exc)
        return _respond(request, "unavailable", f"Data kan ikke læses: {exc}")
    if not isinstance(exc, InvalidInputError):
        # A StafetError without a mapping of its own is still the library's word on bad
        # input or data, never a crash: say it, and log it so that it gets a mapping.
        log.warning("unmapped library error on %s: %r", request.url.path, exc)
    return _respond(request, "invalid-value", str(exc))


async def _api_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiProblem)
    return _respond(request, exc.slug, exc.detail, headers=exc.headers, **exc.extra)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    detail, lines = describe_errors(exc.errors())
    # On a page, a parameter is named as its field: "Borgerens alder", not "'alder'".
    shown = [
        line["message"].replace(f"'{line['parameter']}'", parameter_label(line["parameter"]), 1)
        for line in lines
    ]
    return _respond(request, "invalid-parameter", detail, lines=shown, errors=lines)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    slug = _HTTP_SLUGS.get(status, "bad-request" if status < 500 else "server-error")
    detail = str(exc.detail)
    default = detail == HTTPStatus(status).phrase  # Starlette's default: say more
    if default:
        detail = _HTTP_DETAILS.get(status, detail)
    return _respond(
        request,
        slug,
        detail,
        status=status,
        headers=dict(exc.headers) if exc.headers else None,
        page_detail=_PAGE_DETAILS.get(status) if default else None,
    )


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s", request.url.path, exc_info=exc)
    return _respond(request, "server-error", _UNEXPECTED)


def install_error_handlers(app: FastAPI) -> None:
    """Map every error kind to problem+json (RFC 9457), or a Danish page for a browser."""
    app.add_exception_handler(StafetError, _stafet_error)
    app.add_exception_handler(ApiProblem, _api_problem)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
