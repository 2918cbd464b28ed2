"""Pictures of the analyses: matplotlib charts and a safe, offline pyvis network.

Charts are :class:`Chart` figures (matplotlib, no pyplot, so no GUI backend and no global
state): a notebook shows them inline, the report embeds them as PNG data URIs.

The interactive network is built with pyvis but rendered with our own template
(``graph/templates/network.html``): pyvis's own templates load vis-network and Bootstrap
from CDNs and put node text into the page unescaped. Ours inlines vis-network from the
copy the pyvis wheel ships (or links to a URL the web app serves), embeds the data as a
JSON literal with ``<``, ``>`` and ``&`` escaped (so no text can end the script), and turns
every tooltip into a text node (so no text is parsed as HTML). A Content-Security-Policy
forbids any request outside the page.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from matplotlib.figure import Figure

from graph.analysis import (
    ADMINISTRATION_LABELS,
    WhatIf,
    bottlenecks,
    communities,
    dependency_report,
    kle_coverage,
    overlaps,
    responsibility_by_administration,
    short_label,
    summary,
)
from graph.knowledge import Knowledge
from graph.model import ROLE_LABELS
from graph.quality import administration_key, gaps
from graph.referral import COSTS, referral_graph
from graph.responsibility import who_handles

__all__ = [
    "VIA_LABELS",
    "Chart",
    "HtmlBlock",
    "html_table",
    "key_figures",
    "network_frame",
    "network_page",
    "plot_bottlenecks",
    "plot_gap_counts",
    "plot_kle_coverage",
    "plot_meeting_rhythm",
    "plot_overlap_matrix",
    "plot_process_chain",
    "plot_removal_impact",
    "plot_responsibility",
    "plot_responsibility_by_main_group",
    "plot_what_if",
    "referral_network",
    "vis_network_files",
]

TEMPLATES = Path(__file__).parent / "templates"
VIS_NETWORK_VERSION = "9.1.2"

#: One colour per administration key, the same in every chart and in the network.
COLOURS = {
    "okf": "#4e79a7",
    "buf": "#f28e2b",
    "tmf": "#59a14f",
    "kff": "#b07aa1",
    "bif": "#e15759",
    "sof": "#76b7b2",
    "suf": "#edc948",
    "oevrige": "#9c755f",
    "ekstern": "#bab0ac",
}
COMMUNITY_COLOURS = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2"]

#: Danish names of the kinds of referral hop (:data:`graph.referral.COSTS`).
VIA_LABELS = {
    "contact_person": "kontaktperson",
    "forum": "fælles forum",
    "collaboration": "formelt samarbejde",
    "hierarchy": "organisationen (op/ned)",
    "external": "anden myndighed",
}
VIA_COLOURS = {
    "contact_person": "#e15759",
    "forum": "#4e79a7",
    "collaboration": "#59a14f",
    "hierarchy": "#bab0ac",
    "external": "#9c755f",
}


# -- building blocks ----------------------------------------------------------------


class Chart(Figure):
    """A matplotlib figure that shows itself in a notebook and embeds itself in a page."""

    def png(self, dpi: int = 110) -> bytes:
        buffer = io.BytesIO()
        # No metadata: the PNG names no software version or URL.
        self.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()

    def data_uri(self) -> str:
        """The figure as a ``data:image/png;base64,…`` URI (nothing to fetch)."""
        return "data:image/png;base64," + base64.b64encode(self.png()).decode("ascii")

    def _repr_png_(self) -> bytes:
        return self.png()


def _chart(width: float, height: float) -> Chart:
    return Chart(figsize=(width, height), layout="constrained")


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    """A piece of HTML that a notebook shows as HTML (and a page can include as is)."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def html_table(
    rows: Iterable[Mapping[str, Any]],
    columns: Mapping[str, str],
    limit: int | None = None,
) -> HtmlBlock:
    """An HTML table of ``rows``; ``columns`` maps keys to Danish headings. Text is escaped.

    A key may reach into nested dicts with dots (``"task.notation"``); a dict value shows
    its ``label``, a list its items joined by commas.

    Examples
    --------
    >>> "<td>&lt;b&gt;</td>" in str(html_table([{"a": "<b>"}], {"a": "A"}))
    True
    """
    items = list(rows)
    shown = items if limit is None else items[:limit]
    head = "".join(f"<th>{html.escape(title)}</th>" for title in columns.values())
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(_text(_lookup(row, key)))}</td>" for key in columns)
        + "</tr>"
        for row in shown
    )
    more = ""
    if len(shown) < len(items):
        more = f"<p>… og {len(items) - len(shown)} rækker mere.</p>"
    return HtmlBlock(
        f'<table class="stafet"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}'
    )


