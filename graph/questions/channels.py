"""The channels that carry a hand-over between units, and the referral graph built of them.

A referral passes a citizen's case along *channels* that really carry cases:

==================  ======  ==================================================================
``via``             cost    when
==================  ======  ==================================================================
``contact_person``  1       a named contact-person function connects the two units
``contact_point``   2       the receiving unit has a contact point of its own and handles
                            the task (a last hop only: a unit's public contact point is the
                            way in to its own tasks, not a relay to others)
``single_entry``    2       Borgerservice, the municipality's single entry, hands the case to
                            an administration (from the date the data gives, 1 January 2026;
                            a first hop only: where the citizen came in at Borgerservice)
``forum``           2       both units sit in a forum that exists for the task's cases
``collaboration``   2.5     both take part in a collaboration (or one is consultant in the
                            other's team) that exists for the task's cases
``hierarchy``       3       one unit is directly under the other (not down from the
                            municipality's top, unless the citizen came in there)
``across``          6       from one administration to another: the same authority
                            (enhedsforvaltning), through the top of the hierarchy (two steps)
``external``        4       forwarding out of the municipality to another authority
==================  ======  ==================================================================

A forum, collaboration or membership carries a case only if its scope
(``stafet:carriesCasesFor``: KLE topics or groups, a group covering its topics) covers the
task; one with no scope carries none (the legal coordination group meets six times a year and
is no channel for a citizen's case). The graph is built once per snapshot with every channel
of every pair of units; a search for one task then sees only the channels that carry it (the
weight function of :func:`channel_weight`), so no graph is rebuilt per question.

Edges out of the municipality are one-way: a path never comes back in through an external
authority.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Any, NamedTuple

import networkx as nx

from graph.data.knowledge import Knowledge
from graph.data.model import in_period

__all__ = [
    "COSTS",
    "Channel",
    "Search",
    "carried_by",
    "channel_weight",
    "reach",
    "referral_graph",
    "task_scope",
]

#: The cost of a hand-over by kind; ties go to the kind listed first.
COSTS: dict[str, float] = {
    "contact_person": 1.0,
    "contact_point": 2.0,
    "single_entry": 2.0,
    "forum": 2.0,
    "collaboration": 2.5,
    "hierarchy": 3.0,
    "across": 6.0,
    "external": 4.0,
}
_ORDER = {via: i for i, via in enumerate(COSTS)}

#: The membership role that makes a unit the entry to a whole organisation.
SINGLE_ENTRY_ROLE = "indgang"


@dataclass(frozen=True, slots=True)
class Channel:
    """One way to pass a case from a unit to another.

    ``scope`` is the set of task ids whose cases the channel carries (``None``: any task);
    ``valid_from``/``valid_until`` bound the days it exists on (both inclusive); a ``last``
    channel leads only into a unit that handles the task, a ``first`` one only out of the
    unit the citizen came to.
    """

    via: str
    through: str | None
    scope: frozenset[str] | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    last: bool = False
    first: bool = False

    @property
    def cost(self) -> float:
        return COSTS[self.via]

    @property
    def always(self) -> bool:
        """True if the channel carries every task on every day, into any unit."""
        return (
            self.scope is None
            and self.valid_from is None
            and self.valid_until is None
            and not self.last
            and not self.first
        )

    def carries(self, tasks: frozenset[str], day: date) -> bool:
        """True if the channel carries a case about ``tasks`` (a task and its KLE ancestors).

        >>> forum = Channel("forum", "f", scope=frozenset({"kle-32.03.16"}))
        >>> forum.carries(frozenset({"kle-32.03.16", "kle-32.03", "kle-32"}), date(2026, 1, 1))
        True
        >>> forum.carries(frozenset({"kle-05.00.05", "kle-05.00", "kle-05"}), date(2026, 1, 1))
        False
        >>> Channel("single_entry", "m", valid_from=date(2026, 1, 1)).carries(
        ...     frozenset(), date(2025, 12, 31))
        False
        """
        if self.scope is not None and self.scope.isdisjoint(tasks):
            return False
        return self.valid_on(day)

    def valid_on(self, day: date) -> bool:
        """True if the channel exists on ``day``."""
        return in_period(self.valid_from, self.valid_until, day)


def referral_graph(kg: Knowledge) -> nx.DiGraph:
    """The graph of every channel between units (cached on the snapshot).

    Each edge holds ``channels`` (cheapest first), ``plain`` (the cost of the cheapest
    channel that always carries, ``None`` if none does) and ``conditional`` (the scoped or
    dated channels cheaper than that). ``via``, ``through`` and ``cost`` describe the
    cheapest channel of all, for the task-independent views (centrality, the network page).

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> graph = referral_graph(kg)
    >>> edge = graph.edges["bif", "sof"]
    >>> [(c.via, c.through) for c in edge["channels"]]  # doctest: +NORMALIZE_WHITESPACE
    [('forum', 'bif-sof-netvaerk-enkeltydelser'), ('forum', 'bif-sof-netvaerk-foertidspension'),
     ('forum', 'rehabiliteringsteam'), ('collaboration', 'bif-sof'), ('across', 'kk')]
    >>> edge["plain"]  # only the way between administrations carries every case
    6.0
    """
    return kg.derived("referral_graph", _build)


def task_scope(kg: Knowledge, task_id: str) -> frozenset[str]:
    """The task and its KLE ancestors: what a channel's scope is matched against.

    >>> from graph import load_knowledge
    >>> sorted(task_scope(load_knowledge(), "kle-32.03.16"))
    ['kle-32', 'kle-32.03', 'kle-32.03.16']
    """
    return frozenset([task_id, *kg.task_ancestors(task_id)])


class Search(NamedTuple):
    """What one search carries: the task with its KLE ancestors, the day, the handlers (the
    only units a last-hop channel leads into) and the origin (the only unit a first-hop
    channel leads out of)."""

    tasks: frozenset[str]
    day: date
    handlers: frozenset[str]
    origin: str

    def admits(self, channel: Channel, source: str, target: str) -> bool:
        return (
            channel.carries(self.tasks, self.day)
            and (not channel.last or target in self.handlers)
            and (not channel.first or source == self.origin)
        )


def carried_by(data: dict[str, Any], source: str, target: str, search: Search) -> Channel | None:
    """The cheapest channel of the edge ``source`` → ``target`` that carries the search."""
    channels: tuple[Channel, ...] = data["channels"]
    for channel in channels:
        if search.admits(channel, source, target):
            return channel
    return None


def channel_weight(search: Search) -> Callable[[str, str, dict[str, Any]], float | None]:
    """A networkx weight function that hides the channels not carrying the search."""

    def weight(source: str, target: str, data: dict[str, Any]) -> float | None:
        conditional: tuple[Channel, ...] = data["conditional"]
        for channel in conditional:
            if search.admits(channel, source, target):
                return channel.cost
        cost: float | None = data["plain"]
        return cost

    return weight


def reach(kg: Knowledge, search: Search) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Distances and paths from the search's origin over the channels that carry it.

    Memoised per snapshot by what actually changes the search: the origin, which scoped
    channels the task falls under, which dated channels exist on the day, and which handlers
    a last-hop channel leads into. Most tasks share one search per origin, so a question
    (and the coordination group's routes over every task) costs a lookup, not a Dijkstra
    run. The dicts are shared: callers must not change them.

    >>> from datetime import date
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> here = Search(task_scope(kg, "kle-32.03.16"), date(2026, 6, 1), frozenset(), "sof")
    >>> distances, paths = reach(kg, here)
    >>> paths["bif"], distances["bif"]
    (['sof', 'bif'], 2.0)
    >>> reach(kg, here)[0] is distances
    True
    """
    graph = referral_graph(kg)
    index: _Index = kg.derived("referral_graph.index", _index)
    key = (
        search.origin,
        frozenset(i for i, scope in enumerate(index.scopes) if not scope.isdisjoint(search.tasks)),
        frozenset(c for c in index.dated if c.valid_on(search.day)),
        search.handlers & index.last_targets,
    )
    cache: dict[Any, tuple[dict[str, float], dict[str, list[str]]]] = kg.derived(
        "referral_graph.reach", lambda _: {}
    )
    if key not in cache:
        cache[key] = nx.single_source_dijkstra(graph, search.origin, weight=channel_weight(search))
    return cache[key]


