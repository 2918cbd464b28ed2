"""The coordination group's lists as spreadsheet rows, with Danish column names.

One row per gap (:func:`gap_table`), overlap (:func:`overlap_table`) and bottleneck
(:func:`bottleneck_table`); :data:`COLUMNS` names the columns of each, in order.
:mod:`graph.io.tables` writes them as CSV and XLSX.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph.data.knowledge import Knowledge
from graph.present.coordination import (
    arrangements_without_contact,
    bottlenecks,
    short_label,
    tasks_without_owner,
)
from graph.present.quality import gaps_json, overlaps_json
from graph.present.vocabulary import FACT_KINDS, GAP_KINDS, ROLE_LABELS, status_label
from graph.questions.quality import administration_key, gaps, overlaps

__all__ = ["COLUMNS", "bottleneck_table", "gap_table", "overlap_table"]

#: The columns of each table, in order (keyed by the export format that writes it).
COLUMNS = {
    "gaps-csv": ["hul", "id", "navn", "kle", "forvaltning", "detalje"],
    "overlaps-csv": [
        "type",
        "kle",
        "opgave",
        "rolle",
        "enheder",
        "forvaltninger",
        "betingelser",
        "alvor",
        "status",
    ],
    "bottlenecks-csv": [
        "enhed_id",
        "enhed",
        "forvaltning",
        "passager",
        "andel",
        "opgaver",
        "indgange",
        "betweenness",
    ],
}


def _gap(
    kind: str, ident: str, label: str, kle: str = "", where: str = "", detail: str = ""
) -> dict[str, Any]:
    return {
        "hul": GAP_KINDS.get(kind, kind),
        "id": ident,
        "navn": label,
        "kle": kle,
        "forvaltning": where,
        "detalje": detail,
    }


def _administrations(kg: Knowledge, units: Iterable[str]) -> str:
    return ", ".join(sorted({short_label(kg, administration_key(kg, u)) for u in units}))


def gap_table(kg: Knowledge) -> list[dict[str, Any]]:
    """Every gap :func:`~graph.questions.quality.gaps` finds, one row each, for a spreadsheet.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> rows = gap_table(load_knowledge())
    >>> list(rows[0]) == COLUMNS["gaps-csv"]
    True
    """
    found = gaps_json(kg, gaps(kg))
    return [
        *_task_gaps(kg, found),
        *_contact_gaps(kg, found),
        *(_gap("laws_not_cited", law["id"], law["label"]) for law in found["laws_not_cited"]),
        *(
            _gap("forums_without_members", forum["id"], forum["label"])
            for forum in found["forums_without_members"]
        ),
        *_age_and_arrangement_gaps(kg),
        *(
            _gap(f"{GAP_KINDS['antaget']} ({FACT_KINDS.get(kind, kind)})", f["id"], f["label"])
            for kind, facts in found["antaget"].items()
            for f in facts
        ),
    ]


def _task_gaps(kg: Knowledge, found: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [
        _gap("tasks_without_ansvarlig", task["id"], task["label"], task["notation"])
        for task in found["tasks_without_ansvarlig"]
    ]
    for task in found["tasks_only_antaget"]:
        via = kg.tasks[task["via"]].notation
        detail = f"antaget ansvarlig: {', '.join(kg.agent_label(u) for u in task['units'])}"
        if task["via"] != task["id"]:
            detail += f" (fra KLE {via})"
        rows.append(
            _gap(
                "tasks_only_antaget",
                task["id"],
                task["label"],
                task["notation"],
                _administrations(kg, task["units"]),
                detail,
            )
        )
    return rows


def _contact_gaps(kg: Knowledge, found: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for unit in found["units_without_contact"]:
        inherits = unit["inherits_from"]
        rows.append(
            _gap(
                "units_without_contact",
                unit["id"],
                unit["label"],
                where=short_label(kg, administration_key(kg, unit["id"])),
                detail=f"arver kontakt fra {kg.agent_label(inherits)}" if inherits else "",
            )
        )
    for contact in found["contacts_without_phone_or_email"]:
        rows.append(
            _gap(
                "contacts_without_phone_or_email",
                contact["id"],
                contact["label"] or contact["id"],
                detail=contact["note"] or "",
            )
        )
    return rows


def _age_and_arrangement_gaps(kg: Knowledge) -> list[dict[str, Any]]:
    rows = [
        _gap(
            "tasks_without_owner_for_age",
            task["id"],
            task["label"],
            task["notation"],
            detail=", ".join(task["ages"]),
        )
        for task in tasks_without_owner(kg)
        if not task["all_ages"]
    ]
    for post in arrangements_without_contact(kg):
        rows.append(
            _gap(
                "arrangements_without_contact",
                post["id"],
                post["label"],
                where=short_label(kg, administration_key(kg, post["unit"]["id"])),
                detail=f"i {post['unit']['label']}",
            )
        )
    return rows


def overlap_table(kg: Knowledge) -> list[dict[str, Any]]:
    """Overlaps and splits by conditions (:func:`~graph.questions.quality.overlaps`), a row each."""
    found = overlaps_json(kg, overlaps(kg))
    rows: list[dict[str, Any]] = []
    for row in found["overlaps"]:
        rows.append(
            {
                "type": "Samme rolle",
                "kle": row["task"]["notation"],
                "opgave": row["task"]["label"],
                "rolle": ROLE_LABELS.get(row["role"], row["role"]),
                "enheder": "; ".join(u["label"] for u in row["units"]),
                "forvaltninger": _administrations(kg, (u["id"] for u in row["units"])),
                "betingelser": "",
                "alvor": "høj" if row["severity"] == "hoej" else "lav",
                "status": ", ".join(status_label(s) for s in row["statuses"] if s),
            }
        )
    for row in found["split_by_conditions"]:
        rows.append(
            {
                "type": "Delt efter betingelser",
                "kle": row["task"]["notation"],
                "opgave": row["task"]["label"],
                "rolle": "ansvarlig",
                "enheder": "; ".join(u["label"] for u in row["units"]),
                "forvaltninger": _administrations(kg, (u["id"] for u in row["units"])),
                "betingelser": "; ".join(
                    f"{u['label']}: {', '.join(c['label'] for c in u['conditions'])}"
                    for u in row["units"]
                ),
                "alvor": "",
                "status": "",
            }
        )
    return rows


def bottleneck_table(kg: Knowledge) -> list[dict[str, Any]]:
    """:func:`~graph.questions.coordination.bottlenecks` as spreadsheet rows."""
    return [
        {
            "enhed_id": row["id"],
            "enhed": row["label"],
            "forvaltning": short_label(kg, row["administration"]),
            "passager": row["passes"],
            "andel": row["share"],
            "opgaver": row["tasks"],
            "indgange": ", ".join(row["doors"]),
            "betweenness": row["betweenness"],
        }
        for row in bottlenecks(kg)
    ]
