"""A network as data for a renderer, as a standalone page, or as a notebook frame.

The interactive network is built with pyvis but rendered with our own template
(``graph/render/templates/network.html``) and script (``network.js``): pyvis's own
templates load vis-network and Bootstrap from CDNs and put node text into the page
unescaped. A standalone page inlines vis-network from the copy the pyvis wheel ships and
our renderer, embeds the data as a JSON literal with ``<``, ``>`` and ``&`` escaped (so no
text can end the script), and turns every tooltip into a text node (so no text is parsed as
HTML). A Content-Security-Policy forbids any request outside the page.

A web app that draws networks serves :func:`network_asset_files` itself, at addresses it
chooses, and hands :func:`network_data` to the renderer.
"""

from __future__ import annotations

import html
import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from graph.present.vocabulary import ADMINISTRATION_LABELS
from graph.render.networks import RELATION_LABELS
from graph.render.nodes import kind_name
from graph.render.style import COLOURS, KIND_STYLES, RELATION_COLOURS
from graph.render.tables import HtmlBlock

__all__ = [
    "VIS_NETWORK_VERSION",
    "administration_groups",
    "network_asset_files",
    "network_data",
    "network_frame",
    "network_legend",
    "network_page",
    "script_json",
]

TEMPLATES = Path(__file__).parent / "templates"
#: The vis-network the pyvis wheel ships (dual licensed Apache-2.0 / MIT).
VIS_NETWORK_VERSION = "9.1.2"


def network_asset_files() -> dict[str, Path]:
    """The files that draw a network: vis-network's script and stylesheet, our renderer.

    vis-network is the copy inside the pyvis wheel (no CDN); the renderer is Stafet's own
    ``graph/render/templates/network.js``, so that a page and a notebook draw the same way.
    :func:`network_page` inlines them; a web app serves them.

    >>> sorted(network_asset_files())
    ['renderer', 'vis_css', 'vis_js']
    """
    folder = Path(str(files("pyvis"))) / "lib" / f"vis-{VIS_NETWORK_VERSION}"
    return {
        "vis_js": folder / "vis-network.min.js",
        "vis_css": folder / "vis-network.css",
        "renderer": TEMPLATES / "network.js",
    }


def network_legend(network: Any) -> dict[str, list[dict[str, str]]]:
    """What the colours and shapes of a network mean: for a legend beside it.

    ``administrations``: the administrations whose units are drawn (key, label, colour);
    ``kinds``: the kinds of node (kind, Danish name, shape); ``relations``: the line
    colours drawn (at most five), each with the relations drawn in it (the first
    relation's key, their Danish names, the colour).

    >>> from graph import load_knowledge
    >>> from graph.render.networks import RELATION_LABELS, neighbourhood_network
    >>> everything = [r for r in RELATION_LABELS if r != "broader"]
    >>> network, _ = neighbourhood_network(load_knowledge(), "unit/sof", 2, everything)
    >>> lines = network_legend(network)["relations"]
    >>> len(lines), lines[0]["label"]
    (5, 'hører under, er del af')
    """
    groups = {node.get("administration") for node in network.nodes if node.get("administration")}
    kinds = {node.get("kind") for node in network.nodes}
    relations = {edge.get("relation") for edge in network.edges}
    return {
        "administrations": [
            {"key": key, "label": ADMINISTRATION_LABELS[key], "colour": COLOURS[key]}
            for key in ADMINISTRATION_LABELS
            if key in groups
        ],
        "kinds": [
            {"kind": kind, "label": kind_name(kind), "shape": shape}
            for kind, (shape, _) in KIND_STYLES.items()
            if kind in kinds
        ],
        "relations": _line_colours(relations),
    }


