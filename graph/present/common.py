"""The JSON pieces every answer shares: a task, a unit, a law, contact points, a handler.

These are the contract's shapes (``../shared/api-contract.md``); every answer's JSON is
built from them, here in :mod:`graph.present` and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from graph.data.knowledge import Knowledge
from graph.data.model import AgeCondition, DatedName, Participation, Provenance, Task
from graph.present.facts import fact_meta_json
from graph.present.vocabulary import ROLE_LABELS, TASK_LEVEL_LABELS
from graph.questions.responsibility import ContactPoints, contact_points_for

__all__ = [
    "condition_dict",
    "contact_dicts",
    "contact_points_json",
    "contacts_for",
    "dated_names_json",
    "handler_dict",
    "law_summary",
    "provenance_dict",
    "task_summary",
    "unit_summary",
]


def task_summary(task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "label": task.label,
        "notation": task.notation,
        "level": task.level,
        "level_label": TASK_LEVEL_LABELS[task.level],
        "uri": task.uri,
    }


def unit_summary(kg: Knowledge, unit_id: str, day: date | None = None) -> dict[str, Any]:
    """``{id, label, forvaltning, kind, uri}`` for a unit, authority or forum id.

    With ``day`` the name and the administration are those of that day (a renamed or moved
    unit); without it, today's.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> unit_summary(kg, "bif", date(2025, 6, 1))["label"]
    'Beskæftigelses- og Integrationsforvaltningen'
    >>> unit_summary(kg, "bif")["label"]
    'Beskæftigelses-, Integrations- og Erhvervsforvaltningen'
    """
    unit = kg.units.get(unit_id)
    if unit is None:
        forum = kg.forums.get(unit_id)
        return {
            "id": unit_id,
            "label": forum.label if forum else unit_id,
            "forvaltning": None,
            "kind": "forum" if forum else "unknown",
            "uri": forum.uri if forum else None,
        }
    administration = kg.administration_of(unit_id, day)
    return {
        "id": unit.id,
        "label": unit.label_on(day),
        "forvaltning": administration.id if administration else None,
        "kind": unit.kind,
        "uri": unit.uri,
    }


def law_summary(kg: Knowledge, law_id: str) -> dict[str, Any]:
    law = kg.laws.get(law_id)
    if law is None:
        return {"id": law_id, "label": law_id, "uri": None, "eli": None}
    return {"id": law.id, "label": law.label, "uri": law.uri, "eli": law.eli}


def contacts_for(kg: Knowledge, unit_id: str) -> list[dict[str, Any]]:
    """The unit's contact points, else the nearest parent's (marked as inherited)."""
    return contact_points_json(kg, contact_points_for(kg, unit_id))


def contact_points_json(kg: Knowledge, points: ContactPoints) -> list[dict[str, Any]]:
    """The JSON of :class:`~graph.questions.responsibility.ContactPoints`."""
    if points.holder is None:
        return []
    return contact_dicts(kg, points.contacts, holder=points.holder, inherited=points.inherited)


def contact_dicts(
    kg: Knowledge, contact_ids: Iterable[str], *, holder: str, inherited: bool = False
) -> list[dict[str, Any]]:
    """Contact points by id, with phone, e-mail and page, as the answers show them."""
    return [
        {
            "id": contact.id,
            "label": contact.label,
            "telephone": list(contact.telephone),
            "email": list(contact.email),
            "page": list(contact.page),
            "opening_hours": list(contact.opening_hours),
            "note": contact.note,
            "unit": holder,
            "inherited": inherited,
            "status": contact.provenance.status,
            "source": contact.provenance.describe(),
        }
        for contact_id in contact_ids
        if (contact := kg.registry.contacts.get(contact_id)) is not None
    ]


def handler_dict(kg: Knowledge, part: Participation, day: date | None = None) -> dict[str, Any]:
    """A participation as the answers show it; ``day`` names the unit as of that day."""
    task = kg.tasks.get(part.task)
    laws = part.legal_basis or (task.legal_resources if task else ())
    return {
        "unit": unit_summary(kg, part.unit, day),
        "role": part.role,
        "role_label": ROLE_LABELS.get(part.role, part.role),
        "description": part.description,
        "conditions": [condition_dict(c) for c in part.conditions],
        "legal_basis": [law_summary(kg, law) for law in laws],
        "contacts": contacts_for(kg, part.unit),
        "step": part.step,
        "step_label": part.step_label,
        "valid_from": part.valid_from.isoformat() if part.valid_from else None,
        "valid_until": part.valid_until.isoformat() if part.valid_until else None,
        "source": part.provenance.describe(),
        "status": part.provenance.status,
        "provenance": provenance_dict(part.provenance),
        "participation": part.id,
        **fact_meta_json(kg, part),
    }


def condition_dict(condition: AgeCondition) -> dict[str, Any]:
    """``{kind, min_age, max_age, label}``: a condition on the citizen's age."""
    return {
        "kind": "age",
        "min_age": condition.min_age,
        "max_age": condition.max_age,
        "label": condition.label,
    }


def provenance_dict(provenance: Provenance) -> dict[str, Any]:
    """``{status, sources: [{id, label, url, uri}], locator}``: where a fact comes from."""
    return {
        "status": provenance.status,
        "sources": [
            {"id": s.id, "label": s.label, "url": s.url, "uri": s.uri} for s in provenance.sources
        ],
        "locator": provenance.locator,
    }


def dated_names_json(names: Iterable[DatedName]) -> list[dict[str, Any]]:
    """A unit's dated names: ``{label, valid_from, valid_until, status, source}``, oldest first."""
    return [
        {
            "label": name.label,
            "valid_from": name.valid_from.isoformat() if name.valid_from else None,
            "valid_until": name.valid_until.isoformat() if name.valid_until else None,
            "status": name.provenance.status,
            "source": name.provenance.describe(),
        }
        for name in names
    ]
