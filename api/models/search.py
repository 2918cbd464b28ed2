"""``/api/v1/search`` and ``/health``."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.models.common import Model

__all__ = [
    "Counts",
    "Health",
    "SearchAnswer",
    "SearchResult",
]


class SearchResult(Model):
    id: str = Field(examples=["kle-32.03.16"])
    kind: str = Field(description="task, unit, law eller forum.", examples=["task"])
    label: str = Field(examples=["Førtidspension"])
    uri: str
    notation: str | None = Field(None, description="KLE-nummer (kun opgaver).")
    score: float = Field(description="Jo højere, jo bedre.")
    matched: str = Field(
        description="Hvordan: id, notation, label, synonym, keyword, partial eller fuzzy.",
        examples=["label"],
    )
    matched_text: str = Field(description="Teksten, der matchede.")


class SearchAnswer(Model):
    query: str
    kind: str
    limit: int
    as_of: str | None = Field(
        None, description="Datoen, navnene gælder for (kun når `as_of` er givet)."
    )
    results: list[SearchResult] = Field(description="Bedste først.")


class Counts(Model):
    units: int
    tasks: int
    laws: int
    forums: int
    participations: int


class StoreFollow(Model):
    sequence: int = Field(description="Den ændring i registret, svarene bygger på.")
    head: int = Field(description="Registrets seneste ændring, sidst der blev set efter.")
    behind: int = Field(description="Så mange ændringer er endnu ikke med i svarene.")
    checked_seconds_ago: float | None = Field(
        description="Sekunder siden der sidst blev set efter ændringer (null: aldrig)."
    )
    error: str | None = Field(description="Hvorfor registret sidst ikke kunne læses (null: ok).")
    writes: Literal["her", "videresendes"] = Field(
        description="her: denne instans skriver selv; videresendes: ændringer sendes til "
        "skriveinstansen (STAFET_WRITER_URL)."
    )


class Health(Model):
    status: str = Field(description="ok, når API'et svarer.", examples=["ok"])
    fingerprint: str = Field(description="SHA-256 over datafilerne: skifter, når data gør.")
    triples: int | None = Field(description="Antal tripler i SPARQL-lageret (null: ikke klar).")
    counts: Counts
    load_seconds: float = Field(description="Sekunder brugt på at indlæse grafen ved opstart.")
    sparql: str = Field(description="klar, starter, nede eller slået fra.")
    store: StoreFollow | None = Field(
        default=None, description="Hvor langt svarene følger registret (null: intet register)."
    )
