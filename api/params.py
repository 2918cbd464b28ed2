"""Query parameters several routes share, with Danish descriptions and examples."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import Query
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

__all__ = ["AgeQuery", "AsOfQuery", "TaskQuery"]

TaskQuery = Annotated[
    str,
    Query(
        min_length=1,
        max_length=200,
        description="Opgaven: id (`kle-32.03.16`), KLE-nummer (`32.03.16`) eller fri tekst, "
        "som medarbejdere skriver den: store og små bogstaver, med eller uden æ/ø/å, små "
        "stavefejl, KLE-stikord og synonymer. Svaret siger, hvad teksten matchede.",
        openapi_examples={
            "tekst": {"summary": "Fri tekst", "value": "førtidspension"},
            "uden-ø": {"summary": "Uden ø", "value": "fortidspension"},
            "id": {"summary": "Id", "value": "kle-32.03.16"},
            "nummer": {"summary": "KLE-nummer", "value": "27.60"},
        },
    ),
]

AgeQuery = Annotated[
    int | None,
    Query(
        ge=0,
        le=130,
        description="Borgerens alder i hele år, hvor ansvaret afhænger af alder. Uden den "
        "vises alle muligheder med deres betingelser.",
        openapi_examples={"voksen": {"summary": "70 år", "value": 70}},
    ),
]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: Any) -> Any:
    """Accept ÅÅÅÅ-MM-DD only (pydantic alone would read "0" as a Unix timestamp)."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise PydanticCustomError("date_parsing", "Input should be a date as YYYY-MM-DD")
    return value


AsOfQuery = Annotated[
    date | None,
    BeforeValidator(_iso_date_only),
    Query(
        description="Datoen, svaret skal gælde for (ÅÅÅÅ-MM-DD); standard er i dag.",
        openapi_examples={"dato": {"summary": "En dato", "value": "2025-01-01"}},
    ),
]