class _Index(NamedTuple):
    """The parts of the graph a search can differ by."""

    scopes: tuple[frozenset[str], ...]
    dated: tuple[Channel, ...]
    last_targets: frozenset[str]


def _index(kg: Knowledge) -> _Index:
    scopes: set[frozenset[str]] = set()
    dated: set[Channel] = set()
    last: set[str] = set()
    for _, target, data in referral_graph(kg).edges(data=True):
        for channel in data["channels"]:
            if channel.scope is not None:
                scopes.add(channel.scope)
            if channel.valid_from is not None or channel.valid_until is not None:
                dated.add(channel)
            if channel.last:
                last.add(target)
    return _Index(
        tuple(sorted(scopes, key=sorted)),
        tuple(sorted(dated, key=lambda c: (c.via, c.through or ""))),
        frozenset(last),
    )


def _build(kg: Knowledge) -> nx.DiGraph:
    channels: dict[tuple[str, str], set[Channel]] = {}
    for kind in _KINDS:
        for a, b, channel, both in kind(kg):
            if a == b or a not in kg.units or b not in kg.units:
                continue
            for pair in ((a, b), (b, a)) if both else ((a, b),):
                channels.setdefault(pair, set()).add(channel)
    graph = nx.DiGraph()
    graph.add_nodes_from(kg.units)
    for (a, b), found in channels.items():
        ordered = tuple(sorted(found, key=lambda c: (c.cost, _ORDER[c.via], c.through or "")))
        plain = next((c for c in ordered if c.always), None)
        conditional = tuple(
            c for c in ordered if not c.always and (plain is None or c.cost < plain.cost)
        )
        graph.add_edge(
            a,
            b,
            channels=ordered,
            plain=plain.cost if plain is not None else None,
            conditional=conditional,
            via=ordered[0].via,
            through=ordered[0].through,
            cost=ordered[0].cost,
        )
    return graph


