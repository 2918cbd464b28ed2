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
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from matplotlib.figure import Figure

from graph.data.knowledge import Knowledge
from graph.data.network import RELATIONS
from graph.errors import InvalidInputError, UnknownEntityError
from graph.present.coordination import (
    bottlenecks,
    communities,
    dependency_report,
    kle_coverage,
    responsibility_by_administration,
    short_label,
    summary,
)
from graph.present.dependencies import dependencies_json
from graph.present.quality import gaps_json, overlaps_json
from graph.present.vocabulary import ADMINISTRATION_LABELS, ROLE_LABELS, STATUS_LABELS, VIA_LABELS
from graph.present.whatif import change_label
from graph.questions.dependencies import Dependencies
from graph.questions.quality import administration_key, gaps, overlaps
from graph.questions.referral import COSTS, ReferralAnswer, referral_graph
from graph.questions.responsibility import who_handles
from graph.questions.whatif import WhatIf
from ontology.namespaces import ID

__all__ = [
    "DEFAULT_RELATIONS",
    "KIND_STYLES",
    "RELATION_LABELS",
    "VIA_LABELS",
    "Chart",
    "HtmlBlock",
    "administration_groups",
    "collaboration_network",
    "html_table",
    "key_figures",
    "neighbourhood",
    "neighbourhood_network",
    "network_data",
    "network_frame",
    "network_legend",
    "network_page",
    "network_renderer_file",
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
    "referral_path_network",
    "script_json",
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
    """The headline figures (:func:`~graph.questions.coordination.summary`) as a row of cards."""
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
    data = overlaps_json(kg, overlaps(kg))
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
    counts = gaps_json(kg, gaps(kg))["counts"]
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
    """Grouped bars from :func:`~graph.questions.coordination.removal_impact`."""
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
    return _barh(
        _chart(8, 2.8), labels, values, _shorten(change_label(result.change), 80), "antal", colours
    )


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

#: How each kind of node looks: vis-network shape, Danish name, colour (units and contact
#: posts take their administration's colour instead).
KIND_STYLES = {
    "unit": ("dot", "enhed", "#999999"),
    "task": ("square", "opgave", "#d5dbe3"),
    "forum": ("diamond", "forum", "#9fb3c8"),
    "law": ("triangle", "lov", "#c9b79c"),
    "post": ("star", "kontaktpersonordning", "#999999"),
    "contact": ("hexagon", "kontaktpunkt", "#e0e0e0"),
}
#: The relations of the compiled graph (each read in both directions), with Danish names.
RELATION_LABELS = {relation: label for relation, (_, label) in RELATIONS.items()}
RELATION_COLOURS = {
    "sub_organization_of": "#7f7f7f",
    "participates_in": "#4e79a7",
    "member_of": "#59a14f",
    "part_of": "#8cd17d",
    "concerns": "#b07aa1",
    "post_in": "#e15759",
    "serves": "#ff9d9a",
    "broader": "#bab0ac",
    "legal_resource": "#9c755f",
    "contact_point": "#f28e2b",
}
#: Relations a unit's neighbourhood shows unless asked otherwise (KLE's own hierarchy
#: would bring in hundreds of topics).
DEFAULT_RELATIONS = tuple(r for r in RELATIONS if r != "broader")
_INVERSE = {inverse: relation for relation, (inverse, _) in RELATIONS.items()}
_KIND_ORDER = {kind: index for index, kind in enumerate(("unit", "forum", "post", "task", "law"))}
PATH_COLOUR = "#b3261e"


def _network(directed: bool = False) -> Any:
    from pyvis.network import Network

    # cdn_resources is never used: pages come from network_page() or the web app.
    return Network(height="640px", width="100%", directed=directed, cdn_resources="remote")


def _uri_path(uri: str | None) -> str | None:
    """The path of one of our resource URIs: the web app serves each URI at its path."""
    return urlsplit(uri).path if uri and uri.startswith(str(ID)) else None


def _unit_node(kg: Knowledge, unit_id: str, **style: Any) -> dict[str, Any]:
    unit = kg.units.get(unit_id)
    if unit is None:  # a forum can take part in a task like a unit
        forum = kg.forums[unit_id]
        shape, name, colour = KIND_STYLES["forum"]
        return {
            "label": forum.label,
            "shape": shape,
            "color": colour,
            "title": f"{forum.label}\n{name.capitalize()}",
            "kind": "forum",
            "href": _uri_path(forum.uri),
        } | style
    key = administration_key(kg, unit_id)
    return {
        "label": min([unit.label, *unit.alt_labels], key=len),
        "shape": "dot",
        "color": COLOURS.get(key, "#999999"),
        "title": f"{unit.label}\nForvaltning: {ADMINISTRATION_LABELS.get(key, key)}",
        "kind": "unit",
        "administration": key,
        "href": _uri_path(unit.uri),
    } | style


def referral_network(
    kg: Knowledge, units: Iterable[str] | None = None, colour_by: str = "administration"
) -> Any:
    """The referral graph between units as a :class:`pyvis.network.Network`.

    Node size grows with how often the relay passes through the unit
    (:func:`~graph.questions.coordination.bottlenecks`), colour shows the administration (or the
    community, ``colour_by="community"``); an edge's colour and thickness show the
    cheapest way to hand over between the two units. External authorities and political
    bodies are left out. Each node's ``administration`` is its administration key, so that
    a page can cluster by it, and ``href`` is the path of its URI. (Not pyvis's ``group``:
    pyvis drops a node's colour when it has one.)

    Parameters
    ----------
    units
        Unit ids to show (default: all the municipality's own units), e.g.
        ``kg.subtree("bif") | kg.subtree("sof")``.
    """
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
    network = _network()
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
            administration=key,
            kind="unit",
            href=_uri_path(unit.uri),
        )
    for source, target, data in sorted(graph.edges(data=True)):
        if source < target and source in chosen and target in chosen:
            reverse = graph.get_edge_data(target, source)
            if reverse is not None and reverse["cost"] < data["cost"]:
                data = reverse
            network.add_edge(
                source,
                target,
                title=f"{VIA_LABELS[data['via']]}{_through(kg, data.get('through'))} "
                f"(pris {data['cost']:g})",
                color=VIA_COLOURS[data["via"]],
                width=1 + 2 * (COSTS["external"] - data["cost"]) / COSTS["external"],
                dashes=data["via"] == "hierarchy",
            )
    network.options = {
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "damping": 0.7},
            "stabilization": {"iterations": 300},
            "minVelocity": 2.5,  # settles in well under a second instead of jittering on
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "navigationButtons": False,
            "keyboard": {"enabled": True, "bindToWindow": False},
        },
        "nodes": {"font": {"size": 13}, "borderWidth": 1},
        "layout": {"randomSeed": 7},  # the same picture every time
    }
    return network


