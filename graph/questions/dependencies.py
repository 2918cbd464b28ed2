"""How units depend on each other: shared tasks, process chains, forums and contact persons.

An administration stands for itself and every unit under it, so ``dependencies(kg,
["bif", "sof"])`` finds Jobcenter København's part in førtidspension as BIF's.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graph.data.knowledge import Knowledge
from graph.data.model import Participation, Unit
from graph.errors import StafetError
from graph.present.common import (
    condition_dict,
    contact_dicts,
    contacts_for,
    task_summary,
    unit_summary,
)

__all__ = ["Dependencies", "dependencies", "forum_members"]


@dataclass(slots=True)
class Dependencies:
    units: list[Unit]
    shared_tasks: list[dict[str, Any]] = field(default_factory=list)
    process_links: list[dict[str, Any]] = field(default_factory=list)
    forums: list[dict[str, Any]] = field(default_factory=list)
    contact_arrangements: list[dict[str, Any]] = field(default_factory=list)
    cross_memberships: list[dict[str, Any]] = field(default_factory=list)
    task: str | None = None

    def to_dict(self, kg: Knowledge) -> dict[str, Any]:
        return {
            "units": [unit_summary(kg, u.id) for u in self.units],
            "task": self.task,
            "shared_tasks": self.shared_tasks,
            "process_links": self.process_links,
            "forums": self.forums,
            "contact_arrangements": self.contact_arrangements,
            "cross_memberships": self.cross_memberships,
        }


def forum_members(kg: Knowledge, forum_id: str) -> set[str]:
    """Units and authorities in a forum or in any forum that is part of it."""
    forums = {forum_id}
    changed = True
    while changed:
        changed = False
        for forum in kg.forums.values():
            if forum.parent in forums and forum.id not in forums:
                forums.add(forum.id)
                changed = True
    return {m.member for m in kg.registry.memberships.values() if m.organization in forums}


def dependencies(
    kg: Knowledge, units: list[str], task: str | None = None, as_of: date | None = None
) -> Dependencies:
    """Return how two or more units depend on each other.

    Parameters
    ----------
    units
        Two or more unit ids or names (``["bif", "sof"]``).
    task
        Restrict to a task and the KLE topics below it (id, number or text).

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> deps = dependencies(kg, ["bif", "sof"], task="førtidspension")
    >>> [link["task"]["notation"] for link in deps.process_links]
    ['32.03.16']
    """
    resolved: list[Unit] = []
    for text in units:
        unit, _ = kg.resolve("unit", text)
        if unit.id not in {u.id for u in resolved}:
            resolved.append(unit)
    if len(resolved) < 2:
        raise StafetError("Angiv mindst to forskellige enheder, fx 'bif,sof'.")
    day = as_of or date.today()
    sides = {u.id: kg.subtree(u.id) for u in resolved}
    scope: set[str] | None = None
    if task is not None:
        found, _ = kg.resolve("task", task)
        scope = {
            t.id
            for t in kg.tasks.values()
            if t.id == found.id or found.id in kg.task_ancestors(t.id)
        }
    answer = Dependencies(units=resolved, task=None if task is None else task)

    def side_of(agent: str) -> list[str]:
        found = [side for side, members in sides.items() if agent in members]
        if not found and agent in kg.forums:
            members = forum_members(kg, agent)
            found = [side for side, units in sides.items() if members & units]
        return found

    for task_id, parts in sorted(kg.participations_by_task.items()):
        if scope is not None and task_id not in scope:
            continue
        current = [p for p in parts if p.is_valid_on(day)]
        involved = {side for p in current for side in side_of(p.unit)}
        if len(involved) < 2:
            continue
        answer.shared_tasks.append(
            {
                "task": task_summary(kg.tasks[task_id]),
                "participants": [_participant(kg, p, side_of(p.unit)) for p in current],
            }
        )
        chain = sorted((p for p in current if p.step is not None), key=lambda p: p.step or 0)
        links = [
            {"from_step": a.step, "to_step": b.step, "from": a.unit, "to": b.unit}
            for a, b in itertools.pairwise(chain)
            if set(side_of(a.unit)) | set(side_of(b.unit))
        ]
        chain_sides = {side for p in chain for side in side_of(p.unit)}
        if len(chain_sides) >= 2:
            answer.process_links.append(
                {
                    "task": task_summary(kg.tasks[task_id]),
                    "steps": [_participant(kg, p, side_of(p.unit)) for p in chain],
                    "links": links,
                }
            )
    for forum in sorted(kg.forums.values(), key=lambda f: f.id):
        members = forum_members(kg, forum.id)
        by_side = {side: sorted(members & units) for side, units in sides.items()}
        if sum(1 for found in by_side.values() if found) < 2:
            continue
        if scope is not None and forum.tasks and not set(forum.tasks) & scope:
            continue
        answer.forums.append(
            {
                "id": forum.id,
                "label": forum.label,
                "uri": forum.uri,
                "part_of": forum.parent,
                "meetings_per_year": forum.meetings_per_year,
                "frequency": forum.frequency,
                "agenda": list(forum.agenda),
                "tasks": list(forum.tasks),
                "members": {side: found for side, found in by_side.items() if found},
                "source": forum.provenance.describe(),
                "status": forum.provenance.status,
            }
        )
    involved_forums = {f["id"] for f in answer.forums}
    for post in sorted(kg.registry.arrangements.values(), key=lambda p: p.id):
        post_sides = side_of(post.unit)
        if not post_sides:
            continue
        served_sides = {s for served in post.serves for s in side_of(served)}
        if not (set(post.serves) & involved_forums or served_sides - set(post_sides)):
            continue
        answer.contact_arrangements.append(
            {
                "id": post.id,
                "label": post.label,
                "unit": unit_summary(kg, post.unit),
                "side": post_sides[0],
                "serves": [unit_summary(kg, s) for s in post.serves],
                "contacts": contact_dicts(kg, post.contacts, holder=post.unit)
                or contacts_for(kg, post.unit),
                "source": post.provenance.describe(),
                "status": post.provenance.status,
            }
        )
    for membership in sorted(kg.registry.memberships.values(), key=lambda m: m.id):
        if membership.organization not in kg.units:
            continue
        member_sides = set(side_of(membership.member))
        org_sides = set(side_of(membership.organization))
        if member_sides and org_sides and member_sides != org_sides:
            answer.cross_memberships.append(
                {
                    "id": membership.id,
                    "member": unit_summary(kg, membership.member),
                    "organization": unit_summary(kg, membership.organization),
                    "role": membership.role,
                    "since": membership.valid_from.isoformat() if membership.valid_from else None,
                    "note": membership.note,
                    "source": membership.provenance.describe(),
                    "status": membership.provenance.status,
                }
            )
    return answer


def _participant(kg: Knowledge, part: Participation, sides: list[str]) -> dict[str, Any]:
    return {
        "unit": unit_summary(kg, part.unit),
        "side": sides[0] if sides else None,
        "role": part.role,
        "step": part.step,
        "step_label": part.step_label,
        "conditions": [condition_dict(c) for c in part.conditions],
        "source": part.provenance.describe(),
        "status": part.provenance.status,
    }
