"""What-if answers (:mod:`graph.questions.whatif`) in Danish and as dicts for tables.

Examples
--------
>>> from graph.questions.whatif import Change
>>> change_label(Change("merge_units", ("a", "b"), ("Enhed A", "Enhed B")))
'Enhed A lægges sammen med Enhed B'
>>> change_label(Change("without_forum", ("f",), ("Forum F",), parts=2))
'Uden Forum F og 2 underfora'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph.data.knowledge import Knowledge
from graph.present.common import task_summary, unit_summary
from graph.present.coordination import age_band_label, ages_label, short_label
from graph.questions import whatif
from graph.questions.coordination import Route
from graph.questions.whatif import Change, RouteChange, WhatIf

__all__ = [
    "change_label",
    "describe",
    "removal_impact",
    "what_if_dict",
]


def change_label(change: Change) -> str:
    """The change in Danish: ``Uden Borgercenter Handicap``, ``A lægges sammen med B``."""
    if change.kind == "without_unit":
        return f"Uden {change.labels[0]}"
    if change.kind == "merge_units":
        absorbed, kept = change.labels
        return f"{absorbed} lægges sammen med {kept}"
    if change.kind == "without_forum":
        extra = f" og {change.parts} underfora" if change.parts else ""
        return f"Uden {change.labels[0]}{extra}"
    return " ".join(change.labels)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def describe(result: WhatIf) -> str:
    """One Danish sentence with the counts, for a notebook or an agenda."""
    counts = {k: _number(v) for k, v in result.counts.items()}
    return (
        f"{change_label(result.change)}: {counts['unowned']} opgaver mister deres ansvarlige "
        f"(for en aldersgruppe eller helt), {counts['owner_changed']} får en anden ansvarlig; "
        f"af {counts['routes_compared']} henvisningsveje fra indgangene brydes "
        f"{counts['broken']}, {counts['longer']} bliver længere og {counts['shorter']} "
        "kortere."
    )


def what_if_dict(result: WhatIf) -> dict[str, Any]:
    """The what-if answer as a dict: the change, the counts and one dict per finding."""
    before, after = result.before, result.after
    return {
        "change": change_label(result.change),
        "counts": result.counts,
        "unowned": [
            {
                **task_summary(before.tasks[row.task]),
                "ages": ages_label(row.bands, row.all_ages),
                "all_ages": row.all_ages,
                "owners_before": _units(before, row.owners_before),
            }
            for row in result.unowned
        ],
        "owner_changed": [
            {
                **task_summary(before.tasks[row.task]),
                "owners_before": _units(before, row.owners_before),
                "owners_after": _units(after, row.owners_after),
            }
            for row in result.owner_changed
        ],
        "broken": [_route_change(before, after, c) for c in result.broken],
        "longer": [_route_change(before, after, c) for c in result.longer],
        "shorter": [_route_change(before, after, c) for c in result.shorter],
    }


def _units(kg: Knowledge, ids: Iterable[str]) -> list[dict[str, Any]]:
    return [unit_summary(kg, u) for u in ids]


def _route_change(before: Knowledge, after: Knowledge, change: RouteChange) -> dict[str, Any]:
    old, new = change.before, change.after
    return {
        "door": unit_summary(before, old.door),
        "task": task_summary(before.tasks[old.task]),
        "ages": age_band_label(old.ages) if old.ages is not None else None,
        "before": _route_dict(before, old),
        "after": _route_dict(after, new) if new is not None else None,
        "difference": change.difference,
    }


def _route_dict(kg: Knowledge, route: Route) -> dict[str, Any]:
    return {
        "target": unit_summary(kg, route.target) if route.target else None,
        "cost": route.cost,
        "path": [kg.agent_label(u) for u in route.path],
        "route": " → ".join(kg.agent_label(u) for u in route.path),
    }


def removal_impact(kg: Knowledge, units: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """:func:`graph.questions.whatif.removal_impact`, a row per unit with Danish labels."""
    return [
        {
            **unit_summary(kg, row.unit),
            "administration": row.administration,
            "administration_label": short_label(kg, row.administration),
            "unowned": row.unowned,
            "broken": row.broken,
            "longer": row.longer,
        }
        for row in whatif.removal_impact(kg, units)
    ]
