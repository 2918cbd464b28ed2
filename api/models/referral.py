"""``/api/v1/referral``: the shortest referral path."""

from __future__ import annotations

from pydantic import Field

from api.models.common import Contact, LawRef, MatchInfo, Model, TaskRef, UnitRef

__all__ = [
    "Alternative",
    "Hop",
    "ReferralAnswer",
    "ReferralMatch",
    "Through",
]


class Through(Model):
    id: str
    label: str | None


class Hop(Model):
    from_: UnitRef = Field(alias="from", description="Enheden, der afleverer stafetten.")
    to: UnitRef = Field(description="Enheden, der modtager.")
    via: str = Field(
        description="Hvordan: contact_person, forum, collaboration, hierarchy eller external.",
        examples=["forum"],
    )
    through: Through | None = Field(description="Forummet, samarbejdet eller kontaktpersonen.")
    how: str = Field(description="Hvad man gør, på dansk.")
    cost: float
    legal_basis: list[LawRef] = Field(description="Hjemmel for overdragelsen.")
    contacts: list[Contact]


class Alternative(Model):
    to: UnitRef
    to_role: str
    hops: list[Hop]
    cost: float


class ReferralMatch(Model):
    from_: MatchInfo = Field(alias="from")
    task: MatchInfo


class ReferralAnswer(Model):
    """Den billigste henvisningsvej."""

    from_: UnitRef = Field(alias="from", description="Enheden, borgeren henvendte sig til.")
    to: UnitRef = Field(description="Enheden, der varetager opgaven.")
    to_role: str
    task: TaskRef
    fallback_from: TaskRef | None = None
    matched_via: ReferralMatch
    hops: list[Hop] = Field(description="Overdragelserne i rækkefølge (tom: enheden selv).")
    cost: float = Field(description="Vejens samlede pris.")
    leaves_municipality: bool = Field(description="Vejen ender uden for kommunen.")
    received_by_municipality: bool = Field(
        description="Kommunen har modtaget henvendelsen (enhedsforvaltning: fristen løber)."
    )
    alternatives: list[Alternative] = Field(description="Næsten lige så gode veje.")
    notes: list[str]
