"""Every error becomes application/problem+json here, and only here.

The graph library raises its own small hierarchy; this module maps it (and FastAPI's and
Starlette's errors) to HTTP. Routes never build error responses themselves.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from api.problems import ApiProblem, problem_response
from api.validation import describe_errors
from graph.errors import (
    InvalidDataError,
    InvalidInputError,
    NoConfidentMatchError,
    NoReferralPathError,
    StafetError,
    UnknownEntityError,
)

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


async def _stafet_error(request: Request, exc: Exception) -> Response:
    instance = request.url.path
    if isinstance(exc, UnknownEntityError):
        # Free text that matched nothing confidently is told apart from an unknown id.
        slug = "no-confident-match" if isinstance(exc, NoConfidentMatchError) else "unknown-entity"
        suggestions = [{"id": s.id, "kind": s.kind, "label": s.label} for s in exc.suggestions]
        return problem_response(slug, str(exc), instance=instance, suggestions=suggestions)
    if isinstance(exc, NoReferralPathError):
        return problem_response("no-referral-path", str(exc), instance=instance)
    if isinstance(exc, InvalidDataError):
        log.error("invalid data while answering %s: %s", instance, exc)
        return problem_response("unavailable", f"Data kan ikke læses: {exc}", instance=instance)
    if isinstance(exc, InvalidInputError):
        return problem_response("invalid-value", str(exc), instance=instance)
    # A StafetError without a mapping of its own is still the library's word on bad input
    # or data, never a crash: say it, and log it so that it gets a mapping.
    log.warning("unmapped library error on %s: %r", instance, exc)
    return problem_response("invalid-value", str(exc), instance=instance)


async def _api_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiProblem)
    return problem_response(
        exc.slug, exc.detail, instance=request.url.path, headers=exc.headers, **exc.extra
    )


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    detail, lines = describe_errors(exc.errors())
    return problem_response("invalid-parameter", detail, instance=request.url.path, errors=lines)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    slug = _HTTP_SLUGS.get(
        exc.status_code, "bad-request" if exc.status_code < 500 else "server-error"
    )
    detail = str(exc.detail)
    if detail == HTTPStatus(exc.status_code).phrase:  # Starlette's default: say more
        detail = _HTTP_DETAILS.get(exc.status_code, detail)
    return problem_response(
        slug,
        detail,
        instance=request.url.path,
        status=exc.status_code,
        headers=dict(exc.headers) if exc.headers else None,
    )


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s", request.url.path, exc_info=exc)
    return problem_response(
        "server-error",
        "Der skete en uventet fejl. Den er logget; prøv igen, eller kontakt drift.",
        instance=request.url.path,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Map every error kind to problem+json (RFC 9457)."""
    app.add_exception_handler(StafetError, _stafet_error)
    app.add_exception_handler(ApiProblem, _api_problem)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
