"""Who may change what: an editor their own administration's subtree, an admin everything,
the coordination group (reviewer) may confirm and dispute everywhere but edit nothing.

The faces decide *who* someone is (a token, a session); this module decides what that
someone may do, so the API, the pages and the CLI apply one rule.
"""

from __future__ import annotations

from typing import Literal

from graph.data.knowledge import Knowledge

__all__ = ["ROLES", "Role", "may_edit_unit", "may_review"]

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
