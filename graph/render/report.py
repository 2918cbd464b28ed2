"""``stafet report``: one self-contained HTML page for the coordination group's meetings.

Overlaps, gaps, bottlenecks, communities and the dependencies of one pair of
administrations (BIF and SOF on førtidspension by default), with the charts embedded as
PNG data URIs and the styles inline: the file can be mailed, printed or opened offline and
makes no request of any kind. It says when it was made and from which data (the
fingerprint of the RDF), so two reports can be told apart.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from graph.data.knowledge import Knowledge
from graph.present.coordination import (
    arrangements_without_contact,
    bottlenecks,
    communities,
    dependency_report,
    responsibility_by_administration,
    short_label,
    summary,
    tasks_without_owner,
)
from graph.present.quality import gaps_json, overlaps_json
from graph.present.vocabulary import ROLE_LABELS, VIA_LABELS
from graph.questions.quality import administration_key, gaps, overlaps
from graph.render.charts import (
    plot_bottlenecks,
    plot_gap_counts,
    plot_meeting_rhythm,
    plot_overlap_matrix,
    plot_process_chain,
    plot_responsibility,
)

__all__ = ["build_report", "write_report"]

TEMPLATES = Path(__file__).parent / "templates"
MONTHS = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]


def build_report(
    kg: Knowledge,
    pair: tuple[str, str] = ("bif", "sof"),
    task: str | None = "kle-32.03.16",
    today: date | None = None,
) -> str:
    """Return the report as one HTML document (Danish).

    Parameters
    ----------
    pair
        The two administrations (or units) of the dependency section.
    task
        The task the dependency section follows (id, KLE number or text), or None.
    today
        The date printed on the report (default: today).
    """
    day = today or date.today()
    found_overlaps = overlaps_json(kg, overlaps(kg))
    found_gaps = gaps_json(kg, gaps(kg))
    # The coordination group's own report: it lists the contact persons.
    dependency = dependency_report(kg, pair[0], pair[1], task=task, personal=True)
    responsibility = responsibility_by_administration(kg)
    assumed_by_administration = [
        {**row, "assumed": row["topics"] - row["topics_confirmed"]}
        for row in responsibility["rows"]
    ]
    charts = {
        "responsibility": plot_responsibility(kg).data_uri(),
        "shared": plot_overlap_matrix(kg, "shared").data_uri(),
        "same_role": plot_overlap_matrix(kg, "matrix").data_uri(),
        "gaps": plot_gap_counts(kg).data_uri(),
        "bottlenecks": plot_bottlenecks(kg).data_uri(),
        "rhythm": plot_meeting_rhythm(kg, pair[0], pair[1], task=task).data_uri(),
    }
    if task is not None and dependency["process"]:
        charts["process"] = plot_process_chain(kg, task).data_uri()
    return (
        _templates()
        .get_template("report.html")
        .render(
            date=f"{day.day}. {MONTHS[day.month - 1]} {day.year}",
            iso_date=day.isoformat(),
            fingerprint=kg.fingerprint or "ukendt",
            version=_version(),
            figures=summary(kg),
            overlaps=found_overlaps,
            gaps=found_gaps,
            partial_owners=[t for t in tasks_without_owner(kg) if not t["all_ages"]],
            arrangements=arrangements_without_contact(kg),
            assumed_by_administration=assumed_by_administration,
            bottlenecks=bottlenecks(kg, limit=15),
            communities=communities(kg),
            dependency=dependency,
            pair=[short_label(kg, administration_key(kg, p)) for p in pair],
            charts=charts,
            role_labels=ROLE_LABELS,
            via_labels=VIA_LABELS,
            short=lambda key: short_label(kg, key),
            label=kg.agent_label,
        )
    )


def write_report(kg: Knowledge, path: Path | str, **options: Any) -> Path:
    """Write :func:`build_report` to ``path`` (UTF-8) and return the path."""
    target = Path(path)
    target.write_text(build_report(kg, **options), encoding="utf-8")
    return target


@cache
def _templates() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
    )
    environment.filters["num"] = _number
    environment.filters["pct"] = _percent
    return environment


def _number(value: float | int | None) -> str:
    """Danish number: 2.813 and 15,1."""
    if value is None:
        return ""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _percent(value: float) -> str:
    return f"{value * 100:.1f} %".replace(".", ",")


def _version() -> str:
    try:
        return version("stafet")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "udviklingsversion"
