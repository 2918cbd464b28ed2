"""Analyses for the cross-administration coordination group, which meets six times a year.

Everything here reads a :class:`~graph.data.knowledge.Knowledge` and returns plain data (lists
and dicts of ids, labels and counts), so that the notebooks, ``stafet report`` and the
exports show the same figures. The families:

- **who does what**: :func:`task_ownership`, :func:`responsibility_by_administration`,
  :func:`kle_coverage`;
- **overlaps and gaps**: :func:`~graph.questions.quality.overlaps` and
  :func:`~graph.questions.quality.gaps`
  (re-exported), flattened for spreadsheets by :func:`overlap_table` and :func:`gap_table`;
- **bottlenecks**: :func:`referral_routes`, :func:`bottlenecks`, :func:`communities`;
- **what-if**: :func:`without_unit`, :func:`merge_units`, :func:`without_forum`, each
  compared with the real organisation by :func:`compare_knowledge`;
- **dependencies between two administrations**: :func:`dependency_report`;
- **exports for meetings**: :func:`export_tables` (CSV, XLSX, GEXF).

A task's *owner* is its current ``ansvarlig`` unit, taken from the task itself or, where
the task has none, from the nearest KLE group above it (the same fallback as
:func:`~graph.questions.responsibility.who_handles`). Ownership that depends on the citizen's age is
checked in *age bands*: the age ranges cut out by every age condition in the data.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import networkx as nx

from graph.data.knowledge import Knowledge
from graph.data.model import (
    HANDLING_ROLES,
    ContactArrangement,
    ContactPoint,
    Participation,
    Registry,
    Unit,
)
from graph.errors import InvalidInputError, StafetError
from graph.present.common import task_summary, unit_summary
from graph.present.vocabulary import (
    ADMINISTRATION_LABELS,
    FACT_KINDS,
    GAP_KINDS,
    ROLE_LABELS,
    status_label,
)
from graph.questions.dependencies import dependencies
from graph.questions.quality import OTHER, administration_key, gaps, overlaps
from graph.questions.referral import rank_targets, referral_graph, referral_path
from graph.questions.responsibility import owners, who_handles

__all__ = [
    "ADMINISTRATION_LABELS",
    "FRONT_DOOR_UNITS",
    "TABLE_FORMATS",
    "AgeBand",
    "Route",
    "WhatIf",
    "age_bands",
    "arrangements_without_contact",
    "bottleneck_table",
    "bottlenecks",
    "communities",
    "compare_knowledge",
    "dependency_report",
    "export_tables",
    "front_doors",
    "gap_table",
    "gaps",
    "kle_coverage",
    "merge_units",
    "overlap_table",
    "overlaps",
    "owners",
    "referral_routes",
    "removal_impact",
    "responsibility_by_administration",
    "short_label",
    "summary",
    "task_ownership",
    "tasks_without_owner",
    "without_forum",
    "without_unit",
]

#: Besides the seven administrations, the units citizens and colleagues usually turn to
#: first: Borgerrådgiveren (seed 000) and Borgerservice.
FRONT_DOOR_UNITS = ("borgerraadgiveren", "kff-borgerservice")


#: What :func:`export_tables` writes.
TABLE_FORMATS = ("xlsx", "gexf", "gaps-csv", "overlaps-csv", "bottlenecks-csv")

MAX_AGE = 130


def short_label(kg: Knowledge, key: str) -> str:
    """A short Danish name for an administration key or a unit id (``bif`` → ``BIF``)."""
    if key in ADMINISTRATION_LABELS:
        return ADMINISTRATION_LABELS[key]
    unit = kg.units.get(key)
    if unit is not None and unit.kind == "administration":
        return next((a for a in unit.alt_labels if a.isupper()), unit.label)
    return kg.agent_label(key)


# -- who does what ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgeBand:
    """A range of ages in whole years, both ends inclusive (``high`` None: no upper end)."""

    low: int
    high: int | None

    @property
    def label(self) -> str:
        if self.low == 0 and self.high is None:
            return "alle aldre"
        if self.high is None:
            return f"{self.low} år og derover"
        if self.low == 0:
            return f"under {self.high + 1} år"
        return f"{self.low}–{self.high} år"


def age_bands(kg: Knowledge) -> list[AgeBand]:
    """The age ranges within which no age condition in the data changes."""
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


def task_ownership(kg: Knowledge, as_of: date | None = None) -> list[dict[str, Any]]:
    """One row per KLE group and topic: its owners, where they come from and how sure.

    ``inherited`` is true where the owner is taken from a KLE group above the task;
    ``status`` is ``bekraeftet``, ``antaget``, ``blandet`` or None (no owner).
    """
    day = as_of or date.today()
    return kg.derived(f"analysis.ownership.{day.isoformat()}", lambda k: _ownership(k, day))


def _ownership(kg: Knowledge, day: date) -> list[dict[str, Any]]:
    rows = []
    for task in sorted(kg.tasks.values(), key=lambda t: t.notation):
        if task.level == "main":  # headings across administrations: no single owner
            continue
        level, parts = owners(kg, task.id, as_of=day)
        statuses = {p.provenance.status for p in parts}
        status = None if not parts else statuses.pop() if len(statuses) == 1 else "blandet"
        ancestors = kg.task_ancestors(task.id)
        units = sorted({p.unit for p in parts})
        rows.append(
            {
                "task": task.id,
                "notation": task.notation,
                "label": task.label,
                "level": task.level,
                "main_group": kg.tasks[ancestors[-1]].notation if ancestors else task.notation,
                "owner_level": level,
                "inherited": level is not None and level != task.id,
                "units": units,
                "administrations": sorted({administration_key(kg, u) for u in units}),
                "status": status,
            }
        )
    return rows


def responsibility_by_administration(kg: Knowledge, as_of: date | None = None) -> dict[str, Any]:
    """Who does what: KLE groups and topics owned by each administration.

    A task split between administrations (by age, say) counts for each of them.

    Returns
    -------
    dict
        ``rows``: one per administration key with ``groups``, ``topics``,
        ``topics_confirmed`` (owner bekræftet) and ``topics_own`` (owner on the topic
        itself, not inherited from its group); ``main_groups``: the KLE main groups;
        ``by_main_group[notation][key]``: topics owned per main group and administration.
    """
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    by_main: dict[str, Counter[str]] = defaultdict(Counter)
    for row in task_ownership(kg, as_of):
        for key in row["administrations"]:
            counts = rows[key]
            if row["level"] == "group":
                counts["groups"] += 1
                continue
            counts["topics"] += 1
            counts["topics_confirmed"] += row["status"] == "bekraeftet"
            counts["topics_own"] += not row["inherited"]
            by_main[row["main_group"]][key] += 1
    keys = sorted(rows, key=lambda k: (-rows[k]["topics"] - rows[k]["groups"], k))
    mains = sorted((t for t in kg.tasks.values() if t.level == "main"), key=lambda t: t.notation)
    return {
        "administrations": keys,
        "rows": [
            {
                "administration": key,
                "label": short_label(kg, key),
                "groups": rows[key]["groups"],
                "topics": rows[key]["topics"],
                "topics_confirmed": rows[key]["topics_confirmed"],
                "topics_own": rows[key]["topics_own"],
            }
            for key in keys
        ],
        "main_groups": [{"notation": t.notation, "label": t.label} for t in mains],
        "by_main_group": {
            t.notation: {key: by_main[t.notation][key] for key in keys} for t in mains
        },
    }


COVERAGE_CATEGORIES = {
    "egen_bekraeftet": "egen ansvarlig, bekræftet",
    "egen_antaget": "egen ansvarlig, antaget",
    "arvet_bekraeftet": "arvet fra KLE-gruppen, bekræftet",
    "arvet_antaget": "arvet fra KLE-gruppen, antaget",
    "ingen": "ingen ansvarlig",
}


def kle_coverage(kg: Knowledge, as_of: date | None = None) -> dict[str, Any]:
    """How much of KLE has an owner, on which level, and how sure the answer is.

    Returns
    -------
    dict
        ``by_level[level][category]`` for ``group`` and ``topic``, and
        ``by_main_group[notation][category]`` for the topics of each main group, where the
        categories are ``egen_bekraeftet``, ``egen_antaget``, ``arvet_bekraeftet``,
        ``arvet_antaget`` (own or inherited owner, confirmed or assumed) and ``ingen``.
    """
    by_level: dict[str, Counter[str]] = {"group": Counter(), "topic": Counter()}
    by_main: dict[str, Counter[str]] = defaultdict(Counter)
    for row in task_ownership(kg, as_of):
        category = _coverage_category(row)
        by_level[row["level"]][category] += 1
        if row["level"] == "topic":
            by_main[row["main_group"]][category] += 1
    categories = list(COVERAGE_CATEGORIES)
    mains = sorted((t for t in kg.tasks.values() if t.level == "main"), key=lambda t: t.notation)
    level_names = {"group": "KLE-grupper", "topic": "KLE-emner"}
    return {
        "rows": [
            {
                "level": level_names[lvl],
                **{c: counts[c] for c in categories},
                "total": sum(counts.values()),
            }
            for lvl, counts in by_level.items()
        ],
        "categories": categories,
        "category_labels": dict(COVERAGE_CATEGORIES),
        "by_level": {lvl: {c: counts[c] for c in categories} for lvl, counts in by_level.items()},
        "totals": {lvl: sum(counts.values()) for lvl, counts in by_level.items()},
        "main_groups": [{"notation": t.notation, "label": t.label} for t in mains],
        "by_main_group": {
            t.notation: {c: by_main[t.notation][c] for c in categories} for t in mains
        },
    }


def _coverage_category(row: dict[str, Any]) -> str:
    if row["owner_level"] is None:
        return "ingen"
    where = "arvet" if row["inherited"] else "egen"
    return f"{where}_{'bekraeftet' if row['status'] == 'bekraeftet' else 'antaget'}"


def tasks_without_owner(kg: Knowledge, as_of: date | None = None) -> list[dict[str, Any]]:
    """KLE groups and topics that lack an owner for some or all ages.

    Unlike :func:`~graph.questions.quality.gaps`, this checks every age band, so a task whose only
    ``ansvarlig`` serves citizens of 65 and over is listed for the younger ones.
    """
    day = as_of or date.today()
    bands = age_bands(kg)
    owned = _owner_sets(kg, bands, day)
    missing: dict[str, list[str]] = defaultdict(list)
    for (task_id, band), units in owned.items():
        if not units:
            missing[task_id].append(bands[band].label)
    return [
        {
            **task_summary(kg.tasks[t]),
            "ages": _ages_label(ages, bands),
            "all_ages": len(ages) == len(bands),
        }
        for t, ages in sorted(missing.items(), key=lambda item: kg.tasks[item[0]].notation)
    ]


def _owner_sets(
    kg: Knowledge, bands: Sequence[AgeBand], day: date
) -> dict[tuple[str, int], frozenset[str]]:
    """Owner unit ids of every KLE group and topic in every age band (see :func:`owners`)."""
    at_level: dict[tuple[str, int], frozenset[str]] = {}
    for level, parts in kg.participations_by_task.items():
        for index, band in enumerate(bands):
            at_level[level, index] = frozenset(
                p.unit
                for p in parts
                if p.role == "ansvarlig" and p.is_valid_on(day) and p.admits_age(band.low)
            )
    owned: dict[tuple[str, int], frozenset[str]] = {}
    for task in kg.tasks.values():
        if task.level == "main":
            continue
        chain = [task.id, *kg.task_ancestors(task.id)]
        for index in range(len(bands)):
            owned[task.id, index] = next(
                (units for level in chain if (units := at_level.get((level, index), frozenset()))),
                frozenset(),
            )
    return owned


def _ages_label(ages: list[str], bands: Sequence[AgeBand]) -> list[str]:
    return ["alle aldre"] if len(ages) == len(bands) else ages


# -- bottlenecks and communities ---------------------------------------------------------


def front_doors(kg: Knowledge) -> list[str]:
    """Where referrals start: the administrations, Borgerrådgiveren and Borgerservice."""
    administrations = sorted(u.id for u in kg.units.values() if u.kind == "administration")
    return administrations + [u for u in FRONT_DOOR_UNITS if u in kg.units]


@dataclass(frozen=True, slots=True)
class Route:
    """The cheapest referral from a front door to the unit that takes a task.

    ``ages`` names the age band where responsibility for the task depends on age.
    ``target`` and ``cost`` are None when no handler can be reached (a broken route).
    """

    door: str
    task: str
    ages: str | None
    target: str | None
    path: tuple[str, ...]
    cost: float | None

    @property
    def passes(self) -> tuple[str, ...]:
        """The units the relay passes through on the way (neither the door nor the target)."""
        return self.path[1:-1]


def referral_routes(
    kg: Knowledge,
    doors: Iterable[str] | None = None,
    tasks: Iterable[str] | None = None,
    as_of: date | None = None,
) -> list[Route]:
    """The referral route from each front door to each task with its own handling unit.

    The route is the one :func:`~graph.questions.referral.referral_path` gives: the cheapest path in
    the referral graph to the task's handler, entering a process chain at its first step.
    One Dijkstra run per door serves every task. Where a task's responsibility depends on
    age, there is one route per age band.

    Parameters
    ----------
    doors
        Unit ids to start from (default: :func:`front_doors`).
    tasks
        Task ids (default: every KLE group and topic with a current handling
        participation of its own; topics that inherit their group's owner would only
        repeat the group's route).

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> [route] = referral_routes(kg, doors=["borgerraadgiveren"], tasks=["kle-32.03.16"])
    >>> route.path[0], route.target, route.cost
    ('borgerraadgiveren', 'bif-jobcenter', 4.0)
    """
    day = as_of or date.today()
    if doors is None and tasks is None and as_of is None:
        return kg.derived(
            f"analysis.routes.{day.isoformat()}", lambda k: _routes(k, front_doors(k), None, day)
        )
    return _routes(kg, list(doors or front_doors(kg)), tasks, day)


def _routed_tasks(kg: Knowledge, day: date) -> list[str]:
    return sorted(
        (
            task_id
            for task_id, parts in kg.participations_by_task.items()
            if any(
                p.role in HANDLING_ROLES and p.unit in kg.units and p.is_valid_on(day)
                for p in parts
            )
        ),
        key=lambda t: kg.tasks[t].notation,
    )


def _routes(
    kg: Knowledge, doors: Sequence[str], tasks: Iterable[str] | None, day: date
) -> list[Route]:
    graph = referral_graph(kg)
    bands = age_bands(kg)
    reach = {door: nx.single_source_dijkstra(graph, door, weight="cost") for door in doors}
    routes: list[Route] = []
    for task_id in tasks if tasks is not None else _routed_tasks(kg, day):
        answer = who_handles(kg, task_id, as_of=day)
        ages: list[AgeBand | None] = [None]
        if any(p.conditions for p in answer.handlers):
            ages = list(bands)
        for band in ages:
            age = band.low if band is not None else None
            targets = [
                p
                for p in answer.handlers
                if p.role in HANDLING_ROLES and p.unit in kg.units and p.admits_age(age)
            ]
            for door in doors:
                distances, paths = reach[door]
                best = _first_target(targets, distances)
                label = band.label if band is not None else None
                if best is None:
                    routes.append(Route(door, task_id, label, None, (), None))
                else:
                    path = tuple(paths[best.unit])
                    routes.append(
                        Route(door, task_id, label, best.unit, path, float(distances[best.unit]))
                    )
    return routes


def _first_target(
    targets: Sequence[Participation], distances: dict[str, float]
) -> Participation | None:
    ranked = rank_targets(targets, distances)
    return ranked[0] if ranked else None


def bottlenecks(kg: Knowledge, limit: int | None = None) -> list[dict[str, Any]]:
    """Units the relay is passed through most often: where referrals queue up.

    Method: for every task with its own handling unit (the distinct answers to "who
    handles this?", about 520 on the real data) and every front door (the seven
    administrations, Borgerrådgiveren and Borgerservice), take the route
    :func:`~graph.questions.referral.referral_path` would give and count each unit the relay passes
    *through* (neither the door nor the handler). ``passes`` is that count and ``share``
    its fraction of all routes; ``tasks`` counts the distinct tasks whose route passes the
    unit. ``betweenness`` is networkx's shortest-path betweenness centrality of the unit in
    the referral graph weighted by hop cost: how much the unit lies between *all* pairs of
    units, whatever the task. Ranked by ``passes``, then ``betweenness``.
    """
    routes = referral_routes(kg)
    passes: Counter[str] = Counter()
    tasks: dict[str, set[str]] = defaultdict(set)
    doors: dict[str, set[str]] = defaultdict(set)
    for route in routes:
        for unit in route.passes:
            passes[unit] += 1
            tasks[unit].add(route.task)
            doors[unit].add(route.door)
    betweenness: dict[str, float] = kg.derived(
        "analysis.betweenness",
        lambda k: nx.betweenness_centrality(referral_graph(k), weight="cost", normalized=True),
    )
    candidates = {u for u in passes} | {u for u, b in betweenness.items() if b > 0}
    ranked = sorted(candidates, key=lambda u: (-passes[u], -betweenness.get(u, 0.0), u))
    rows = [
        {
            **unit_summary(kg, unit),
            "administration": administration_key(kg, unit),
            "passes": passes[unit],
            "share": round(passes[unit] / len(routes), 4) if routes else 0.0,
            "tasks": len(tasks[unit]),
            "doors": sorted(doors[unit]),
            "betweenness": round(betweenness.get(unit, 0.0), 4),
        }
        for unit in ranked
    ]
    return rows[:limit] if limit is not None else rows


def communities(kg: Knowledge, seed: int = 0, resolution: float = 1.0) -> list[dict[str, Any]]:
    """Groups of units that work closely together, found in the referral graph.

    Louvain community detection (networkx, seeded so the answer is the same every run) on
    the undirected referral graph between the municipality's own units, each pair weighted
    by ``1 / cost`` of its cheapest hop: a named contact person binds twice as hard as a
    step through the hierarchy. External authorities are left out (every unit can forward
    to them, which says nothing about working together), and so are the political bodies
    (they are linked to the administration only through the hierarchy).

    Returns
    -------
    list of dict
        Largest first: ``members`` (unit summaries), ``administrations`` (how many
        members each has) and ``name`` (the administrations, largest first).
    """
    graph = referral_graph(kg)
    undirected = nx.Graph()
    internal = sorted(
        u.id for u in kg.units.values() if not u.is_external and u.kind != "political"
    )
    undirected.add_nodes_from(internal)
    for source, target, data in graph.edges(data=True):
        if source in undirected and target in undirected:
            strength = 1.0 / float(data["cost"])
            if undirected.has_edge(source, target):
                strength = max(strength, undirected.edges[source, target]["weight"])
            undirected.add_edge(source, target, weight=strength)
    found = nx.community.louvain_communities(
        undirected, weight="weight", resolution=resolution, seed=seed
    )
    groups = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    result = []
    for members in groups:
        keys = Counter(administration_key(kg, u) for u in members)
        order = sorted(keys, key=lambda k: (-keys[k], k))
        named = [k for k in order if k != OTHER] or order
        names = [short_label(kg, k) for k in named]
        if len(names) > 3:
            names = [*names[:3], f"{len(names) - 3} andre"]
        result.append(
            {
                "name": " + ".join(names),
                "administrations": {k: keys[k] for k in order},
                "members": [
                    unit_summary(kg, u)
                    for u in sorted(members, key=lambda u: (administration_key(kg, u), u))
                ],
            }
        )
    return result


# -- what if ---------------------------------------------------------------------------


@dataclass(slots=True)
class WhatIf:
    """The consequences of a change to the organisation, against the organisation today.

    ``unowned`` lists tasks that had an owner and lose it (for some ages or all);
    ``owner_changed`` tasks whose owner changes other than by a merge's new name (to the
    default owner of the KLE group above, say); ``broken`` referral routes from the front
    doors that can no longer reach a handler, ``longer`` and ``shorter`` the routes whose
    cost changes.
    """

    change: str
    before: Knowledge
    after: Knowledge
    unowned: list[dict[str, Any]] = field(default_factory=list)
    owner_changed: list[dict[str, Any]] = field(default_factory=list)
    broken: list[dict[str, Any]] = field(default_factory=list)
    longer: list[dict[str, Any]] = field(default_factory=list)
    shorter: list[dict[str, Any]] = field(default_factory=list)
    routes_compared: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {
            "unowned": len(self.unowned),
            "owner_changed": len(self.owner_changed),
            "broken": len(self.broken),
            "longer": len(self.longer),
            "shorter": len(self.shorter),
            "routes_compared": self.routes_compared,
        }

    def describe(self) -> str:
        """One Danish sentence with the counts, for a notebook or an agenda."""
        counts = {k: f"{v:,}".replace(",", ".") for k, v in self.counts.items()}
        return (
            f"{self.change}: {counts['unowned']} opgaver mister deres ansvarlige (for en "
            f"aldersgruppe eller helt), {counts['owner_changed']} får en anden ansvarlig; af "
            f"{counts['routes_compared']} henvisningsveje fra indgangene brydes "
            f"{counts['broken']}, {counts['longer']} bliver længere og {counts['shorter']} "
            "kortere."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "change": self.change,
            "counts": self.counts,
            "unowned": self.unowned,
            "owner_changed": self.owner_changed,
            "broken": self.broken,
            "longer": self.longer,
            "shorter": self.shorter,
        }


def without_unit(kg: Knowledge, unit: str, doors: Iterable[str] | None = None) -> WhatIf:
    """What if a unit were closed: its tasks lose it, its sub-units move up to its parent.

    Its participations, memberships and contact-person functions go with it; contact
    functions elsewhere that only served it end too. ``kg`` is not changed.

    Parameters
    ----------
    unit
        A unit id or name.
    doors
        Front doors to compare referral routes from (default: :func:`front_doors`).

    Examples
    --------
    >>> from graph import load_knowledge
    >>> result = without_unit(load_knowledge(), "sof-borgercenter-handicap")
    >>> [(t["notation"], t["ages"]) for t in result.unowned][:1]
    [('27.60', ['under 18 år', '18–64 år'])]
    """
    found, _ = kg.resolve("unit", unit)
    if found.kind == "municipality":
        raise StafetError("Kommunen selv kan ikke fjernes; vælg en enhed under den.")
    gone = found.id
    registry = kg.registry
    units = {
        u.id: replace(u, parent=found.parent) if u.parent == gone else u
        for u in registry.units.values()
        if u.id != gone
    }
    arrangements = {
        post.id: replace(post, serves=tuple(s for s in post.serves if s != gone))
        for post in registry.arrangements.values()
        if post.unit != gone and (not post.serves or set(post.serves) != {gone})
    }
    changed = replace(
        registry,
        units=units,
        participations={k: p for k, p in registry.participations.items() if p.unit != gone},
        memberships={
            k: m for k, m in registry.memberships.items() if gone not in (m.member, m.organization)
        },
        arrangements=arrangements,
        contacts=_used_contacts(registry, units, arrangements),
    )
    after = Knowledge(changed, fingerprint=f"{kg.fingerprint}-uden-{gone}")
    return compare_knowledge(kg, after, change=f"Uden {found.label}", doors=doors)


def merge_units(
    kg: Knowledge,
    keep: str,
    absorb: str,
    label: str | None = None,
    doors: Iterable[str] | None = None,
) -> WhatIf:
    """What if unit ``absorb`` were merged into unit ``keep``.

    ``keep`` takes over everything ``absorb`` had: its tasks, sub-units, memberships,
    contact-person functions and contact points; if ``keep`` lies inside ``absorb``, it
    also takes ``absorb``'s place in the hierarchy. Routes from ``absorb`` as a front door
    start from ``keep`` afterwards. ``kg`` is not changed.
    """
    kept, _ = kg.resolve("unit", keep)
    absorbed, _ = kg.resolve("unit", absorb)
    if kept.id == absorbed.id:
        raise StafetError("Vælg to forskellige enheder at lægge sammen.")
    if "municipality" in (kept.kind, absorbed.kind):
        raise StafetError("Kommunen selv kan ikke lægges sammen med en enhed.")
    a, b = kept.id, absorbed.id

    def moved(ident: str) -> str:
        return a if ident == b else ident

    registry = kg.registry
    parent = kept.parent
    if a in kg.subtree(b):  # keep lies inside absorb: it takes absorb's place
        parent = absorbed.parent
    merged = replace(
        kept,
        label=label or kept.label,
        parent=parent,
        alt_labels=tuple(
            dict.fromkeys(
                [
                    *kept.alt_labels,
                    *([kept.label] if label else []),
                    absorbed.label,
                    *absorbed.alt_labels,
                ]
            )
        ),
        contacts=tuple(dict.fromkeys([*kept.contacts, *absorbed.contacts])),
    )
    units = {
        u.id: merged if u.id == a else replace(u, parent=moved(u.parent)) if u.parent else u
        for u in registry.units.values()
        if u.id != b
    }
    participations: dict[str, Participation] = {}
    seen: set[tuple[Any, ...]] = set()
    for key, part in sorted(registry.participations.items()):
        part = replace(part, unit=moved(part.unit))
        signature = (part.task, part.unit, part.role, part.step, part.conditions)
        if signature not in seen:
            seen.add(signature)
            participations[key] = part
    memberships = {}
    member_seen: set[tuple[str, str, str]] = set()
    for key, membership in sorted(registry.memberships.items()):
        membership = replace(
            membership,
            member=moved(membership.member),
            organization=moved(membership.organization),
        )
        member_signature = (membership.member, membership.organization, membership.role)
        if membership.member != membership.organization and member_signature not in member_seen:
            member_seen.add(member_signature)
            memberships[key] = membership
    arrangements = {}
    for key, post in registry.arrangements.items():
        serves = tuple(dict.fromkeys(moved(s) for s in post.serves if moved(s) != moved(post.unit)))
        if post.serves and not serves:
            continue  # a contact function for its own unit is no longer a bridge
        arrangements[key] = replace(post, unit=moved(post.unit), serves=serves)
    changed = replace(
        registry,
        units=units,
        participations=participations,
        memberships=memberships,
        arrangements=arrangements,
    )
    after = Knowledge(changed, fingerprint=f"{kg.fingerprint}-{b}-i-{a}")
    return compare_knowledge(
        kg,
        after,
        change=f"{absorbed.label} lægges sammen med {kept.label}",
        renamed={b: a},
        doors=doors,
    )


def without_forum(kg: Knowledge, forum: str, doors: Iterable[str] | None = None) -> WhatIf:
    """What if a forum ended, and with it every forum that is part of it.

    Its memberships end, and so do the contact-person functions that only served it and
    any part it had in a task (the rehabilitation team's recommendation, say).
    """
    found, _ = kg.resolve("forum", forum)
    ended = {found.id}
    changed_any = True
    while changed_any:  # the forums that are part of it, at any depth
        changed_any = False
        for candidate in kg.forums.values():
            if candidate.parent in ended and candidate.id not in ended:
                ended.add(candidate.id)
                changed_any = True
    registry = kg.registry
    arrangements = {
        post.id: replace(post, serves=tuple(s for s in post.serves if s not in ended))
        for post in registry.arrangements.values()
        if not post.serves or set(post.serves) - ended
    }
    changed = replace(
        registry,
        forums={k: f for k, f in registry.forums.items() if k not in ended},
        participations={k: p for k, p in registry.participations.items() if p.unit not in ended},
        memberships={
            k: m
            for k, m in registry.memberships.items()
            if m.organization not in ended and m.member not in ended
        },
        arrangements=arrangements,
        contacts=_used_contacts(registry, registry.units, arrangements),
    )
    after = Knowledge(changed, fingerprint=f"{kg.fingerprint}-uden-{found.id}")
    extra = f" og {len(ended) - 1} underfora" if len(ended) > 1 else ""
    return compare_knowledge(kg, after, change=f"Uden {found.label}{extra}", doors=doors)


def removal_impact(kg: Knowledge, units: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """:func:`without_unit` for each unit in turn: which closures would hurt most.

    Parameters
    ----------
    units
        Unit ids (default: every unit of the municipality except the political bodies).

    Returns
    -------
    list of dict
        One row per unit, most harmful first: the unit, and how many tasks would lose
        their owner (``unowned``) and how many front-door routes would break or grow
        longer.
    """
    chosen = (
        list(units)
        if units is not None
        else sorted(u.id for u in kg.units.values() if u.kind in ("administration", "unit"))
    )
    rows = []
    for unit in chosen:
        counts = without_unit(kg, unit).counts
        rows.append(
            {
                **unit_summary(kg, unit),
                "administration": administration_key(kg, unit),
                "administration_label": short_label(kg, administration_key(kg, unit)),
                "unowned": counts["unowned"],
                "broken": counts["broken"],
                "longer": counts["longer"],
            }
        )
    rows.sort(key=lambda r: (-r["unowned"], -r["broken"], -r["longer"], r["id"]))
    return rows


def _used_contacts(
    registry: Registry,
    units: Mapping[str, Unit],
    arrangements: Mapping[str, ContactArrangement],
) -> dict[str, ContactPoint]:
    used = {c for u in units.values() for c in u.contacts}
    used |= {c for post in arrangements.values() for c in post.contacts}
    before = {c for u in registry.units.values() for c in u.contacts}
    before |= {c for post in registry.arrangements.values() for c in post.contacts}
    # Contact points nobody referred to stay as they were; only orphans of the change go.
    return {k: c for k, c in registry.contacts.items() if k in used or k not in before}


def compare_knowledge(
    before: Knowledge,
    after: Knowledge,
    change: str = "",
    renamed: dict[str, str] | None = None,
    doors: Iterable[str] | None = None,
    as_of: date | None = None,
) -> WhatIf:
    """Compare a changed organisation with the original: owners and referral routes.

    Parameters
    ----------
    renamed
        Unit ids of ``before`` that live on under another id in ``after`` (a merge); a
        route from a renamed front door starts from its new id.
    doors
        Front doors of ``before`` (default: :func:`front_doors`). Doors that no longer
        exist are skipped.
    """
    day = as_of or date.today()
    renamed = renamed or {}
    bands = age_bands(before)
    result = WhatIf(change=change, before=before, after=after)
    old = before.derived(
        f"analysis.owner_sets.{day.isoformat()}", lambda k: _owner_sets(k, bands, day)
    )
    new = _owner_sets(after, bands, day)
    lost: dict[str, list[str]] = defaultdict(list)
    had: dict[str, set[str]] = defaultdict(set)
    moved: dict[str, tuple[set[str], set[str]]] = {}
    for key, units in old.items():
        task_id, band = key
        now = new.get(key, frozenset())
        if units and not now:
            lost[task_id].append(bands[band].label)
            had[task_id].update(units)
        elif units and now and {renamed.get(u, u) for u in units} != set(now):
            was, becomes = moved.setdefault(task_id, (set(), set()))
            was.update(units)
            becomes.update(now)
    for task_id in sorted(lost, key=lambda t: before.tasks[t].notation):
        result.unowned.append(
            {
                **task_summary(before.tasks[task_id]),
                "ages": _ages_label(lost[task_id], bands),
                "all_ages": len(lost[task_id]) == len(bands),
                "owners_before": [unit_summary(before, u) for u in sorted(had[task_id])],
            }
        )
    for task_id in sorted(moved, key=lambda t: before.tasks[t].notation):
        was, becomes = moved[task_id]
        result.owner_changed.append(
            {
                **task_summary(before.tasks[task_id]),
                "owners_before": [unit_summary(before, u) for u in sorted(was)],
                "owners_after": [unit_summary(after, u) for u in sorted(becomes)],
            }
        )
    door_list = list(doors) if doors is not None else front_doors(before)
    old_routes = referral_routes(before) if doors is None and as_of is None else None
    if old_routes is None:
        old_routes = referral_routes(before, doors=door_list, as_of=day)
    new_doors = {d: renamed.get(d, d) for d in door_list if renamed.get(d, d) in after.units}
    scope = list(dict.fromkeys(r.task for r in old_routes))
    new_routes = referral_routes(
        after, doors=list(dict.fromkeys(new_doors.values())), tasks=scope, as_of=day
    )
    index = {(r.door, r.task, r.ages): r for r in new_routes}
    for route in old_routes:
        if route.door not in new_doors or route.cost is None:
            continue
        result.routes_compared += 1
        now_route = index.get((new_doors[route.door], route.task, route.ages))
        if now_route is None or now_route.cost is None:
            result.broken.append(_route_change(before, after, route, None))
        elif now_route.cost > route.cost + 1e-9:
            result.longer.append(_route_change(before, after, route, now_route))
        elif now_route.cost < route.cost - 1e-9:
            result.shorter.append(_route_change(before, after, route, now_route))
    return result


def _route_change(
    before: Knowledge, after: Knowledge, old: Route, new: Route | None
) -> dict[str, Any]:
    return {
        "door": unit_summary(before, old.door),
        "task": task_summary(before.tasks[old.task]),
        "ages": old.ages,
        "before": _route_dict(before, old),
        "after": _route_dict(after, new) if new is not None else None,
        "difference": None if new is None or new.cost is None else new.cost - (old.cost or 0),
    }


def _route_dict(kg: Knowledge, route: Route) -> dict[str, Any]:
    return {
        "target": unit_summary(kg, route.target) if route.target else None,
        "cost": route.cost,
        "path": [kg.agent_label(u) for u in route.path],
        "route": " → ".join(kg.agent_label(u) for u in route.path),
    }


# -- dependencies between two administrations ------------------------------------------


def dependency_report(
    kg: Knowledge, first: str, second: str, task: str | None = None
) -> dict[str, Any]:
    """What ties two administrations together, for the coordination group's agenda.

    Shared tasks, the process chain of ``task`` across units, the forums both take part
    in with their meeting rhythm, contact-person functions, cross memberships (consultants
    in the other's team) and the referral from each side to ``task``.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> report = dependency_report(load_knowledge(), "bif", "sof", task="førtidspension")
    >>> [step["unit"]["id"] for step in report["process"]]
    ['bif-jobcenter', 'rehabiliteringsteam', 'sof', 'udk']
    >>> report["meetings_per_year"]
    8
    """
    deps = dependencies(kg, [first, second], task=task).to_dict(kg)
    result: dict[str, Any] = {**deps, "process": [], "referrals": [], "task": None}
    if task is not None:
        answer = who_handles(kg, task)
        data = answer.to_dict(kg)
        result["task"] = data["fallback_from"] if "fallback_from" in data else data["task"]
        result["process"] = data["process"]
        for side in deps["units"]:
            route = referral_path(kg, side["id"], answer.task.id).to_dict(kg)
            result["referrals"].append(
                {
                    "from": route["from"],
                    "to": route["to"],
                    "cost": route["cost"],
                    "route": " → ".join(
                        [route["from"]["label"], *(hop["to"]["label"] for hop in route["hops"])]
                    ),
                    "hops": [
                        {
                            "from": hop["from"]["label"],
                            "to": hop["to"]["label"],
                            "via": hop["via"],
                            "through": hop["through"]["label"] if hop["through"] else None,
                        }
                        for hop in route["hops"]
                    ],
                }
            )
    for forum in result["forums"]:
        forum["rhythm"] = _rhythm(forum["meetings_per_year"], forum["frequency"])
    for step in result["process"]:
        step["role_label"] = ROLE_LABELS.get(step["role"], step["role"])
    for item in [*result["process"], *result["contact_arrangements"], *result["forums"]]:
        item["status_label"] = status_label(item["status"])
    for post in result["contact_arrangements"]:
        post["side_label"] = short_label(kg, post["side"])
    result["meetings_per_year"] = sum(f["meetings_per_year"] or 0 for f in result["forums"])
    return result


def _rhythm(per_year: int | None, frequency: str | None) -> str:
    if per_year and frequency:
        return f"{per_year} gange om året ({frequency})"
    if per_year:
        return f"{per_year} gange om året"
    return frequency or "ikke oplyst"


# -- summary and tables -------------------------------------------------------------------


def arrangements_without_contact(kg: Knowledge) -> list[dict[str, Any]]:
    """Contact-person functions with no contact point of their own (no phone, no e-mail).

    Not one of :func:`~graph.questions.quality.gaps`'s lists, but the same kind of hole: colleagues
    are told to call "the contact person", and nothing says how.
    """
    rows = []
    for post in sorted(kg.registry.arrangements.values(), key=lambda p: p.id):
        reachable = [
            c
            for c in post.contacts
            if c in kg.registry.contacts and kg.registry.contacts[c].is_reachable
        ]
        if not reachable:
            rows.append(
                {
                    "id": post.id,
                    "label": post.label,
                    "unit": unit_summary(kg, post.unit),
                    "serves": [kg.agent_label(s) for s in post.serves],
                }
            )
    return rows


def summary(kg: Knowledge) -> dict[str, Any]:
    """The headline figures for a meeting: overlaps, gaps, bottlenecks, communities."""
    found_gaps = gaps(kg)
    found_overlaps = overlaps(kg)
    top = bottlenecks(kg, limit=5)
    return {
        "fingerprint": kg.fingerprint,
        "units": len(kg.units),
        "tasks": len(kg.tasks),
        "forums": len(kg.forums),
        "participations": len(kg.registry.participations),
        "overlaps": found_overlaps["counts"],
        "gaps": found_gaps["counts"],
        "tasks_without_owner_any_age": len(tasks_without_owner(kg)),
        "arrangements_without_contact": len(arrangements_without_contact(kg)),
        "bottlenecks": [
            {"id": r["id"], "label": r["label"], "passes": r["passes"], "share": r["share"]}
            for r in top
        ],
        "communities": [c["name"] for c in communities(kg)],
    }


def gap_table(kg: Knowledge) -> list[dict[str, Any]]:
    """Every gap :func:`~graph.questions.quality.gaps` finds, one row each, for a spreadsheet."""
    found = gaps(kg)
    rows: list[dict[str, Any]] = []

    def add(
        kind: str, ident: str, label: str, kle: str = "", where: str = "", detail: str = ""
    ) -> None:
        rows.append(
            {
                "hul": kind,
                "id": ident,
                "navn": label,
                "kle": kle,
                "forvaltning": where,
                "detalje": detail,
            }
        )

    for task in found["tasks_without_ansvarlig"]:
        add(GAP_KINDS["tasks_without_ansvarlig"], task["id"], task["label"], task["notation"])
    for task in found["tasks_only_antaget"]:
        where = ", ".join(
            sorted({short_label(kg, administration_key(kg, u)) for u in task["units"]})
        )
        via = kg.tasks[task["via"]].notation
        add(
            GAP_KINDS["tasks_only_antaget"],
            task["id"],
            task["label"],
            task["notation"],
            where,
            f"antaget ansvarlig: {', '.join(kg.agent_label(u) for u in task['units'])}"
            + (f" (fra KLE {via})" if task["via"] != task["id"] else ""),
        )
    for unit in found["units_without_contact"]:
        inherits = unit["inherits_from"]
        add(
            GAP_KINDS["units_without_contact"],
            unit["id"],
            unit["label"],
            where=short_label(kg, administration_key(kg, unit["id"])),
            detail=f"arver kontakt fra {kg.agent_label(inherits)}" if inherits else "",
        )
    for contact in found["contacts_without_phone_or_email"]:
        add(
            GAP_KINDS["contacts_without_phone_or_email"],
            contact["id"],
            contact["label"] or contact["id"],
            detail=contact["note"] or "",
        )
    for law in found["laws_not_cited"]:
        add(GAP_KINDS["laws_not_cited"], law["id"], law["label"])
    for forum in found["forums_without_members"]:
        add(GAP_KINDS["forums_without_members"], forum["id"], forum["label"])
    for task in tasks_without_owner(kg):
        if not task["all_ages"]:
            add(
                GAP_KINDS["tasks_without_owner_for_age"],
                task["id"],
                task["label"],
                task["notation"],
                detail=", ".join(task["ages"]),
            )
    for post in arrangements_without_contact(kg):
        add(
            GAP_KINDS["arrangements_without_contact"],
            post["id"],
            post["label"],
            where=short_label(kg, administration_key(kg, post["unit"]["id"])),
            detail=f"i {post['unit']['label']}",
        )
    for kind, facts in found["antaget"].items():
        for fact in facts:
            add(f"{GAP_KINDS['antaget']} ({FACT_KINDS.get(kind, kind)})", fact["id"], fact["label"])
    return rows


def overlap_table(kg: Knowledge) -> list[dict[str, Any]]:
    """Overlaps and splits by conditions (:func:`~graph.questions.quality.overlaps`), a row each."""
    found = overlaps(kg)
    rows: list[dict[str, Any]] = []
    for row in found["overlaps"]:
        rows.append(
            {
                "type": "Samme rolle",
                "kle": row["task"]["notation"],
                "opgave": row["task"]["label"],
                "rolle": ROLE_LABELS.get(row["role"], row["role"]),
                "enheder": "; ".join(u["label"] for u in row["units"]),
                "forvaltninger": ", ".join(
                    sorted({short_label(kg, administration_key(kg, u["id"])) for u in row["units"]})
                ),
                "betingelser": "",
                "alvor": "høj" if row["severity"] == "hoej" else "lav",
                "status": ", ".join(status_label(s) for s in row["statuses"] if s),
            }
        )
    for row in found["split_by_conditions"]:
        rows.append(
            {
                "type": "Delt efter betingelser",
                "kle": row["task"]["notation"],
                "opgave": row["task"]["label"],
                "rolle": "ansvarlig",
                "enheder": "; ".join(u["label"] for u in row["units"]),
                "forvaltninger": ", ".join(
                    sorted({short_label(kg, administration_key(kg, u["id"])) for u in row["units"]})
                ),
                "betingelser": "; ".join(
                    f"{u['label']}: {', '.join(c['label'] for c in u['conditions'])}"
                    for u in row["units"]
                ),
                "alvor": "",
                "status": "",
            }
        )
    return rows


def bottleneck_table(kg: Knowledge) -> list[dict[str, Any]]:
    """:func:`bottlenecks` as spreadsheet rows."""
    return [
        {
            "enhed_id": row["id"],
            "enhed": row["label"],
            "forvaltning": short_label(kg, row["administration"]),
            "passager": row["passes"],
            "andel": row["share"],
            "opgaver": row["tasks"],
            "indgange": ", ".join(row["doors"]),
            "betweenness": row["betweenness"],
        }
        for row in bottlenecks(kg)
    ]


def export_tables(kg: Knowledge, fmt: str) -> bytes:
    """The coordination group's lists as files (one of :data:`TABLE_FORMATS`).

    ``xlsx`` is one workbook with a sheet per list; ``gaps-csv``, ``overlaps-csv`` and
    ``bottlenecks-csv`` one list each (UTF-8, comma-separated); ``gexf`` the whole graph
    for Gephi, with each unit's administration, bottleneck passes and community.
    """
    if fmt == "xlsx":
        return _workbook(kg)
    if fmt == "gexf":
        return _gexf(kg)
    tables = {
        "gaps-csv": gap_table,
        "overlaps-csv": overlap_table,
        "bottlenecks-csv": bottleneck_table,
    }
    if fmt in tables:
        return _csv(tables[fmt](kg), COLUMNS[fmt])
    raise InvalidInputError(f"Ukendt format {fmt!r}; vælg et af {', '.join(TABLE_FORMATS)}.")


COLUMNS = {
    "gaps-csv": ["hul", "id", "navn", "kle", "forvaltning", "detalje"],
    "overlaps-csv": [
        "type",
        "kle",
        "opgave",
        "rolle",
        "enheder",
        "forvaltninger",
        "betingelser",
        "alvor",
        "status",
    ],
    "bottlenecks-csv": [
        "enhed_id",
        "enhed",
        "forvaltning",
        "passager",
        "andel",
        "opgaver",
        "indgange",
        "betweenness",
    ],
}


def _cell(value: Any) -> Any:
    # A text starting like a formula would be run by a spreadsheet (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: _cell(row.get(c, "")) for c in columns})
    return buffer.getvalue().encode("utf-8")


def _workbook(kg: Knowledge) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    figures = summary(kg)
    sheet = book.active
    sheet.title = "Sammenfatning"
    sheet.append(["Stafet: overlap, huller og flaskehalse"])
    sheet.append(["Dato", date.today().isoformat()])
    sheet.append(["Data-fingeraftryk", kg.fingerprint])
    for key, value in figures["overlaps"].items():
        sheet.append([f"overlap: {key}", value])
    for key, value in figures["gaps"].items():
        sheet.append([f"huller: {key}", value])
    sheet["A1"].font = Font(bold=True)
    community_rows = [
        {"faellesskab": c["name"], "enhed_id": m["id"], "enhed": m["label"]}
        for c in communities(kg)
        for m in c["members"]
    ]
    sheets = [
        ("Overlap", overlap_table(kg), COLUMNS["overlaps-csv"]),
        ("Huller", gap_table(kg), COLUMNS["gaps-csv"]),
        ("Flaskehalse", bottleneck_table(kg), COLUMNS["bottlenecks-csv"]),
        ("Fællesskaber", community_rows, ["faellesskab", "enhed_id", "enhed"]),
    ]
    for title, rows, columns in sheets:
        sheet = book.create_sheet(title)
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for number, row in enumerate(rows, start=2):
            for index, key in enumerate(columns, start=1):
                value = sheet.cell(row=number, column=index, value=row.get(key, ""))
                if isinstance(value.value, str) and value.value.startswith("="):
                    value.data_type = "s"  # text, never a formula
        sheet.freeze_panes = "A2"
        for letter, key in zip("ABCDEFGHIJ", columns, strict=False):
            width = max([len(key), *(len(str(r.get(key, ""))) for r in rows[:500])])
            sheet.column_dimensions[letter].width = min(60, width + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _gexf(kg: Knowledge) -> bytes:
    passes = {row["id"]: row["passes"] for row in bottlenecks(kg)}
    community = {
        member["id"]: index for index, c in enumerate(communities(kg)) for member in c["members"]
    }
    simple = nx.MultiDiGraph()
    for node, data in kg.graph.nodes(data=True):
        # GEXF takes an "id" attribute as the node's id: keep ours under another name.
        attrs = {
            ("stafet_id" if k == "id" else k): str(v) for k, v in data.items() if v is not None
        }
        if data.get("kind") == "unit":
            attrs["forvaltning"] = administration_key(kg, data["id"])
            attrs["flaskehals"] = str(passes.get(data["id"], 0))
            attrs["faellesskab"] = str(community.get(data["id"], -1))
        simple.add_node(node, **attrs)
    for source, target, key, data in kg.graph.edges(keys=True, data=True):
        simple.add_edge(
            source, target, key=key, **{k: str(v) for k, v in data.items() if v is not None}
        )
    buffer = io.BytesIO()
    nx.write_gexf(simple, buffer, encoding="utf-8")
    return buffer.getvalue()
