"""Problem details (RFC 9457): the one shape every error response has."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.responses import JSONResponse

__all__ = ["PROBLEM_TYPES", "ApiProblem", "Problem", "ProblemResponse", "problem_response"]

PROBLEM_BASE = "https://stafet.kk.dk/problems/"

#: slug -> (HTTP status, Danish title). The type URI is PROBLEM_BASE + slug.
PROBLEM_TYPES: dict[str, tuple[int, str]] = {
    "bad-request": (400, "Ugyldig forespørgsel"),
    "sparql-syntax": (400, "Ugyldig SPARQL"),
    "unauthorized": (401, "Login kræves"),
    "forbidden": (403, "Du må ikke ændre dette"),
    "sparql-forbidden": (403, "SPARQL-forespørgslen er ikke tilladt"),
    "not-found": (404, "Ikke fundet"),
    "unknown-entity": (404, "Ukendt id eller navn"),
    "no-confident-match": (404, "Intet sikkert match"),
    "no-referral-path": (404, "Ingen henvisningsvej"),
    "method-not-allowed": (405, "Metoden er ikke tilladt"),
    "not-acceptable": (406, "Formatet kan ikke leveres"),
    "payload-too-large": (413, "Forespørgslen er for stor"),
    "unsupported-media-type": (415, "Ukendt indholdstype"),
    "invalid-parameter": (422, "Ugyldig parameter"),
    "invalid-value": (422, "Ugyldig værdi"),
    "sparql-timeout": (422, "SPARQL-forespørgslen tog for lang tid"),
    "sparql-too-large": (422, "SPARQL-resultatet er for stort"),
    "validation-failed": (422, "Ændringen overholder ikke reglerne for data"),
    "too-many-requests": (429, "For mange samtidige forespørgsler"),
    "server-error": (500, "Intern fejl"),
    "unavailable": (503, "Tjenesten er midlertidigt utilgængelig"),
}


class Suggestion(BaseModel):
    id: str = Field(description="Id på et nært match.", examples=["bif"])
    kind: str = Field(description="Slags: task, unit, law eller forum.", examples=["unit"])
    label: str = Field(
        description="Navn.", examples=["Beskæftigelses- og Integrationsforvaltningen"]
    )


class ParameterError(BaseModel):
    parameter: str = Field(description="Parameterens navn.", examples=["age"])
    location: str = Field(description="Hvor: query, path, header eller body.", examples=["query"])
    message: str = Field(description="Hvad der er galt, og hvad du kan gøre.")


class Problem(BaseModel):
    """Et fejlsvar efter RFC 9457 (application/problem+json)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": PROBLEM_BASE + "unknown-entity",
                    "title": "Ukendt id eller navn",
                    "status": 404,
                    "detail": "Ukendt enhed: 'bfi'. Mente du: bif (BIF)?",
                    "suggestions": [{"id": "bif", "kind": "unit", "label": "BIF"}],
                }
            ]
        }
    )

    type: str = Field(description="URI, der identificerer fejltypen.")
    title: str = Field(description="Kort, fast beskrivelse af fejltypen.")
    status: int = Field(description="HTTP-statuskoden.")
    detail: str = Field(description="Hvad der gik galt i netop denne forespørgsel.")
    instance: str | None = Field(None, description="Stien, fejlen opstod på.")
    suggestions: list[Suggestion] | None = Field(
        None, description="De nærmeste id'er (ved ukendt id eller navn)."
    )
    errors: list[ParameterError] | None = Field(
        None, description="Én linje pr. ugyldig parameter (ved 422)."
    )


class ProblemResponse(JSONResponse):
    media_type = "application/problem+json"


class ApiProblem(Exception):
    """An HTTP-level problem raised by the web layer itself (format, body, SPARQL)."""

    def __init__(
        self,
        slug: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.slug = slug
        self.detail = detail
        self.headers = headers
        self.extra = extra


def problem_response(
    slug: str,
    detail: str,
    *,
    instance: str | None = None,
    status: int | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> ProblemResponse:
    """Build the problem+json response for a problem type from :data:`PROBLEM_TYPES`."""
    default_status, title = PROBLEM_TYPES[slug]
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status or default_status,
        "detail": detail,
    }
    if instance is not None:
        body["instance"] = instance
    body.update(extra)
    return ProblemResponse(body, status_code=body["status"], headers=headers)
