"""Pieces shared by several answers: tasks, units, laws, contacts, conditions, provenance."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Condition",
    "Contact",
    "FactOwner",
    "LawRef",
    "MatchInfo",
    "Model",
    "Provenance",
    "ServicePage",
    "SourceRef",
    "TaskRef",
    "UnitRef",
]


class Model(BaseModel):
    """Answers may gain fields (the contract allows it): extra fields are allowed."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class TaskRef(Model):
    id: str = Field(description="Opgavens id.", examples=["kle-32.03.16"])
    label: str = Field(description="Opgavens navn.", examples=["Førtidspension"])
    notation: str = Field(description="KLE-nummer.", examples=["32.03.16"])
    level: Literal["main", "group", "topic", "service"] = Field(
        description="KLE-niveau: hovedgruppe, gruppe eller emne; "
        "service: opgave hos en anden myndighed."
    )
    uri: str = Field(description="Opgavens RDF-URI.")


class UnitRef(Model):
    id: str = Field(description="Enhedens id.", examples=["bif"])
    label: str = Field(
        description="Enhedens navn.", examples=["Beskæftigelses- og Integrationsforvaltningen"]
    )
    forvaltning: str | None = Field(
        description="Id på den forvaltning, enheden hører under (okf, buf, tmf, kff, bif, sof, "
        "suf), ellers null."
    )
    kind: str = Field(
        description="Slags: municipality, administration, political, unit, external eller forum."
    )
    uri: str | None = Field(description="Enhedens RDF-URI.")


class LawRef(Model):
    id: str = Field(description="Lovens eller bestemmelsens id.", examples=["pensionsloven-14a"])
    label: str = Field(description="Navn.", examples=["Pensionsloven § 14 a"])
    uri: str | None = Field(description="RDF-URI.")
    eli: str | None = Field(description="ELI-adresse i Retsinformation, hvis kendt.")


class Condition(Model):
    kind: str = Field(description="Slags betingelse, fx age.", examples=["age"])
    min_age: int | None = Field(description="Mindste alder (inklusive).")
    max_age: int | None = Field(description="Største alder (inklusive).")
    label: str = Field(description="Betingelsen i ord.", examples=["under 65 år"])


class SourceRef(Model):
    id: str
    label: str
    url: str | None
    uri: str


class Provenance(Model):
    status: str | None = Field(description="bekraeftet (kilden siger det) eller antaget.")
    sources: list[SourceRef]
    locator: str | None = Field(description="Hvor i kilden.")


class Contact(Model):
    id: str = Field(description="Kontaktpunktets id.")
    label: str | None = None
    telephone: list[str] = Field(default_factory=list, description="Telefonnumre.")
    email: list[str] = Field(default_factory=list, description="E-mailadresser.")
    page: list[str] = Field(default_factory=list, description="Websider.")
    opening_hours: list[str] = Field(
        default_factory=list,
        description="Åbnings- eller telefontider med kildens ord (tom, hvor kilden ingen giver).",
        examples=[["Hverdage kl. 10–13"]],
    )
    note: str | None = Field(None, description="Bemærkning, fx adressen.")
    unit: str | None = Field(None, description="Enheden, kontaktpunktet hører til.")
    inherited: bool | None = Field(None, description="Arvet fra en overordnet enhed.")
    status: str | None = None
    source: str | None = None


class MatchInfo(Model):
    how: str = Field(
        description="Hvordan teksten blev genkendt: id, notation, label, synonym, keyword, fuzzy."
    )
    text: str = Field(description="Den tekst, der matchede.")
    score: float = Field(description="Matchets styrke (0–100).")


class ServicePage(Model):
    url: str = Field(description="Opgavens side på kk.dk eller borger.dk.")
    title: str = Field(description="Sidens titel.")


class FactOwner(Model):
    id: str = Field(description="Enheden, der holder faktummet sandt.")
    label: str
    kind: str = Field(description="unit eller forum.", examples=["unit"])
