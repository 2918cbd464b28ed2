"""Who handles a task: the units, their roles, conditions, legal basis and contacts.

The answer is read from the compiled graph, never guessed: a task without its own
responsibilities falls back up the KLE hierarchy and says from where, and two units that
are both ``ansvarlig`` for the same citizen are reported as ambiguous rather than one of
them picked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graph.data.knowledge import Knowledge, Match
from graph.data.model import HANDLING_ROLES, ROLE_LABELS, Participation, Task

__all__ = [
    "WhoAnswer",
    "contact_dicts",
    "contacts_for",
    "law_summary",
    "unit_summary",
    "who_handles",
]


@dataclass(slots=True)
class WhoAnswer:
    """The answer to "who handles this task?"."""

    query: str
    task: Task
    matched_via: Match
    handlers: list[Participation]
    fallback_from: Task | None = None
    ambiguous: bool = False
    notes: list[str] = field(default_factory=list)
    age: int | None = None
    as_of: date | None = None

    @property
    def process(self) -> list[Participation]:
        """The ordered steps of a process chain across units (empty if none)."""
        return sorted((p for p in self.handlers if p.step is not None), key=lambda p: p.step or 0)

    @property
    def responsible(self) -> list[Participation]:
        return [p for p in self.handlers if p.role == "ansvarlig"]

    def to_dict(self, kg: Knowledge) -> dict[str, Any]:
        """The JSON shape of the HTTP contract's ``/api/v1/who``."""
        answer: dict[str, Any] = {
            "query": self.query,
            "task": task_summary(self.task),
            "matched_via": self.matched_via.to_dict(),
            "handlers": [handler_dict(kg, p) for p in self.handlers],
            "process": [
                {
                    "step": p.step,
                    "label": p.step_label,
                    "unit": unit_summary(kg, p.unit),
                    "role": p.role,
                    "description": p.description,
                    "source": p.provenance.describe(),
                    "status": p.provenance.status,
                }
                for p in self.process
            ],
            "ambiguous": self.ambiguous,
            "notes": self.notes,
            "age": self.age,
            "as_of": self.as_of.isoformat() if self.as_of else None,
        }
        if self.fallback_from is not None:
            # ``task`` is the KLE level that answered; ``fallback_from`` the one asked about.
            answer["fallback_from"] = task_summary(self.fallback_from)
        return answer


def who_handles(
    kg: Knowledge, task: str, age: int | None = None, as_of: date | None = None
) -> WhoAnswer:
    """Return the units that handle ``task``.

    Parameters
    ----------
    kg
        The compiled knowledge graph.
    task
        A task id (``kle-32.03.16``), a KLE number (``32.03.16``) or free Danish text as
        staff type it (``førtidspension``, ``fortidspension``, ``hjælpemidler``).
    age
        The citizen's age; filters responsibilities that depend on age. Without it,
        every alternative is returned with its condition.
    as_of
        The date the answer is for (default: today).

    Raises
    ------
    UnknownEntityError
        If nothing matches ``task``; the error offers the nearest matches.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> answer = who_handles(kg, "hjælpemidler", age=70)
    >>> [kg.units[p.unit].label for p in answer.responsible]
    ['Hjælpemiddelcentret']
    """
    if age is not None and not 0 <= age <= 130:
        raise ValueError(f"Alderen skal være mellem 0 og 130 år, ikke {age}.")
    day = as_of or date.today()
    found, match = kg.resolve("task", task)
    asked: Task = found
    levels = [asked.id, *kg.task_ancestors(asked.id)]
    own = _current(kg, asked.id, age, day)
    handlers = own
    answered_from = asked
    for level in levels:
        parts = _current(kg, level, age, day)
        if any(p.role in HANDLING_ROLES for p in parts):
            answered_from = kg.tasks[level]
            handlers = parts if level == asked.id else own + parts
            break
    answer = WhoAnswer(
        query=task,
        task=answered_from,
        matched_via=match,
        handlers=handlers,
        fallback_from=asked if answered_from.id != asked.id else None,
        age=age,
        as_of=as_of,
    )
    _explain(kg, answer)
    return answer


def _current(kg: Knowledge, task_id: str, age: int | None, day: date) -> list[Participation]:
    return [
        p
        for p in kg.participations_by_task.get(task_id, [])
        if p.is_valid_on(day) and p.admits_age(age)
    ]


