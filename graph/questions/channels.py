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

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import TYPE_CHECKING, Any, NamedTuple

from graph.data.knowledge import Knowledge
from graph.data.model import Unit, in_period
from graph.questions.areas import Area, area_of, prepared_area, search_views
from graph.questions.areasearch import AreaSearch, Paths

if TYPE_CHECKING:
    import networkx as nx  # imported where a graph is built, on first use

__all__ = [
    "COSTS",
    "Channel",
    "Search",
    "SearchView",
    "carried_by",
    "channel_weight",
    "prepared",
    "reach",
    "referral_graph",
    "search_view",
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
    return kg.derived("referral_graph", lambda kg: _graph(kg, kg.units))


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
        return channel.carries(self.tasks, self.day) and self.joins(channel, source, target)

    def joins(self, channel: Channel, source: str, target: str) -> bool:
        """May the channel lead ``source`` → ``target`` here, whatever it carries?"""
        return (not channel.last or target in self.handlers) and (
            not channel.first or source == self.origin
        )


def carried_by(data: dict[str, Any], source: str, target: str, search: Search) -> Channel | None:
    """The cheapest channel of the edge ``source`` → ``target`` that carries the search."""
    channels: tuple[Channel, ...] = data["channels"]
    for channel in channels:
        if search.admits(channel, source, target):
            return channel
    return None


def channel_weight(search: Search) -> Callable[[str, str, dict[str, Any]], float | None]:
    """A networkx weight function that hides the channels not carrying the search (whether
    a channel carries the task on the day is worked out once per channel object)."""
    carrying: dict[int, bool] = {}

    def weight(source: str, target: str, data: dict[str, Any]) -> float | None:
        for channel in data["conditional"]:
            carries = carrying.get(id(channel))
            if carries is None:
                carries = carrying[id(channel)] = channel.carries(search.tasks, search.day)
            if carries and search.joins(channel, source, target):
                return COSTS[channel.via]
        cost: float | None = data["plain"]
        return cost

    return weight


def reach(kg: Knowledge, search: Search) -> tuple[dict[str, float], Paths]:
    """Distances and paths from the search's origin over the channels that carry it.

    The search covers the origin's area (its municipality and the outside authorities) and
    stops once every handler it can reach is settled: the entries of the handlers (and of
    every unit, if the search names no handler) are final. Memoised per snapshot by what
    actually changes the search: the origin, which scoped channels the task falls under,
    which dated channels exist on the day, and the handlers. The dicts are shared: callers
    must not change them.

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
    view = search_view(kg, search)
    return view.distances, view.paths


class SearchView(NamedTuple):
    """One search's view of its area (:class:`~graph.questions.areasearch.AreaSearch`) and the
    Dijkstra distances and paths from its origin."""

    graph: AreaSearch
    distances: dict[str, float]
    paths: Paths
    #: The near alternatives' paths found so far, by handler (see ``referral_path``).
    alternatives: dict[str, list[list[str]]]


def search_view(kg: Knowledge, search: Search) -> SearchView:
    """The search over the origin's area, with its distances and paths (see :func:`reach`).

    >>> from datetime import date
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> here = Search(task_scope(kg, "kle-32.03.16"), date(2026, 6, 1), frozenset(), "sof")
    >>> view = search_view(kg, here)
    >>> view.graph.out("sof")["bif"], view.paths["bif"]
    (2.0, ['sof', 'bif'])
    """
    area = prepared(kg, search.origin)
    scopes, dated = area.varying()
    key = (
        search.origin,
        frozenset(i for i, scope in enumerate(scopes) if not scope.isdisjoint(search.tasks)),
        frozenset(c for c in dated if c.valid_on(search.day)),
        search.handlers,
    )

    def build() -> SearchView:
        graph = AreaSearch(area, channel_weight(search), search.handlers)
        distances, paths = graph.dijkstra(search.origin, search.handlers & area.members)
        return SearchView(graph, distances, paths, {})

    return search_views(kg).get(key, build)


def _graph(kg: Knowledge, units: Mapping[str, Unit]) -> nx.DiGraph:
    """The channels between ``units`` (all of them, or one area's)."""
    import networkx as nx  # on first use: not at the app's start-up

    channels: dict[tuple[str, str], set[Channel]] = {}
    for kind in _KINDS:
        for a, b, channel, both in kind(kg, units):
            if a == b or a not in units or b not in units:
                continue
            for pair in ((a, b), (b, a)) if both else ((a, b),):
                channels.setdefault(pair, set()).add(channel)
    graph = nx.DiGraph()
    graph.add_nodes_from(units)
    for (a, b), found in channels.items():
        graph.add_edge(a, b, **_edge_data(found))
    return graph


def _edge_data(found: Collection[Channel]) -> dict[str, Any]:
    """An edge's data from its channels (see :func:`referral_graph`)."""
    ordered = tuple(sorted(found, key=lambda c: (c.cost, _ORDER[c.via], c.through or "")))
    plain = next((c for c in ordered if c.always), None)
    conditional = tuple(
        c for c in ordered if not c.always and (plain is None or c.cost < plain.cost)
    )
    return {
        "channels": ordered,
        "plain": plain.cost if plain is not None else None,
        "conditional": conditional,
        "via": ordered[0].via,
        "through": ordered[0].through,
        "cost": ordered[0].cost,
    }


def prepared(kg: Knowledge, unit_id: str) -> Area:
    """The prepared channels of the area a referral from ``unit_id`` searches (its
    municipality and the outside authorities; see :mod:`graph.questions.areas`).

    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> area = prepared(kg, "sof")
    >>> area.data("bif", "sof") == referral_graph(kg).edges["bif", "sof"]
    True
    >>> pair = ("okf", "borgerraadgiveren")  # implicit: a contact point
    >>> pair in area.edges, area.data(*pair) == referral_graph(kg).edges[pair]
    (False, True)
    >>> len(area.edges), referral_graph(kg).number_of_edges()  # of which 915 implicit
    (1887, 2802)
    """
    area = area_of(kg, unit_id)

    def build(kg: Knowledge, units: Mapping[str, Unit]) -> Iterator[_RankedEdge]:
        for index, kind in enumerate(_KINDS):
            if kind is not _contact_points:
                for a, b, channel, both in kind(kg, units):
                    yield a, b, channel, both, index

    def implicit(units: Mapping[str, Unit]) -> tuple[Channel, int, list[str], list[str]]:
        callers = _callers(units)
        called = [u.id for u in callers if _has_contact_point(kg, u)]
        return _CONTACT_POINT, _KINDS.index(_contact_points), [u.id for u in callers], called

    return prepared_area(kg, area, build, _edge_data, implicit)


#: An edge: from, to, the channel, and whether it goes both ways.
_Edge = tuple[str, str, Channel, bool]
#: An edge and the index of its kind in :data:`_KINDS`.
_RankedEdge = tuple[str, str, Channel, bool, int]

#: The channel of a unit's own contact point (a last hop, into a handler).
_CONTACT_POINT = Channel("contact_point", None, last=True)


def _hierarchy(kg: Knowledge, units: Mapping[str, Unit]) -> Iterator[_Edge]:
    """Up and down the organisation; down from the municipality's top into an administration
    only where the citizen came in there (between administrations, :func:`_across` is the
    way)."""
    for unit in units.values():
        if not unit.is_external and unit.parent is not None:
            yield unit.id, unit.parent, Channel("hierarchy", None), False
            parent = units.get(unit.parent)
            top = (
                unit.kind == "administration"
                and parent is not None
                and parent.kind == "municipality"
            )
            yield unit.parent, unit.id, Channel("hierarchy", None, first=top), False


def _across(kg: Knowledge, units: Mapping[str, Unit]) -> Iterator[_Edge]:
    """One administration to another: the same authority, through the top (two steps)."""
    administrations = sorted(u.id for u in units.values() if u.kind == "administration")
    for a, b in combinations(administrations, 2):
        yield a, b, Channel("across", units[a].parent), True


def _scope(ids: Iterable[str]) -> frozenset[str] | None:
    """A forum's scope; an empty one carries no case, so it is left out (``None`` is "any")."""
    return frozenset(ids) or None


def _forums(kg: Knowledge, units: Mapping[str, Unit]) -> Iterator[_Edge]:
    for forum in kg.forums.values():
        scope = _scope(forum.case_scope)
        if scope is None:
            continue
        for a, b in combinations(sorted(_members(kg, forum.id) & units.keys()), 2):
            yield a, b, Channel("forum", forum.id, scope), True


def _collaborations(kg: Knowledge, units: Mapping[str, Unit]) -> Iterator[_Edge]:
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
        for a, b in combinations(sorted((members | _members(kg, root)) & units.keys()), 2):
            yield a, b, Channel("collaboration", root, scope), True
    for m in kg.registry.memberships.values():
        own = _scope(m.case_scope)
        if m.organization in units and m.role != SINGLE_ENTRY_ROLE and own is not None:
            channel = Channel("collaboration", m.id, own, m.valid_from, m.valid_until)
            yield m.member, m.organization, channel, True


def _contact_persons(kg: Knowledge, units: Mapping[str, Unit]) -> Iterator[_Edge]:
    """A post serving a unit is that unit's way into the post's unit (Borgerrådgiveren's
    contact persons in each administration: one way, so Borgerrådgiveren, an independent
    complaints body, is no relay between administrations); posts serving the same
    collaboration link their units to each other (the BIF–SOF contact persons at every
    centre)."""
    by_collaboration: dict[str, set[str]] = {}
    for post in kg.registry.arrangements.values():
        for served in post.serves:
            if served in units:
                yield served, post.unit, Channel("contact_person", post.id), False
            elif served in kg.forums:
                by_collaboration.setdefault(served, set()).add(post.unit)
    for served, posts in by_collaboration.items():
        for a, b in combinations(sorted(posts & units.keys()), 2):
            yield a, b, Channel("contact_person", served), True


def _contact_points(kg: Knowledge, units: Mapping[str, Unit]) -> Iterator[_Edge]:
    """Any unit of the municipality can call a unit that has a contact point of its own."""
    internal = _callers(units)
    for target in internal:
        if _has_contact_point(kg, target):
            for source in internal:
                yield source.id, target.id, _CONTACT_POINT, False


def _callers(units: Mapping[str, Unit]) -> list[Unit]:
    """The units of the municipality that may call a unit's contact point."""
    return [u for u in units.values() if not u.is_external and u.kind != "municipality"]


def _has_contact_point(kg: Knowledge, unit: Unit) -> bool:
    return any(c in kg.registry.contacts for c in unit.contacts)


def _single_entry(kg: Knowledge, units: Mapping[str, Unit]) -> Iterator[_Edge]:
    """The single entry (Borgerservice from 2026) hands a case to every administration."""
    administrations = [u.id for u in units.values() if u.kind == "administration"]
    for m in kg.registry.memberships.values():
        if m.role == SINGLE_ENTRY_ROLE and m.organization in units and m.member in units:
            channel = Channel("single_entry", m.id, None, m.valid_from, m.valid_until, first=True)
            for administration in administrations:
                yield m.member, administration, channel, False


def _external(kg: Knowledge, units: Mapping[str, Unit]) -> Iterator[_Edge]:
    """One-way edges out of the municipality: a path never comes back in through them."""
    externals = [u.id for u in units.values() if u.is_external]
    for unit in units.values():
        if not unit.is_external:
            for authority in externals:
                yield unit.id, authority, Channel("external", None), False


_KINDS: tuple[Callable[[Knowledge, Mapping[str, Unit]], Iterator[_Edge]], ...] = (
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
    return kg.derived("referral_graph.members", _members_by_forum).get(forum_id, set())


def _members_by_forum(kg: Knowledge) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for m in kg.registry.memberships.values():
        if m.member in kg.units:
            found.setdefault(m.organization, set()).add(m.member)
    return found


def _collaboration_root(kg: Knowledge, forum_id: str) -> str:
    current = forum_id
    seen = {current}
    while (parent := kg.forums[current].parent) in kg.forums and parent not in seen:
        seen.add(parent)
        current = parent
    return current
