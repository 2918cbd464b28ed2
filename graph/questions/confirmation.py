"""Who keeps a fact true, and when it was last confirmed (issue 12, item 8).

A responsibility is owned by the unit that has it: that unit is the one to keep it true and
the one a correction goes to. A fact was last *confirmed* when a person checked it against
a source in a review (``stafet:assuredDate``, ``stafet:assuredBy``); a fact a source states
but nobody has reviewed yet is confirmed by its source only, and an assumed fact carries
the reason it is assumed (its note, else its source).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from graph.data.model import Participation

__all__ = ["FactCheck", "FactState", "fact_check"]

#: ``reviewed``: a person confirmed it on a day; ``sourced``: a source states it, no review
#: yet; ``assumed``: a reasoned default still to be confirmed; ``unknown``: no status at all.
FactState = Literal["reviewed", "sourced", "assumed", "unknown"]


@dataclass(frozen=True, slots=True)
class FactCheck:
    """The owner of a fact and how far it is confirmed."""

    owner: str
    state: FactState
    confirmed_on: date | None = None
    confirmed_by: str | None = None
    #: Why the fact is only assumed (``state == "assumed"``), in the data's own words.
    reason: str | None = None


def fact_check(part: Participation) -> FactCheck:
    """The owner and the confirmation of a responsibility.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> check = fact_check(kg.registry.participations["kle-32.21-bif-ansvarlig"])
    >>> check.owner, check.state, check.reason[:30]
    ('bif', 'assumed', 'Enheden er ikke bekræftet. Ant')
    >>> fact_check(kg.registry.participations["kle-23.09.02-kff-borgerservice-ansvarlig"]).state
    'sourced'
    """
    provenance = part.provenance
    if provenance.assured_on is not None and provenance.status == "bekraeftet":
        return FactCheck(
            part.unit, "reviewed", provenance.assured_on, provenance.assured_by, reason=None
        )
    if provenance.status == "bekraeftet":
        return FactCheck(part.unit, "sourced")
    if provenance.status == "antaget":
        return FactCheck(part.unit, "assumed", reason=part.note or provenance.describe())
    return FactCheck(part.unit, "unknown")
