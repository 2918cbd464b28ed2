"""``/api/v1/dependencies``: how units depend on each other."""

from __future__ import annotations

from pydantic import Field

from api.models.common import Condition, Contact, Model, TaskRef, UnitRef


class Participant(Model):
    unit: UnitRef
    side: str | None = Field(description="Hvilken af de angivne enheder deltageren hører til.")
    role: str
    step: int | None
    step_label: str | None
    conditions: list[Condition]
    source: str
    status: str | None


class SharedTask(Model):
    task: TaskRef
    participants: list[Participant]


class StepLink(Model):
    from_step: int | None
    to_step: int | None
    from_: str = Field(alias="from")
    to: str


class ProcessLink(Model):
    task: TaskRef
    steps: list[Participant]
    links: list[StepLink]


class ForumLink(Model):
    id: str
    label: str
    uri: str
    part_of: str | None
    meetings_per_year: int | None
    frequency: str | None
    agenda: list[str]
    tasks: list[str]
    members: dict[str, list[str]] = Field(description="Medlemmer pr. side.")
    source: str
    status: str | None


class ArrangementLink(Model):
    id: str
    label: str
    unit: UnitRef
    side: str
    serves: list[UnitRef]
    contacts: list[Contact]
    source: str
    status: str | None


class CrossMembership(Model):
    id: str
    member: UnitRef
    organization: UnitRef
    role: str
    since: str | None
    note: str | None
    source: str
    status: str | None


class DependenciesAnswer(Model):
    """Hvordan enhederne afhænger af hinanden."""

    units: list[UnitRef] = Field(description="De angivne enheder (genkendt).")
    task: str | None = Field(description="Opgaven, svaret er afgrænset til.")
    shared_tasks: list[SharedTask] = Field(description="Opgaver, begge sider deltager i.")
    process_links: list[ProcessLink] = Field(description="Forløb, der går på tværs.")
    forums: list[ForumLink] = Field(description="Fora, begge sider sidder i.")
    contact_arrangements: list[ArrangementLink] = Field(description="Kontaktpersonordninger.")
    cross_memberships: list[CrossMembership]
