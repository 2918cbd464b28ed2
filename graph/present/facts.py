"""A fact's owner and confirmation as the answers show them, and a task's own web pages.

The JSON fields (``owner``, ``last_confirmed``, ``confirmed_by``, ``confirmation``) are in
the HTTP contract; ``confirmation`` is the Danish line the pages print under a fact.
"""

from __future__ import annotations

from typing import Any

from graph.data.knowledge import Knowledge
from graph.data.model import Participation, Task
from graph.questions.confirmation import FactCheck, fact_check

__all__ = ["confirmation_text", "fact_meta_json", "service_pages_json"]


def confirmation_text(kg: Knowledge, check: FactCheck) -> str:
    """One Danish line: when and by whom the fact was last confirmed, or why it is assumed.

    Examples
    --------
    >>> from datetime import date
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> confirmation_text(kg, FactCheck("sof", "reviewed", date(2026, 11, 3), "Anne Holm"))
    'Sidst bekræftet 2026-11-03 af Anne Holm.'
    >>> confirmation_text(kg, FactCheck("bif", "assumed", reason="BIF har kontanthjælpen."))
    'Ikke bekræftet – antaget: BIF har kontanthjælpen.'
    >>> confirmation_text(kg, FactCheck("sof", "sourced"))
    'Står i kilden; ikke gennemgået af enheden endnu.'
    """
    if check.state == "reviewed" and check.confirmed_on is not None:
        who = f" af {check.confirmed_by}" if check.confirmed_by else ""
        return f"Sidst bekræftet {check.confirmed_on.isoformat()}{who}."
    if check.state == "assumed":
        reason = (check.reason or "ingen begrundelse registreret").rstrip(".")
        return f"Ikke bekræftet – antaget: {reason}."
    if check.state == "sourced":
        return "Står i kilden; ikke gennemgået af enheden endnu."
    return "Ikke bekræftet – ingen status registreret."


def fact_meta_json(kg: Knowledge, part: Participation) -> dict[str, Any]:
    """``{owner: {id, label, kind}, last_confirmed, confirmed_by, confirmation}`` of a fact.

    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> meta = fact_meta_json(kg, kg.registry.participations["kle-32.21-bif-ansvarlig"])
    >>> meta["owner"]["id"], meta["last_confirmed"], meta["confirmation"][:26]
    ('bif', None, 'Ikke bekræftet – antaget: ')
    """
    check = fact_check(part)
    return {
        "owner": {
            "id": check.owner,
            "label": kg.agent_label(check.owner),
            "kind": "forum" if check.owner in kg.forums else "unit",
        },
        "last_confirmed": check.confirmed_on.isoformat() if check.confirmed_on else None,
        "confirmed_by": check.confirmed_by,
        "confirmation": confirmation_text(kg, check),
    }


def service_pages_json(*tasks: Task | None) -> list[dict[str, str]]:
    """The kk.dk or borger.dk pages of the tasks, ``[{url, title}]``, the first task's first.

    >>> from graph import load_knowledge
    >>> service_pages_json(load_knowledge().tasks["kle-23.09.02"])
    [{'url': 'https://www.kk.dk/borger/borgerservice/pas', 'title': 'Pas (kk.dk, Borgerservice)'}]
    """
    pages = {page.url: page.title for task in tasks if task is not None for page in task.pages}
    return [{"url": url, "title": title} for url, title in pages.items()]
