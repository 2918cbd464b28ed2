"""``/api/v1/overlaps`` and ``/api/v1/gaps``: for the coordination group."""

from __future__ import annotations

from pydantic import Field

from api.models.common import Condition, Model, TaskRef, UnitRef


class OverlapRow(Model):
    task: TaskRef
    role: str = Field(description="Rollen, flere enheder har.", examples=["ansvarlig"])
    units: list[UnitRef]
    statuses: list[str]
    severity: str = Field(description="hoej (to ansvarlige) eller lav.")


class ConditionalUnit(UnitRef):
    conditions: list[Condition]


class SplitTask(Model):
    task: TaskRef
    units: list[ConditionalUnit]


class OverlapsAnswer(Model):
    """Opgaver med mere end én enhed i samme rolle, og matricen forvaltning × forvaltning."""

    overlaps: list[OverlapRow] = Field(description="Overlap, de alvorligste først.")
    split_by_conditions: list[SplitTask] = Field(
        description="Opgaver, hvor ansvaret er delt efter betingelser (fx alder)."
    )
    administrations: list[str] = Field(description="Rækker og søjler i matricerne.")
    matrix: dict[str, dict[str, int]] = Field(description="Antal opgaver med samme rolle.")
    shared: dict[str, dict[str, int]] = Field(description="Antal opgaver, begge deltager i.")
    counts: dict[str, int]


class AssumedTask(TaskRef):
    via: str = Field(description="KLE-niveauet, hvis ejer er antaget.")
    units: list[str]


class UnitWithoutContact(UnitRef):
    inherits_from: str | None = Field(description="Overordnet enhed, hvis kontakt arves.")


class Unreachable(Model):
    id: str
    label: str | None
    uri: str
    note: str | None


class Named(Model):
    id: str
    label: str | None
    uri: str


class AssumedFact(Model):
    id: str
    uri: str
    label: str = Field(description="Faktummet i ord, fx en rolle eller et medlemskab.")


class GapsAnswer(Model):
    """Det, der mangler."""

    tasks_without_ansvarlig: list[TaskRef]
    tasks_only_antaget: list[AssumedTask]
    units_without_contact: list[UnitWithoutContact]
    contacts_without_phone_or_email: list[Unreachable]
    laws_not_cited: list[Named]
    forums_without_members: list[Named]
    antaget: dict[str, list[AssumedFact]] = Field(
        description="Fakta, der stadig er antaget, pr. slags."
    )
    counts: dict[str, int]
