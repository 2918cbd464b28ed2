"""The contract's JSON for the change log and the differences (``/api/v1/changes``, ``/diff``).

Predicates are named in Danish (:func:`graph.present.vocabulary.predicate_label`), values as
text: a resource the graph knows by its name, a role or a status by its Danish word, a
literal as it is written.

Examples
--------
>>> from datetime import date
>>> from graph import load_knowledge
>>> from graph.questions.history import valid_time_diff
>>> kg = load_knowledge()
>>> data = valid_time_diff_json(kg, valid_time_diff(kg, date(2025, 6, 1), date(2026, 6, 1)))
>>> [n["to"] for n in data["names"] if n["unit"]["id"] == "bif"]
['Beskæftigelses-, Integrations- og Erhvervsforvaltningen']
"""

from __future__ import annotations

from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from graph.data.knowledge import Knowledge
from graph.data.model import Participation
from graph.present.common import handler_dict, task_summary, unit_summary
from graph.present.vocabulary import predicate_label, role_label, status_label
from graph.questions.history import (
    ChangeEntry,
    ChangeLog,
    FieldChange,
    ResourceChanges,
    ResourceRef,
    ValidTimeDiff,
    resource_at,
    resource_entity,
)
from ontology.namespaces import ROLE, STATUS

__all__ = [
    "change_entry_json",
    "change_log_json",
    "registration_diff_json",
    "resource_ref_json",
    "valid_time_diff_json",
    "value_text",
]


def value_text(kg: Knowledge, value: Node) -> str:
    """A value as a person reads it."""
    if isinstance(value, Literal):
        return str(value)
    text = str(value)
    if isinstance(value, URIRef):
        if text.startswith(str(ROLE._NS)):
            return role_label(text.removeprefix(str(ROLE._NS)))
        if text.startswith(str(STATUS._NS)):
            return status_label(text.removeprefix(str(STATUS._NS)))
        ref = resource_at(kg, text)
        if ref.uri == text:
            return _label(kg, ref) or text
    return text


def _label(kg: Knowledge, ref: ResourceRef) -> str | None:
    entity = resource_entity(kg, ref)
    if isinstance(entity, Participation):
        task = kg.tasks.get(entity.task)
        unit = kg.units.get(entity.unit)
        return f"{unit.label if unit else entity.unit}: {role_label(entity.role)} for " + (
            task.label if task else entity.task
        )
    label = getattr(entity, "label", None)
    return str(label) if label else None


def resource_ref_json(kg: Knowledge, ref: ResourceRef) -> dict[str, Any]:
    """``{uri, kind, id, label}`` of a changed resource (kind/id null when unknown)."""
    return {"uri": ref.uri, "kind": ref.kind, "id": ref.id, "label": _label(kg, ref) or ref.uri}


def _field(kg: Knowledge, field: FieldChange, before: str, after: str) -> dict[str, Any]:
    return {
        "subject": field.subject,
        "predicate": field.predicate,
        "label": predicate_label(field.predicate),
        before: [value_text(kg, v) for v in field.before],
        after: [value_text(kg, v) for v in field.after],
    }


def _resources(
    kg: Knowledge, found: tuple[ResourceChanges, ...], before: str, after: str
) -> list[dict[str, Any]]:
    return [
        {
            **resource_ref_json(kg, item.resource),
            "fields": [_field(kg, f, before, after) for f in item.fields],
        }
        for item in found
    ]


def change_entry_json(kg: Knowledge, entry: ChangeEntry) -> dict[str, Any]:
    """One change: who, when, why, and before → after per resource and field."""
    return {
        "sequence": entry.sequence,
        "id": entry.id,
        "when": entry.recorded_at.isoformat(),
        "who": entry.agent,
        "kind": entry.kind,
        "reason": entry.reason,
        "source": entry.source,
        "resources": _resources(kg, entry.resources, "before", "after"),
    }


def change_log_json(kg: Knowledge, log: ChangeLog) -> dict[str, Any]:
    """A page of the change log; ``next`` is the cursor for the next page (or null)."""
    return {"changes": [change_entry_json(kg, e) for e in log.entries], "next": log.next}


def registration_diff_json(
    kg: Knowledge, before: int, after: int, found: tuple[ResourceChanges, ...]
) -> dict[str, Any]:
    """The facts removed and added between two registrations, grouped by resource."""
    return {
        "from": before,
        "to": after,
        "added": sum(len(f.after) for item in found for f in item.fields),
        "removed": sum(len(f.before) for item in found for f in item.fields),
        "resources": _resources(kg, found, "removed", "added"),
    }


def valid_time_diff_json(kg: Knowledge, diff: ValidTimeDiff) -> dict[str, Any]:
    """What differs between two days: responsibilities, unit names and parents."""

    def responsibility(part: Any, day: Any) -> dict[str, Any]:
        task = kg.tasks.get(part.task)
        return {
            "id": part.id,
            "task": task_summary(task) if task else {"id": part.task},
            **handler_dict(kg, part, day),
        }

    def parent(unit_id: str | None, day: Any) -> dict[str, Any] | None:
        return unit_summary(kg, unit_id, day) if unit_id is not None else None

    return {
        "from_date": diff.from_day.isoformat(),
        "to_date": diff.to_day.isoformat(),
        "responsibilities": {
            "only_from": [responsibility(p, diff.from_day) for p in diff.only_before],
            "only_to": [responsibility(p, diff.to_day) for p in diff.only_after],
        },
        "names": [
            {"unit": unit_summary(kg, n.unit), "from": n.before, "to": n.after} for n in diff.names
        ],
        "parents": [
            {
                "unit": unit_summary(kg, p.unit),
                "from": parent(p.before, diff.from_day),
                "to": parent(p.after, diff.to_day),
            }
            for p in diff.parents
        ],
    }
