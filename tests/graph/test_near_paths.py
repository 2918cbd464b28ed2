"""The referral's near alternatives: the bounded Yen search against networkx's (issue 13).

:func:`graph.questions.nearpaths.paths_within` stops each spur search once nothing within the
bound can remain; the paths it lists, and their order (ties included), must be the ones
``networkx.shortest_simple_paths`` lists first over the same area search. Compared over the
Copenhagen data and two synthetic municipalities, for seeded questions from every kind of
unit, at the referral's own slack and at wider ones (more paths, more ties).
"""

from __future__ import annotations

import random
from datetime import date
from itertools import islice, pairwise
from pathlib import Path

import networkx as nx
import pytest

from graph import load_knowledge
from graph.data.knowledge import Knowledge
from graph.io.synthetic import generate, synthetic_source
from graph.questions.areasearch import AreaSearch, cost
from graph.questions.channels import Search, search_view, task_scope
from graph.questions.nearpaths import paths_within
from graph.questions.referral import ALTERNATIVE_SLACK

DAY = date(2026, 6, 1)
#: How many paths each comparison lists at most (the referral asks for three).
PATHS = 5


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    folder: Path = tmp_path_factory.mktemp("near-paths")
    generate(2, folder, topics=40)
    return Knowledge.from_source(synthetic_source(folder))


def _cost(graph: AreaSearch, path: list[str]) -> float:
    return sum(graph.out(a)[b] for a, b in pairwise(path))


def _networkx(graph: AreaSearch, source: str, target: str, bound: float) -> list[list[str]]:
    found = []
    for path in islice(nx.shortest_simple_paths(graph, source, target, weight=cost), PATHS):
        if _cost(graph, path) > bound:
            break
        found.append(path)
    return found


def _compared(kg: Knowledge, questions: int, seed: int) -> tuple[int, int]:
    """Compare the two on seeded questions; return (comparisons, of which with 2+ paths)."""
    picker = random.Random(seed)
    units = sorted(u.id for u in kg.units.values() if not u.is_external)
    topics = sorted({p.task for p in kg.registry.participations.values() if p.task in kg.tasks})
    compared = several = 0
    for _ in range(questions):
        origin, task = picker.choice(units), picker.choice(topics)
        handlers = frozenset(
            p.unit for p in kg.participations_by_task.get(task, ()) if p.unit in kg.units
        )
        view = search_view(kg, Search(task_scope(kg, task), DAY, handlers, origin))
        for handler in sorted(handlers & view.distances.keys() - {origin}):
            for slack in (ALTERNATIVE_SLACK, 2 * ALTERNATIVE_SLACK, 4 * ALTERNATIVE_SLACK):
                bound = view.distances[handler] + slack
                expected = _networkx(view.graph, origin, handler, bound)
                found = []
                for path in islice(paths_within(view.graph, origin, handler, bound), PATHS):
                    if _cost(view.graph, path) > bound:
                        break
                    found.append(path)
                assert found == expected, (origin, task, handler, slack)
                compared += 1
                several += len(expected) > 1
    return compared, several


def test_the_near_paths_are_networkx_s_on_the_copenhagen_data() -> None:
    compared, several = _compared(load_knowledge(), 120, seed=13)
    assert compared > 200 and several > 50


def test_the_near_paths_are_networkx_s_on_two_synthetic_municipalities(
    synthetic: Knowledge,
) -> None:
    compared, several = _compared(synthetic, 120, seed=29)
    assert compared > 200 and several > 50


def test_nothing_is_listed_when_even_the_cheapest_path_costs_more_than_the_bound() -> None:
    kg = load_knowledge()
    view = search_view(kg, Search(task_scope(kg, "kle-32.03.16"), DAY, frozenset({"bif"}), "sof"))
    best = view.distances["bif"]
    assert list(paths_within(view.graph, "sof", "bif", best - 0.5)) == []
    assert next(paths_within(view.graph, "sof", "bif", best)) == view.paths["bif"]