def _lookup(row: Mapping[str, Any], key: str) -> Any:
    value: Any = row
    for part in key.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        return f"{value:.4g}".replace(".", ",")
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("label", value.get("id", "")))
    return str(value)


def _barh(
    chart: Chart,
    labels: Sequence[str],
    values: Sequence[float],
    title: str,
    xlabel: str,
    colours: Sequence[str] | str = "#4e79a7",
) -> Chart:
    ax = chart.add_subplot()
    positions = range(len(labels))
    ax.barh(list(positions), list(values), color=colours)
    ax.set_yticks(list(positions), labels=list(labels))
    ax.invert_yaxis()
    chart.suptitle(title)
    ax.set_xlabel(xlabel)
    for position, value in zip(positions, values, strict=True):
        ax.annotate(
            f"{value:g}",
            (value, position),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.spines[["top", "right"]].set_visible(False)
    return chart


def _heatmap(
    chart: Chart,
    matrix: Sequence[Sequence[float]],
    rows: Sequence[str],
    columns: Sequence[str],
    title: str,
    colour_map: str = "Blues",
) -> Chart:
    ax = chart.add_subplot()
    image = ax.imshow(matrix, cmap=colour_map, aspect="auto")
    ax.set_xticks(range(len(columns)), labels=list(columns), rotation=45, ha="right")
    ax.set_yticks(range(len(rows)), labels=list(rows))
    highest = max((v for row in matrix for v in row), default=0) or 1
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                ax.text(
                    j,
                    i,
                    f"{value:g}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if value > highest * 0.6 else "black",
                )
    chart.suptitle(title)
    chart.colorbar(image, ax=ax, shrink=0.8)
    return chart


def key_figures(kg: Knowledge) -> HtmlBlock:
    """The headline figures (:func:`~graph.analysis.summary`) as a row of cards."""
    figures = summary(kg)
    top = figures["bottlenecks"][0] if figures["bottlenecks"] else None
    cards = [
        (figures["overlaps"]["ansvarlig_overlaps"], "opgaver med to ansvarlige for samme borger"),
        (figures["overlaps"]["overlaps"], "opgaver med flere enheder i samme rolle"),
        (figures["overlaps"]["split_by_conditions"], "opgaver delt efter betingelser (alder)"),
        (figures["gaps"]["tasks_without_ansvarlig"], "opgaver uden ansvarlig"),
        (figures["gaps"]["tasks_only_antaget"], "opgaver, hvis ansvar kun er antaget"),
        (figures["gaps"]["units_without_contact"], "enheder uden eget kontaktpunkt"),
        (figures["arrangements_without_contact"], "kontaktpersonordninger uden telefon/e-mail"),
        (len(figures["communities"]), "fællesskaber af enheder"),
    ]
    if top is not None:
        cards.append((f"{top['share'] * 100:.1f} %".replace(".", ","), f"passerer {top['label']}"))
    body = "".join(
        '<div style="border:1px solid #d9dee4;border-radius:6px;padding:6px 10px">'
        f'<b style="display:block;font-size:1.5em">{html.escape(_text(value))}</b>'
        f"{html.escape(text)}</div>"
        for value, text in cards
    )
    return HtmlBlock(
        '<div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));'
        f'gap:8px">{body}</div>'
    )


# -- who does what ----------------------------------------------------------------------


def plot_responsibility(kg: Knowledge) -> Chart:
    """Bar chart: KLE topics each administration owns, confirmed and assumed."""
    data = responsibility_by_administration(kg)
    rows = data["rows"]
    chart = _chart(8, 4)
    ax = chart.add_subplot()
    labels = [r["label"] for r in rows]
    confirmed = [r["topics_confirmed"] for r in rows]
    assumed = [r["topics"] - r["topics_confirmed"] for r in rows]
    ax.bar(labels, confirmed, color="#59a14f", label="ansvar bekræftet")
    ax.bar(labels, assumed, bottom=confirmed, color="#bab0ac", label="ansvar antaget")
    for x, row in enumerate(rows):
        ax.annotate(f"{row['topics']}", (x, row["topics"]), ha="center", va="bottom", fontsize=8)
    chart.suptitle("KLE-emner pr. forvaltning (ansvarlig enhed)")
    ax.set_ylabel("antal KLE-emner")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return chart


def plot_responsibility_by_main_group(kg: Knowledge) -> Chart:
    """Heatmap: KLE main group × administration, topics owned."""
    data = responsibility_by_administration(kg)
    keys = data["administrations"]
    mains = data["main_groups"]
    matrix = [[data["by_main_group"][m["notation"]][k] for k in keys] for m in mains]
    rows = [f"{m['notation']} {_shorten(m['label'], 38)}" for m in mains]
    return _heatmap(
        _chart(8, 10),
        matrix,
        rows,
        [short_label(kg, k) for k in keys],
        "Hvem varetager hvad: KLE-emner pr. hovedgruppe og forvaltning",
        "Oranges",
    )


def plot_kle_coverage(kg: Knowledge) -> Chart:
    """Stacked bars: for each KLE main group, how its topics' owners are known."""
    data = kle_coverage(kg)
    mains = data["main_groups"]
    chart = _chart(8, 10)
    ax = chart.add_subplot()
    left = [0] * len(mains)
    colours = {
        "egen_bekraeftet": "#2e7d32",
        "egen_antaget": "#a5d6a7",
        "arvet_bekraeftet": "#1565c0",
        "arvet_antaget": "#cfd8dc",
        "ingen": "#e15759",
    }
    labels = [f"{m['notation']} {_shorten(m['label'], 38)}" for m in mains]
    for category in data["categories"]:
        values = [data["by_main_group"][m["notation"]][category] for m in mains]
        ax.barh(
            labels,
            values,
            left=left,
            color=colours[category],
            label=data["category_labels"][category],
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("antal KLE-emner")
    chart.suptitle("KLE-dækning: hvor kommer svaret på 'hvem er ansvarlig?' fra")
    chart.legend(frameon=False, loc="outside lower center", ncols=2, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return chart


# -- overlaps and gaps ------------------------------------------------------------------


def plot_overlap_matrix(kg: Knowledge, which: str = "shared") -> Chart:
    """Heatmap administration × administration.

    ``which="shared"``: tasks where both take part in any role; ``"matrix"``: tasks where
    both hold the same role (overlaps proper).
    """
    data = overlaps(kg)
    keys = sorted(data["administrations"], key=_administration_order)
    matrix = [[data[which][a][b] for b in keys] for a in keys]
    labels = [short_label(kg, k) for k in keys]
    title = (
        "Opgaver, hvor to forvaltninger begge deltager"
        if which == "shared"
        else "Overlap: samme rolle i samme opgave"
    )
    return _heatmap(_chart(6.5, 5.2), matrix, labels, labels, title, "Purples")


def plot_gap_counts(kg: Knowledge) -> Chart:
    """Bar chart of the kinds of gap and how many of each."""
    counts = gaps(kg)["counts"]
    names = {
        "tasks_without_ansvarlig": "opgaver uden ansvarlig",
        "tasks_only_antaget": "opgaver, hvis ansvar kun er antaget",
        "units_without_contact": "enheder uden eget kontaktpunkt",
        "contacts_without_phone_or_email": "kontaktpunkter uden telefon/e-mail",
        "laws_not_cited": "love, som ingen opgave henviser til",
        "forums_without_members": "fora uden medlemmer",
        "antaget": "antagne fakta i alt",
    }
    labels = [names[k] for k in names]
    values = [counts[k] for k in names]
    colours = ["#e15759" if v else "#59a14f" for v in values]
    return _barh(_chart(8, 3.6), labels, values, "Huller i datagrundlaget", "antal", colours)


# -- bottlenecks --------------------------------------------------------------------------


def plot_bottlenecks(kg: Knowledge, limit: int = 10) -> Chart:
    """Bar chart: the units the relay passes through most often."""
    rows = [r for r in bottlenecks(kg, limit=limit) if r["passes"]]
    return _barh(
        _chart(8, 0.45 * max(len(rows), 2) + 1.2),
        [_shorten(r["label"], 45) for r in rows],
        [r["passes"] for r in rows],
        "Flaskehalse: hvor stafetten oftest passerer igennem",
        "henvisningsveje (indgang × opgave) gennem enheden",
        [COLOURS.get(r["administration"], "#999999") for r in rows],
    )


def plot_removal_impact(rows: Sequence[Mapping[str, Any]], limit: int = 15) -> Chart:
    """Grouped bars from :func:`~graph.analysis.removal_impact`."""
    shown = list(rows)[:limit]
    chart = _chart(8, 0.45 * max(len(shown), 2) + 1.4)
    ax = chart.add_subplot()
    labels = [_shorten(r["label"], 40) for r in shown]
    positions = list(range(len(shown)))
    height = 0.27
    series = [
        ("unowned", "opgaver uden ansvarlig", "#e15759"),
        ("broken", "henvisningsveje, der brydes", "#f28e2b"),
        ("longer", "henvisningsveje, der bliver længere", "#4e79a7"),
    ]
    for offset, (key, label, colour) in enumerate(series):
        ax.barh(
            [p + (offset - 1) * height for p in positions],
            [r[key] for r in shown],
            height=height,
            color=colour,
            label=label,
        )
    ax.set_yticks(positions, labels=labels)
    ax.invert_yaxis()
    ax.set_xscale("symlog")
    ax.set_xlabel("antal (logaritmisk akse)")
    chart.suptitle("Hvis enheden forsvandt: de mest sårbare steder")
    chart.legend(frameon=False, fontsize=8, loc="outside lower center", ncols=3)
    ax.spines[["top", "right"]].set_visible(False)
    return chart


def plot_what_if(result: WhatIf) -> Chart:
    """Bar chart of a what-if's consequences."""
    counts = result.counts
    labels = [
        "opgaver uden ansvarlig",
        "opgaver med ny ansvarlig",
        "henvisningsveje brudt",
        "henvisningsveje længere",
        "henvisningsveje kortere",
    ]
    values = [
        counts["unowned"],
        counts["owner_changed"],
        counts["broken"],
        counts["longer"],
        counts["shorter"],
    ]
    colours = ["#e15759", "#f28e2b", "#e15759", "#f28e2b", "#59a14f"]
    return _barh(_chart(8, 2.8), labels, values, _shorten(result.change, 80), "antal", colours)


# -- dependencies ------------------------------------------------------------------------


def plot_process_chain(kg: Knowledge, task: str) -> Chart:
    """The steps of a task's process chain across units, as boxes and arrows."""
    answer = who_handles(kg, task)
    steps = answer.process
    chart = _chart(max(2.4 * len(steps), 4), 1.9)
    ax = chart.add_subplot()
    ax.set_xlim(-0.6, max(len(steps), 1) - 0.4)
    ax.set_ylim(-1, 1)
    ax.axis("off")
    for x, step in enumerate(steps):
        key = administration_key(kg, step.unit)
        side = "forum" if step.unit in kg.forums else short_label(kg, key)
        label = "\n".join(
            [
                f"{step.step}. {step.step_label or ROLE_LABELS.get(step.role, step.role)}",
                _wrap(kg.agent_label(step.unit), 22),
                f"({side}, {ROLE_LABELS.get(step.role, step.role)})",
            ]
        )
        ax.text(
            x,
            0,
            label,
            ha="center",
            va="center",
            fontsize=8,
            bbox={
                "boxstyle": "round,pad=0.5",
                "facecolor": COLOURS.get(key, "#dddddd"),
                "alpha": 0.35,
            },
        )
        if x:
            ax.annotate(
                "",
                xy=(x - 0.36, 0),
                xytext=(x - 0.64, 0),
                arrowprops={"arrowstyle": "->", "lw": 1.5},
            )
    title = answer.fallback_from or answer.task
    ax.set_title(f"Forløbet for KLE {title.notation} {title.label}")
    return chart


def plot_meeting_rhythm(kg: Knowledge, first: str, second: str, task: str | None = None) -> Chart:
    """Bar chart: meetings a year in the forums two administrations share."""
    report = dependency_report(kg, first, second, task=task)
    forums = report["forums"]
    values = [f["meetings_per_year"] or 0 for f in forums]
    labels = [
        _shorten(f["label"], 45)
        + ("" if f["meetings_per_year"] else f" ({f['frequency'] or 'ikke oplyst'})")
        for f in forums
    ]
    colours = ["#4e79a7" if v else "#cccccc" for v in values]
    return _barh(
        _chart(8, 0.45 * max(len(forums), 2) + 1.2),
        labels,
        values,
        "Mødefrekvens i de fælles fora",
        "møder om året",
        colours,
    )


# -- the interactive network ------------------------------------------------------------


def referral_network(
    kg: Knowledge, units: Iterable[str] | None = None, colour_by: str = "administration"
) -> Any:
    """The referral graph between units as a :class:`pyvis.network.Network`.

    Node size grows with how often the relay passes through the unit
    (:func:`~graph.analysis.bottlenecks`), colour shows the administration (or the
    community, ``colour_by="community"``); an edge's colour and thickness show the
    cheapest way to hand over between the two units. External authorities and political
    bodies are left out.

    Parameters
    ----------
    units
        Unit ids to show (default: all the municipality's own units), e.g.
        ``kg.subtree("bif") | kg.subtree("sof")``.
    """
    from pyvis.network import Network

    graph = referral_graph(kg)
    chosen = sorted(
        set(units)
        if units is not None
        else {u.id for u in kg.units.values() if not u.is_external and u.kind != "political"}
    )
    passes = {r["id"]: r["passes"] for r in bottlenecks(kg)}
    community = {
        m["id"]: (index, c["name"]) for index, c in enumerate(communities(kg)) for m in c["members"]
    }
    network = Network(height="640px", width="100%", directed=False, cdn_resources="remote")
    for unit_id in chosen:
        unit = kg.units[unit_id]
        key = administration_key(kg, unit_id)
        index, community_name = community.get(unit_id, (-1, "ingen"))
        colour = (
            COMMUNITY_COLOURS[index % len(COMMUNITY_COLOURS)]
            if colour_by == "community" and index >= 0
            else COLOURS.get(key, "#999999")
        )
        network.add_node(
            unit_id,
            label=min([unit.label, *unit.alt_labels], key=len),
            title="\n".join(
                [
                    unit.label,
                    f"Forvaltning: {ADMINISTRATION_LABELS.get(key, key)}",
                    f"Fællesskab: {community_name}",
                    f"Stafetten passerer: {passes.get(unit_id, 0)} gange",
                ]
            ),
            color=colour,
            size=10 + 3 * math.sqrt(passes.get(unit_id, 0)),
        )
    for source, target, data in sorted(graph.edges(data=True)):
        if source < target and source in chosen and target in chosen:
            reverse = graph.get_edge_data(target, source)
            if reverse is not None and reverse["cost"] < data["cost"]:
                data = reverse
            via = data["via"]
            through = data.get("through")
            through_label = ""
            if through in kg.forums or through in kg.units:
                through_label = f" – {kg.agent_label(through)}"
            elif through in kg.registry.arrangements:
                through_label = f" – {kg.registry.arrangements[through].label}"
            network.add_edge(
                source,
                target,
                title=f"{VIA_LABELS[via]}{through_label} (pris {data['cost']:g})",
                color=VIA_COLOURS[via],
                width=1 + 2 * (COSTS["external"] - data["cost"]) / COSTS["external"],
                dashes=via == "hierarchy",
            )
    network.options = {
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110},
            "stabilization": {"iterations": 300},
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
        "nodes": {"font": {"size": 13}, "borderWidth": 1},
    }
    return network


@cache
def _vis_assets() -> tuple[str, str]:
    paths = vis_network_files()
    return paths["js"].read_text(encoding="utf-8"), paths["css"].read_text(encoding="utf-8")


def vis_network_files() -> dict[str, Path]:
    """The vis-network script and stylesheet shipped inside the pyvis wheel (no CDN).

    The web app can serve these two files itself and pass their URLs to
    :func:`network_page`.
    """
    folder = Path(str(files("pyvis"))) / "lib" / f"vis-{VIS_NETWORK_VERSION}"
    return {"js": folder / "vis-network.min.js", "css": folder / "vis-network.css"}


def _script_json(value: Any) -> Markup:
    # A JSON literal is valid JavaScript; escaping <, > and & means no text from the data
    # can close the <script> element or open a comment in it.
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
    nodes, edges, _, _, _, options = network.get_network_data()
    js, css = ("", "") if script_url else _vis_assets()
    return (
        _templates()
        .get_template("network.html")
        .render(
            heading=heading,
            height=height,
            data=_script_json({"nodes": nodes, "edges": edges, "options": json.loads(options)}),
            vis_js=Markup(js),  # the file shipped in the pyvis wheel
            vis_css=Markup(css),  # the file shipped in the pyvis wheel
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


# -- helpers -------------------------------------------------------------------------------


def _administration_order(key: str) -> tuple[int, str]:
    order = list(ADMINISTRATION_LABELS)
    return (order.index(key) if key in order else len(order), key)


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _wrap(text: str, width: int) -> str:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)
