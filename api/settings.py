"""The web app's settings: one pydantic-settings class, read from ``STAFET_*`` variables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Everything an operator may tune; every field can be set as ``STAFET_<NAME>``.

    Examples
    --------
    >>> Settings(cors_origins="https://intra.kk.dk, https://a.kk.dk").cors_origins
    ['https://intra.kk.dk', 'https://a.kk.dk']
    """

    model_config = SettingsConfigDict(env_prefix="STAFET_", extra="ignore")

    data_dir: Path | None = Field(
        default=None, description="Mappe med Turtle-data (standard: projektets data/)."
    )
    cache_dir: Path | None = Field(
        default=None, description="Mappe til den kompilerede cache (standard: .cache/compiled)."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Oprindelser, der må kalde API'et fra en browser; tom: CORS er slået fra.",
    )
    max_body_bytes: int = Field(
        default=100_000, gt=0, description="Største tilladte request-krop i bytes."
    )
    sparql_enabled: bool = Field(default=True, description="Start SPARQL-processen (/sparql).")
    sparql_timeout: float = Field(
        default=5.0, gt=0, le=300, description="Tidsgrænse pr. forespørgsel (s)."
    )
    sparql_max_rows: int = Field(
        default=10_000, gt=0, description="Højst så mange rækker i et svar."
    )
    sparql_max_triples: int = Field(
        default=20_000, gt=0, description="Højst så mange tripler i et svar."
    )
    sparql_max_concurrent: int = Field(
        default=2, gt=0, description="Samtidige SPARQL-forespørgsler."
    )
    sparql_memory_mb: int = Field(
        default=1024, gt=0, description="Ekstra hukommelse, én forespørgsel må bruge (MiB)."
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value