#: An edge: from, to, the channel, and whether it goes both ways.
_Edge = tuple[str, str, Channel, bool]


def _hierarchy(kg: Knowledge) -> Iterator[_Edge]:
    """Up and down the organisation; down from the municipality's top into an administration
    only where the citizen came in there (between administrations, :func:`_across` is the
    way)."""
    for unit in kg.units.values():
        if not unit.is_external and unit.parent is not None:
            yield unit.id, unit.parent, Channel("hierarchy", None), False
            parent = kg.units.get(unit.parent)
            top = (
                unit.kind == "administration"
                and parent is not None
                and parent.kind == "municipality"
            )
            yield unit.parent, unit.id, Channel("hierarchy", None, first=top), False


def _across(kg: Knowledge) -> Iterator[_Edge]:
    """One administration to another: the same authority, through the top (two steps)."""
    administrations = sorted(u.id for u in kg.units.values() if u.kind == "administration")
    for a, b in combinations(administrations, 2):
        yield a, b, Channel("across", kg.units[a].parent), True


def _scope(ids: Iterable[str]) -> frozenset[str] | None:
    """A forum's scope; an empty one carries no case, so it is left out (``None`` is "any")."""
    return frozenset(ids) or None


def _forums(kg: Knowledge) -> Iterator[_Edge]:
    for forum in kg.forums.values():
        scope = _scope(forum.case_scope)
        if scope is None:
            continue
        for a, b in combinations(sorted(_members(kg, forum.id)), 2):
            yield a, b, Channel("forum", forum.id, scope), True


