"""What lies below a KLE main group or group that has no owner of its own.

A main group ("21 Biblioteker") is a heading: no one unit owns it, but its topics have
owners. Asked about such a heading, the answer is the breakdown: who owns its topics, as a
share (n of m topics) per administration or outside authority, and the topics that differ
from the majority. Every topic's owner comes from :func:`~graph.questions.responsibility.owners`
(the one walk up KLE), so a topic without its own owner counts with its group's default.
The answer is typed; :mod:`graph.present.answers` words it.

Examples
--------
>>> from graph import load_knowledge
>>> kg = load_knowledge()
>>> answer = breakdown(kg, "kle-21")
>>> answer.majority.owner, answer.total == sum(share.count for share in answer.owners)
('kff', True)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from graph.data.knowledge import Knowledge
from graph.data.model import Task
from graph.questions.responsibility import owners

__all__ = ["Breakdown", "DifferingTopic", "OwnerShare", "breakdown"]


@dataclass(frozen=True, slots=True)
class OwnerShare:
    """One administration's or outside authority's part of the topics below a heading.

    ``owner`` is the administration's id (``kff``), or the unit's own id where the owner
    belongs to no administration (an outside authority, Borgerrådgiveren). ``units`` are
    the owning units themselves, most topics first; ``topics`` the topic ids.
    """

    owner: str
    units: tuple[str, ...]
    topics: tuple[str, ...]
    total: int

    @property
    def count(self) -> int:
        return len(self.topics)

    @property
    def share(self) -> float:
        """The part of the heading's topics this owner has, from 0 to 1."""
        return self.count / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class DifferingTopic:
    """A topic whose owners are not (or not only) the majority's; no owners is a gap."""

    task: Task
    owners: tuple[str, ...]
    units: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Breakdown:
    """The owners below a main group or group, with their shares, largest first."""

    task: Task
    owners: tuple[OwnerShare, ...]
    differing: tuple[DifferingTopic, ...]
    total: int
    age: int | None = None
    as_of: date | None = None

    @property
    def majority(self) -> OwnerShare | None:
        """The owner with the most topics (``None`` if no topic has an owner)."""
        return self.owners[0] if self.owners else None

    def __bool__(self) -> bool:
        return bool(self.owners)


def breakdown(
    kg: Knowledge, task_id: str, age: int | None = None, as_of: date | None = None
) -> Breakdown:
    """The owners of the topics below ``task_id`` (a main group or group), with their shares.

    Parameters
    ----------
    kg
        The compiled knowledge graph.
    task_id
        A task id of a KLE main group or group (``kle-21``, ``kle-23.04``). A topic has
        nothing below it: its breakdown is empty.
    age, as_of
        As for :func:`~graph.questions.responsibility.who_handles`: a topic whose owner
        depends on age counts every owner unless an age is given.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> answer = breakdown(kg, "kle-21")
    >>> share = answer.majority
    >>> share.owner, share.count, answer.total, [t.task.notation for t in answer.differing]
    ('kff', 32, 33, ['21.06.00'])
    >>> breakdown(kg, "kle-32.03.16").total
    0
    """
    day = as_of or date.today()
    task = kg.tasks[task_id]
    topics = _topics_below(kg, task_id)
    by_owner: dict[str, list[str]] = defaultdict(list)
    units_of: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    owned: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for topic in topics:
        _, parts = owners(kg, topic, age=age, as_of=day)
        units = tuple(dict.fromkeys(p.unit for p in parts))
        keys = tuple(dict.fromkeys(_owner_key(kg, unit, day) for unit in units))
        owned[topic] = (keys, units)
        for key in keys:
            by_owner[key].append(topic)
        for unit in units:
            units_of[_owner_key(kg, unit, day)][unit] += 1
    shares = sorted(
        (
            OwnerShare(
                owner=key,
                units=tuple(sorted(units_of[key], key=lambda u: (-units_of[key][u], u))),
                topics=tuple(found),
                total=len(topics),
            )
            for key, found in by_owner.items()
        ),
        key=lambda share: (-share.count, share.owner),
    )
    majority = shares[0].owner if shares else None
    differing = tuple(
        DifferingTopic(kg.tasks[topic], keys, units)
        for topic, (keys, units) in owned.items()
        if majority not in keys
    )
    return Breakdown(task, tuple(shares), differing, len(topics), age=age, as_of=as_of)


def _owner_key(kg: Knowledge, unit_id: str, day: date) -> str:
    """The administration a unit belongs to (that day), else the unit itself."""
    administration = kg.administration_of(unit_id, day)
    return administration.id if administration is not None else unit_id


def _topics_below(kg: Knowledge, task_id: str) -> list[str]:
    """The KLE topics under a main group or group, in KLE order."""
    children = kg.derived("task-children", _task_children, reads=("tasks",))
    found: list[str] = []
    stack = list(reversed(children.get(task_id, [])))
    while stack:
        current = stack.pop()
        if kg.tasks[current].level == "topic":
            found.append(current)
        stack.extend(reversed(children.get(current, [])))
    return found


def _task_children(kg: Knowledge) -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for task in sorted(kg.tasks.values(), key=lambda t: t.notation):
        if task.broader is not None:
            index[task.broader].append(task.id)
    return dict(index)
