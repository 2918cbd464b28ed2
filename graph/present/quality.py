"""The JSON of :func:`~graph.questions.quality.overlaps` and :func:`~graph.questions.quality.gaps`.

The one producer of the shapes of ``/api/v1/overlaps`` and ``/api/v1/gaps``
(``../shared/api-contract.md``); the API checks them against ``api.models.quality``. A gap
list is written item by item, by the kind of thing it holds, so a new gap kind over tasks,
units, laws, forums or contact points needs nothing here.
"""

from __future__ import annotations

from typing import Any

from graph.data.knowledge import Knowledge
from graph.data.model import ContactPoint, Membership, Participation, Task
from graph.present.common import condition_dict, task_summary, unit_summary
from graph.questions.quality import (
    AssumedOwnership,
    Fact,
    GapItem,
    Gaps,
    Overlaps,
    RoleOverlap,
    SplitTask,
    UnitWithoutContact,
)

__all__ = ["fact_label", "gaps_json", "overlaps_json"]


def overlaps_json(kg: Knowledge, answer: Overlaps) -> dict[str, Any]:
    """The overlaps as the contract's JSON, with the matrices and the counts.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> from graph.questions.quality import overlaps
    >>> kg = load_knowledge()
    >>> data = overlaps_json(kg, overlaps(kg))
    >>> list(data)
    ['overlaps', 'split_by_conditions', 'administrations', 'matrix', 'shared', 'counts']
    >>> data["counts"]["ansvarlig_overlaps"]
    0
    """
    rows = [_role_overlap(kg, row) for row in answer.overlaps]
    keys = list(answer.administrations)
    return {
        "overlaps": rows,
        "split_by_conditions": [_split_task(kg, row) for row in answer.split_by_conditions],
        "administrations": keys,
        "matrix": {a: {b: answer.same_role[a][b] for b in keys} for a in keys},
        "shared": {a: {b: answer.shared[a][b] for b in keys} for a in keys},
        "counts": {
            "overlaps": len(rows),
            "ansvarlig_overlaps": sum(1 for r in answer.overlaps if r.role == "ansvarlig"),
            "split_by_conditions": len(answer.split_by_conditions),
        },
    }


def gaps_json(kg: Knowledge, answer: Gaps) -> dict[str, Any]:
    """The gap lists as the contract's JSON: one list per gap kind, ``antaget`` and counts.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> from graph.questions.quality import gaps
    >>> kg = load_knowledge()
    >>> data = gaps_json(kg, gaps(kg))
    >>> data["counts"]["tasks_without_ansvarlig"], data["counts"]["tasks"] == len(kg.tasks)
    (0, True)
    """
    lists = {kind: [_gap_item(kg, item) for item in items] for kind, items in answer.found.items()}
    assumed = {
        kind: [{"id": f.id, "uri": f.uri, "label": fact_label(kg, f)} for f in facts]
        for kind, facts in answer.assumed.items()
    }
    return {
        **lists,
        "antaget": assumed,
        "counts": {
            "tasks": answer.tasks,
            **{kind: len(items) for kind, items in lists.items()},
            "antaget": sum(len(facts) for facts in assumed.values()),
        },
    }


def fact_label(kg: Knowledge, fact: Fact) -> str:
    """How an assumed fact is named in the lists: a responsibility or membership in words.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> fact_label(kg, kg.registry.participations["kle-32.03.16-sof-ansvarlig"])
    '32.03.16: Socialforvaltningen (ansvarlig)'
    """
    if isinstance(fact, Participation):
        return f"{kg.tasks[fact.task].notation}: {kg.agent_label(fact.unit)} ({fact.role})"
    if isinstance(fact, Membership):
        return f"{kg.agent_label(fact.member)} i {kg.agent_label(fact.organization)}"
    return fact.label or fact.id


def _role_overlap(kg: Knowledge, row: RoleOverlap) -> dict[str, Any]:
    return {
        "task": task_summary(row.task),
        "role": row.role,
        "units": [unit_summary(kg, u) for u in row.units],
        "statuses": [status or "" for status in row.statuses],
        "severity": row.severity,
    }


def _split_task(kg: Knowledge, row: SplitTask) -> dict[str, Any]:
    return {
        "task": task_summary(row.task),
        "units": [
            {**unit_summary(kg, p.unit), "conditions": [condition_dict(c) for c in p.conditions]}
            for p in row.shares
        ],
    }


def _gap_item(kg: Knowledge, item: GapItem) -> dict[str, Any]:
    """One item of a gap list, by the kind of thing it is."""
    if isinstance(item, Task):
        return task_summary(item)
    if isinstance(item, AssumedOwnership):
        return {**task_summary(item.task), "via": item.via, "units": list(item.units)}
    if isinstance(item, UnitWithoutContact):
        parent = item.inherits_from
        return {
            **unit_summary(kg, item.unit.id),
            "inherits_from": parent,
            "inherits_from_label": kg.agent_label(parent) if parent else None,
        }
    if isinstance(item, ContactPoint):
        return {"id": item.id, "label": item.label, "uri": item.uri, "note": item.note}
    return {"id": item.id, "label": item.label, "uri": item.uri}
