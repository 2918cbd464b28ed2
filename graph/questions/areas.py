"""The referral search's prepared graph: one municipality's channels, built when first asked.

A referral from a unit searches the unit's *area*: its municipality (the top of its
hierarchy) and the outside authorities every municipality shares, never another
municipality's units; an outside authority's area is the outside authorities alone. Each
area's channels are prepared once per snapshot, when a referral first comes from it, so the
first referral after a load or an edit costs the size of one municipality, not the nation's.

The channel graph of :func:`graph.questions.channels.referral_graph` holds a contact-point
edge from every unit of the municipality to every unit with a contact point of its own (a
last hop only, into a handler): at national scale most of its edges. The prepared area keeps
the other edges and leaves those implicit; a search adds them into its handlers alone. It
hands its neighbours out in the order the whole graph has them, with the same weights, so
networkx's Dijkstra and Yen's k-shortest paths over it give exactly the whole graph's answers.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from graph.data.knowledge import Knowledge
from graph.data.model import Unit

__all__ = [
    "OUTSIDE",
    "Area",
    "Fixed",
    "Rank",
    "SearchViews",
    "area_of",
    "area_units",
    "prepared_area",
    "search_views",
]

T = TypeVar("T")

#: The area of the outside authorities (shared by every municipality).
OUTSIDE = ""

#: How many searches' views a snapshot keeps, over all its areas (the most recently used).
#: A view is a Dijkstra search's distances, paths and the edges it looked at: about 0.2 MB
#: for a municipality's area (2,000 referrals over ten municipalities of the synthetic
#: national data). A count per area would let a national server's memory grow with the
#: number of municipalities (a hundred areas of 64 views: 1.3 GB); one bound for all keeps it
#: near 50 MB while the questions asked again in any area stay warm.
VIEWS = 256

#: Where a pair of units was first given a channel: (kind, then order within it); the whole
#: graph lists a unit's neighbours in this order.
Rank = tuple[int, int, int]
#: A unit's edges whose cost no search changes: their (rank, other unit) in order, and the
#: same edges as a dict (other unit → cost, in that order). A plain tuple of strings, numbers
#: and such a dict: the cyclic garbage collector stops walking it after its first look.
Fixed = tuple[tuple[tuple[Rank, str], ...], dict[str, float]]
#: A unit's edges whose cost depends on the search: rank, other unit, edge data.
_Varying = tuple[tuple[Rank, str, dict[str, Any]], ...]


@dataclass(slots=True)
class Area:
    """One area's channels: the explicit edges, and the implicit contact-point ones.

    ``edges`` maps a pair to the whole graph's edge data; ``succ``/``pred`` list each unit's
    explicit neighbours in the whole graph's order; a contact-point edge leads from every
    unit of ``callers`` to every other unit of ``called`` that it has no explicit edge to.
    """

    units: tuple[str, ...]
    edges: dict[tuple[str, str], dict[str, Any]]
    rank: dict[tuple[str, str], Rank]
    succ: dict[str, tuple[str, ...]]
    pred: dict[str, tuple[str, ...]]
    callers: dict[str, int]
    called: dict[str, int]
    contact_point: dict[str, Any]
    contact_kind: int
    #: Per unit, the edges out of it (and into it) whose cost is the same for every search
    #: (target → cost, in order), and the others with their rank and data.
    fixed_out: dict[str, Fixed] = field(default_factory=dict)
    varying_out: dict[str, _Varying] = field(default_factory=dict)
    fixed_in: dict[str, Fixed] = field(default_factory=dict)
    varying_in: dict[str, _Varying] = field(default_factory=dict)
    #: What the searches over the area differ by (see :meth:`varying`).
    searches: dict[Any, Any] = field(default_factory=dict)
    #: The area's units, as a set.
    members: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.members = frozenset(self.units)
        for unit in self.units:
            self.fixed_out[unit], self.varying_out[unit] = self._split(
                (self.rank[unit, t], t, self.edges[unit, t]) for t in self.succ[unit]
            )
            self.fixed_in[unit], self.varying_in[unit] = self._split(
                (self.rank[s, unit], s, self.edges[s, unit]) for s in self.pred[unit]
            )

    @staticmethod
    def _split(
        edges: Iterable[tuple[Rank, str, dict[str, Any]]],
    ) -> tuple[Fixed, _Varying]:
        # Tuples, not lists: tuples (and dicts) of strings and numbers drop out of the cyclic
        # collector's walks, and a national server keeps a hundred areas of them.
        fixed: list[tuple[Rank, str, float]] = []
        varying = []
        for rank, unit, data in edges:
            if data["conditional"]:
                varying.append((rank, unit, data))
            else:
                fixed.append((rank, unit, data["plain"]))
        keys = tuple((rank, unit) for rank, unit, _ in fixed)
        return (keys, {unit: cost for _, unit, cost in fixed}), tuple(varying)

    def varying(self) -> tuple[tuple[frozenset[str], ...], tuple[Any, ...]]:
        """What a search over the area can differ by: the channels' scopes and the dated
        channels (both in a fixed order)."""
        if "varying" not in self.searches:
            scopes: set[frozenset[str]] = set()
            dated: set[Any] = set()
            for data in self.edges.values():
                for channel in data["channels"]:
                    if channel.scope is not None:
                        scopes.add(channel.scope)
                    if channel.valid_from is not None or channel.valid_until is not None:
                        dated.add(channel)
            self.searches["varying"] = (
                tuple(sorted(scopes, key=sorted)),
                tuple(sorted(dated, key=lambda c: (c.via, c.through or ""))),
            )
        found: tuple[tuple[frozenset[str], ...], tuple[Any, ...]] = self.searches["varying"]
        return found

    def data(self, source: str, target: str) -> dict[str, Any] | None:
        """The edge data of ``source`` → ``target`` as the whole graph has it, or ``None``."""
        found = self.edges.get((source, target))
        if found is None and self.calls(source, target):
            return self.contact_point
        return found

    def calls(self, source: str, target: str) -> bool:
        return source != target and source in self.callers and target in self.called

    def called_rank(self, source: str, target: str) -> Rank:
        return (self.contact_kind, self.called[target], self.callers[source])

    def calls_into(self, target: str) -> Iterator[tuple[Rank, str]]:
        """The implicit contact-point edges into ``target``, in order."""
        if target in self.called:
            for source in self.callers:
                if source != target and (source, target) not in self.edges:
                    yield self.called_rank(source, target), source


class SearchViews:
    """The last :data:`VIEWS` searches' views of a snapshot, over all its areas (safe from
    several request threads at once), so that a server answering for years does not grow.

    >>> views = SearchViews(2)
    >>> [views.get(key, lambda key=key: key.upper()) for key in "abca"]
    ['A', 'B', 'C', 'A']
    >>> list(views)
    ['c', 'a']
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._views: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any, build: Callable[[], T]) -> T:
        """The view of the search ``key``, built by ``build`` if it is not among the kept."""
        with self._lock:
            found = self._views.get(key)
            if found is not None:
                self._views.move_to_end(key)
                return found  # type: ignore[no-any-return]
        made = build()
        with self._lock:
            found = self._views.setdefault(key, made)  # another thread's, if it came first
            while len(self._views) > self.size:
                self._views.popitem(last=False)
        return found  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[Any]:
        with self._lock:
            return iter(list(self._views))

    def __len__(self) -> int:
        return len(self._views)


