"""How units depend on each other: shared tasks, process chains, forums and contact persons.

An administration stands for itself and every unit under it, so ``dependencies(kg,
["bif", "sof"])`` finds Jobcenter København's part in førtidspension as BIF's. Each list of
the answer is found by a function of its own; :mod:`graph.present.dependencies` turns the
answer into the contract's JSON.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from graph.data.knowledge import Knowledge
from graph.data.model import ContactArrangement, Forum, Membership, Participation, Task, Unit
from graph.errors import InvalidInputError

__all__ = [
    "ContactPost",
    "Dependencies",
    "Participant",
    "ProcessLink",
    "SharedForum",
    "SharedTask",
    "StepLink",
    "dependencies",
    "forum_members",
]


@dataclass(frozen=True, slots=True)
class Participant:
    """A unit's part in a task, and the side (one of the units asked about) it is on."""

    part: Participation
    side: str | None


@dataclass(frozen=True, slots=True)
class SharedTask:
    """A task in which units of at least two sides take part."""

    task: Task
    participants: tuple[Participant, ...]


@dataclass(frozen=True, slots=True)
class StepLink:
    """One hand-over in a process chain: from one step's unit to the next step's."""

    from_step: int | None
    to_step: int | None
    from_unit: str
    to_unit: str


@dataclass(frozen=True, slots=True)
class ProcessLink:
    """A task whose numbered process chain runs through at least two sides."""

    task: Task
    steps: tuple[Participant, ...]
    links: tuple[StepLink, ...]


@dataclass(frozen=True, slots=True)
class SharedForum:
    """A forum in which at least two sides have members (``members``: side → member ids)."""

    forum: Forum
    members: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class ContactPost:
    """A contact-person post on one side that serves another side or a shared forum."""

    post: ContactArrangement
    side: str


@dataclass(frozen=True, slots=True)
class Dependencies:
    """How the ``units`` depend on each other, list by list."""

    units: tuple[Unit, ...]
    task: str | None
    shared_tasks: tuple[SharedTask, ...]
    process_links: tuple[ProcessLink, ...]
    forums: tuple[SharedForum, ...]
    contact_arrangements: tuple[ContactPost, ...]
    cross_memberships: tuple[Membership, ...]
    #: The day asked about (None: today); the units are named as of it.
    as_of: date | None = None