def _collaborations(kg: Knowledge) -> Iterator[_Edge]:
    """The members of a collaboration's forums meet through it, for the cases its forums
    carry; a membership of a unit (a consultant in a team) carries the cases it is for."""
    by_root: dict[str, tuple[set[str], set[str]]] = {}
    for forum in kg.forums.values():
        root = _collaboration_root(kg, forum.id)
        if root != forum.id:
            members, carried = by_root.setdefault(root, (set(), set()))
            members.update(_members(kg, forum.id))
            carried.update(forum.case_scope)
    for root, (members, scope_ids) in by_root.items():
        scope = _scope(scope_ids | set(kg.forums[root].case_scope))
        if scope is None:
            continue
        for a, b in combinations(sorted(members | _members(kg, root)), 2):
            yield a, b, Channel("collaboration", root, scope), True
    for m in kg.registry.memberships.values():
        own = _scope(m.case_scope)
        if m.organization in kg.units and m.role != SINGLE_ENTRY_ROLE and own is not None:
            channel = Channel("collaboration", m.id, own, m.valid_from, m.valid_until)
            yield m.member, m.organization, channel, True


def _contact_persons(kg: Knowledge) -> Iterator[_Edge]:
    """A post serving a unit is that unit's way into the post's unit (Borgerrådgiveren's
    contact persons in each administration: one way, so Borgerrådgiveren, an independent
    complaints body, is no relay between administrations); posts serving the same
    collaboration link their units to each other (the BIF–SOF contact persons at every
    centre)."""
    by_collaboration: dict[str, set[str]] = {}
    for post in kg.registry.arrangements.values():
        for served in post.serves:
            if served in kg.units:
                yield served, post.unit, Channel("contact_person", post.id), False
            elif served in kg.forums:
                by_collaboration.setdefault(served, set()).add(post.unit)
    for served, units in by_collaboration.items():
        for a, b in combinations(sorted(units), 2):
            yield a, b, Channel("contact_person", served), True


def _contact_points(kg: Knowledge) -> Iterator[_Edge]:
    """Any unit of the municipality can call a unit that has a contact point of its own."""
    internal = [u for u in kg.units.values() if not u.is_external and u.kind != "municipality"]
    for target in internal:
        if any(c in kg.registry.contacts for c in target.contacts):
            for source in internal:
                yield source.id, target.id, Channel("contact_point", None, last=True), False


def _single_entry(kg: Knowledge) -> Iterator[_Edge]:
    """The single entry (Borgerservice from 2026) hands a case to every administration."""
    administrations = [u.id for u in kg.units.values() if u.kind == "administration"]
    for m in kg.registry.memberships.values():
        if m.role == SINGLE_ENTRY_ROLE and m.organization in kg.units:
            channel = Channel("single_entry", m.id, None, m.valid_from, m.valid_until, first=True)
            for administration in administrations:
                yield m.member, administration, channel, False


def _external(kg: Knowledge) -> Iterator[_Edge]:
    """One-way edges out of the municipality: a path never comes back in through them."""
    externals = [u.id for u in kg.units.values() if u.is_external]
    for unit in kg.units.values():
        if not unit.is_external:
            for authority in externals:
                yield unit.id, authority, Channel("external", None), False


_KINDS: tuple[Callable[[Knowledge], Iterator[_Edge]], ...] = (
    _hierarchy,
    _across,
    _forums,
    _collaborations,
    _contact_persons,
    _contact_points,
    _single_entry,
    _external,
)


def _members(kg: Knowledge, forum_id: str) -> set[str]:
    return {
        m.member
        for m in kg.registry.memberships.values()
        if m.organization == forum_id and m.member in kg.units
    }


def _collaboration_root(kg: Knowledge, forum_id: str) -> str:
    current = forum_id
    seen = {current}
    while (parent := kg.forums[current].parent) in kg.forums and parent not in seen:
        seen.add(parent)
        current = parent
    return current
