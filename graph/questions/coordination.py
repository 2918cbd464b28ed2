"""Bottlenecks for the cross-administration coordination group, which meets six times a year.

Where referrals start (:func:`front_doors`), the route from each door to each task
(:func:`referral_routes`), the units the relay passes most (:func:`bottlenecks`), the
groups of units that work together (:func:`communities`), and contact-person functions
nobody can reach (:func:`arrangements_without_contact`). Each returns frozen, typed
answers; :mod:`graph.present.coordination` words them in Danish and shapes them for
tables. Who owns what is :mod:`graph.questions.coverage`; what-if is
:mod:`graph.questions.whatif`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from graph.data.knowledge import Knowledge
from graph.data.model import HANDLING_ROLES, ContactArrangement, Participation
from graph.questions.channels import Search, reach, task_scope
from graph.questions.coverage import AgeBand, age_bands
from graph.questions.quality import administration_key
from graph.questions.referral import rank_targets, referral_graph
from graph.questions.responsibility import who_handles

__all__ = [
    "FRONT_DOOR_UNITS",
    "Bottleneck",
    "Community",
    "Route",
    "arrangements_without_contact",
    "bottlenecks",
    "communities",
    "front_doors",
    "referral_routes",
]

#: Besides the seven administrations, the units citizens and colleagues usually turn to
#: first: Borgerrådgiveren (seed 000) and Borgerservice.
FRONT_DOOR_UNITS = ("borgerraadgiveren", "kff-borgerservice")


def arrangements_without_contact(kg: Knowledge) -> list[ContactArrangement]:
    """Contact-person functions with no contact point of their own (no phone, no e-mail).

    Not one of :func:`~graph.questions.quality.gaps`'s lists, but the same kind of hole:
    colleagues are told to call "the contact person", and nothing says how.
    """
    contacts = kg.registry.contacts
    return [
        post
        for post in sorted(kg.registry.arrangements.values(), key=lambda p: p.id)
        if not any(c in contacts and contacts[c].is_reachable for c in post.contacts)
    ]


# -- bottlenecks and communities ---------------------------------------------------------


def front_doors(kg: Knowledge) -> list[str]:
    """Where referrals start: the administrations, Borgerrådgiveren and Borgerservice."""
    administrations = sorted(u.id for u in kg.units.values() if u.kind == "administration")
    return administrations + [u for u in FRONT_DOOR_UNITS if u in kg.units]


@dataclass(frozen=True, slots=True)
class Route:
    """The cheapest referral from a front door to the unit that takes a task.

    ``ages`` is the age band where responsibility for the task depends on age.
    ``target`` and ``cost`` are None when no handler can be reached (a broken route).
    """

    door: str
    task: str
    ages: AgeBand | None
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

    The route is the one :func:`~graph.questions.referral.referral_path` gives: the
    cheapest path in the referral graph to the task's handler, entering a process chain at
    its first step. One Dijkstra run per door serves every task. Where a task's
    responsibility depends on age, there is one route per age band.

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
            f"coordination.routes.{day.isoformat()}",
            lambda k: _routes(k, front_doors(k), None, day),
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
    bands = age_bands(kg)
    routes: list[Route] = []
    for task_id in tasks if tasks is not None else _routed_tasks(kg, day):
        who = who_handles(kg, task_id, as_of=day)
        handlers = who.handlers
        scope = task_scope(kg, (who.fallback_from or who.task).id)
        ages: list[AgeBand | None] = list(bands) if any(p.conditions for p in handlers) else [None]
        for band in ages:
            age = band.low if band is not None else None
            targets = [
                p
                for p in handlers
                if p.role in HANDLING_ROLES and p.unit in kg.units and p.admits_age(age)
            ]
            # The channels that carry this task, as referral_path sees them.
            ends = frozenset(p.unit for p in targets)
            for door in doors:
                found = reach(kg, Search(scope, day, ends, door))
                routes.append(_route(door, task_id, band, targets, *found))
    return routes


def _route(
    door: str,
    task_id: str,
    band: AgeBand | None,
    targets: Sequence[Participation],
    distances: Mapping[str, float],
    paths: Mapping[str, list[str]],
) -> Route:
    best = _first_target(targets, dict(distances))
    if best is None:
        return Route(door, task_id, band, None, (), None)
    return Route(
        door, task_id, band, best.unit, tuple(paths[best.unit]), float(distances[best.unit])
    )


def _first_target(
    targets: Sequence[Participation], distances: dict[str, float]
) -> Participation | None:
    ranked = rank_targets(targets, distances)
    return ranked[0] if ranked else None


@dataclass(frozen=True, slots=True)
class Bottleneck:
    """A unit the relay passes through: how often, for how many tasks, from which doors.

    ``share`` is ``passes`` as a fraction of all routes; ``betweenness`` the unit's
    shortest-path betweenness centrality in the referral graph weighted by hop cost.
    """

    unit: str
    administration: str
    passes: int
    share: float
    tasks: int
    doors: tuple[str, ...]
    betweenness: float


def bottlenecks(kg: Knowledge, limit: int | None = None) -> list[Bottleneck]:
    """Units the relay is passed through most often: where referrals queue up.

    Method: for every task with its own handling unit (the distinct answers to "who
    handles this?", about 520 on the real data) and every front door (the seven
    administrations, Borgerrådgiveren and Borgerservice), take the route
    :func:`~graph.questions.referral.referral_path` would give and count each unit the
    relay passes *through* (neither the door nor the handler). ``passes`` is that count
    and ``share`` its fraction of all routes; ``tasks`` counts the distinct tasks whose
    route passes the unit. ``betweenness`` is networkx's shortest-path betweenness
    centrality of the unit in the referral graph weighted by hop cost: how much the unit
    lies between *all* pairs of units, whatever the task. Ranked by ``passes``, then
    ``betweenness``.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> [top] = bottlenecks(load_knowledge(), limit=1)
    >>> top.unit, top.passes > 0
    ('kff', True)
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
    import networkx as nx  # on first use: not at the app's start-up

    betweenness: dict[str, float] = kg.derived(
        "coordination.betweenness",
        lambda k: nx.betweenness_centrality(referral_graph(k), weight="cost", normalized=True),
    )
    candidates = set(passes) | {u for u, b in betweenness.items() if b > 0}
    ranked = sorted(candidates, key=lambda u: (-passes[u], -betweenness.get(u, 0.0), u))
    rows = [
        Bottleneck(
            unit=unit,
            administration=administration_key(kg, unit),
            passes=passes[unit],
            share=round(passes[unit] / len(routes), 4) if routes else 0.0,
            tasks=len(tasks[unit]),
            doors=tuple(sorted(doors[unit])),
            betweenness=round(betweenness.get(unit, 0.0), 4),
        )
        for unit in ranked
    ]
    return rows[:limit] if limit is not None else rows


