"""Query parameters several routes share, with Danish descriptions and examples.

An empty query value is no value: a form's optional field left empty (``alder=``) is sent as
``alder=``, and :class:`EmptyQueryIsAbsent` drops it before any route reads the query, so a
page and the JSON API treat it as absent, the same as leaving the parameter out.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import Query
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["AgeQuery", "AsOfQuery", "EmptyQueryIsAbsent", "TaskQuery", "without_empty_values"]

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


def without_empty_values(query: bytes) -> bytes:
    """The query string without the parameters whose value is empty (``a=``, or ``a`` alone).

    The other parameters keep their order and their bytes exactly as sent.

    Examples
    --------
    >>> without_empty_values(b"fra=bif&opgave=f%C3%B8rtidspension&alder=")
    b'fra=bif&opgave=f%C3%B8rtidspension'
    >>> without_empty_values(b"alder=&relation=&relation=member_of&flag")
    b'relation=member_of'
    >>> without_empty_values(b"q=a%3D")
    b'q=a%3D'
    """
    kept = [pair for pair in query.split(b"&") if pair.partition(b"=")[2]]
    return b"&".join(kept)


class EmptyQueryIsAbsent:
    """Plain ASGI: hand the app the query string with every empty value left out."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("query_string"):
            scope = {**scope, "query_string": without_empty_values(scope["query_string"])}
        await self.app(scope, receive, send)
