"""Who is asking: a :class:`Principal` from an ``Authorization: Bearer`` token, or nobody.

Anonymous requests read public data only. What a principal may change is decided in the
library (:mod:`graph.edit.scope`); this module only establishes who they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from api.problems import ApiProblem
from graph.edit.scope import Role

__all__ = ["Principal", "current_principal", "require_principal"]


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller: a name (for the log), a role, an administration (editors)."""

    name: str
    role: Role
    forvaltning: str | None = None


async def current_principal(request: Request) -> Principal | None:
    """The caller of ``request``, or None when anonymous (a FastAPI dependency).

    Tokens are not issued yet: every caller is anonymous.
    """
    return None


def require_principal(principal: Principal | None) -> Principal:
    """The principal, or a 401 problem for an anonymous write."""
    if principal is None:
        raise ApiProblem(
            "unauthorized",  # the ACCESS helper registers this type with its tests
            "Log ind først: ændringer kræver et API-token (Authorization: Bearer …).",
        )
    return principal