@dataclass(frozen=True, slots=True)
class Community:
    """Units that work closely together.

    ``members`` ordered by administration, then id; ``administrations`` counts the members
    of each administration, largest first.
    """

    members: tuple[str, ...]
    administrations: Mapping[str, int]


def communities(kg: Knowledge, seed: int = 0, resolution: float = 1.0) -> list[Community]:
    """Groups of units that work closely together, found in the referral graph, largest first.

    Louvain community detection (networkx, seeded so the answer is the same every run) on
    the undirected referral graph between the municipality's own units, each pair weighted
    by ``1 / cost`` of its cheapest hop: a named contact person binds twice as hard as a
    step through the hierarchy. External authorities are left out (every unit can forward
    to them, which says nothing about working together), and so are the political bodies
    (they are linked to the administration only through the hierarchy).
    """
    import networkx as nx  # on first use: not at the app's start-up

    undirected = nx.Graph()
    undirected.add_nodes_from(
        sorted(u.id for u in kg.units.values() if not u.is_external and u.kind != "political")
    )
    for source, target, data in referral_graph(kg).edges(data=True):
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
        result.append(
            Community(
                members=tuple(sorted(members, key=lambda u: (administration_key(kg, u), u))),
                administrations={k: keys[k] for k in sorted(keys, key=lambda k: (-keys[k], k))},
            )
        )
    return result
