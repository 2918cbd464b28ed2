"""Where a complaint about a decision goes: back to the deciding unit, then the appeal body.

The data records the route on a KLE level (``data/copenhagen/complaints.ttl``): the appeal
body (``stafet:appealBody``), the provision giving the right to appeal
(``stafet:appealProvision``) and the one requiring the deciding unit to reconsider first
(``stafet:reconsiderationProvision``, genvurdering). A topic's own route overrides its group's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph.data.knowledge import Knowledge
from graph.data.model import Participation

__all__ = ["Complaint", "appeal_route", "known_laws"]


@dataclass(frozen=True, slots=True)
class Complaint:
    """Where a complaint about the decision goes: back to the decider, then the appeal body.

    ``reconsideration`` are the provisions requiring the deciding unit to reconsider first
    (empty if the data has none for the task); ``appeal_body`` is ``None`` where the data
    names no appeal body for the task.
    """

    deciding: Participation
    reconsideration: tuple[str, ...]
    appeal_body: str | None
    appeal_provisions: tuple[str, ...]


def appeal_route(kg: Knowledge, deciding: Participation) -> Complaint:
    """The appeal route of the deciding unit's task, from the nearest KLE level that has one.

    Only for a decision of the municipality's own: where another authority decides (Udbetaling
    Danmark on boligstøtte), its complaint route is not in the data.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> sof = next(p for p in kg.participations_by_task["kle-32.03.16"] if p.unit == "sof"
    ...            and p.role == "ansvarlig")
    >>> route = appeal_route(kg, sof)
    >>> route.appeal_body, route.reconsideration, route.appeal_provisions
    ('ankestyrelsen', ('retssikkerhedsloven-66',), ('retssikkerhedsloven-60',))
    """
    unit = kg.units.get(deciding.unit)
    if unit is None or unit.is_external:
        # The recorded routes are for the municipality's own decisions (rsl § 60: "kommunal-
        # bestyrelsens afgørelser"); another authority's route is not in the sources read.
        return Complaint(deciding, (), None, ())
    task = kg.tasks[deciding.task]
    for level in [task.id, *kg.task_ancestors(task.id)]:
        found = kg.tasks[level]
        if found.appeal_bodies or found.reconsideration_provisions:
            body = next((b for b in found.appeal_bodies if b in kg.units), None)
            return Complaint(
                deciding,
                known_laws(kg, found.reconsideration_provisions),
                body,
                known_laws(kg, found.appeal_provisions),
            )
    return Complaint(deciding, (), None, ())


def known_laws(kg: Knowledge, laws: Sequence[str]) -> tuple[str, ...]:
    """The provisions the data has (each with its source), in order, once each.

    >>> from graph import load_knowledge
    >>> known_laws(load_knowledge(), ["forvaltningsloven-7-1", "ukendt", "forvaltningsloven-7-1"])
    ('forvaltningsloven-7-1',)
    """
    return tuple(law for law in dict.fromkeys(laws) if law in kg.laws)