def _through(kg: Knowledge, through: str | None) -> str:
    if through in kg.forums or through in kg.units:
        return f" – {kg.agent_label(through)}"
    if through in kg.registry.arrangements:
        return f" – {kg.registry.arrangements[through].label}"
    if through in kg.registry.memberships:
        membership = kg.registry.memberships[through]
        return f" – {kg.agent_label(membership.member)} i {kg.agent_label(membership.organization)}"
    return ""


def neighbourhood(
    kg: Knowledge, centre: str, depth: int = 2, relations: Iterable[str] | None = None
) -> list[tuple[str, int]]:
    """The nodes around ``centre`` (a node key such as ``"unit/bif"``), nearest first.

    Follows the compiled graph's relations in both directions, only those named in
    ``relations`` (keys of :data:`~graph.data.network.RELATIONS`; default
    :data:`DEFAULT_RELATIONS`), at most ``depth`` steps. Within one distance, units come
    first, then forums, contact posts, tasks and laws, each by label.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> found = dict(neighbourhood(kg, "unit/bif", depth=1, relations=["sub_organization_of"]))
    >>> found["unit/bif"], found["unit/kk"], found["unit/bif-jobcenter"]
    (0, 1, 1)
    """
    if centre not in kg.graph:
        raise UnknownEntityError("any", centre)
    chosen = set(DEFAULT_RELATIONS if relations is None else relations)
    unknown = chosen - RELATIONS.keys()
    if unknown:
        raise InvalidInputError(
            f"Ukendt relation: {', '.join(sorted(unknown))}. Brug: {', '.join(RELATIONS)}."
        )
    found = {centre: 0}
    order = [(centre, 0)]
    frontier = [centre]
    for distance in range(1, depth + 1):
        reached = {
            target
            for node in frontier
            for _, target, data in kg.graph.out_edges(node, data=True)
            if _INVERSE.get(data["relation"], data["relation"]) in chosen and target not in found
        }
        frontier = sorted(reached, key=lambda key: _node_order(kg, key))
        for node in frontier:
            found[node] = distance
            order.append((node, distance))
    return order