def _line_colours(relations: set[str | None]) -> list[dict[str, str]]:
    """One legend entry per line colour: the relations drawn in it, named together."""
    by_colour: dict[str, list[str]] = {}
    for relation in RELATION_LABELS:
        if relation in relations:
            by_colour.setdefault(RELATION_COLOURS[relation], []).append(relation)
    return [
        {
            "relation": drawn[0],
            "label": ", ".join(RELATION_LABELS[r] for r in drawn),
            "colour": colour,
        }
        for colour, drawn in by_colour.items()
    ]


def administration_groups() -> dict[str, dict[str, str]]:
    """Every administration key's short label and colour (to cluster by administration)."""
    return {
        key: {"label": label, "colour": COLOURS[key]}
        for key, label in ADMINISTRATION_LABELS.items()
    }


@cache
def _inline_assets() -> tuple[str, str, str]:
    paths = network_asset_files()
    js, css, renderer = (
        paths[key].read_text(encoding="utf-8") for key in ("vis_js", "vis_css", "renderer")
    )
    return js, css, renderer


def script_json(value: Any) -> Markup:
    """``value`` as JSON that is safe inside a ``<script>`` element.

    Escaping ``<``, ``>`` and ``&`` means no text from the data can close the element or
    open a comment in it; the result is still valid JSON (and JavaScript).

    >>> str(script_json({"label": "</script>"}))
    '{"label":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return Markup(text)  # escaped above for the script context


def network_data(network: Any, **extra: Any) -> dict[str, Any]:
    """The network as :func:`network_page` and the web app hand it to the renderer.

    ``{"nodes", "edges", "options", "stafet"}``; ``extra`` fills ``stafet`` (see
    ``graph/render/templates/network.js``: ``cluster``, ``groups``, ``focusable``, ``focus``).
    """
    nodes, edges, _, _, _, options = network.get_network_data()
    data: dict[str, Any] = {"nodes": nodes, "edges": edges, "options": json.loads(options)}
    if extra:
        data["stafet"] = extra
    return data


@cache
def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
    )


def network_page(
    network: Any,
    heading: str = "",
    height: int = 640,
    script_url: str | None = None,
    stylesheet_url: str | None = None,
) -> str:
    """A complete HTML page showing a pyvis network, with no request outside the page.

    vis-network is inlined from the pyvis wheel unless ``script_url`` and
    ``stylesheet_url`` name where the web app serves it (same origin).

    Examples
    --------
    >>> from pyvis.network import Network
    >>> net = Network()
    >>> net.add_node("a", label="<img src=x onerror=alert(1)>")
    >>> page = network_page(net, heading="<b>Test</b>")
    >>> "<img src=x" in page, "\\\\u003cimg src=x onerror=alert(1)\\\\u003e" in page
    (False, True)
    >>> "&lt;b&gt;Test&lt;/b&gt;" in page
    True
    """
    js, css, renderer = _inline_assets()
    if script_url:
        js, css = "", ""
    return (
        _templates()
        .get_template("network.html")
        .render(
            heading=heading,
            height=height,
            data=script_json(network_data(network)),
            vis_js=Markup(js),  # the file shipped in the pyvis wheel
            vis_css=Markup(css),  # the file shipped in the pyvis wheel
            renderer_js=Markup(renderer),  # our own file, next to the template
            script_url=script_url,
            stylesheet_url=stylesheet_url,
        )
    )


def network_frame(network: Any, heading: str = "", height: int = 640) -> HtmlBlock:
    """The network page in a sandboxed ``<iframe srcdoc>``, for a notebook cell.

    The frame may run scripts but has no origin of its own (``sandbox="allow-scripts"``),
    so the page cannot reach the notebook around it.
    """
    page = network_page(network, heading=heading, height=height)
    title = html.escape(heading or "Netværk", quote=True)
    return HtmlBlock(
        f'<iframe sandbox="allow-scripts" title="{title}" '
        f'style="width:100%;height:{height + 80}px;border:1px solid #ddd" '
        f'srcdoc="{html.escape(page, quote=True)}"></iframe>'
    )
