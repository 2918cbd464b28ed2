"""The OpenAPI document: Danish texts, problem+json errors, examples."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.problems import Problem

__all__ = ["BEARER_SECURITY", "DESCRIPTION", "TAGS", "build_openapi", "problems"]

DESCRIPTION = """\
**Stafet** svarer på, hvem der gør hvad i Københavns Kommune: hvem der varetager en
opgave, hvordan en henvendelse sendes videre (stafetten), og hvordan enheder afhænger af
hinanden.

Alt JSON er UTF-8, og æ, ø og å skrives som sig selv. Fejl er `application/problem+json`
(RFC 9457) med felterne `type`, `title`, `status` og `detail`; et ukendt id eller navn
giver 404 med `suggestions` (de nærmeste id'er). Hvor en adresse tager `task`, kan du
skrive et id (`kle-32.03.16`), et KLE-nummer (`32.03.16`) eller fri tekst, som
medarbejdere skriver den (`førtidspension`, `fortidspension`, `hjælpemidler`).

Uden login læser du de offentlige data: kontaktpersoner (kontaktpersonordninger, navne og
direkte numre) vises kun med et API-token (`Authorization: Bearer stafet_…`, oprettet med
`stafet token create`). Et ugyldigt, ukendt eller tilbagekaldt token giver 401 på alle
adresser.
"""

TAGS = [
    {"name": "spørgsmål", "description": "Hvem gør hvad, henvisningsveje og afhængigheder."},
    {"name": "kvalitet", "description": "Overlap og huller: til koordinationsgruppen."},
    {"name": "ressourcer", "description": "Én enhed, opgave, lov eller ét forum med relationer."},
    {"name": "linked data", "description": "URI'er, JSON-LD, Turtle og SPARQL."},
    {"name": "adgang", "description": "Auditloggen (kun administratorer)."},
    {"name": "drift", "description": "Sundhedstjek."},
]

#: The OpenAPI security scheme (name, definition) every operation declares.
BEARER_SECURITY = (
    "bearer",
    {
        "type": "http",
        "scheme": "bearer",
        "description": "API-token fra `stafet token create` (vises én gang). Uden token: "
        "anonym, offentlige data.",
    },
)

_PROBLEM_TEXTS = {
    400: "Ugyldig forespørgsel.",
    401: "Tokenet i Authorization-headeren er ugyldigt, ukendt eller tilbagekaldt "
    "(`WWW-Authenticate: Bearer`); eller login kræves.",
    403: "Forespørgslen er ikke tilladt (SPARQL: opdateringer, SERVICE, FROM; eller din "
    "rolle må ikke dette).",
    404: "Ukendt id eller navn (med `suggestions`), eller ingen henvisningsvej.",
    406: "Det ønskede format (Accept) kan ikke leveres.",
    413: "Forespørgslens krop er for stor.",
    415: "Ukendt indholdstype.",
    422: "Ugyldig parameter eller værdi; `detail` og `errors` siger hvad og hvordan.",
    429: "For mange samtidige forespørgsler.",
    503: "Tjenesten er midlertidigt utilgængelig.",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for problem+json errors with these status codes."""
    return {
        status: {
            "description": _PROBLEM_TEXTS[status],
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
        for status in statuses
    }


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document plus the Problem schema the error responses refer to."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(problem.pop("$defs", {}))
        components["Problem"] = problem
        schema["components"]["securitySchemes"] = {BEARER_SECURITY[0]: BEARER_SECURITY[1]}
        for item in schema["paths"].values():
            for operation in item.values():
                # Every route reads the token: anonymous ({}) or with one; a bad one is 401.
                operation["security"] = [{}, {BEARER_SECURITY[0]: []}]
                for parameter in operation.get("parameters", ()):
                    # An empty value is no value (api.params.EmptyQueryIsAbsent): say so.
                    if parameter["in"] == "query" and not parameter.get("required"):
                        parameter["allowEmptyValue"] = True
                operation["responses"].setdefault("401", problems(401)[401])
                ok = operation["responses"].get("200", {})
                if ok.get("description") == "Successful Response":  # FastAPI's default
                    ok["description"] = "Svaret."
        app.openapi_schema = schema
    return app.openapi_schema
