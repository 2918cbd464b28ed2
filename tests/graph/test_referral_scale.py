"""The referral search at national scale, on two synthetic municipalities (issue 13).

A referral from a unit searches its municipality and the shared outside authorities only;
the prepared area search gives the answers the whole-graph networkx search gives over the
same units (distances, paths and the near alternatives), prepared once per snapshot and area.
"""

from __future__ import annotations

import random
from contextlib import suppress
from datetime import date
from itertools import islice
from pathlib import Path

import networkx as nx
import pytest

from graph.data.knowledge import Knowledge
from graph.errors import NoReferralPathError
from graph.io.synthetic import generate, synthetic_source
from graph.questions.areas import OUTSIDE, VIEWS, area_of, area_units, search_views
from graph.questions.areasearch import cost
from graph.questions.channels import (
    Search,
    channel_weight,
    prepared,
    referral_graph,
    search_view,
    task_scope,
)
from graph.questions.referral import ReferralAnswer, referral_path

DAY = date(2026, 6, 1)


@pytest.fixture(scope="module")
def kg(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    folder: Path = tmp_path_factory.mktemp("two-municipalities")
    generate(2, folder, topics=30)
    return Knowledge.from_source(synthetic_source(folder))


def _questions(kg: Knowledge, count: int) -> list[tuple[str, str]]:
    """Seeded questions: a unit of either municipality, a topic some unit handles."""
    picker = random.Random(13)
    units = sorted(u.id for u in kg.units.values() if not u.is_external)
    topics = sorted({p.task for p in kg.registry.participations.values() if p.task in kg.tasks})
    return [(picker.choice(units), picker.choice(topics)) for _ in range(count)]


def _units_on(answer: ReferralAnswer) -> set[str]:
    hops = [*answer.hops]
    hops += [hop for alternative in answer.alternatives for hop in alternative.hops]
    hops += [hop for branch in answer.branches for hop in branch.hops]
    return {unit for hop in hops for unit in (hop.source, hop.target)}


def test_two_municipalities_and_the_outside_authorities_are_three_areas(kg: Knowledge) -> None:
    for unit in kg.units.values():
        home = unit.id[:6] if unit.id.startswith("syn00") else "kk"  # KLE's named authority
        assert area_of(kg, unit.id) == (OUTSIDE if unit.is_external else home), unit.id
    outside = area_units(kg, OUTSIDE)
    assert outside and all(unit.is_external for unit in outside.values())
    own = area_units(kg, "syn001")
    assert set(outside) < set(own)
    assert not any(unit.startswith("syn002") for unit in own)


def test_a_referral_never_routes_through_another_municipality(kg: Knowledge) -> None:
    answered = 0
    for unit, task in _questions(kg, 60):
        for complaint in (False, True):
            try:
                answer = referral_path(kg, unit, task, complaint=complaint, as_of=DAY)
            except NoReferralPathError:
                continue
            answered += 1
            home = area_of(kg, unit)
            assert {area_of(kg, u) for u in _units_on(answer)} <= {home, OUTSIDE}, (unit, task)
            assert area_of(kg, answer.target.unit) in {home, OUTSIDE}
    assert answered > 60


def test_the_same_task_is_answered_inside_each_municipality(kg: Knowledge) -> None:
    first = referral_path(kg, "syn001-f1-c1", "kle-32.03.16", as_of=DAY)
    second = referral_path(kg, "syn002-f1-c1", "kle-32.03.16", as_of=DAY)
    assert first.target.unit.startswith("syn001") and second.target.unit.startswith("syn002")
    assert [h.via for h in first.hops] == [h.via for h in second.hops]


def test_the_area_search_gives_the_whole_graph_search_over_the_same_units(
    kg: Knowledge,
) -> None:
    """The slow path of before (networkx over the whole channel graph with a weight function,
    limited to the area's units) against the prepared area search: same distances, same
    paths, same next-cheapest paths, in the same order."""
    whole = referral_graph(kg)
    compared = 0
    for unit, task in _questions(kg, 15):
        handlers = frozenset(
            p.unit for p in kg.participations_by_task.get(task, ()) if p.unit in kg.units
        )
        search = Search(task_scope(kg, task), DAY, handlers, unit)
        graph = whole.subgraph(area_units(kg, area_of(kg, unit)))
        weight = channel_weight(search)
        distances, paths = nx.single_source_dijkstra(graph, unit, weight=weight)
        view = search_view(kg, search)
        reached = handlers & distances.keys()
        assert reached == handlers & view.distances.keys()
        assert {h: (view.distances[h], view.paths[h]) for h in reached} == {
            h: (distances[h], paths[h]) for h in reached
        }
        everything = search_view(kg, search._replace(handlers=frozenset()))
        assert (everything.distances, everything.paths) == nx.single_source_dijkstra(
            graph, unit, weight=channel_weight(search._replace(handlers=frozenset()))
        )
        for handler in sorted(reached - {unit})[:2]:
            slow = list(islice(nx.shortest_simple_paths(graph, unit, handler, weight=weight), 3))
            fast = list(islice(nx.shortest_simple_paths(view.graph, unit, handler, cost), 3))
            assert fast == slow
            compared += 1
    assert compared > 5


def test_each_area_is_prepared_once_per_snapshot(kg: Knowledge) -> None:
    first = prepared(kg, "syn001-f1")
    assert prepared(kg, "syn001-f1-c1") is first
    assert prepared(kg, "syn002-f1") is not first
    assert not first.members & prepared(kg, "syn002-f1").members - area_units(kg, OUTSIDE).keys()


def test_a_snapshot_keeps_only_its_last_searches_and_answers_the_same_after_forgetting(
    kg: Knowledge,
) -> None:
    """A server answering for years must not keep every search it ran, nor a number per
    municipality: a snapshot keeps the last :data:`~graph.questions.areas.VIEWS` of all its
    areas together; a question asked again after its search was forgotten gets the same
    answer."""
    first = referral_path(kg, "syn001-f1-c1", "kle-32.03.16", as_of=DAY)
    asked: set[str] = set()
    for municipality in ("syn001", "syn002"):
        area = prepared(kg, f"{municipality}-f1")
        units = sorted(u for u in area.members if u.startswith(municipality))
        for unit in units:
            for task in ("kle-32.03.16", "kle-27.12.00"):
                with suppress(NoReferralPathError):
                    referral_path(kg, unit, task, as_of=DAY)
                asked.add(area_of(kg, unit))
    kept = list(search_views(kg))
    assert len(kept) == VIEWS
    assert {area_of(kg, key[0]) for key in kept} == {"syn002"}, "the oldest went first"
    assert asked == {"syn001", "syn002"}
    again = referral_path(kg, "syn001-f1-c1", "kle-32.03.16", as_of=DAY)
    assert again == first
