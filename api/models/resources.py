"""``/api/v1/units|tasks|laws|forums/{id}``: one resource with its relations."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.models.common import Condition, Contact, LawRef, Model, TaskRef, UnitRef

__all__ = [
    "Arrangement",
    "ForumMembership",
    "ForumResource",
    "Keyword",
    "LawResource",
    "Member",
    "Relation",
    "Resource",
    "Target",
    "TaskResource",
    "UnitResource",
    "UnitTask",
]


class Target(Model):
    kind: str
    id: str
    label: str | None


class Relation(Model):
    relation: str = Field(description="Relationens navn.", examples=["member_of"])
    label: str = Field(description="Relationen på dansk.", examples=["er medlem af"])
    direction: Literal["out", "in"] = Field(description="out: som RDF siger det; in: omvendt.")
    target: Target
    role: str | None = None
    status: str | None = None


class Resource(Model):
    id: str
    kind: str = Field(description="unit, task, law eller forum.")
    label: str
    uri: str
    relations: list[Relation] = Field(description="Alle relationer, begge veje.")


class UnitTask(TaskRef):
    conditions: list[Condition]
    step: int | None
    status: str | None
    source: str


class Arrangement(Model):
    id: str
    label: str
    serves: list[str]
    status: str | None


class ForumMembership(Model):
    id: str
    label: str
    role: str


class UnitResource(Resource):
    forvaltning: str | None
    unit_kind: str
    alt_labels: list[str]
    breadcrumb: list[UnitRef] = Field(description="Overordnede enheder, øverst først.")
    children: list[UnitRef]
    tasks_by_role: dict[str, list[UnitTask]]
    contacts: list[Contact]
    contact_arrangements: list[Arrangement]
    forums: list[ForumMembership]
    note: str | None
    source: str
    status: str | None


class Keyword(Model):
    text: str
    weight: int


class TaskResource(Resource):
    notation: str
    level: str
    description: str | None
    alt_labels: list[str]
    keywords: list[Keyword] = Field(description="KLE's stikord.")
    breadcrumb: list[TaskRef]
    narrower: list[TaskRef]
    legal_basis: list[LawRef]
    in_social_field: bool | None


class LawResource(Resource):
    eli: str | None
    alt_labels: list[str]
    part_of: LawRef | None
    parts: list[LawRef]
    number: str | None
    definition: str | None


class Member(Model):
    id: str
    label: str
    role: str
    status: str | None


class ForumResource(Resource):
    part_of: str | None
    parts: list[str]
    description: str | None
    meetings_per_year: int | None
    frequency: str | None
    agenda: list[str]
    tasks: list[TaskRef]
    members: list[Member]
    portal: str | None
    note: str | None
    source: str
    status: str | None
