"""``/api/v1/changes`` and ``/api/v1/diff``: the change log and the differences."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.models.common import Model, UnitRef

__all__ = [
    "ChangeAnswer",
    "ChangeLogAnswer",
    "ChangedField",
    "ChangedResource",
    "NameDifference",
    "ParentDifference",
    "RegistrationDiffAnswer",
    "Responsibilities",
    "ValidTimeDiffAnswer",
]


class ChangedField(Model):
    subject: str = Field(description="Knuden, feltet sidder på (ressourcen eller en underknude).")
    predicate: str = Field(description="Prædikatets URI.")
    label: str = Field(description="Feltet på dansk.", examples=["navn"])


class ChangedResource(Model):
    uri: str
    kind: str | None = Field(description="unit, task, participation … (null: ukendt).")
    id: str | None
    label: str = Field(description="Ressourcens navn (ellers URI'en).")
    fields: list[ChangedField] = Field(
        description="Før → efter pr. felt (`before`/`after`; i `/diff`: `removed`/`added`)."
    )


class ChangeAnswer(Model):
    sequence: int = Field(description="Ændringens nummer i registret (1 = oprettelsen).")
    id: str
    when: str = Field(description="Hvornår den blev registreret (ISO 8601, UTC).")
    who: str = Field(description="Hvem der registrerede den.")
    kind: str = Field(description="init, create, update, end, confirm, dispute, import, batch.")
    reason: str = Field(description="Hvorfor (kan være tom).")
    source: str | None = Field(description="Kilden, ændringen bygger på.")
    resources: list[ChangedResource]


class ChangeLogAnswer(Model):
    changes: list[ChangeAnswer] = Field(description="Nyeste først.")
    next: int | None = Field(description="Angiv som `next` for at få næste side (null: sidste).")


class RegistrationDiffAnswer(Model):
    from_: int = Field(alias="from", description="Den første registrering (ændringsnummer).")
    to: int = Field(description="Den anden registrering (ændringsnummer).")
    added: int = Field(description="Antal fakta tilføjet.")
    removed: int = Field(description="Antal fakta fjernet.")
    resources: list[ChangedResource]


class Responsibilities(Model):
    only_from: list[dict[str, Any]] = Field(description="Gælder kun den første dag.")
    only_to: list[dict[str, Any]] = Field(description="Gælder kun den anden dag.")


class NameDifference(Model):
    unit: UnitRef
    from_: str = Field(alias="from")
    to: str


class ParentDifference(Model):
    unit: UnitRef
    from_: UnitRef | None = Field(alias="from", description="null: ikke en del af kommunen.")
    to: UnitRef | None


class ValidTimeDiffAnswer(Model):
    from_date: str
    to_date: str
    responsibilities: Responsibilities
    names: list[NameDifference]
    parents: list[ParentDifference]
