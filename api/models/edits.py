"""Bodies of the write routes (``/api/v1/…`` POST/PATCH) and the resource they answer with.

A create body states the resource whole; a PATCH body only the fields that change (the
rest keep their value). Unknown fields are refused, so a misspelt field is an error, not
silently ignored. Texts are stored verbatim (they are data, never markup).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.models.common import Model

__all__ = [
    "AgeBandIn",
    "AuthorityIn",
    "AuthorityPatch",
    "BatchIn",
    "ConfirmIn",
    "ContactPointIn",
    "ContactPointPatch",
    "DisputeIn",
    "DisputeList",
    "EditedResource",
    "EndIn",
    "ForumIn",
    "ForumPatch",
    "MembershipIn",
    "MoveIn",
    "RenameIn",
    "ResponsibilityIn",
    "ResponsibilityPatch",
    "UnitIn",
    "UnitPatch",
]

Status = Literal["bekraeftet", "antaget"]
Text = str  # free text: checked in the library (length, control characters)
_ID = Field(min_length=1, max_length=120, pattern=r"^[a-z0-9][a-z0-9._-]*$")


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AgeBandIn(Body):
    min_age: int | None = Field(None, ge=0, le=150, description="Mindste alder (hele år).")
    max_age: int | None = Field(None, ge=0, le=150, description="Højeste alder (hele år).")


class Sourced(Body):
    status: Status = Field(description="bekraeftet (med kilde) eller antaget.")
    source: str | None = Field(
        None,
        max_length=2000,
        description="Kilden: en kendt kildes id (`kk-dk`), en URL eller et dokuments navn.",
        examples=["kk-dk"],
    )
    source_title: str | None = Field(None, max_length=500, description="Navnet på en ny kilde-URL.")
    locator: str | None = Field(None, max_length=2000, description="Afsnittet i kilden.")
    note: str | None = Field(None, max_length=4000, description="Note, fx hvorfor antaget.")


class ResponsibilityIn(Sourced):
    id: str | None = Field(None, description="Ønsket id (ellers dannet af opgave, enhed, rolle).")
    task: str = Field(description="Opgavens id.", examples=["kle-32.03.16"])
    unit: str = Field(description="Enhedens, myndighedens eller forummets id.", examples=["sof"])
    role: str = Field(description="Rollen: ansvarlig, udfoerende, indsigt …", examples=["indsigt"])
    description: Text = Field(max_length=4000, description="Hvad enheden gør, på dansk.")
    conditions: list[AgeBandIn] = Field(default_factory=list, max_length=5)
    legal_basis: list[str] = Field(default_factory=list, max_length=20, description="Lov-id'er.")
    step: int | None = Field(None, ge=1, le=99, description="Trin i en procesrække.")
    step_label: str | None = Field(None, max_length=200)
    valid_from: date | None = None
    valid_until: date | None = None


class ResponsibilityPatch(Body):
    """Only the fields that change; ``valid_until`` ends the responsibility."""

    unit: str | None = None
    role: str | None = None
    description: str | None = Field(None, max_length=4000)
    conditions: list[AgeBandIn] | None = Field(None, max_length=5)
    legal_basis: list[str] | None = Field(None, max_length=20)
    step: int | None = Field(None, ge=1, le=99)
    step_label: str | None = Field(None, max_length=200)
    valid_from: date | None = None
    valid_until: date | None = None
    status: Status | None = None
    source: str | None = Field(None, max_length=2000)
    source_title: str | None = Field(None, max_length=500)
    locator: str | None = Field(None, max_length=2000)
    note: str | None = Field(None, max_length=4000)


class UnitIn(Sourced):
    id: str | None = Field(None, description="Ønsket id (ellers dannet af navnet).")
    name: str = Field(max_length=500, description="Enhedens navn i dag.", examples=["Nyt center"])
    parent: str = Field(description="Den overordnede enheds id.", examples=["sof"])
    unit_kind: Literal["unit", "administration", "political"] = "unit"
    alt_labels: list[str] = Field(default_factory=list, max_length=20)
    description: str | None = Field(None, max_length=4000)
    contact_points: list[str] = Field(default_factory=list, max_length=20)
    valid_from: date | None = Field(None, description="Enheden findes fra denne dag.")


class UnitPatch(Body):
    """A correction; a dated rename or move is ``…/rename`` or ``…/move``."""

    name: str | None = Field(None, max_length=500)
    parent: str | None = None
    unit_kind: Literal["unit", "administration", "political"] | None = None
    alt_labels: list[str] | None = Field(None, max_length=20)
    description: str | None = Field(None, max_length=4000)
    contact_points: list[str] | None = Field(None, max_length=20)
    status: Status | None = None
    source: str | None = Field(None, max_length=2000)
    source_title: str | None = Field(None, max_length=500)
    locator: str | None = Field(None, max_length=2000)
    note: str | None = Field(None, max_length=4000)


class Dated(Body):
    on: date = Field(description="Fra denne dag.", examples=["2027-01-01"])
    status: Status
    source: str | None = Field(None, max_length=2000)
    source_title: str | None = Field(None, max_length=500)
    locator: str | None = Field(None, max_length=2000)


class RenameIn(Dated):
    name: str = Field(max_length=500, description="Det nye navn.")


class MoveIn(Dated):
    parent: str = Field(description="Den nye overordnede enheds id.", examples=["bif"])


class EndIn(Body):
    until: date = Field(description="Sidste gyldige dag.", examples=["2026-12-31"])


class ContactPointIn(Sourced):
    id: str | None = None
    holder: str = Field(description="Id på enheden, myndigheden eller forummet.", examples=["sof"])
    label: str | None = Field(None, max_length=500)
    telephone: list[str] = Field(default_factory=list, max_length=10)
    email: list[str] = Field(default_factory=list, max_length=10)
    page: list[str] = Field(default_factory=list, max_length=10)
    valid_from: date | None = None


class ContactPointPatch(Body):
    label: str | None = Field(None, max_length=500)
    telephone: list[str] | None = Field(None, max_length=10)
    email: list[str] | None = Field(None, max_length=10)
    page: list[str] | None = Field(None, max_length=10)
    valid_from: date | None = None
    status: Status | None = None
    source: str | None = Field(None, max_length=2000)
    source_title: str | None = Field(None, max_length=500)
    locator: str | None = Field(None, max_length=2000)
    note: str | None = Field(None, max_length=4000)


class ForumIn(Sourced):
    id: str | None = None
    name: str = Field(max_length=500, examples=["Netværk om hjemløshed"])
    parent: str | None = None
    alt_labels: list[str] = Field(default_factory=list, max_length=20)
    description: str | None = Field(None, max_length=4000)
    meetings_per_year: int | None = Field(None, ge=1, le=366)
    frequency: str | None = Field(None, max_length=40, examples=["BIMONTHLY"])
    agenda: list[str] = Field(default_factory=list, max_length=30)
    tasks: list[str] = Field(default_factory=list, max_length=50)
    case_scope: list[str] = Field(default_factory=list, max_length=50)
    legal_basis: list[str] = Field(default_factory=list, max_length=20)
    valid_from: date | None = None


class ForumPatch(Body):
    name: str | None = Field(None, max_length=500)
    parent: str | None = None
    alt_labels: list[str] | None = Field(None, max_length=20)
    description: str | None = Field(None, max_length=4000)
    meetings_per_year: int | None = Field(None, ge=1, le=366)
    frequency: str | None = Field(None, max_length=40)
    agenda: list[str] | None = Field(None, max_length=30)
    tasks: list[str] | None = Field(None, max_length=50)
    case_scope: list[str] | None = Field(None, max_length=50)
    legal_basis: list[str] | None = Field(None, max_length=20)
    valid_from: date | None = None
    status: Status | None = None
    source: str | None = Field(None, max_length=2000)
    source_title: str | None = Field(None, max_length=500)
    locator: str | None = Field(None, max_length=2000)
    note: str | None = Field(None, max_length=4000)


class MembershipIn(Sourced):
    id: str | None = None
    member: str = Field(examples=["sof"])
    organization: str = Field(examples=["koordinationsgruppen"])
    role: str = Field("medlem", description="medlem, leder, sekretariat, konsulent, gaest …")
    description: str | None = Field(None, max_length=4000)
    case_scope: list[str] = Field(default_factory=list, max_length=50)
    valid_from: date | None = None
    valid_until: date | None = None


class AuthorityIn(Sourced):
    id: str | None = None
    name: str = Field(max_length=500, examples=["Styrelsen for Arbejdsmarked og Rekruttering"])
    alt_labels: list[str] = Field(default_factory=list, max_length=20)
    description: str | None = Field(None, max_length=4000)
    spatial: str = Field("danmark", description="Stedet, myndigheden dækker (et sted-id).")
    contact_points: list[str] = Field(default_factory=list, max_length=20)
    competent_for: list[str] = Field(default_factory=list, max_length=200)


class AuthorityPatch(Body):
    name: str | None = Field(None, max_length=500)
    alt_labels: list[str] | None = Field(None, max_length=20)
    description: str | None = Field(None, max_length=4000)
    spatial: str | None = None
    contact_points: list[str] | None = Field(None, max_length=20)
    competent_for: list[str] | None = Field(None, max_length=200)
    status: Status | None = None
    source: str | None = Field(None, max_length=2000)
    source_title: str | None = Field(None, max_length=500)
    locator: str | None = Field(None, max_length=2000)
    note: str | None = Field(None, max_length=4000)


class ConfirmIn(Body):
    source: str = Field(min_length=1, max_length=2000, description="Kilden, der er tjekket mod.")
    locator: str | None = Field(None, max_length=2000)
    assured_on: date | None = Field(None, description="Dagen, det blev tjekket (ellers i dag).")


class DisputeIn(Body):
    reason: str = Field(min_length=1, max_length=4000, description="Hvorfor faktum er forkert.")


class BatchItem(Body):
    """One operation of a batch: ``op`` names it, ``kind`` and ``id`` the resource."""

    op: Literal["create", "update", "end", "rename", "move", "confirm", "dispute"]
    kind: Literal["responsibility", "unit", "contact-point", "forum", "membership", "authority"]
    id: str | None = Field(None, max_length=120)
    if_match: str | None = Field(None, max_length=100, description="ETag for en eksisterende.")
    body: dict[str, Any] = Field(default_factory=dict)


class BatchIn(Body):
    operations: list[BatchItem] = Field(min_length=1, max_length=500)
    reason: str = Field("", max_length=2000)
    source: str | None = Field(None, max_length=2000)


class DisputeOut(Model):
    reason: str
    by: str
    at: datetime
    resolved_at: datetime | None = None


class EditedResource(Model):
    """One editable resource as stored now, with its ETag (also in the ``ETag`` header)."""

    kind: str = Field(description="responsibility, unit, contact-point, forum, membership …")
    id: str
    uri: str
    etag: str
    fields: dict[str, Any] = Field(description="Felterne, som de står nu.")
    valid_until: date | None = None
    assured_on: date | None = Field(None, description="Senest bekræftet den (HSDS assured_date).")
    assured_by: str | None = Field(None, description="Bekræftet af.")
    disputes: list[DisputeOut] = Field(default_factory=list)
    change: int | None = Field(None, description="Ændringens løbenummer, efter en skrivning.")


class OpenDisputeOut(Model):
    kind: str
    id: str
    uri: str
    label: str
    reason: str
    by: str
    at: datetime
    status: str | None


class DisputeList(Model):
    disputes: list[OpenDisputeOut]
