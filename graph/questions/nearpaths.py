"""The next cheapest simple paths of a referral, within a bound on their cost.

A referral lists up to two other paths to its best handler when they cost at most a little
more than the best one (``ALTERNATIVE_SLACK`` in :mod:`graph.questions.referral`). These are
the paths networkx's ``shortest_simple_paths`` gives first, in its order (Yen's algorithm:
spur paths by bidirectional Dijkstra, candidates ordered by cost, ties by when they were
found), and :func:`paths_within` keeps that order and those ties. What it changes is the
work: every spur search is told how much of the bound is left, and stops as soon as no path
within it can remain undiscovered (the two frontiers' nearest distances add up to more
than that; Goldberg's stopping rule with the bound in place of the best path found). networkx
explores each spur search until the two searches meet, over the whole area, although a spur
costing more than the bound is never listed: at 100 municipalities that was 70 % of a new
question's time. ``tests/graph/test_near_paths.py`` checks the paths against networkx's.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Iterator
from itertools import count, pairwise

from graph.questions.areasearch import AreaSearch

__all__ = ["paths_within"]

#: Room for the rounding of a sum of costs (costs are small decimal numbers).
_ROUNDING = 1e-9


def paths_within(graph: AreaSearch, source: str, target: str, bound: float) -> Iterator[list[str]]:
    """The simple paths from ``source`` to ``target``, cheapest first, while they cost at
    most ``bound``: what ``networkx.shortest_simple_paths(graph, source, target,
    weight=cost)`` yields first (its cheapest path first, then the next by Yen's algorithm).

    Examples
    --------
    >>> from datetime import date
    >>> from graph import load_knowledge
    >>> from graph.questions.channels import Search, search_view, task_scope
    >>> kg = load_knowledge()
    >>> view = search_view(kg, Search(task_scope(kg, "kle-32.03.16"), date(2026, 6, 1),
    ...                                frozenset(), "sof"))
    >>> next(paths_within(view.graph, "sof", "bif", view.distances["bif"]))
    ['sof', 'bif']
    """
    listed: list[list[str]] = []
    queue: list[tuple[float, int, list[str]]] = []
    queued: set[tuple[str, ...]] = set()
    order = count()

    def push(length: float, path: list[str]) -> None:
        key = tuple(path)
        if key not in queued:
            heapq.heappush(queue, (length, next(order), path))
            queued.add(key)

    first = _spur(graph, source, target, bound + _ROUNDING, set(), set())
    if first is not None:
        push(*first)
    while queue:
        _, _, path = heapq.heappop(queue)
        queued.discard(tuple(path))
        yield path
        listed.append(path)
        ignored_units: set[str] = set()
        ignored_edges: set[tuple[str, str]] = set()
        for i in range(1, len(path)):
            root = path[:i]
            root_cost = sum(graph.out(a)[b] for a, b in pairwise(root))
            for other in listed:
                if other[:i] == root:
                    ignored_edges.add((other[i - 1], other[i]))
            left = bound - root_cost + _ROUNDING
            spur = _spur(graph, root[-1], target, left, ignored_units, ignored_edges)
            if spur is not None:
                push(root_cost + spur[0], root[:-1] + spur[1])
            ignored_units.add(root[-1])


class _Side:
    """One direction of a bidirectional search: what it settled, saw and how it got there."""

    __slots__ = ("fringe", "paths", "seen", "settled")

    def __init__(self, start: str, order: int) -> None:
        self.settled: dict[str, float] = {}
        self.seen: dict[str, float] = {start: 0}
        self.paths: dict[str, list[str]] = {start: [start]}
        self.fringe: list[tuple[float, int, str]] = [(0, order, start)]


def _spur(
    graph: AreaSearch,
    source: str,
    target: str,
    budget: float,
    ignored_units: Collection[str],
    ignored_edges: Collection[tuple[str, str]],
) -> tuple[float, list[str]] | None:
    """The cheapest path ``source`` → ``target`` avoiding the ignored units and edges, as
    networkx's bidirectional Dijkstra finds it (the same ties), if it costs at most
    ``budget``; else None (also when there is no path)."""
    if source in ignored_units or target in ignored_units:
        return None
    if source == target:
        return 0, [source]
    order = count()
    sides = (_Side(source, next(order)), _Side(target, next(order)))
    best: tuple[float, list[str]] | None = None
    turn = 1
    while sides[0].fringe and sides[1].fringe:
        if sides[0].fringe[0][0] + sides[1].fringe[0][0] > budget:
            break  # every path cheaper than the two frontiers together has been met
        turn = 1 - turn
        here, there = sides[turn], sides[1 - turn]
        distance, _, unit = heapq.heappop(here.fringe)
        if unit in here.settled:
            continue
        here.settled[unit] = distance
        if unit in there.settled:
            break
        if turn == 0:
            edges = ((b, w) for b, w in graph.out(unit).items() if (unit, b) not in ignored_edges)
        else:
            edges = ((a, w) for a, w in graph.into(unit).items() if (a, unit) not in ignored_edges)
        met = _relax(sides, turn, unit, edges, ignored_units, order)
        if met is not None and (best is None or best[0] > met[0]):
            best = met
    else:
        return None  # a frontier ran out before the two searches met: networkx finds no path
    return best if best is not None and best[0] <= budget else None


def _relax(
    sides: tuple[_Side, _Side],
    turn: int,
    unit: str,
    edges: Iterable[tuple[str, float]],
    ignored_units: Collection[str],
    order: Iterator[int],
) -> tuple[float, list[str]] | None:
    """Relax ``unit``'s edges on the side whose turn it is; return the cheapest meeting of
    the two searches the relaxations found (the first of equal ones), if any."""
    here, there = sides[turn], sides[1 - turn]
    distance = here.settled[unit]
    best: tuple[float, list[str]] | None = None
    for other, weight in edges:
        if other in ignored_units or other in here.settled:
            continue
        further = distance + weight
        if other not in here.seen or further < here.seen[other]:
            here.seen[other] = further
            heapq.heappush(here.fringe, (further, next(order), other))
            here.paths[other] = [*here.paths[unit], other]
            if other in there.seen:
                total = sides[0].seen[other] + sides[1].seen[other]
                if best is None or best[0] > total:
                    best = (total, sides[0].paths[other] + sides[1].paths[other][-2::-1])
    return best
