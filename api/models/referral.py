"""``/api/v1/referral``: the shortest referral path."""

from __future__ import annotations

from pydantic import Field

from api.models.common import Contact, LawRef, MatchInfo, Model, TaskRef, UnitRef

__all__ = [
    "Alternative",
    "Branch",
    "Complaint",
    "Condition",
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
        description="Hvordan: contact_person, contact_point, single_entry, forum, "
        "collaboration, hierarchy, across, external, eller appeal (klagens sidste hop).",
        examples=["forum"],
    )
    through: Through | None = Field(description="Forummet, samarbejdet eller kontaktpersonen.")
    how: str = Field(description="Hvad man gør, på dansk.")
    cost: float
    legal_basis: list[LawRef] = Field(description="Hjemmel for overdragelsen.")
    contacts: list[Contact]
    contact_inherited_from: UnitRef | None = Field(
        default=None,
        description="Enheden højere oppe i organisationen, hvis kontaktpunkt står i contacts, "
        "når modtageren ikke har sit eget (null: modtagerens eget).",
    )


class Alternative(Model):
    to: UnitRef
    to_role: str
    hops: list[Hop]
    cost: float


class Condition(Model):
    id: str
    label: str
    min_age: int | None
    max_age: int | None


class Complaint(Model):
    deciding_unit: UnitRef = Field(description="Enheden, der traf afgørelsen og genvurderer.")
    reconsideration: list[LawRef] = Field(description="Hjemmel for genvurderingen.")
    appeal_body: UnitRef | None = Field(description="Klageinstansen (null: ingen kendt).")
    appeal_legal_basis: list[LawRef]


class Branch(Model):
    condition: str = Field(description="Betingelsen på dansk, fx »under 65 år«.")
    conditions: list[Condition]
    to: UnitRef
    to_role: str
    hops: list[Hop]
    cost: float
    to_contacts: list[Contact]
    contact_inherited_from: UnitRef | None = None
    complaint: Complaint | None = None


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
    to_contacts: list[Contact] = Field(
        default_factory=list, description="Hvem man kontakter hos modtageren."
    )
    contact_inherited_from: UnitRef | None = Field(
        default=None, description="Hvis to_contacts er en overordnet enheds: den enhed."
    )
    branches: list[Branch] = Field(
        default_factory=list,
        description="Afhænger svaret af en betingelse (alder), der ikke er oplyst: hver gren.",
    )
    complaint: Complaint | None = Field(
        default=None, description="Ved klage=true: den afgørende enhed og klageinstansen."
    )
