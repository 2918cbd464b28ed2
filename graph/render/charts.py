"""Charts of the analyses (matplotlib): the only module of Stafet that imports it.

Charts are :class:`Chart` figures (matplotlib, no pyplot, so no GUI backend and no global
state): a notebook shows them inline, the report embeds them as PNG data URIs. Only the
faces that draw (the report, the notebooks) import this module, so the web app starts
without matplotlib.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.figure import Figure

from graph.data.knowledge import Knowledge
from graph.present.coordination import (
    bottlenecks,
    dependency_report,
    kle_coverage,
    responsibility_by_administration,
    short_label,
)
from graph.present.quality import gaps_json, overlaps_json
from graph.present.vocabulary import ADMINISTRATION_LABELS, ROLE_LABELS
from graph.present.whatif import change_label
from graph.questions.quality import administration_key, gaps, overlaps
from graph.questions.responsibility import who_handles
from graph.questions.whatif import WhatIf
from graph.render.style import COLOURS, shorten

__all__ = [
    "Chart",
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
]


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
    rows = [f"{m['notation']} {shorten(m['label'], 38)}" for m in mains]
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
    labels = [f"{m['notation']} {shorten(m['label'], 38)}" for m in mains]
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
        [shorten(r["label"], 45) for r in rows],
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
    labels = [shorten(r["label"], 40) for r in shown]
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
        _chart(8, 2.8), labels, values, shorten(change_label(result.change), 80), "antal", colours
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
        shorten(f["label"], 45)
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


def _administration_order(key: str) -> tuple[int, str]:
    order = list(ADMINISTRATION_LABELS)
    return (order.index(key) if key in order else len(order), key)


def _wrap(text: str, width: int) -> str:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)
