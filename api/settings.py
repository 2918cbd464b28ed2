"""The web app's settings: one pydantic-settings class, read from ``STAFET_*`` variables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Everything an operator may tune; every field can be set as ``STAFET_<NAME>``.

    Examples
    --------
    >>> Settings(cors_origins="https://intra.kk.dk, https://a.kk.dk").cors_origins
    ['https://intra.kk.dk', 'https://a.kk.dk']
    >>> Settings(base_url="https://stafet.kk.dk/").trusted_hosts
    ['stafet.kk.dk']
    >>> Settings().trusted_hosts
    ['127.0.0.1', 'localhost']
    """

    model_config = SettingsConfigDict(env_prefix="STAFET_", extra="ignore")

    data_dir: Path | None = Field(
        default=None, description="Mappe med Turtle-data (standard: projektets data/)."
    )
    cache_dir: Path | None = Field(
        default=None, description="Mappe til den kompilerede cache (standard: .cache/compiled)."
    )
    store_path: Path | None = Field(
        default=Path(".stafet/store"),
        description="Mappe til registret (det indlejrede Oxigraph-lager); oprettes ud fra de "
        "leverede Turtle-filer første gang. Tom: intet register, kun de leverede filer (kan "
        "ikke rettes).",
    )
    store_url: str | None = Field(
        default=None,
        description="SPARQL 1.1-forespørgselsadresse for et fælles register (Oxigraph, Fuseki, "
        "GraphDB, Virtuoso); sat: bruges i stedet for store_path.",
    )
    store_update_url: str | None = Field(
        default=None, description="SPARQL 1.1-opdateringsadresse (standard: som store_url)."
    )
    store_user: str | None = Field(default=None, description="Brugernavn til registret.")
    store_password: SecretStr | None = Field(default=None, description="Adgangskode til registret.")
    store_poll_seconds: float = Field(
        default=0.25,
        gt=0,
        le=60,
        description="Så ofte ser appen efter ændringer, andre instanser har skrevet (s).",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Oprindelser, der må kalde API'et fra en browser; tom: CORS er slået fra.",
    )
    max_body_bytes: int = Field(
        default=100_000, gt=0, description="Største tilladte request-krop i bytes."
    )
    import_max_bytes: int = Field(
        default=1_000_000,
        gt=0,
        le=1_000_000,
        description="Største regneark, der kan indlæses (POST /api/v1/import), i bytes.",
    )
    import_max_rows: int = Field(
        default=20_000, gt=0, description="Højst så mange rækker pr. ark i et indlæst regneark."
    )
    import_max_cells: int = Field(
        default=200_000, gt=0, description="Højst så mange udfyldte celler i et indlæst regneark."
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
        default=2, gt=0, description="Samtidige SPARQL-forespørgsler i alt."
    )
    sparql_per_client: int = Field(
        default=1, gt=0, description="Samtidige SPARQL-forespørgsler pr. klient (IP-adresse)."
    )
    sparql_queue_seconds: float = Field(
        default=2.0,
        ge=0,
        le=60,
        description="Så længe venter en forespørgsel i kø på en ledig plads før 429 (s).",
    )
    sparql_memory_mb: int = Field(
        default=1024, gt=0, description="Ekstra hukommelse, én forespørgsel må bruge (MiB)."
    )

    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Den offentlige adresse, absolutte URL'er bygges af (aldrig Host-headeren).",
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Host-navne, der svares på; tom: værten i base_url (og localhost).",
    )
    forwarded_allow_ips: str = Field(
        default="",
        description="Proxyer, hvis X-Forwarded-For stoles på (uvicorns forwarded_allow_ips); "
        "tom: ingen.",
    )
    max_header_bytes: int = Field(
        default=32_768, ge=4096, description="Største tilladte request-linje og headere (bytes)."
    )
    header_timeout: float = Field(
        default=10.0, gt=0, le=300, description="Tid til at sende request-linje og headere (s)."
    )
    auth_provider: Literal["local"] = Field(
        default="local",
        description="Hvordan medarbejdere logger ind: local (konti oprettet med 'stafet user "
        "create'). OpenID Connect kan komme til senere (se docs/signin.md).",
    )
    session_hours: float = Field(
        default=8.0, gt=0, le=24 * 30, description="Så længe en log ind-session varer (timer)."
    )
    session_cookie_secure: bool | None = Field(
        default=None,
        description="Send sessionscookien kun over HTTPS (Secure); tom: når base_url er https.",
    )

    @property
    def trusted_hosts(self) -> list[str]:
        """The Host names the app answers: ``allowed_hosts``, or the host of ``base_url``."""
        if self.allowed_hosts:
            return self.allowed_hosts
        host = urlsplit(self.base_url).hostname or "127.0.0.1"
        return [host, "localhost"] if host == "127.0.0.1" else [host]

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
            raise ValueError(
                "base_url skal være en http(s)-adresse uden sti, fx https://stafet.kk.dk"
            )
        return value.rstrip("/")

    @field_validator("store_path", "store_url", "store_update_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("cors_origins", "allowed_hosts", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value