def _explain(kg: Knowledge, answer: WhoAnswer) -> None:
    responsible = answer.responsible
    clashes = [
        (a, b)
        for i, a in enumerate(responsible)
        for b in responsible[i + 1 :]
        if a.unit != b.unit and a.overlaps(b)
    ]
    if clashes:
        answer.ambiguous = True
        names = sorted({kg.agent_label(p.unit) for pair in clashes for p in pair})
        answer.notes.append(
            "Flere enheder står som ansvarlige for den samme borger: "
            + ", ".join(names)
            + ". Stafet vælger ikke selv; spørg enhederne eller koordinationsgruppen."
        )
    conditional = [p for p in responsible if p.conditions]
    if conditional and answer.age is None:
        answer.notes.append(
            "Hvem der er ansvarlig afhænger af borgerens alder: "
            + "; ".join(
                f"{kg.agent_label(p.unit)} ({', '.join(c.label for c in p.conditions)})"
                for p in conditional
            )
            + "."
        )
    if answer.fallback_from is not None:
        answer.notes.append(
            f"Emnet {answer.fallback_from.notation} har ingen egne ansvarsoplysninger; "
            f"svaret kommer fra KLE {answer.task.notation} {answer.task.label}."
        )
    if not answer.handlers:
        answer.notes.append(
            "Ingen enhed er registreret for opgaven. Det er et hul, som koordinationsgruppen "
            "bør lukke."
        )
    elif all(p.provenance.status == "antaget" for p in answer.handlers):
        answer.notes.append(
            "Svaret hviler kun på antagelser (status antaget), som enhederne endnu skal bekræfte."
        )


# -- shared JSON pieces (also used by the referral and dependency answers) ----------


def task_summary(task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "label": task.label,
        "notation": task.notation,
        "level": task.level,
        "uri": task.uri,
    }


def unit_summary(kg: Knowledge, unit_id: str) -> dict[str, Any]:
    """``{id, label, forvaltning, kind, uri}`` for a unit, authority or forum id."""
    unit = kg.units.get(unit_id)
    if unit is None:
        forum = kg.forums.get(unit_id)
        return {
            "id": unit_id,
            "label": forum.label if forum else unit_id,
            "forvaltning": None,
            "kind": "forum" if forum else "unknown",
            "uri": forum.uri if forum else None,
        }
    administration = kg.administration_of(unit_id)
    return {
        "id": unit.id,
        "label": unit.label,
        "forvaltning": administration.id if administration else None,
        "kind": unit.kind,
        "uri": unit.uri,
    }


def law_summary(kg: Knowledge, law_id: str) -> dict[str, Any]:
    law = kg.laws.get(law_id)
    if law is None:
        return {"id": law_id, "label": law_id, "uri": None, "eli": None}
    return {"id": law.id, "label": law.label, "uri": law.uri, "eli": law.eli}


def contacts_for(kg: Knowledge, unit_id: str) -> list[dict[str, Any]]:
    """The unit's contact points, else the nearest parent's (marked as inherited)."""
    for holder in [unit_id, *kg.unit_ancestors(unit_id)]:
        unit = kg.units.get(holder)
        if unit is None or not unit.contacts:
            continue
        return contact_dicts(kg, unit.contacts, holder=holder, inherited=holder != unit_id)
    return []


def contact_dicts(
    kg: Knowledge, contact_ids: Iterable[str], *, holder: str, inherited: bool = False
) -> list[dict[str, Any]]:
    """Contact points by id, with phone, e-mail and page, as the answers show them."""
    return [
        {
            "id": contact.id,
            "label": contact.label,
            "telephone": list(contact.telephone),
            "email": list(contact.email),
            "page": list(contact.page),
            "unit": holder,
            "inherited": inherited,
            "status": contact.provenance.status,
            "source": contact.provenance.describe(),
        }
        for contact_id in contact_ids
        if (contact := kg.registry.contacts.get(contact_id)) is not None
    ]


def handler_dict(kg: Knowledge, part: Participation) -> dict[str, Any]:
    task = kg.tasks.get(part.task)
    laws = part.legal_basis or (task.legal_resources if task else ())
    return {
        "unit": unit_summary(kg, part.unit),
        "role": part.role,
        "role_label": ROLE_LABELS.get(part.role, part.role),
        "description": part.description,
        "conditions": [c.to_dict() for c in part.conditions],
        "legal_basis": [law_summary(kg, law) for law in laws],
        "contacts": contacts_for(kg, part.unit),
        "step": part.step,
        "step_label": part.step_label,
        "valid_from": part.valid_from.isoformat() if part.valid_from else None,
        "valid_until": part.valid_until.isoformat() if part.valid_until else None,
        "source": part.provenance.describe(),
        "status": part.provenance.status,
        "provenance": part.provenance.to_dict(),
        "participation": part.id,
    }
