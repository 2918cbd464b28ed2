"""HTML blocks for a notebook or a report: escaped tables and the headline figures.

An :class:`HtmlBlock` shows itself as HTML in a notebook and is included as is in a page.
Nothing here draws, so nothing here needs matplotlib.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graph.data.knowledge import Knowledge
from graph.present.coordination import summary

__all__ = ["HtmlBlock", "html_table", "key_figures"]


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