def _node_order(kg: Knowledge, key: str) -> tuple[int, str]:
    data = kg.graph.nodes[key]
    return (
        _KIND_ORDER.get(data["kind"], len(_KIND_ORDER)),
        str(data.get("notation", "")) + data["label"],
    )


def neighbourhood_network(
    kg: Knowledge,
    centre: str,
    depth: int = 2,
    relations: Iterable[str] | None = None,
    limit: int = 150,
) -> tuple[Any, int]:
    """A unit's (or any entity's) neighbourhood as a network, and how many nodes it has.

    At most ``limit`` nodes are drawn, the nearest first (see :func:`neighbourhood`); the
    second value says how many there are in all, so that a page can say what it left out.
    Units and contact posts take their administration's colour; each kind of node has its
    own shape (:data:`KIND_STYLES`); each relation its colour (:data:`RELATION_COLOURS`);
    an assumed fact (status ``antaget``) is a dashed edge.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> network, total = neighbourhood_network(load_knowledge(), "unit/bif", depth=1)
    >>> network.nodes[0]["id"], network.nodes[0]["size"], total == len(network.nodes)
    ('unit/bif', 28, True)
    """
    relations = tuple(DEFAULT_RELATIONS if relations is None else relations)
    order = neighbourhood(kg, centre, depth, relations)
    shown = dict(order[:limit])
    network = _network(directed=True)
    for key, distance in shown.items():
        network.add_node(key, **_graph_node(kg, key, distance))
    seen: set[tuple[str, str, str]] = set()
    for key in shown:
        for _, target, data in kg.graph.out_edges(key, data=True):
            relation = data["relation"]
            if relation not in relations or target not in shown:
                continue  # an inverse is drawn from the other end, as its relation
            if (key, target, relation) in seen:
                continue
            seen.add((key, target, relation))
            role = data.get("role")
            status = data.get("status") or ""
            text = f"{kg.graph.nodes[key]['label']} {RELATION_LABELS[relation]} "
            text += kg.graph.nodes[target]["label"]
            if role:
                text += f"\nRolle: {ROLE_LABELS.get(role, role)}"
            if status:
                text += f"\nStatus: {STATUS_LABELS.get(status, status)}"
            network.add_edge(
                key,
                target,
                title=text,
                color=RELATION_COLOURS[relation],
                dashes=status == "antaget",
                relation=relation,
            )
    network.options = _options(len(shown))
    return network, len(order)


def _graph_node(kg: Knowledge, key: str, distance: int) -> dict[str, Any]:
    data = kg.graph.nodes[key]
    kind, ident = data["kind"], data["id"]
    shape, name, colour = KIND_STYLES.get(kind, ("dot", kind, "#cccccc"))
    label = data["label"]
    lines = [label, name.capitalize()]
    node: dict[str, Any] = {"shape": shape, "color": colour, "kind": kind}
    if kind == "unit":
        node = _unit_node(kg, ident)
        lines = node["title"].split("\n")
        label = node["label"]
    elif kind == "task":
        label = f"{data['notation']} {label}"
        lines = [label, "Opgave (KLE)"]
    elif kind == "post" and ident in kg.registry.arrangements:
        post = kg.registry.arrangements[ident]
        node["color"] = COLOURS.get(administration_key(kg, post.unit), colour)
        lines.append(f"I {kg.agent_label(post.unit)}")
    if data.get("status"):
        lines.append(f"Status: {STATUS_LABELS.get(data['status'], data['status'])}")
    node.update(
        label=_shorten(label, 40),
        title="\n".join(lines),
        size=28 if distance == 0 else (16 if kind in ("unit", "forum") else 11),
        borderWidth=3 if distance == 0 else 1,
        href=_uri_path(getattr(getattr(kg, kind + "s", {}).get(ident), "uri", None))
        if kind in ("unit", "task", "law", "forum")
        else None,
        distance=distance,
    )
    return node


