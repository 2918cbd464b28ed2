"""``/api/v1/who``: who handles a task."""

from __future__ import annotations

from pydantic import Field

from api.models.common import (
    Condition,
    Contact,
    FactOwner,
    LawRef,
    MatchInfo,
    Model,
    Provenance,
    ServicePage,
    TaskRef,
    UnitRef,
)
from graph.present.vocabulary import ROLE_LABELS

__all__ = [
    "AlternativeTask",
    "Breakdown",
    "BreakdownOwner",
    "DifferingTopic",
    "Handler",
    "ProcessStep",
    "WhoAnswer",
]


class Handler(Model):
    unit: UnitRef
    role: str = Field(
        description="ansvarlig, udfoerende, indsigt, raadgivende, indstillende, udbetaler …",
        examples=["ansvarlig"],
    )
    role_label: str = Field(description="Rollen på dansk.", examples=[ROLE_LABELS["udfoerende"]])
    description: str | None = Field(description="Hvad enheden gør i opgaven.")
    conditions: list[Condition] = Field(description="Betingelser, fx alder.")
    legal_basis: list[LawRef] = Field(description="Hjemmel.")
    contacts: list[Contact] = Field(description="Kontaktpunkter (evt. arvet fra overordnet).")
    step: int | None = Field(description="Trin i et forløb på tværs af enheder.")
    step_label: str | None
    valid_from: str | None = Field(description="Gyldig fra (dato).")
    valid_until: str | None = Field(description="Gyldig til (dato).")
    source: str = Field(description="Kilden i ord.")
    status: str | None = Field(description="bekraeftet eller antaget.")
    provenance: Provenance
    participation: str = Field(description="Id på deltagelsen (cv:Participation).")
    owner: FactOwner = Field(description="Enheden, der holder ansvaret sandt (enheden selv).")
    last_confirmed: str | None = Field(
        description="Dagen en person sidst kontrollerede ansvaret mod en kilde (ellers null)."
    )
    confirmed_by: str | None = Field(description="Hvem der sidst bekræftede det (ellers null).")
    confirmation: str = Field(
        description="Linjen siderne viser, fx »Sidst bekræftet 2026-11-03 af …« eller "
        "»Ikke bekræftet – antaget: …«."
    )


class ProcessStep(Model):
    step: int | None
    label: str | None = Field(description="Trinnets navn.", examples=["afgørelse"])
    unit: UnitRef
    role: str
    description: str | None
    source: str
    status: str | None


class BreakdownOwner(Model):
    unit: UnitRef = Field(description="Forvaltningen eller den eksterne myndighed.")
    forvaltning: str | None = Field(description="Forvaltningens id (tom for en myndighed).")
    units: list[UnitRef] = Field(description="De ansvarlige enheder, flest emner først.")
    topics: int = Field(description="Antal emner under overskriften, den ejer.", examples=[32])
    share: float = Field(description="Andelen af emnerne (0–1).", examples=[0.97])


class DifferingTopic(Model):
    task: TaskRef
    owners: list[UnitRef] = Field(description="Emnets ansvarlige (tom: et hul).")


class Breakdown(Model):
    total: int = Field(description="Antal emner under hovedgruppen eller gruppen.")
    owners: list[BreakdownOwner] = Field(description="Ejerne af emnerne, flest først.")
    differing: list[DifferingTopic] = Field(description="Emner, hvis ejer ikke er flertallets.")


class AlternativeTask(Model):
    task: TaskRef = Field(description="En opgave, teksten passer næsten lige så godt på.")
    forvaltning: str = Field(
        description="Id på den forvaltning, der ejer den (eller på myndigheden uden for kommunen).",
        examples=["buf"],
    )
    score: float = Field(description="Søgningens score for opgaven (0–100).")


class WhoAnswer(Model):
    """Hvem varetager opgaven."""

    query: str = Field(description="Teksten, der blev spurgt om.")
    task: TaskRef = Field(description="Den KLE-opgave, svaret gælder.")
    matched_via: MatchInfo
    handlers: list[Handler] = Field(description="Enhederne og deres roller.")
    process: list[ProcessStep] = Field(description="Forløbets trin i rækkefølge (kan være tom).")
    ambiguous: bool = Field(description="Flere enheder er ansvarlige for samme borger.")
    notes: list[str] = Field(description="Forklaringer og forbehold på dansk.")
    age: int | None
    as_of: str | None
    alternatives: list[AlternativeTask] = Field(
        default_factory=list,
        description="Når teksten passer næsten lige så godt på opgaver, som en anden "
        "forvaltning eller myndighed ejer: dem (`task` er stadig det bedste match).",
    )
    fallback_from: TaskRef | None = Field(
        None,
        description="Sat, når svaret kommer fra en bredere KLE-gruppe: den opgave, der blev "
        "spurgt om.",
    )
    service_pages: list[ServicePage] = Field(
        default_factory=list,
        description="Opgavens egne sider på kk.dk eller borger.dk, hvor en kilde nævner en.",
    )
    breakdown: Breakdown | None = Field(
        None,
        description="Sat for en KLE-hovedgruppe eller -gruppe uden egen ansvarlig: hvem der "
        "ejer emnerne under den, med andel, og de emner, der afviger fra flertallet.",
    )
