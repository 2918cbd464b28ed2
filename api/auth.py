"""Who is asking: a :class:`Principal` from an ``Authorization: Bearer`` token, a signed-in
member of staff (reads only), or nobody.

Anonymous requests read public data only. A staff session's cookie (:mod:`api.session`)
counts on reads (GET, HEAD), so a signed-in member of staff is shown the personal data a
token holder is; it never counts on a write to the API, so the JSON routes need no CSRF
token (the pages' forms check theirs). What a principal may change is decided in the
library (:mod:`graph.edit.scope`); this module only establishes who they are. Every route
depends on :func:`current_principal` (the app declares it once), so a bad token is refused
on reads as well as writes. Tokens are looked up through a
:class:`~graph.store.tokens.TokenCache` (:data:`~graph.store.tokens.CACHE_SECONDS`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, cast

from fastapi import Depends, Request

from api.problems import ApiProblem
from api.runtime import Runtime
from graph.edit.scope import ROLES, Role
from graph.store.audit import record_read
from graph.store.tokens import TokenCache
from graph.store.users import SessionCache

__all__ = [
    "SESSION_COOKIE",
    "Principal",
    "PrincipalDep",
    "audit_personal_read",
    "current_principal",
    "require_admin",
    "require_principal",
    "session_principal",
]

#: The staff session's cookie (set by :mod:`api.session` at sign-in).
SESSION_COOKIE = "stafet_session"

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="stafet"'}


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller: a name (for the log), a role, an administration (editors)."""

    name: str
    role: Role
    forvaltning: str | None = None


def _unauthorized(detail: str) -> ApiProblem:
    return ApiProblem("unauthorized", detail, headers=_CHALLENGE)


def _token_cache(request: Request) -> TokenCache | None:
    runtime = cast(Runtime, request.app.state.runtime)
    if runtime.store is None:
        return None
    cache: TokenCache | None = getattr(request.app.state, "token_cache", None)
    if cache is None or cache.store is not runtime.store:
        cache = TokenCache(runtime.store)
        request.app.state.token_cache = cache
    return cache


async def current_principal(request: Request) -> Principal | None:
    """The caller of ``request``, or None when anonymous (a FastAPI dependency).

    No ``Authorization`` header: anonymous. A header that is not ``Bearer <token>``, or a
    token that is unknown or revoked: a 401 problem with ``WWW-Authenticate: Bearer``.
    """
    header = request.headers.get("authorization")
    if header is None:
        return session_principal(request) if request.method in ("GET", "HEAD") else None
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise _unauthorized("Authorization-headeren skal være »Bearer <token>«.")
    cache = _token_cache(request)
    record = cache.lookup(secret.strip()) if cache is not None else None
    if record is None or record.role not in ROLES:
        raise _unauthorized("Tokenet er ukendt eller tilbagekaldt; bed en administrator om et nyt.")
    return Principal(record.name, record.role, record.forvaltning)


def _session_cache(request: Request) -> SessionCache | None:
    runtime = cast(Runtime | None, getattr(request.app.state, "runtime", None))
    if runtime is None or runtime.store is None:
        return None
    cache: SessionCache | None = getattr(request.app.state, "session_cache", None)
    if cache is None or cache.store is not runtime.store:
        cache = SessionCache(runtime.store)
        request.app.state.session_cache = cache
    return cache


def session_principal(request: Request) -> Principal | None:
    """The signed-in member of staff whose session cookie ``request`` carries, or None.

    An unknown, expired or ended session is no one (never an error: the page is shown as
    to anyone). Looked up once per request.
    """
    if "stafet_staff" in request.scope.get("state", {}):
        return cast(Principal | None, request.state.stafet_staff)
    secret = request.cookies.get(SESSION_COOKIE)
    cache = _session_cache(request) if secret else None
    record = cache.lookup(secret) if cache is not None and secret else None
    staff = None
    if record is not None and record.role in ROLES:
        staff = Principal(record.name, record.role, record.forvaltning)
    request.state.stafet_staff = staff
    return staff


PrincipalDep = Annotated[Principal | None, Depends(current_principal)]


def require_principal(principal: Principal | None) -> Principal:
    """The principal, or a 401 problem for an anonymous write."""
    if principal is None:
        raise _unauthorized(
            "Log ind først: ændringer kræver et API-token (Authorization: Bearer …)."
        )
    return principal


def require_admin(principal: Principal | None) -> Principal:
    """The principal if an admin; 401 when anonymous, 403 for any other role."""
    known = require_principal(principal)
    if known.role != "admin":
        raise ApiProblem("forbidden", "Kun en administrator må se dette.")
    return known


def audit_personal_read(
    request: Request, principal: Principal | None, shown: Iterable[str]
) -> None:
    """Log in the audit log that ``principal`` was shown the contact persons ``shown``.

    Nothing is logged for anonymous callers (they are shown none) or when nothing
    personal was in the answer.
    """
    runtime = cast(Runtime, request.app.state.runtime)
    resources = sorted(set(shown))
    if principal is None or runtime.store is None or not resources:
        return
    record_read(
        runtime.store,
        principal=principal.name,
        route=request.url.path,
        resource=" ".join(resources),
    )
