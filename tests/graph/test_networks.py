"""The offline, escaped pyvis network: its data, its standalone page and notebook frame."""

from __future__ import annotations

import re

from pyvis.network import Network

from graph.data.knowledge import Knowledge
from graph.render.embed import network_asset_files, network_frame, network_page
from graph.render.networks import referral_network

EVIL = "<img src=x onerror=alert(1)>"
REMOTE = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I
)


def evil_network() -> Network:
    network = Network()
    network.add_node("a", label=EVIL, title=f"</script><script>alert(2)</script>{EVIL}")
    network.add_node("b", label="Fritid & Idræt")
    network.add_edge("a", "b", title=EVIL)
    return network


def test_vis_network_comes_from_the_pyvis_wheel() -> None:
    files = network_asset_files()
    assert files["vis_js"].is_file() and files["vis_css"].is_file()
    assert "vis-network" in files["vis_js"].read_text(encoding="utf-8")[:400]


def test_network_page_loads_nothing_from_the_web() -> None:
    page = network_page(evil_network(), heading="Test")
    assert not REMOTE.search(page)
    assert not re.search(r"<script\b[^>]*\bsrc|<link\b", page, re.I), "everything is inline"
    assert "cdnjs" not in page and "jsdelivr" not in page and "bootstrap" not in page.lower()
    assert "default-src 'none'" in page
    assert "new vis.Network(" in page


def test_labels_and_titles_appear_only_escaped() -> None:
    page = network_page(evil_network(), heading=EVIL)
    assert EVIL not in page
    assert "</script><script>alert(2)" not in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page  # inside the JSON data
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the heading, as HTML text
    assert "Fritid \\u0026 Idræt" in page  # shown as "Fritid & Idræt" on the canvas
    assert "textContent" in page  # tooltips are text nodes, never HTML


def test_a_web_page_can_serve_vis_network_itself() -> None:
    page = network_page(
        evil_network(),
        script_url="/static/vis-network.min.js",
        stylesheet_url="/static/vis-network.css",
    )
    assert '<script src="/static/vis-network.min.js"></script>' in page
    assert 'href="/static/vis-network.css"' in page
    assert not REMOTE.search(page)
    assert len(page) < 20_000


def test_notebook_frame_is_sandboxed_and_escaped() -> None:
    frame = str(network_frame(evil_network(), heading=EVIL))
    assert frame.startswith('<iframe sandbox="allow-scripts"')
    assert EVIL not in frame
    assert "&lt;script&gt;" in frame  # the whole page, escaped into srcdoc
    assert frame.count("<") == 2  # <iframe …> and </iframe>: nothing else is markup


def test_referral_network_of_the_real_data(kg: Knowledge) -> None:
    network = referral_network(kg)
    ids = {node["id"] for node in network.nodes}
    assert ids == {u.id for u in kg.units.values() if not u.is_external and u.kind != "political"}
    kff = next(node for node in network.nodes if node["id"] == "kff")
    assert "Stafetten passerer" in kff["title"]
    assert all(edge["title"] for edge in network.edges)
    subset = referral_network(kg, units=kg.subtree("bif") | kg.subtree("sof"))
    assert {node["id"] for node in subset.nodes} == kg.subtree("bif") | kg.subtree("sof")
