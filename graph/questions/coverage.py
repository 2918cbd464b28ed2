"""Who does what: the owners of every KLE group and topic, by administration and age band.

A task's *owner* is its current ``ansvarlig`` unit, taken from the task itself or, where
the task has none, from the nearest KLE group above it: the one walk
:func:`~graph.questions.responsibility.owners`. Ownership that depends on the citizen's age
is checked in *age bands*: the age ranges cut out by every age condition in the data.
:mod:`graph.present.coordination` words the answers in Danish.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from graph.data.knowledge import Knowledge
from graph.questions.quality import administration_key
from graph.questions.responsibility import owners
from graph.search.ages import MAX_AGE

__all__ = [
    "COVERAGE_CATEGORIES",
    "AdministrationShare",
    "AgeBand",
    "KleCoverage",
    "MissingOwner",
    "OwnerSets",
    "ResponsibilityByAdministration",
    "TaskOwnership",
    "age_bands",
    "kle_coverage",
    "owner_sets",
    "responsibility_by_administration",
    "task_ownership",
    "tasks_without_owner",
]

#: How a KLE group or topic is owned: own or inherited owner, confirmed or assumed, or none.
COVERAGE_CATEGORIES = (
    "egen_bekraeftet",
    "egen_antaget",
    "arvet_bekraeftet",
    "arvet_antaget",
    "ingen",
)

_CONFIRMED = "bekraeftet"
#: Levels that are not KLE groups or topics: main groups (headings across administrations,
#: no single owner) and outside authorities' services (never counted as KLE).
_NOT_KLE_OWNED = ("main", "service")

#: ``{task id: owner unit ids}`` per age band (index into :func:`age_bands`).
OwnerSets = Mapping[tuple[str, int], frozenset[str]]


@dataclass(frozen=True, slots=True)
class AgeBand:
    """A range of ages in whole years, both ends inclusive (``high`` None: no upper end)."""

    low: int
    high: int | None


def age_bands(kg: Knowledge) -> list[AgeBand]:
    """The age ranges within which no age condition in the data changes.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> age_bands(load_knowledge())
    [AgeBand(low=0, high=17), AgeBand(low=18, high=64), AgeBand(low=65, high=None)]
    """
    cuts = {0}
    for part in kg.registry.participations.values():
        for condition in part.conditions:
            if condition.min_age is not None:
                cuts.add(condition.min_age)
            if condition.max_age is not None:
                cuts.add(condition.max_age + 1)
    starts = sorted(c for c in cuts if 0 <= c <= MAX_AGE)
    ends: list[int | None] = [s - 1 for s in starts[1:]]
    return [AgeBand(low, high) for low, high in zip(starts, [*ends, None], strict=True)]


@dataclass(frozen=True, slots=True)
class TaskOwnership:
    """Who owns one KLE group or topic, where the owner comes from and how sure it is.

    ``owner_level`` is the task id the owners sit on (None: no owner); ``inherited`` is
    true where that is a KLE group above the task; ``statuses`` the fact statuses of the
    owning participations.
    """

    task: str
    level: str
    main_group: str
    owner_level: str | None
    units: tuple[str, ...]
    administrations: tuple[str, ...]
    statuses: frozenset[str | None]

    @property
    def inherited(self) -> bool:
        return self.owner_level is not None and self.owner_level != self.task

    @property
    def confirmed(self) -> bool:
        """True if every owning fact is confirmed (bekræftet)."""
        return self.statuses == {_CONFIRMED}

    @property
    def category(self) -> str:
        """One of :data:`COVERAGE_CATEGORIES`."""
        if self.owner_level is None:
            return "ingen"
        where = "arvet" if self.inherited else "egen"
        return f"{where}_{'bekraeftet' if self.confirmed else 'antaget'}"


def task_ownership(kg: Knowledge, as_of: date | None = None) -> list[TaskOwnership]:
    """One answer per KLE group and topic, in KLE order: its owners and how sure they are.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> row = next(r for r in task_ownership(load_knowledge()) if r.task == "kle-32.03.16")
    >>> row.units, row.inherited, row.confirmed
    (('sof',), False, True)
    """
    day = as_of or date.today()
    return kg.derived(f"coordination.ownership.{day.isoformat()}", lambda k: _ownership(k, day))


def _ownership(kg: Knowledge, day: date) -> list[TaskOwnership]:
    rows = []
    for task in sorted(kg.tasks.values(), key=lambda t: t.notation):
        if task.level in _NOT_KLE_OWNED:
            continue
        level, parts = owners(kg, task.id, as_of=day)
        ancestors = kg.task_ancestors(task.id)
        units = tuple(sorted({p.unit for p in parts}))
        rows.append(
            TaskOwnership(
                task=task.id,
                level=task.level,
                main_group=ancestors[-1] if ancestors else task.id,
                owner_level=level,
                units=units,
                administrations=tuple(sorted({administration_key(kg, u) for u in units})),
                statuses=frozenset(p.provenance.status for p in parts),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class AdministrationShare:
    """The KLE groups and topics one administration owns.

    ``topics_confirmed``: topics whose owner is confirmed; ``topics_own``: topics owned on
    the topic itself, not inherited from its group.
    """

    administration: str
    groups: int
    topics: int
    topics_confirmed: int
    topics_own: int


@dataclass(frozen=True, slots=True)
class ResponsibilityByAdministration:
    """Who does what: the shares, largest first, and topics per KLE main group.

    ``main_groups`` are task ids in KLE order; ``by_main_group[main][administration]``
    counts the topics of that main group the administration owns.
    """

    shares: tuple[AdministrationShare, ...]
    main_groups: tuple[str, ...]
    by_main_group: Mapping[str, Mapping[str, int]]


def _main_groups(kg: Knowledge) -> tuple[str, ...]:
    mains = sorted((t for t in kg.tasks.values() if t.level == "main"), key=lambda t: t.notation)
    return tuple(t.id for t in mains)


def responsibility_by_administration(
    kg: Knowledge, as_of: date | None = None
) -> ResponsibilityByAdministration:
    """KLE groups and topics owned by each administration.

    A task split between administrations (by age, say) counts for each of them.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> answer = responsibility_by_administration(load_knowledge())
    >>> share = next(s for s in answer.shares if s.administration == "sof")
    >>> share.topics_confirmed > 0
    True
    """
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    by_main: dict[str, Counter[str]] = defaultdict(Counter)
    for row in task_ownership(kg, as_of):
        for key in row.administrations:
            tally = counts[key]
            if row.level == "group":
                tally["groups"] += 1
                continue
            tally["topics"] += 1
            tally["topics_confirmed"] += row.confirmed
            tally["topics_own"] += not row.inherited
            by_main[row.main_group][key] += 1
    keys = sorted(counts, key=lambda k: (-counts[k]["topics"] - counts[k]["groups"], k))
    mains = _main_groups(kg)
    return ResponsibilityByAdministration(
        shares=tuple(
            AdministrationShare(
                administration=key,
                groups=counts[key]["groups"],
                topics=counts[key]["topics"],
                topics_confirmed=counts[key]["topics_confirmed"],
                topics_own=counts[key]["topics_own"],
            )
            for key in keys
        ),
        main_groups=mains,
        by_main_group={main: {key: by_main[main][key] for key in keys} for main in mains},
    )


@dataclass(frozen=True, slots=True)
class KleCoverage:
    """How much of KLE has an owner, on which level, and how sure the answer is.

    ``by_level[level][category]`` for ``group`` and ``topic``;
    ``by_main_group[main][category]`` for the topics of each main group (task ids in
    ``main_groups``); the categories are :data:`COVERAGE_CATEGORIES`.
    """

    by_level: Mapping[str, Mapping[str, int]]
    main_groups: tuple[str, ...]
    by_main_group: Mapping[str, Mapping[str, int]]

    @property
    def totals(self) -> dict[str, int]:
        return {level: sum(counts.values()) for level, counts in self.by_level.items()}


def kle_coverage(kg: Knowledge, as_of: date | None = None) -> KleCoverage:
    """Count KLE groups and topics by :attr:`TaskOwnership.category`.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> coverage = kle_coverage(load_knowledge())
    >>> coverage.by_level["topic"]["ingen"]
    0
    """
    by_level: dict[str, Counter[str]] = {"group": Counter(), "topic": Counter()}
    by_main: dict[str, Counter[str]] = defaultdict(Counter)
    for row in task_ownership(kg, as_of):
        by_level[row.level][row.category] += 1
        if row.level == "topic":
            by_main[row.main_group][row.category] += 1
    mains = _main_groups(kg)
    return KleCoverage(
        by_level={
            lvl: {c: counts[c] for c in COVERAGE_CATEGORIES} for lvl, counts in by_level.items()
        },
        main_groups=mains,
        by_main_group={m: {c: by_main[m][c] for c in COVERAGE_CATEGORIES} for m in mains},
    )


@dataclass(frozen=True, slots=True)
class MissingOwner:
    """A KLE group or topic without an owner in ``bands`` (every band: ``all_ages``)."""

    task: str
    bands: tuple[AgeBand, ...]
    all_ages: bool


def tasks_without_owner(kg: Knowledge, as_of: date | None = None) -> list[MissingOwner]:
    """KLE groups and topics that lack an owner for some or all ages, in KLE order.

    Unlike :func:`~graph.questions.quality.gaps`, this checks every age band, so a task
    whose only ``ansvarlig`` serves citizens of 65 and over is listed for the younger ones.
    """
    day = as_of or date.today()
    bands = age_bands(kg)
    missing: dict[str, list[AgeBand]] = defaultdict(list)
    for (task_id, band), units in owner_sets(kg, day).items():
        if not units:
            missing[task_id].append(bands[band])
    return [
        MissingOwner(task_id, tuple(ages), len(ages) == len(bands))
        for task_id, ages in sorted(missing.items(), key=lambda item: kg.tasks[item[0]].notation)
    ]


def owner_sets(
    kg: Knowledge,
    day: date,
    bands: Sequence[AgeBand] | None = None,
    tasks: Iterable[str] | None = None,
) -> OwnerSets:
    """Owner unit ids of every KLE group and topic (or of ``tasks``) in every age band.

    Each is :func:`~graph.questions.responsibility.owners` for the band's lowest age.
    Without ``bands``, the snapshot's own :func:`age_bands`, memoised per snapshot and day.
    """
    if bands is None:
        return kg.derived(
            f"coordination.owner_sets.{day.isoformat()}",
            lambda k: owner_sets(k, day, age_bands(k)),
        )
    chosen = kg.tasks if tasks is None else tasks
    owned: dict[tuple[str, int], frozenset[str]] = {}
    for task_id in chosen:
        if kg.tasks[task_id].level in _NOT_KLE_OWNED:
            continue
        for index, band in enumerate(bands):
            _, parts = owners(kg, task_id, age=band.low, as_of=day)
            owned[task_id, index] = frozenset(p.unit for p in parts)
    return owned