def _options(nodes: int, hierarchical: bool = False) -> dict[str, Any]:
    physics: dict[str, Any] = {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {
            "gravitationalConstant": -70,
            "springLength": 100,
            "avoidOverlap": 0.3,
            "damping": 0.7,
        },
        # Lay out before the first frame (hidden iterations are cheap; animated ones cost a
        # frame each) and stop once nodes barely move: measured in Chromium, the 150-node
        # graph of Københavns Kommune settles in 0.7–0.9 s instead of 2.5 s.
        "stabilization": {"iterations": 500, "updateInterval": 50},
        "minVelocity": 2.5,
    }
    options: dict[str, Any] = {
        "physics": physics,
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "navigationButtons": False,
        },
        "nodes": {"font": {"size": 13, "color": "#1b1b1b"}, "borderWidth": 1},
        "edges": {
            "smooth": False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"inherit": False},
        },
        "layout": {"improvedLayout": nodes <= 100, "randomSeed": 7},
    }
    if hierarchical:
        options["layout"] = {
            "hierarchical": {
                "enabled": True,
                "direction": "LR",
                "sortMethod": "directed",
                "levelSeparation": 230,
                "nodeSpacing": 120,
            }
        }
        options["physics"] = {
            "solver": "hierarchicalRepulsion",
            "hierarchicalRepulsion": {"nodeDistance": 140, "avoidOverlap": 0.5},
            "stabilization": {"iterations": 150, "updateInterval": 50},
            "minVelocity": 2.5,
        }
    return options


def referral_path_network(kg: Knowledge, answer: ReferralAnswer) -> Any:
    """The referral path as a network, left to right, the path highlighted.

    The units of the best path and of the alternatives are drawn; the best path's hops are
    thick, numbered and red (:data:`PATH_COLOUR`), the alternatives' thin, grey and dashed.
    """
    network = _network(directed=True)
    paths = [answer.hops] + [hops for _, hops, _ in answer.alternatives]
    level: dict[str, int] = {answer.from_unit.id: 0}
    for hops in paths:
        for index, hop in enumerate(hops, start=1):
            level[hop.target] = min(level.get(hop.target, index), index)
    on_path = {answer.from_unit.id, *(hop.target for hop in answer.hops)}
    for unit_id, where in level.items():
        extra = ""
        if unit_id == answer.from_unit.id:
            extra = "\nHer sidder du"
        elif unit_id == answer.target.unit:
            extra = (
                f"\nVaretager opgaven ({ROLE_LABELS.get(answer.target.role, answer.target.role)})"
            )
        node = _unit_node(kg, unit_id)
        node["title"] += extra
        network.add_node(
            unit_id,
            **node
            | {
                "level": where,
                "size": 24 if unit_id in on_path else 13,
                "borderWidth": 4 if unit_id in on_path else 1,
                "color": node["color"]
                if unit_id in on_path
                else {"background": node["color"], "border": "#666666"},
                "on_path": unit_id in on_path,
            },
        )
    drawn: set[tuple[str, str]] = set()
    for number, hop in enumerate(answer.hops, start=1):
        drawn.add((hop.source, hop.target))
        network.add_edge(
            hop.source,
            hop.target,
            label=str(number),
            title=f"{number}. {VIA_LABELS[hop.via]}{_through(kg, hop.through)}",
            color=PATH_COLOUR,
            width=5,
            font={"size": 16, "strokeWidth": 4, "color": PATH_COLOUR},
            on_path=True,
        )
    for hops in paths[1:]:
        for hop in hops:
            if (hop.source, hop.target) in drawn:
                continue
            drawn.add((hop.source, hop.target))
            network.add_edge(
                hop.source,
                hop.target,
                title=f"Alternativ: {VIA_LABELS[hop.via]}{_through(kg, hop.through)}",
                color="#8a8a8a",
                width=1.5,
                dashes=True,
                on_path=False,
            )
    network.options = _options(len(level), hierarchical=True)
    return network


