"""The JSON of :func:`~graph.questions.dependencies.dependencies` (``/api/v1/dependencies``).

The one producer of that shape (``../shared/api-contract.md``); the API checks it against
``api.models.dependencies.DependenciesAnswer``.
"""

from __future__ import annotations

from typing import Any

from graph.data.knowledge import Knowledge
from graph.data.model import Membership
from graph.present.common import (
    condition_dict,
    contact_dicts,
    contacts_for,
    task_summary,
    unit_summary,
)
from graph.questions.dependencies import (
    ContactPost,
    Dependencies,
    Participant,
    ProcessLink,
    SharedForum,
    SharedTask,
    StepLink,
)

__all__ = ["dependencies_json"]


def dependencies_json(
    kg: Knowledge, answer: Dependencies, *, personal: bool = False
) -> dict[str, Any]:
    """The answer as the contract's JSON: units, task and the five lists.

    The contact arrangements (contact persons) are listed only with ``personal`` (for
    authenticated callers); anonymous answers carry the functional contact points only.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> from graph.questions.dependencies import dependencies
    >>> kg = load_knowledge()
    >>> data = dependencies_json(kg, dependencies(kg, ["bif", "sof"], task="32.03.16"))
    >>> [unit["id"] for unit in data["units"]], data["task"]
    (['bif', 'sof'], '32.03.16')
    >>> data["process_links"][0]["links"][0]["from"]
    'bif-jobcenter'
    >>> data["contact_arrangements"]
    []
    >>> full = dependencies_json(kg, dependencies(kg, ["bif", "sof"]), personal=True)
    >>> full["contact_arrangements"][0]["label"]
    'Kontaktperson for BIF–SOF-samarbejdet'
    """
    return {
        "units": [unit_summary(kg, u.id, answer.as_of) for u in answer.units],
        "task": answer.task,
        "shared_tasks": [_shared_task(kg, row) for row in answer.shared_tasks],
        "process_links": [_process_link(kg, row) for row in answer.process_links],
        "forums": [_forum(row) for row in answer.forums],
        "contact_arrangements": [_contact_post(kg, row) for row in answer.contact_arrangements]
        if personal
        else [],
        "cross_memberships": [_cross_membership(kg, row) for row in answer.cross_memberships],
    }


def _participant(kg: Knowledge, participant: Participant) -> dict[str, Any]:
    part = participant.part
    return {
        "unit": unit_summary(kg, part.unit),
        "side": participant.side,
        "role": part.role,
        "step": part.step,
        "step_label": part.step_label,
        "conditions": [condition_dict(c) for c in part.conditions],
        "source": part.provenance.describe(),
        "status": part.provenance.status,
    }


def _shared_task(kg: Knowledge, row: SharedTask) -> dict[str, Any]:
    return {
        "task": task_summary(row.task),
        "participants": [_participant(kg, p) for p in row.participants],
    }


def _step_link(link: StepLink) -> dict[str, Any]:
    return {
        "from_step": link.from_step,
        "to_step": link.to_step,
        "from": link.from_unit,
        "to": link.to_unit,
    }


def _process_link(kg: Knowledge, row: ProcessLink) -> dict[str, Any]:
    return {
        "task": task_summary(row.task),
        "steps": [_participant(kg, p) for p in row.steps],
        "links": [_step_link(link) for link in row.links],
    }


def _forum(row: SharedForum) -> dict[str, Any]:
    forum = row.forum
    return {
        "id": forum.id,
        "label": forum.label,
        "uri": forum.uri,
        "part_of": forum.parent,
        "meetings_per_year": forum.meetings_per_year,
        "frequency": forum.frequency,
        "agenda": list(forum.agenda),
        "tasks": list(forum.tasks),
        "members": {side: list(members) for side, members in row.members.items()},
        "source": forum.provenance.describe(),
        "status": forum.provenance.status,
    }


def _contact_post(kg: Knowledge, row: ContactPost) -> dict[str, Any]:
    post = row.post
    return {
        "id": post.id,
        "label": post.label,
        "unit": unit_summary(kg, post.unit),
        "side": row.side,
        "serves": [unit_summary(kg, s) for s in post.serves],
        "contacts": contact_dicts(kg, post.contacts, holder=post.unit)
        or contacts_for(kg, post.unit),
        "source": post.provenance.describe(),
        "status": post.provenance.status,
    }


def _cross_membership(kg: Knowledge, membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.id,
        "member": unit_summary(kg, membership.member),
        "organization": unit_summary(kg, membership.organization),
        "role": membership.role,
        "since": membership.valid_from.isoformat() if membership.valid_from else None,
        "note": membership.note,
        "source": membership.provenance.describe(),
        "status": membership.provenance.status,
    }
