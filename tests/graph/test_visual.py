"""Charts and the offline, escaped pyvis network."""

from __future__ import annotations

import re

from pyvis.network import Network

from graph.data.knowledge import Knowledge
from graph.questions.whatif import without_forum
from graph.render.visual import (
    Chart,
    html_table,
    key_figures,
    network_frame,
    network_page,
    plot_bottlenecks,
    plot_overlap_matrix,
    plot_process_chain,
    plot_what_if,
    referral_network,
    vis_network_files,
)

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
    files = vis_network_files()
    assert files["js"].is_file() and files["css"].is_file()
    assert "vis-network" in files["js"].read_text(encoding="utf-8")[:400]


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


def test_html_table_escapes_and_reaches_into_rows() -> None:
    table = str(
        html_table(
            [{"task": {"notation": "27.60"}, "units": [{"label": EVIL}], "n": 2813}],
            {"task.notation": "KLE", "units": "Enheder", "n": "Antal"},
        )
    )
    assert "<td>27.60</td>" in table
    assert EVIL not in table and "&lt;img" in table
    assert "<td>2.813</td>" in table


def test_charts_are_pngs_without_metadata_urls(kg: Knowledge) -> None:
    for chart in (
        plot_bottlenecks(kg),
        plot_overlap_matrix(kg, "matrix"),
        plot_process_chain(kg, "kle-32.03.16"),
        plot_what_if(without_forum(kg, "bif-sof")),
    ):
        assert isinstance(chart, Chart)
        png = chart.png()
        assert png.startswith(b"\x89PNG") and b"http" not in png
        assert chart._repr_png_()[:4] == b"\x89PNG"
        assert chart.data_uri().startswith("data:image/png;base64,")


def test_key_figures_are_cards(kg: Knowledge) -> None:
    html = key_figures(kg)._repr_html_()
    assert "opgaver uden ansvarlig" in html and "Kultur- og Fritidsforvaltningen" in html
