"""Where responsibilities overlap or are missing: for the coordination group.

:func:`overlaps` and :func:`gaps` return typed answers; :mod:`graph.present.quality` turns
them into the contract's JSON and :mod:`graph.present.vocabulary` names the gap kinds.
Adding a gap kind means a finder here (one row in :data:`_GAP_FINDERS`) and its name in
:data:`~graph.present.vocabulary.GAP_KINDS`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from itertools import combinations
from types import MappingProxyType
from typing import Literal

from graph.data.knowledge import Knowledge
from graph.data.model import (
    ContactArrangement,
    ContactPoint,
    Forum,
    Law,
    Membership,
    Participation,
    Task,
    Unit,
)
from graph.questions.responsibility import owners

__all__ = [
    "EXTERNAL",
    "OTHER",
    "AssumedOwnership",
    "Fact",
    "GapItem",
    "Gaps",
    "Overlaps",
    "RoleOverlap",
    "SplitTask",
    "UnitWithoutContact",
    "administration_key",
    "gaps",
    "overlaps",
]

#: The administration key of units outside the seven administrations.
OTHER = "oevrige"
#: The administration key of other authorities.
EXTERNAL = "ekstern"

Severity = Literal["hoej", "lav"]
#: A pair of administration keys, sorted.
_Pair = tuple[str, str]


def administration_key(kg: Knowledge, unit_id: str) -> str:
    """The administration id of a unit, ``ekstern`` for authorities, else ``oevrige``.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> administration_key(kg, "bif-jobcenter"), administration_key(kg, "udk")
    ('bif', 'ekstern')
    """
    unit = kg.units.get(unit_id)
    if unit is not None and unit.is_external:
        return EXTERNAL
    administration = kg.administration_of(unit_id)
    return administration.id if administration else OTHER


# -- overlaps -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoleOverlap:
    """Units (ids, sorted) that hold the same role in a task for the same citizens."""

    task: Task
    role: str
    units: tuple[str, ...]
    statuses: tuple[str | None, ...]
    severity: Severity


@dataclass(frozen=True, slots=True)
class SplitTask:
    """A task whose ``ansvarlig`` units divide the citizens between them by conditions."""

    task: Task
    shares: tuple[Participation, ...]


@dataclass(frozen=True, slots=True)
class Overlaps:
    """Overlaps (``hoej`` first), splits by conditions, and two administration matrices.

    ``same_role[a][b]`` counts tasks where administrations ``a`` and ``b`` hold the same
    role, ``shared[a][b]`` tasks where both take part in any role.
    """

    overlaps: tuple[RoleOverlap, ...]
    split_by_conditions: tuple[SplitTask, ...]
    administrations: tuple[str, ...]
    same_role: Mapping[str, Mapping[str, int]]
    shared: Mapping[str, Mapping[str, int]]


def overlaps(kg: Knowledge, as_of: date | None = None) -> Overlaps:
    """Tasks with more than one unit in the same role, and the overlap matrices.

    ``overlaps`` lists tasks where two units hold the same role for the same citizens (two
    ``ansvarlig`` first); ``split_by_conditions`` lists tasks whose responsibility is split
    between units by conditions such as age.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> result = overlaps(load_knowledge())
    >>> any(s.task.notation == "27.60" for s in result.split_by_conditions)
    True
    >>> result.shared["bif"]["sof"] == result.shared["sof"]["bif"] > 0
    True
    """
    day = as_of or date.today()
    keys = tuple(sorted({administration_key(kg, u) for u in kg.units}))
    rows: list[RoleOverlap] = []
    split: list[SplitTask] = []
    same_role: dict[str, Counter[str]] = {k: Counter() for k in keys}
    shared: dict[str, Counter[str]] = {k: Counter() for k in keys}
    for task_id, parts in sorted(kg.participations_by_task.items()):
        task = kg.tasks[task_id]
        current = [p for p in parts if p.is_valid_on(day)]
        pairs: set[_Pair] = set()
        for role, group in _by_role(current):
            clashing = _clashing(group)
            if clashing:
                rows.append(_role_overlap(task, role, clashing))
                pairs |= {_pair(kg, a.unit, b.unit) for a, b in clashing}
            if role == "ansvarlig" and _split(group):
                split.append(SplitTask(task, tuple(group)))
        _count_pairs(same_role, pairs)
        involved = sorted({administration_key(kg, p.unit) for p in current})
        _count_pairs(shared, set(combinations(involved, 2)))
    rows.sort(key=lambda r: (r.severity != "hoej", r.task.notation))
    return Overlaps(
        overlaps=tuple(rows),
        split_by_conditions=tuple(split),
        administrations=keys,
        same_role=_square(same_role, keys),
        shared=_square(shared, keys),
    )


def _by_role(parts: Iterable[Participation]) -> list[tuple[str, list[Participation]]]:
    by_role: dict[str, list[Participation]] = defaultdict(list)
    for part in parts:
        by_role[part.role].append(part)
    return sorted(by_role.items())


def _clashing(group: list[Participation]) -> list[tuple[Participation, Participation]]:
    """Pairs of different units whose conditions a citizen could meet both at once."""
    return [(a, b) for a, b in combinations(group, 2) if a.unit != b.unit and a.overlaps(b)]


def _split(group: list[Participation]) -> bool:
    """True if two different units divide the citizens between them by conditions."""
    return any(a.unit != b.unit and not a.overlaps(b) for a, b in combinations(group, 2))


def _role_overlap(
    task: Task, role: str, clashing: list[tuple[Participation, Participation]]
) -> RoleOverlap:
    parts = [p for pair in clashing for p in pair]
    return RoleOverlap(
        task=task,
        role=role,
        units=tuple(sorted({p.unit for p in parts})),
        statuses=tuple(sorted({p.provenance.status for p in parts}, key=lambda s: s or "")),
        severity="hoej" if role == "ansvarlig" else "lav",
    )


def _pair(kg: Knowledge, first: str, second: str) -> _Pair:
    a, b = sorted((administration_key(kg, first), administration_key(kg, second)))
    return a, b


def _count_pairs(counts: dict[str, Counter[str]], pairs: set[_Pair]) -> None:
    """Count each pair of administrations once, in both directions."""
    for a, b in pairs:
        counts[a][b] += 1
        if a != b:
            counts[b][a] += 1


def _square(
    counts: dict[str, Counter[str]], keys: tuple[str, ...]
) -> Mapping[str, Mapping[str, int]]:
    return MappingProxyType({a: MappingProxyType({b: counts[a][b] for b in keys}) for a in keys})


# -- gaps ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AssumedOwnership:
    """A task whose owners (found at KLE level ``via``) are all only assumed."""

    task: Task
    via: str
    units: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UnitWithoutContact:
    """A unit with no contact point of its own; the nearest parent with one, if any."""

    unit: Unit
    inherits_from: str | None


#: What a gap list holds.
GapItem = Task | AssumedOwnership | UnitWithoutContact | ContactPoint | Law | Forum
#: A fact that carries a status.
Fact = Unit | Forum | Participation | Membership | ContactArrangement | ContactPoint


@dataclass(frozen=True, slots=True)
class Gaps:
    """What is missing, by gap kind, and the facts that are still only assumed.

    ``found`` maps each gap kind (the codes of
    :data:`~graph.present.vocabulary.GAP_KINDS`) to its items; ``assumed`` maps each kind of
    fact (:data:`~graph.present.vocabulary.FACT_KINDS`) to its facts with status
    ``antaget``; ``tasks`` is how many tasks were checked.
    """

    tasks: int
    found: Mapping[str, tuple[GapItem, ...]]
    assumed: Mapping[str, tuple[Fact, ...]]


def gaps(kg: Knowledge, as_of: date | None = None) -> Gaps:
    """What is missing: the lists the coordination group works through.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> result = gaps(load_knowledge())
    >>> result.found["tasks_without_ansvarlig"]
    ()
    >>> any(row.unit.id == "bif-jobcenter" for row in result.found["units_without_contact"])
    True
    """
    survey = _Survey(kg, as_of or date.today())
    return Gaps(
        tasks=len(kg.tasks),
        found=MappingProxyType({kind: find(survey) for kind, find in _GAP_FINDERS}),
        assumed=_assumed_facts(kg),
    )


class _Survey:
    """The knowledge on one day, and what more than one gap finder needs from it."""

    def __init__(self, kg: Knowledge, day: date) -> None:
        self.kg = kg
        self.day = day

    @cached_property
    def owned_tasks(self) -> list[tuple[Task, str | None, list[Participation]]]:
        """Every KLE group and topic with the level its owners sit on, and those owners."""
        found = []
        for task in sorted(self.kg.tasks.values(), key=lambda t: t.notation):
            if task.level == "main":  # headings across administrations: no single owner
                continue
            level, parts = owners(self.kg, task.id, as_of=self.day)
            found.append((task, level, parts))
        return found


def _tasks_without_ansvarlig(survey: _Survey) -> tuple[GapItem, ...]:
    return tuple(task for task, level, _ in survey.owned_tasks if level is None)


def _tasks_only_assumed(survey: _Survey) -> tuple[GapItem, ...]:
    return tuple(
        AssumedOwnership(task, level, tuple(sorted({p.unit for p in parts})))
        for task, level, parts in survey.owned_tasks
        if level is not None and all(p.provenance.status == "antaget" for p in parts)
    )


def _units_without_contact(survey: _Survey) -> tuple[GapItem, ...]:
    kg = survey.kg
    found: list[GapItem] = []
    for unit in sorted(kg.units.values(), key=lambda u: u.id):
        if unit.contacts or unit.kind == "political":
            continue
        inherited = next((a for a in kg.unit_ancestors(unit.id) if kg.units[a].contacts), None)
        found.append(UnitWithoutContact(unit, inherited))
    return tuple(found)


def _unreachable_contacts(survey: _Survey) -> tuple[GapItem, ...]:
    contacts = sorted(survey.kg.registry.contacts.values(), key=lambda c: c.id)
    return tuple(c for c in contacts if not c.is_reachable)


def _laws_not_cited(survey: _Survey) -> tuple[GapItem, ...]:
    kg = survey.kg
    cited = _cited_laws(kg)
    return tuple(
        law for law in sorted(kg.laws.values(), key=lambda law: law.id) if law.id not in cited
    )


def _forums_without_members(survey: _Survey) -> tuple[GapItem, ...]:
    kg = survey.kg
    members = {m.organization for m in kg.registry.memberships.values()}
    parents = {f.parent for f in kg.forums.values()}
    return tuple(
        f
        for f in sorted(kg.forums.values(), key=lambda f: f.id)
        if f.id not in members and f.id not in parents
    )


#: Each gap kind and the function that finds it, in the order the lists are shown.
_GAP_FINDERS: tuple[tuple[str, Callable[[_Survey], tuple[GapItem, ...]]], ...] = (
    ("tasks_without_ansvarlig", _tasks_without_ansvarlig),
    ("tasks_only_antaget", _tasks_only_assumed),
    ("units_without_contact", _units_without_contact),
    ("contacts_without_phone_or_email", _unreachable_contacts),
    ("laws_not_cited", _laws_not_cited),
    ("forums_without_members", _forums_without_members),
)


def _assumed_facts(kg: Knowledge) -> Mapping[str, tuple[Fact, ...]]:
    groups: list[tuple[str, Iterable[Fact]]] = [
        ("units", kg.units.values()),
        ("forums", kg.forums.values()),
        ("participations", kg.registry.participations.values()),
        ("memberships", kg.registry.memberships.values()),
        ("contact_arrangements", kg.registry.arrangements.values()),
        ("contacts", kg.registry.contacts.values()),
    ]
    return MappingProxyType(
        {
            kind: tuple(
                e for e in sorted(entities, key=lambda e: e.id) if e.provenance.status == "antaget"
            )
            for kind, entities in groups
        }
    )


def _cited_laws(kg: Knowledge) -> set[str]:
    direct: set[str] = set()
    for task in kg.tasks.values():
        direct.update(task.legal_resources)
        # the provisions a complaint about the task goes by cite them too
        direct.update(task.appeal_provisions, task.reconsideration_provisions)
    for part in kg.registry.participations.values():
        direct.update(part.legal_basis)
    for forum in kg.forums.values():
        direct.update(forum.legal_basis)
    cited = set(direct)
    for law_id in direct:  # citing a provision cites the law it is part of
        current = kg.laws.get(law_id)
        while current is not None and current.parent and current.parent not in cited:
            cited.add(current.parent)
            current = kg.laws.get(current.parent)
    return cited
