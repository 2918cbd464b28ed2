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
from collections.abc import Collection, Iterator
from itertools import count, pairwise

from graph.questions.areas import AreaSearch

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
    settled: tuple[dict[str, float], dict[str, float]] = ({}, {})
    seen: tuple[dict[str, float], dict[str, float]] = ({source: 0}, {target: 0})
    paths: tuple[dict[str, list[str]], dict[str, list[str]]] = (
        {source: [source]},
        {target: [target]},
    )
    order = count()
    fringes: tuple[list[tuple[float, int, str]], list[tuple[float, int, str]]] = (
        [(0, next(order), source)],
        [(0, next(order), target)],
    )
    best: tuple[float, list[str]] | None = None
    side = 1
    while fringes[0] and fringes[1]:
        if fringes[0][0][0] + fringes[1][0][0] > budget:
            # Every path cheaper than the two frontiers together has been met already.
            return best if best is not None and best[0] <= budget else None
        side = 1 - side
        distance, _, unit = heapq.heappop(fringes[side])
        if unit in settled[side]:
            continue
        settled[side][unit] = distance
        if unit in settled[1 - side]:
            return best if best is not None and best[0] <= budget else None
        edges = graph.out(unit) if side == 0 else graph.into(unit)
        for other, weight in edges.items():
            if other in ignored_units:
                continue
            if (unit, other) in ignored_edges if side == 0 else (other, unit) in ignored_edges:
                continue
            further = distance + weight
            if other in settled[side]:
                continue
            if other not in seen[side] or further < seen[side][other]:
                seen[side][other] = further
                heapq.heappush(fringes[side], (further, next(order), other))
                paths[side][other] = [*paths[side][unit], other]
                if other in seen[1 - side]:
                    total = seen[0][other] + seen[1][other]
                    if best is None or best[0] > total:
                        best = (total, paths[0][other] + paths[1][other][-2::-1])
    return None
