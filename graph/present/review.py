"""The review queue's data and words: the assumed facts, who owns them, and the progress.

A fact is *assumed* while its status is ``antaget``. A fact counts as *confirmed in
review* when its status is ``bekraeftet`` and a person has recorded checking it
(``stafet:assuredDate``, set only by a confirmation, :mod:`graph.edit.review`); the seed's
facts that were confirmed from the start carry no such date. Progress is therefore
"confirmed in review, out of confirmed in review plus still assumed": the facts that were
assumed and have since been checked, out of all that were assumed (and still exist). The
caller reads the confirmations from the store and passes them in (``assured``: the fact's
URI → the day and who).

Examples
--------
>>> from graph import load_knowledge
>>> kg = load_knowledge()
>>> queue = review_queue(kg, {}, forvaltning="bif", kind="participations")
>>> queue["total"] > 0 and all(r["owner"]["id"] == "bif" for r in queue["rows"])
True
>>> progress_text(review_progress(kg, {}, "bif"))
'0 af 27 antagne ansvar bekræftet i BIF'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.data.knowledge import Knowledge
from graph.data.model import ContactPoint, Membership, Participation, Unit, in_period
from graph.present.vocabulary import (
    ADMINISTRATION_LABELS,
    FACT_KINDS,
    administration_label,
    role_label,
)
from graph.questions.quality import administration_key

__all__ = [
    "PAGE_SIZE",
    "REVIEW_KINDS",
    "Assured",
    "Progress",
    "main_groups",
    "progress_text",
    "review_progress",
    "review_queue",
]

#: The kinds of fact the queue lists (:data:`FACT_KINDS` keys) → the edit API's kind.
REVIEW_KINDS: Mapping[str, str] = {
    "participations": "responsibility",
    "units": "unit",
    "contacts": "contact-point",
    "memberships": "membership",
}
#: How many rows a page of the queue shows.
PAGE_SIZE = 50
_Fact = Participation | Unit | ContactPoint | Membership


@dataclass(frozen=True, slots=True)
class Assured:
    """A recorded confirmation: the day a person checked the fact, and who."""

    on: date
    by: str


@dataclass(frozen=True, slots=True)
class Progress:
    """Responsibilities of one administration (None: all) confirmed in review, of assumed."""

    forvaltning: str | None
    confirmed: int
    assumed: int


def _facts(kg: Knowledge, kind: str) -> list[_Fact]:
    registry = kg.registry
    today = date.today()
    if kind == "participations":
        return [
            p
            for p in registry.participations.values()
            if in_period(p.valid_from, p.valid_until, today)
        ]
    if kind == "units":
        return [u for u in registry.units.values() if not u.is_external]
    if kind == "contacts":
        return list(registry.contacts.values())
    return [
        m for m in registry.memberships.values() if in_period(m.valid_from, m.valid_until, today)
    ]


def _owner_unit(kg: Knowledge, fact: _Fact) -> str | None:
    """The unit a fact belongs to: its unit, its member, the unit listing a contact point."""
    if isinstance(fact, Participation):
        return fact.unit
    if isinstance(fact, Membership):
        return fact.member
    if isinstance(fact, Unit):
        return fact.id
    holders = sorted(u.id for u in kg.units.values() if fact.id in u.contacts)
    return holders[0] if holders else None


def _owner(kg: Knowledge, unit_id: str | None) -> dict[str, Any]:
    key = administration_key(kg, unit_id) if unit_id else "oevrige"
    unit = kg.units.get(key)
    label = unit.label if unit is not None else administration_label(key)
    return {"id": key, "label": label, "short": ADMINISTRATION_LABELS.get(key, label)}


def _unit_ref(kg: Knowledge, unit_id: str | None) -> dict[str, Any] | None:
    if unit_id is None:
        return None
    unit = kg.units.get(unit_id) or kg.forums.get(unit_id)
    return {"id": unit_id, "label": unit.label if unit is not None else unit_id}


def _text(kg: Knowledge, fact: _Fact) -> tuple[str, dict[str, Any] | None]:
    """The fact in Danish, and its task (for a responsibility)."""
    if isinstance(fact, Participation):
        task = kg.tasks.get(fact.task)
        unit = kg.units.get(fact.unit)
        name = unit.label if unit is not None else fact.unit
        title = f"{task.notation} {task.label}" if task is not None else fact.task
        ref = {"id": fact.task, "label": title, "notation": task.notation if task else ""}
        return f"{name} er {role_label(fact.role)} for {title}", ref
    if isinstance(fact, Membership):
        member = kg.units.get(fact.member)
        forum = kg.forums.get(fact.organization) or kg.units.get(fact.organization)
        return (
            f"{member.label if member else fact.member} er medlem af "
            f"{forum.label if forum else fact.organization}",
            None,
        )
    if isinstance(fact, Unit):
        parent = kg.units.get(fact.parent) if fact.parent else None
        where = f" under {parent.label}" if parent is not None else ""
        return f"Enheden {fact.label}{where}", None
    return f"Kontaktpunktet {fact.label or fact.id}", None


def _href(fact: _Fact, owner_unit: str | None) -> str:
    if isinstance(fact, Participation):
        return f"/id/task/{fact.task}"
    return f"/id/unit/{owner_unit}" if owner_unit else "/gennemgang"


def _edit_href(fact: _Fact, owner_unit: str | None) -> str:
    """Where the fact is corrected (the "Ret" forms of :mod:`api.pages.editing`)."""
    if isinstance(fact, Participation):
        return f"/ret/ansvar/{fact.id}"
    return f"/ret/enhed/{owner_unit}" if owner_unit else _href(fact, owner_unit)


def _row(kg: Knowledge, kind: str, fact: _Fact, assured: Assured | None) -> dict[str, Any]:
    unit_id = _owner_unit(kg, fact)
    text, task = _text(kg, fact)
    note = getattr(fact, "description", None) or getattr(fact, "note", None)
    return {
        "kind": REVIEW_KINDS[kind],
        "kind_label": FACT_KINDS[kind],
        "id": fact.id,
        "uri": fact.uri,
        "text": text,
        "task": task,
        "unit": _unit_ref(kg, unit_id),
        "role": role_label(fact.role) if isinstance(fact, Participation) else None,
        "note": note,
        "source": fact.provenance.describe(),
        "status": fact.provenance.status,
        "owner": _owner(kg, unit_id),
        "href": _href(fact, unit_id),
        "edit_href": _edit_href(fact, unit_id),
        "assured": {"on": assured.on.isoformat(), "by": assured.by} if assured else None,
    }


def _main_group(kg: Knowledge, fact: _Fact) -> str | None:
    if not isinstance(fact, Participation):
        return None
    task = kg.tasks.get(fact.task)
    return task.notation[:2] if task is not None and task.notation[:2].isdigit() else None


def review_queue(
    kg: Knowledge,
    assured: Mapping[str, Assured],
    *,
    forvaltning: str | None = None,
    main_group: str | None = None,
    kind: str | None = None,
    page: int = 1,
) -> dict[str, Any]:
    """The assumed facts that match the filters, a page of :data:`PAGE_SIZE`.

    ``forvaltning``: an administration's key (its id, ``oevrige`` or ``ekstern``);
    ``main_group``: a KLE main group's two digits (responsibilities only); ``kind``: a key of
    :data:`REVIEW_KINDS`. Each row says the fact in Danish, its reason and source, its owner
    and where it is shown. ``total`` counts every match, ``pages`` the pages.
    """
    rows: list[dict[str, Any]] = []
    for key in [kind] if kind in REVIEW_KINDS else list(REVIEW_KINDS):
        assert key is not None
        for fact in sorted(_facts(kg, key), key=lambda f: f.id):
            if fact.provenance.status != "antaget":
                continue
            if main_group is not None and _main_group(kg, fact) != main_group:
                continue
            row = _row(kg, key, fact, assured.get(fact.uri))
            if forvaltning is not None and row["owner"]["id"] != forvaltning:
                continue
            rows.append(row)
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    start = (page - 1) * PAGE_SIZE
    return {
        "total": len(rows),
        "page": page,
        "pages": pages,
        "rows": rows[start : start + PAGE_SIZE],
    }


def review_progress(
    kg: Knowledge, assured: Mapping[str, Assured], forvaltning: str | None = None
) -> Progress:
    """How many of the (current) responsibilities that were assumed have been confirmed.

    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> part = next(p for p in kg.registry.participations.values()
    ...             if p.provenance.status == "bekraeftet" and p.unit == "sof")
    >>> before = review_progress(kg, {}, "sof")
    >>> after = review_progress(kg, {part.uri: Assured(date(2026, 12, 1), "x")}, "sof")
    >>> (after.confirmed - before.confirmed, after.assumed - before.assumed)
    (1, 1)
    """
    confirmed = assumed = 0
    for fact in _facts(kg, "participations"):
        assert isinstance(fact, Participation)
        if forvaltning is not None and administration_key(kg, fact.unit) != forvaltning:
            continue
        status = fact.provenance.status
        if status == "antaget":
            assumed += 1
        elif status == "bekraeftet" and fact.uri in assured:
            confirmed += 1
            assumed += 1
    return Progress(forvaltning, confirmed, assumed)


def progress_text(progress: Progress) -> str:
    """``'412 af 509 antagne ansvar bekræftet i BIF'``.

    >>> progress_text(Progress(None, 1, 3))
    '1 af 3 antagne ansvar bekræftet i hele kommunen'
    """
    where = (
        f"i {ADMINISTRATION_LABELS.get(progress.forvaltning, progress.forvaltning)}"
        if progress.forvaltning
        else "i hele kommunen"
    )
    return f"{progress.confirmed} af {progress.assumed} antagne ansvar bekræftet {where}"


def main_groups(kg: Knowledge) -> list[dict[str, str]]:
    """KLE's main groups, for the filter's select: ``{id: '32', label: '32 Sociale …'}``."""
    return sorted(
        (
            {"id": t.notation, "label": f"{t.notation} {t.label}"}
            for t in kg.tasks.values()
            if t.level == "main"
        ),
        key=lambda g: g["id"],
    )