def forum_members(kg: Knowledge, forum_id: str) -> set[str]:
    """Units and authorities in a forum or in any forum that is part of it.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> "sof" in forum_members(load_knowledge(), "bif-sof")
    True
    """
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
    as_of
        The day whose participations count (default: today).

    Raises
    ------
    InvalidInputError
        If the names come to fewer than two distinct units.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> deps = dependencies(kg, ["bif", "sof"], task="førtidspension")
    >>> [link.task.notation for link in deps.process_links]
    ['32.03.16']
    >>> [(step.part.unit, step.side) for step in deps.process_links[0].steps][2:]
    [('sof', 'sof'), ('udk', None)]
    """
    resolved = _resolve_units(kg, units)
    sides = _Sides(kg, resolved)
    scope = None if task is None else _task_scope(kg, task)
    day = as_of or date.today()
    shared = _shared_participations(kg, sides, scope, day)
    forums = _shared_forums(kg, sides, scope)
    return Dependencies(
        units=resolved,
        task=task,
        shared_tasks=tuple(
            SharedTask(kg.tasks[task_id], tuple(sides.participant(p) for p in parts))
            for task_id, parts in shared
        ),
        process_links=tuple(
            link
            for task_id, parts in shared
            if (link := _process_link(kg.tasks[task_id], parts, sides)) is not None
        ),
        forums=forums,
        contact_arrangements=_contact_posts(kg, sides, {f.forum.id for f in forums}),
        cross_memberships=_cross_memberships(kg, sides),
        as_of=as_of,
    )


class _Sides:
    """Which of the units asked about an agent belongs to (a forum: its members' sides)."""

    def __init__(self, kg: Knowledge, units: Sequence[Unit]) -> None:
        self.kg = kg
        self.members = {u.id: kg.subtree(u.id) for u in units}
        self._forums: dict[str, list[str]] = {}

    def of(self, agent: str) -> list[str]:
        found = [side for side, members in self.members.items() if agent in members]
        if found or agent not in self.kg.forums:
            return found
        if agent not in self._forums:
            members = forum_members(self.kg, agent)
            self._forums[agent] = [s for s, units in self.members.items() if members & units]
        return self._forums[agent]

    def participant(self, part: Participation) -> Participant:
        found = self.of(part.unit)
        return Participant(part, found[0] if found else None)


def _resolve_units(kg: Knowledge, names: Iterable[str]) -> tuple[Unit, ...]:
    resolved: dict[str, Unit] = {}
    for text in names:
        unit, _ = kg.resolve("unit", text)
        resolved.setdefault(unit.id, unit)
    if len(resolved) < 2:
        raise InvalidInputError("Angiv mindst to forskellige enheder, fx BIF og SOF.")
    return tuple(resolved.values())


def _task_scope(kg: Knowledge, text: str) -> set[str]:
    """The task ``text`` names and every KLE topic below it."""
    found, _ = kg.resolve("task", text)
    return {
        t.id for t in kg.tasks.values() if t.id == found.id or found.id in kg.task_ancestors(t.id)
    }


def _shared_participations(
    kg: Knowledge, sides: _Sides, scope: set[str] | None, day: date
) -> list[tuple[str, list[Participation]]]:
    """Tasks (in id order) with current participations of at least two sides."""
    shared = []
    for task_id, parts in sorted(kg.participations_by_task.items()):
        if scope is not None and task_id not in scope:
            continue
        current = [p for p in parts if p.is_valid_on(day)]
        if len({side for p in current for side in sides.of(p.unit)}) >= 2:
            shared.append((task_id, current))
    return shared


def _process_link(task: Task, parts: list[Participation], sides: _Sides) -> ProcessLink | None:
    """The task's numbered steps, if they run through at least two sides."""
    chain = sorted((p for p in parts if p.step is not None), key=lambda p: p.step or 0)
    if len({side for p in chain for side in sides.of(p.unit)}) < 2:
        return None
    links = tuple(
        StepLink(a.step, b.step, a.unit, b.unit)
        for a, b in itertools.pairwise(chain)
        if sides.of(a.unit) or sides.of(b.unit)
    )
    return ProcessLink(task, tuple(sides.participant(p) for p in chain), links)


def _shared_forums(kg: Knowledge, sides: _Sides, scope: set[str] | None) -> tuple[SharedForum, ...]:
    """Forums (in id order) with members on at least two sides, and on the task if given."""
    found = []
    for forum in sorted(kg.forums.values(), key=lambda f: f.id):
        members = forum_members(kg, forum.id)
        by_side = {side: tuple(sorted(members & units)) for side, units in sides.members.items()}
        if sum(1 for present in by_side.values() if present) < 2:
            continue
        if scope is not None and forum.tasks and not set(forum.tasks) & scope:
            continue
        on_sides = {side: present for side, present in by_side.items() if present}
        found.append(SharedForum(forum, MappingProxyType(on_sides)))
    return tuple(found)


def _contact_posts(kg: Knowledge, sides: _Sides, forums: set[str]) -> tuple[ContactPost, ...]:
    """Posts on one side that serve another side or one of the shared ``forums``."""
    found = []
    for post in sorted(kg.registry.arrangements.values(), key=lambda p: p.id):
        post_sides = sides.of(post.unit)
        if not post_sides:
            continue
        served_sides = {side for served in post.serves for side in sides.of(served)}
        if set(post.serves) & forums or served_sides - set(post_sides):
            found.append(ContactPost(post, post_sides[0]))
    return tuple(found)


def _cross_memberships(kg: Knowledge, sides: _Sides) -> tuple[Membership, ...]:
    """Memberships of a unit on one side in a unit on another (consultants in a team)."""
    found = []
    for membership in sorted(kg.registry.memberships.values(), key=lambda m: m.id):
        if membership.organization not in kg.units:
            continue
        member_sides = set(sides.of(membership.member))
        org_sides = set(sides.of(membership.organization))
        if member_sides and org_sides and member_sides != org_sides:
            found.append(membership)
    return tuple(found)