def search_views(kg: Knowledge) -> SearchViews:
    """The snapshot's kept search views (see :class:`SearchViews`)."""
    return kg.derived("referral_graph.views", lambda kg: SearchViews(VIEWS))


def area_of(kg: Knowledge, unit_id: str) -> str:
    """The area a unit's referrals search: its municipality, or :data:`OUTSIDE`.

    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> area_of(kg, "sof-borgercenter-handicap"), area_of(kg, "ankestyrelsen")
    ('kk', '')
    """
    return _areas(kg)[0][unit_id]


def area_units(kg: Knowledge, area: str) -> dict[str, Unit]:
    """The units an area's referrals pass through, in the snapshot's order: the area's own and
    the outside authorities.

    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> list(area_units(kg, "kk")) == list(kg.units)  # Copenhagen: one municipality
    True
    """
    by_area = _areas(kg)[1]
    order = _areas(kg)[2]
    ids = sorted({*by_area.get(area, ()), *by_area.get(OUTSIDE, ())}, key=order.__getitem__)
    return {unit_id: kg.units[unit_id] for unit_id in ids}


def prepared_area(
    kg: Knowledge,
    area: str,
    build: Callable[[Knowledge, Mapping[str, Unit]], Iterator[tuple[str, str, Any, bool, int]]],
    merge: Callable[[frozenset[Any]], dict[str, Any]],
    contact_point: Callable[[Mapping[str, Unit]], tuple[Any, int, list[str], list[str]]],
) -> Area:
    """The area's prepared channels (cached on the snapshot).

    ``build`` yields every explicit channel (from, to, channel, both ways, kind index) of the
    area's units; ``merge`` turns a pair's channels into its edge data; ``contact_point`` is
    the implicit channel, its kind index, the units that call and the units called (of the
    area's units, given).
    """

    def make(kg: Knowledge) -> Area:
        units = area_units(kg, area)
        channel, kind, callers, called = contact_point(units)
        caller_index = {u: i for i, u in enumerate(callers)}
        called_index = {u: i for i, u in enumerate(called)}
        channels: dict[tuple[str, str], set[Any]] = {}
        rank: dict[tuple[str, str], Rank] = {}
        for seq, (a, b, found, both, index) in enumerate(build(kg, units)):
            if a == b or a not in units or b not in units:
                continue
            for turn, pair in enumerate(((a, b), (b, a)) if both else ((a, b),)):
                if pair not in channels:
                    channels[pair] = set()
                    rank[pair] = (index, seq, turn)
                channels[pair].add(found)
        for source, target in channels:
            if source != target and source in caller_index and target in called_index:
                channels[source, target].add(channel)
                implicit = (kind, called_index[target], caller_index[source])
                rank[source, target] = min(rank[source, target], implicit)
        ordered = sorted(channels, key=rank.__getitem__)
        # Pairs with the same channels share one edge data (at 1x, 7,968 pairs have 65 kinds
        # of data): far fewer objects to keep and for the garbage collector to walk.
        shared: dict[frozenset[Any], dict[str, Any]] = {}
        edges = {}
        for pair in ordered:
            key = frozenset(channels[pair])
            if key not in shared:
                shared[key] = merge(key)
            edges[pair] = shared[key]
        succ: dict[str, list[str]] = {u: [] for u in units}
        pred: dict[str, list[str]] = {u: [] for u in units}
        for source, target in ordered:
            succ[source].append(target)
            pred[target].append(source)
        return Area(
            units=tuple(units),
            edges=edges,
            rank=rank,
            succ={unit: tuple(targets) for unit, targets in succ.items()},
            pred={unit: tuple(sources) for unit, sources in pred.items()},
            callers=caller_index,
            called=called_index,
            contact_point=merge(frozenset({channel})),
            contact_kind=kind,
        )

    return kg.derived(f"referral_graph.area.{area}", make)


def _areas(kg: Knowledge) -> tuple[dict[str, str], dict[str, list[str]], dict[str, int]]:
    """Each unit's area, each area's units, and each unit's place in the snapshot's order."""
    return kg.derived("referral_graph.areas", _build_areas)


def _build_areas(kg: Knowledge) -> tuple[dict[str, str], dict[str, list[str]], dict[str, int]]:
    area: dict[str, str] = {}
    for unit in kg.units.values():
        area[unit.id] = OUTSIDE if unit.is_external else _top(kg, unit)
    by_area: dict[str, list[str]] = {}
    for unit_id, name in area.items():
        by_area.setdefault(name, []).append(unit_id)
    return area, by_area, {unit_id: i for i, unit_id in enumerate(kg.units)}


def _top(kg: Knowledge, unit: Unit) -> str:
    """The municipality above ``unit`` (the top of its hierarchy)."""
    current, seen = unit, {unit.id}
    while current.kind != "municipality" and current.parent in kg.units:
        if current.parent in seen:
            break
        seen.add(current.parent)
        current = kg.units[current.parent]
    return current.id
