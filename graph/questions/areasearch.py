"""One referral search's view of a prepared area (:class:`graph.questions.areas.Area`).

The view hands out only the channels that carry the search, each edge's cost as its data and
the neighbours in the whole graph's order, so networkx's Dijkstra and Yen's k-shortest paths
over it give exactly the whole channel graph's answers; its own Dijkstra stops once the
handlers are settled and keeps its paths as each unit's predecessor.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
from itertools import count, islice
from typing import Any

from graph.questions.areas import Area, Fixed, Rank

__all__ = ["AreaSearch", "Paths", "cost"]


class AreaSearch:
    """One search's view of an area: only the channels that carry it, each edge's cost as its
    data, neighbours in the whole graph's order. Duck-types the parts of a networkx DiGraph
    that Dijkstra and ``shortest_simple_paths`` read; use ``weight=cost``.
    """

    def __init__(
        self,
        area: Area,
        weight: Callable[[str, str, dict[str, Any]], float | None],
        handlers: frozenset[str],
    ) -> None:
        self.area = area
        self._weight = weight
        self._handlers = [h for h in handlers if h in area.called]
        self._out: dict[str, dict[str, float]] = {}
        self._into: dict[str, dict[str, float]] = {}
        self._adj = _Out(self)

    def __contains__(self, unit: object) -> bool:
        return unit in self.area.succ

    def is_directed(self) -> bool:
        return True

    def is_multigraph(self) -> bool:
        return False

    def successors(self, unit: str) -> Iterator[str]:
        return iter(self.out(unit))

    def predecessors(self, unit: str) -> Iterator[str]:
        return iter(self.into(unit))

    def get_edge_data(self, source: str, target: str, default: Any = None) -> Any:
        """The cost of ``source`` → ``target``: from whichever side is known already (a
        backward search asks for the edges into a unit, not out of its callers)."""
        known = self._out.get(source)
        if known is None:
            into = self._into.get(target)
            known = into if into is not None else self.out(source)
            return known.get(source if into is not None else target, default)
        return known.get(target, default)

    def out(self, unit: str) -> dict[str, float]:
        """The carrying edges out of ``unit``: target → cost (shared: do not change it)."""
        found = self._out.get(unit)
        if found is None:
            area, weight = self.area, self._weight
            fixed = area.fixed_out[unit]
            extra = []
            for rank, target, data in area.varying_out[unit]:
                cost = weight(unit, target, data)
                if cost is not None:
                    extra.append((rank, target, cost))
            for target in self._handlers:
                if area.calls(unit, target) and (unit, target) not in area.edges:
                    cost = weight(unit, target, area.contact_point)
                    if cost is not None:
                        extra.append((area.called_rank(unit, target), target, cost))
            found = self._out[unit] = _merged(fixed, extra)
        return found

    def into(self, unit: str) -> dict[str, float]:
        """The carrying edges into ``unit``: source → cost (shared: do not change it)."""
        found = self._into.get(unit)
        if found is None:
            area, weight = self.area, self._weight
            fixed = area.fixed_in[unit]
            extra = []
            for rank, source, data in area.varying_in[unit]:
                cost = weight(source, unit, data)
                if cost is not None:
                    extra.append((rank, source, cost))
            if unit in self._handlers:
                for rank, source in area.calls_into(unit):
                    cost = weight(source, unit, area.contact_point)
                    if cost is not None:
                        extra.append((rank, source, cost))
            found = self._into[unit] = _merged(fixed, extra)
        return found

    def dijkstra(self, origin: str, targets: frozenset[str]) -> tuple[dict[str, float], Paths]:
        """Distances and paths from ``origin``, as networkx's ``single_source_dijkstra``
        gives them (the same ties), stopping once every reachable unit of ``targets`` is
        settled (none given: every unit). Only settled units' entries are final."""
        distances: dict[str, float] = {}
        before: dict[str, str] = {}
        seen: dict[str, float] = {origin: 0}
        order = count()
        fringe: list[tuple[float, int, str]] = [(0, next(order), origin)]
        left = set(targets)
        while fringe:
            distance, _, unit = heapq.heappop(fringe)
            if unit in distances:
                continue
            distances[unit] = distance
            if left:
                left.discard(unit)
                if not left:
                    break
            for target, cost in self.out(unit).items():
                further = distance + cost
                if target not in distances and (target not in seen or further < seen[target]):
                    seen[target] = further
                    heapq.heappush(fringe, (further, next(order), target))
                    before[target] = unit
        return distances, Paths(origin, before)


class Paths(Mapping[str, list[str]]):
    """The paths of a Dijkstra search, kept as each unit's unit before it.

    A search's paths are looked up a few at a time but kept, with the search, for as long as
    it is among an area's last views: as lists (one per unit reached) they were most of the
    objects the cyclic garbage collector walks on a national server, and a full collection
    paused a referral for 60 ms. A dict of strings is not walked at all. A path is built
    when asked for, the same list networkx's ``single_source_dijkstra`` gives: the unit
    before a unit is the settled unit that last lowered its distance, and a settled unit's
    own unit before never changes again.

    >>> paths = Paths("a", {"b": "a", "c": "b"})
    >>> paths["c"], list(paths), paths == {"a": ["a"], "b": ["a", "b"], "c": ["a", "b", "c"]}
    (['a', 'b', 'c'], ['a', 'b', 'c'], True)
    """

    __slots__ = ("_before", "_origin")

    def __init__(self, origin: str, before: dict[str, str]) -> None:
        self._origin = origin
        self._before = before

    def __getitem__(self, unit: str) -> list[str]:
        if unit == self._origin:
            return [unit]
        before = self._before
        path = [unit]
        while unit in before:
            unit = before[unit]
            path.append(unit)
        if unit != self._origin:
            raise KeyError(path[0])
        path.reverse()
        return path

    def __contains__(self, unit: object) -> bool:
        return unit == self._origin or unit in self._before

    def __iter__(self) -> Iterator[str]:
        yield self._origin
        yield from self._before

    def __len__(self) -> int:
        return len(self._before) + 1


def _merged(fixed: Fixed, extra: list[tuple[Rank, str, float]]) -> dict[str, float]:
    """``fixed`` and ``extra`` edges in the whole graph's order (``extra`` is reordered).

    >>> _merged(((((0, 1, 0), "b"), ((2, 0, 0), "d")), {"b": 1.0, "d": 3.0}),
    ...         [((3, 0, 0), "e", 4.0), ((1, 5, 0), "c", 2.0)])
    {'b': 1.0, 'c': 2.0, 'd': 3.0, 'e': 4.0}
    """
    keys, costs = fixed
    if not extra:
        return costs
    extra.sort()
    merged: dict[str, float] = {}
    ordered = iter(costs.items())
    start = 0
    for rank, other, cost in extra:
        end = bisect_left(keys, (rank, other), start)
        merged.update(islice(ordered, end - start))
        merged[other] = cost
        start = end
    merged.update(ordered)
    return merged


def cost(source: str, target: str, data: float) -> float:
    """The weight function of an :class:`AreaSearch`: its edge data is the cost."""
    return data


class _Out(Mapping[str, dict[str, float]]):
    """``_adj`` of an :class:`AreaSearch`, as networkx's Dijkstra reads it."""

    def __init__(self, search: AreaSearch) -> None:
        self._search = search

    def __getitem__(self, unit: str) -> dict[str, float]:
        return self._search.out(unit)

    def __iter__(self) -> Iterator[str]:
        return iter(self._search.area.succ)

    def __len__(self) -> int:
        return len(self._search.area.succ)
