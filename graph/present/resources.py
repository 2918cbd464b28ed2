"""The contract's JSON for one resource: ``/api/v1/{units,tasks,laws,forums}/{id}``.

Examples
--------
>>> from graph import load_knowledge
>>> from graph.questions.resources import describe_resource
>>> kg = load_knowledge()
>>> data = resource_json(kg, describe_resource(kg, "unit", "bif"))
>>> data["label"], data["kind"]
('Beskæftigelses-, Integrations- og Erhvervsforvaltningen', 'unit')
"""

from __future__ import annotations

from typing import Any

from graph.data.knowledge import Knowledge
from graph.present.common import (
    condition_dict,
    contact_points_json,
    law_summary,
    task_summary,
    unit_summary,
)
from graph.present.facts import fact_meta_json, service_pages_json
from graph.questions.resources import (
    ForumDetails,
    LawDetails,
    Relation,
    Resource,
    TaskDetails,
    UnitDetails,
)

__all__ = ["resource_json"]


def resource_json(kg: Knowledge, resource: Resource, *, personal: bool = False) -> dict[str, Any]:
    """The resource as the contract shows it: common fields, then its kind's own.

    A unit's contact arrangements (contact persons) are listed only with ``personal``.

    >>> from graph import load_knowledge
    >>> from graph.questions.resources import describe_resource
    >>> kg = load_knowledge()
    >>> unit = describe_resource(kg, "unit", "bif-jobcenter")
    >>> resource_json(kg, unit)["contact_arrangements"]
    []
    >>> [p["id"] for p in resource_json(kg, unit, personal=True)["contact_arrangements"]]
    ['bif-sof-kontaktperson-bif-jobcenter']
    """
    data: dict[str, Any] = {
        "id": resource.id,
        "kind": resource.kind,
        "label": resource.label,
        "uri": resource.uri,
        "relations": [_relation(r) for r in resource.relations],
    }
    details = resource.details
    if isinstance(details, UnitDetails):
        data.update(_unit(kg, details, personal))
    elif isinstance(details, TaskDetails):
        data.update(_task(kg, details))
    elif isinstance(details, LawDetails):
        data.update(_law(kg, details))
    else:
        data.update(_forum(kg, details))
    return data


def _relation(relation: Relation) -> dict[str, Any]:
    data: dict[str, Any] = {
        "relation": relation.relation,
        "label": relation.label,
        "direction": relation.direction,
        "target": {
            "kind": relation.target_kind,
            "id": relation.target_id,
            "label": relation.target_label,
        },
    }
    if relation.role is not None:
        data["role"] = relation.role
    if relation.status is not None:
        data["status"] = relation.status
    return data


def _unit(kg: Knowledge, details: UnitDetails, personal: bool) -> dict[str, Any]:
    unit = details.unit
    tasks: dict[str, list[dict[str, Any]]] = {}
    for part in details.participations:
        tasks.setdefault(part.role, []).append(
            {
                **task_summary(kg.tasks[part.task]),
                "conditions": [condition_dict(c) for c in part.conditions],
                "step": part.step,
                "status": part.provenance.status,
                "source": part.provenance.describe(),
                **fact_meta_json(kg, part),
            }
        )
    return {
        **unit_summary(kg, unit.id, details.as_of),
        "kind": "unit",
        "unit_kind": unit.kind,
        "alt_labels": list(unit.alt_labels),
        "breadcrumb": [unit_summary(kg, u, details.as_of) for u in details.ancestors],
        "children": [unit_summary(kg, c, details.as_of) for c in details.children],
        "tasks_by_role": {
            role: sorted(rows, key=lambda r: r["notation"]) for role, rows in tasks.items()
        },
        "contacts": contact_points_json(kg, details.contacts),
        "contact_arrangements": [
            {"id": p.id, "label": p.label, "serves": list(p.serves), "status": p.provenance.status}
            for p in details.arrangements
            if personal
        ],
        "forums": [
            {"id": m.organization, "label": kg.agent_label(m.organization), "role": m.role}
            for m in details.memberships
        ],
        "note": unit.note,
        "source": unit.provenance.describe(),
        "status": unit.provenance.status,
    }


def _task(kg: Knowledge, details: TaskDetails) -> dict[str, Any]:
    task = details.task
    return {
        **task_summary(task),
        "description": task.description,
        "alt_labels": list(task.alt_labels),
        "keywords": [{"text": text, "weight": weight} for text, weight in task.keywords],
        "breadcrumb": [task_summary(t) for t in details.breadcrumb],
        "narrower": [task_summary(t) for t in details.narrower],
        "legal_basis": [law_summary(kg, law) for law in task.legal_resources],
        "in_social_field": task.in_social_field,
        "service_pages": service_pages_json(task),
    }


def _law(kg: Knowledge, details: LawDetails) -> dict[str, Any]:
    law = details.law
    return {
        **law_summary(kg, law.id),
        "alt_labels": list(law.alt_labels),
        "part_of": law_summary(kg, law.parent) if law.parent else None,
        "parts": [law_summary(kg, part) for part in details.parts],
        "number": law.number,
        "definition": law.definition,
    }


def _forum(kg: Knowledge, details: ForumDetails) -> dict[str, Any]:
    forum = details.forum
    return {
        "part_of": forum.parent,
        "parts": list(details.parts),
        "description": forum.description,
        "meetings_per_year": forum.meetings_per_year,
        "frequency": forum.frequency,
        "agenda": list(forum.agenda),
        "tasks": [task_summary(kg.tasks[t]) for t in details.tasks],
        "members": [
            {
                "id": m.member,
                "label": kg.agent_label(m.member),
                "role": m.role,
                "status": m.provenance.status,
            }
            for m in details.members
        ],
        "portal": forum.portal,
        "note": forum.note,
        "source": forum.provenance.describe(),
        "status": forum.provenance.status,
    }
