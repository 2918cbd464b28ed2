"""Who handles a task: the units, their roles, conditions, legal basis and contacts.

The answer is read from the compiled graph, never guessed: a task without its own
responsibilities falls back up the KLE hierarchy and says from where, and two units that
are both ``ansvarlig`` for the same citizen are reported as ambiguous rather than one of
them picked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graph.data.knowledge import Knowledge, Match
from graph.data.model import HANDLING_ROLES, Participation, Task
from graph.errors import InvalidInputError
from graph.present.common import handler_dict, task_summary, unit_summary

__all__ = [
    "WhoAnswer",
    "owners",
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
        raise InvalidInputError(f"Alderen skal være mellem 0 og 130 år, ikke {age}.")
    day = as_of or date.today()
    found, match = kg.resolve("task", task)
    asked: Task = found
    own = _current(kg, asked.id, age, day)
    level, _ = owners(kg, asked.id, age=age, as_of=day, roles=HANDLING_ROLES)
    answered_from = asked if level is None else kg.tasks[level]
    handlers = own if level in (None, asked.id) else own + _current(kg, level, age, day)
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


def owners(
    kg: Knowledge,
    task_id: str,
    age: int | None = None,
    as_of: date | None = None,
    roles: tuple[str, ...] = ("ansvarlig",),
) -> tuple[str | None, list[Participation]]:
    """The one walk up KLE to a task's owners: the participations and the level they sit on.

    The task's own current participations in one of ``roles`` that admit ``age``, else
    those of the nearest KLE group above it. Returns ``(None, [])`` if no level has one.
    Every question that needs "who owns this task" (who handles it, coverage, gaps) walks
    through here.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> level, parts = owners(kg, "kle-27.60.04", age=30)
    >>> level, [p.unit for p in parts]
    ('kle-27.60', ['sof-borgercenter-handicap'])
    """
    day = as_of or date.today()
    for level in [task_id, *kg.task_ancestors(task_id)]:
        found = [p for p in _current(kg, level, age, day) if p.role in roles]
        if found:
            return level, found
    return None, []


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