def collaboration_network(kg: Knowledge, found: Dependencies, task_limit: int = 25) -> Any:
    """How two or more administrations work together, as a network.

    The sides (administrations or units), the units of theirs that take part, the forums
    they share, contact-person posts and (at most ``task_limit``) shared tasks, process
    chains first. Units take their administration's colour; a unit is linked to its side.
    """
    network = _network(directed=True)

    def unit(unit_id: str) -> None:
        if unit_id not in network.get_nodes() and (unit_id in kg.units or unit_id in kg.forums):
            network.add_node(unit_id, **_unit_node(kg, unit_id, size=16))

    def edge(source: str, target: str, relation: str, title: str, dashed: bool = False) -> None:
        if source in network.get_nodes() and target in network.get_nodes():
            network.add_edge(
                source,
                target,
                title=title,
                color=RELATION_COLOURS[relation],
                dashes=dashed,
                relation=relation,
            )

    sides = [u.id for u in found.units]
    for side in sides:
        network.add_node(side, **_unit_node(kg, side, size=30, borderWidth=3))
    data = dependencies_json(kg, found)
    processes = {link["task"]["id"] for link in data["process_links"]}
    tasks = sorted(
        data["shared_tasks"],
        key=lambda t: (t["task"]["id"] not in processes, t["task"]["notation"]),
    )
    for row in data["forums"]:
        network.add_node(
            "forum/" + row["id"],
            **_graph_node(kg, "forum/" + row["id"], 1) | {"size": 18},
        )
        for members in row["members"].values():
            for member in members:
                unit(member)
                edge(
                    member,
                    "forum/" + row["id"],
                    "member_of",
                    f"{kg.agent_label(member)} er medlem af {row['label']}",
                )
    for row in tasks[:task_limit]:
        key = "task/" + row["task"]["id"]
        network.add_node(key, **_graph_node(kg, key, 1))
        for part in row["participants"]:
            unit(part["unit"]["id"])
            role = ROLE_LABELS.get(part["role"], part["role"])
            step = f", trin {part['step']}" if part["step"] else ""
            edge(
                part["unit"]["id"],
                key,
                "participates_in",
                f"{part['unit']['label']}: {role}{step} i {row['task']['label']}",
                dashed=part["status"] == "antaget",
            )
    for post in data["contact_arrangements"]:
        unit(post["unit"]["id"])
        for served in post["serves"]:
            target = "forum/" + served["id"] if served["kind"] == "forum" else served["id"]
            edge(
                post["unit"]["id"],
                target,
                "serves",
                f"{post['label']} i {post['unit']['label']}",
                dashed=post["status"] == "antaget",
            )
    for membership in data["cross_memberships"]:
        unit(membership["member"]["id"])
        unit(membership["organization"]["id"])
        edge(
            membership["member"]["id"],
            membership["organization"]["id"],
            "member_of",
            f"{membership['member']['label']} som {membership['role']} i "
            f"{membership['organization']['label']}",
        )
    for node in list(network.nodes):
        if node["id"] in sides or node.get("kind") != "unit":
            continue
        owner = next((s for s in sides if node["id"] in kg.subtree(s)), None)
        if owner is not None:
            edge(
                node["id"],
                owner,
                "sub_organization_of",
                f"{node['label']} hører under {kg.agent_label(owner)}",
            )
    network.options = _options(len(network.nodes))
    return network


def network_legend(network: Any) -> dict[str, list[dict[str, str]]]:
    """What the colours and shapes of a network mean: for a legend beside it.

    ``administrations``: the administrations whose units are drawn (key, label, colour);
    ``kinds``: the kinds of node (kind, Danish name, shape); ``relations``: the relations
    drawn (relation, Danish name, colour).
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
            {"kind": kind, "label": name, "shape": shape}
            for kind, (shape, name, _) in KIND_STYLES.items()
            if kind in kinds
        ],
        "relations": [
            {"relation": relation, "label": label, "colour": RELATION_COLOURS[relation]}
            for relation, label in RELATION_LABELS.items()
            if relation in relations
        ],
    }


def administration_groups() -> dict[str, dict[str, str]]:
    """Every administration key's short label and colour (to cluster by administration)."""
    return {
        key: {"label": label, "colour": COLOURS[key]}
        for key, label in ADMINISTRATION_LABELS.items()
    }


@cache
def _vis_assets() -> tuple[str, str]:
    paths = vis_network_files()
    return paths["js"].read_text(encoding="utf-8"), paths["css"].read_text(encoding="utf-8")


@cache
def _renderer() -> str:
    return network_renderer_file().read_text(encoding="utf-8")


def vis_network_files() -> dict[str, Path]:
    """The vis-network script and stylesheet shipped inside the pyvis wheel (no CDN).

    The web app can serve these two files itself and pass their URLs to
    :func:`network_page`.
    """
    folder = Path(str(files("pyvis"))) / "lib" / f"vis-{VIS_NETWORK_VERSION}"
    return {"js": folder / "vis-network.min.js", "css": folder / "vis-network.css"}


def network_renderer_file() -> Path:
    """Stafet's own script that draws a network (``graph/templates/network.js``).

    :func:`network_page` inlines it; the web app serves it, so that a page and a notebook
    draw the same way.
    """
    return TEMPLATES / "network.js"


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
    ``graph/templates/network.js``: ``cluster``, ``groups``, ``focusable``, ``focus``).
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
    js, css = ("", "") if script_url else _vis_assets()
    return (
        _templates()
        .get_template("network.html")
        .render(
            heading=heading,
            height=height,
            data=script_json(network_data(network)),
            vis_js=Markup(js),  # the file shipped in the pyvis wheel
            vis_css=Markup(css),  # the file shipped in the pyvis wheel
            renderer_js=Markup(_renderer()),  # our own file, next to the template
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
