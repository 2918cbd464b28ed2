"""The networks the pages draw, on the real data: what repeats is one node, few colours."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from graph.data.knowledge import Knowledge
from graph.questions.dependencies import dependencies
from graph.render.embed import network_legend
from graph.render.networks import (
    DEFAULT_RELATIONS,
    RELATION_LABELS,
    collaboration_network,
    neighbourhood_network,
)

EVERYTHING = [r for r in RELATION_LABELS if r != "broader"]


def test_the_main_relations_are_the_default(kg: Knowledge) -> None:
    network, total = neighbourhood_network(kg, "unit/bif")
    assert {edge["relation"] for edge in network.edges} == set(DEFAULT_RELATIONS)
    assert total == len(network.nodes) < 60  # 79 nodes before what repeats was gathered


def test_eight_posts_of_one_name_are_one_node(kg: Knowledge) -> None:
    network, _ = neighbourhood_network(kg, "unit/sof", 2, EVERYTHING)
    posts = [node for node in network.nodes if node["kind"] == "post" and node.get("grouped")]
    assert [node["label"] for node in posts] == ["Kontaktperson for BIF–SOF-samarbe… (8)"]
    assert posts[0]["title"].count("\n") == 8  # the label, then each post's name
    counted = Counter((node["kind"], node["label"]) for node in network.nodes)
    assert max(counted.values()) == 1  # no two nodes alike


def test_the_tasks_of_one_sub_unit_are_one_node(kg: Knowledge) -> None:
    network, _ = neighbourhood_network(kg, "unit/kk", 2)
    groups = {node["id"]: node for node in network.nodes if node.get("grouped")}
    # BIF's six sub-units: four hang on BIF alone; two take part in tasks of their own
    assert groups["gruppe:unit:unit/bif"]["label"] == "Enheder (4)"
    assert {"unit/bif-jobcenter", "unit/bif-visitationsteam"} <= {n["id"] for n in network.nodes}
    tasks = [node for node in groups.values() if node["kind"] == "task"]
    assert tasks and all(re.fullmatch(r"Opgaver \(\d+\)", node["label"]) for node in tasks)
    big = max(tasks, key=lambda node: node["grouped"])
    assert big["title"].splitlines()[-1].startswith("… og ")  # twelve named, the rest counted
    edges = [e for e in network.edges if e["from"] == big["id"] or e["to"] == big["id"]]
    assert len(edges) == 1  # a leaf group hangs on its one unit


def test_what_hangs_on_the_centre_is_not_gathered(kg: Knowledge) -> None:
    network, _ = neighbourhood_network(kg, "unit/bif-jobcenter", 2)
    ids = {node["id"] for node in network.nodes}
    assert "task/kle-32.03.16" in ids  # the jobcenter's own task keeps its node


@pytest.mark.parametrize("centre", ["unit/bif", "unit/sof", "unit/kk", "unit/bif-jobcenter"])
def test_at_most_five_line_colours_and_a_legend_for_each(kg: Knowledge, centre: str) -> None:
    network, _ = neighbourhood_network(kg, centre, 2, EVERYTHING)
    colours = {edge["color"] for edge in network.edges}
    lines = network_legend(network)["relations"]
    assert len(colours) <= 5 and {line["colour"] for line in lines} == colours


def test_collaboration_is_drawn_in_five_columns(kg: Knowledge) -> None:
    network = collaboration_network(kg, dependencies(kg, ["bif", "sof"]))
    level = {node["id"]: node["level"] for node in network.nodes}
    assert (level["bif"], level["sof"]) == (0, 4)
    assert level["bif-jobcenter"] == 1 and level["forum/bif-sof"] == 2
    assert network.options["layout"]["hierarchical"]["direction"] == "LR"
