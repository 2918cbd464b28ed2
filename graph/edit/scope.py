"""Who may change what: an editor their own administration's subtree, an admin everything,
the coordination group (reviewer) may confirm and dispute everywhere but edit nothing.

The faces decide *who* someone is (a token, a session); this module decides what that
someone may do, so the API, the pages and the CLI apply one rule.
"""

from __future__ import annotations

from typing import Literal

from graph.data.knowledge import Knowledge
from graph.errors import Suggestion, UnknownEntityError

__all__ = [
    "ROLES",
    "Role",
    "administration",
    "may_edit_responsibility",
    "may_edit_unit",
    "may_review",
]

Role = Literal["reader", "editor", "reviewer", "admin"]
#: The roles, weakest first.
ROLES: tuple[Role, ...] = ("reader", "editor", "reviewer", "admin")


def may_edit_unit(kg: Knowledge, role: Role, forvaltning: str | None, unit_id: str) -> bool:
    """May someone with ``role`` (of administration ``forvaltning``) change ``unit_id``'s part?

    An editor's scope is the subtree of their administration: the administration itself
    and every unit whose chain of parents leads to it, today. A unit that does not exist
    yet (being created) is judged by the parent it is created under.

    Examples
    --------
    >>> from graph.data.knowledge import load_knowledge
    >>> kg = load_knowledge()
    >>> may_edit_unit(kg, "editor", "sof", "sof"), may_edit_unit(kg, "editor", "sof", "bif")
    (True, False)
    >>> may_edit_unit(kg, "admin", None, "bif"), may_edit_unit(kg, "reviewer", None, "bif")
    (True, False)
    """
    if role == "admin":
        return True
    if role != "editor" or not forvaltning or forvaltning not in kg.units:
        return False
    return unit_id in kg.subtree(forvaltning)


def may_review(role: Role) -> bool:
    """May ``role`` confirm or dispute a fact (in any administration)?

    >>> [may_review(r) for r in ROLES]
    [False, False, True, True]
    """
    return role in ("reviewer", "admin")


def may_edit_responsibility(
    kg: Knowledge, role: Role, forvaltning: str | None, participation_id: str
) -> bool:
    """May someone change a responsibility (a participation)? Its unit decides.

    An unknown responsibility may be edited by nobody but an admin (there is nothing to
    judge it by).

    >>> from graph.data.knowledge import load_knowledge
    >>> kg = load_knowledge()
    >>> unit = next(p for p in kg.registry.participations.values() if p.unit == "bif-jobcenter")
    >>> may_edit_responsibility(kg, "editor", "bif", unit.id)
    True
    >>> may_edit_responsibility(kg, "editor", "sof", unit.id)
    False
    """
    participation = kg.registry.participations.get(participation_id)
    if participation is None:
        return role == "admin"
    return may_edit_unit(kg, role, forvaltning, participation.unit)


def administration(kg: Knowledge, ident: str) -> str:
    """The id of the administration ``ident`` names (an id or a name), for an editor's scope.

    Raises
    ------
    UnknownEntityError
        ``ident`` names no administration; the nearest administrations are suggested.

    Examples
    --------
    >>> from graph.data.knowledge import load_knowledge
    >>> kg = load_knowledge()
    >>> administration(kg, "SOF"), administration(kg, "Socialforvaltningen")
    ('sof', 'sof')
    >>> administration(kg, "bif-jobcenter")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.UnknownEntityError: Ukendt forvaltning: 'bif-jobcenter'. Mente du: bif (...)?
    """
    administrations = {
        unit_id: unit for unit_id, unit in kg.units.items() if unit.kind == "administration"
    }
    key = ident.strip().lower()
    if key in administrations:
        return key
    named = [u for u, unit in administrations.items() if unit.label.lower() == key]
    if len(named) == 1:
        return named[0]
    near = [s for s in kg.suggestions("unit", ident, limit=20) if s.id in administrations]
    if not near:
        near = [Suggestion(u, "unit", a.label) for u, a in sorted(administrations.items())]
    raise UnknownEntityError("forvaltning", ident, near[:5])
