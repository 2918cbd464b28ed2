"""Koordination (``/koordination``): overlaps as a heatmap and the gap lists, with counts."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.deps import RuntimeDep
from api.pages.common import Twin, page
from graph.data.knowledge import Knowledge
from graph.present.links import resource_path
from graph.present.quality import gaps_json, overlaps_json
from graph.present.vocabulary import ADMINISTRATION_LABELS
from graph.questions.quality import gaps, overlaps

router = APIRouter(include_in_schema=False)

#: How many items of one gap list the page shows (the JSON twin has them all).
LIST_LIMIT = 200
LEVELS = 6
GAP_LISTS = [
    ("tasks_without_ansvarlig", "Opgaver uden ansvarlig", "task"),
    ("units_without_contact", "Enheder uden eget kontaktpunkt", "unit"),
    ("contacts_without_phone_or_email", "Kontaktpunkter uden telefon eller e-mail", "contact"),
    ("laws_not_cited", "Love, som ingen opgave henviser til", "law"),
    ("forums_without_members", "Fora uden medlemmer", "forum"),
    ("tasks_only_antaget", "Opgaver, hvis ansvar kun er antaget", "task"),
]
ASSUMED = {
    "units": "Enheder",
    "forums": "Fora",
    "participations": "Ansvar (deltagelser i opgaver)",
    "memberships": "Medlemskaber",
    "contact_arrangements": "Kontaktpersonordninger",
    "contacts": "Kontaktpunkter",
}


def heatmap(kg: Knowledge, matrix: dict[str, dict[str, int]], keys: list[str]) -> dict[str, Any]:
    """Rows of cells with a colour level 0–6 (share of the highest count) and a link."""
    order = list(ADMINISTRATION_LABELS)
    keys = sorted(keys, key=lambda k: order.index(k) if k in order else len(order))
    highest = max((matrix[a][b] for a in keys for b in keys if a != b), default=0) or 1
    rows = []
    for a in keys:
        cells = []
        for b in keys:
            value = matrix[a][b]
            level = 0 if not value else max(1, math.ceil(LEVELS * min(value, highest) / highest))
            both = all(k in kg.units and kg.units[k].kind == "administration" for k in (a, b))
            cells.append(
                {
                    "value": value,
                    "level": level,
                    "diagonal": a == b,
                    "href": f"/samarbejde?a={a}&b={b}" if both and a != b else None,
                    "row": ADMINISTRATION_LABELS.get(a, a),
                    "column": ADMINISTRATION_LABELS.get(b, b),
                }
            )
        rows.append({"key": a, "label": ADMINISTRATION_LABELS.get(a, a), "cells": cells})
    return {"columns": [ADMINISTRATION_LABELS.get(k, k) for k in keys], "rows": rows}


def _href(kind: str, item: dict[str, Any]) -> str | None:
    return resource_path(item.get("uri")) or (f"/id/{kind}/{item['id']}" if "id" in item else None)


def coordination(kg: Knowledge, day: date) -> dict[str, Any]:
    found = overlaps_json(kg, overlaps(kg, as_of=day))
    missing = gaps_json(kg, gaps(kg, as_of=day))
    lists = []
    for key, title, kind in GAP_LISTS:
        items = missing[key]
        lists.append(
            {
                "key": key,
                "title": title,
                "count": missing["counts"][key],
                "items": [{**item, "href": _href(kind, item)} for item in items[:LIST_LIMIT]],
                "more": max(0, len(items) - LIST_LIMIT),
            }
        )
    assumed = [
        {
            "key": key,
            "title": title,
            "count": len(missing["antaget"][key]),
            "items": [
                {**item, "href": resource_path(item["uri"])}
                for item in missing["antaget"][key][:LIST_LIMIT]
            ],
            "more": max(0, len(missing["antaget"][key]) - LIST_LIMIT),
        }
        for key, title in ASSUMED.items()
    ]
    return {
        "overlaps": found,
        "gaps": missing,
        "shared": heatmap(kg, found["shared"], found["administrations"]),
        "same_role": heatmap(kg, found["matrix"], found["administrations"]),
        "lists": lists,
        "assumed": assumed,
    }


@router.get("/koordination")
def coordination_page(request: Request, runtime: RuntimeDep) -> Response:
    context = coordination(runtime.knowledge, date.today())
    context["levels"] = LEVELS
    return page(request, "coordination.html", context, [Twin("JSON", "/koordination.json")])


@router.get("/koordination.json")
def coordination_json(request: Request, runtime: RuntimeDep) -> Response:
    day = date.today()

    def build() -> bytes:
        kg = runtime.knowledge
        body = {
            "overlaps": overlaps_json(kg, overlaps(kg, as_of=day)),
            "gaps": gaps_json(kg, gaps(kg, as_of=day)),
        }
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    base = str(request.base_url).rstrip("/")
    return Response(
        runtime.cached(("page-coordination", day.isoformat()), build),
        media_type="application/json",
        headers={"Link": f'<{base}/koordination>; rel="alternate"; type="text/html"'},
    )
