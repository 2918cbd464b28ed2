"""``GET /api/v1/changes`` and ``/api/v1/diff``: what changed, by whom and when; differences."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from starlette.concurrency import run_in_threadpool

from api.deps import RuntimeDep
from api.history import NO_HISTORY, RecordedKnowledgeDep
from api.models.history import ChangeLogAnswer, RegistrationDiffAnswer, ValidTimeDiffAnswer
from api.openapi import problems
from api.params import AsOfQuery
from api.runtime import Runtime
from graph.data.knowledge import Knowledge
from graph.errors import InvalidInputError
from graph.present.history import (
    change_log_json,
    registration_diff_json,
    valid_time_diff_json,
)
from graph.questions.history import change_log, group_facts, valid_time_diff
from graph.store.backend import Store
from graph.store.history import parse_moment, registration_diff

router = APIRouter(prefix="/api/v1", tags=["kvalitet"])

Kind = Literal["init", "create", "update", "end", "confirm", "dispute", "import", "batch"]

_MOMENT = "et ændringsnummer eller et tidspunkt (ÅÅÅÅ-MM-DDTTT:MM:SS, UTC uden tidszone)"


def _moment_query(what: str, example: str, alias: str | None = None) -> Any:
    return Query(
        alias=alias,
        min_length=1,
        max_length=40,
        description=f"{what}: {_MOMENT}.",
        openapi_examples={"eksempel": {"summary": "Eksempel", "value": example}},
    )


def _store(runtime: Runtime) -> Store:
    if runtime.store is None:
        raise InvalidInputError(NO_HISTORY.replace("recorded_as_of", "ændringsloggen"))
    return runtime.store


def _bounds(since: str | None, until: str | None) -> tuple[int, int | None, Any, Any]:
    """Sequence bounds for the store and time bounds for the filter."""
    low, high, start, end = 0, None, None, None
    for text, is_start in ((since, True), (until, False)):
        if text is None:
            continue
        moment = parse_moment(text)
        if isinstance(moment, datetime):
            start, end = (moment, end) if is_start else (start, moment)
        elif is_start:
            low = max(moment - 1, 0)
        else:
            high = moment
    return low, high, start, end


@router.get(
    "/changes",
    response_model=ChangeLogAnswer,
    summary="Ændringsloggen",
    description="Hver registreret ændring, nyeste først: nummer, hvem, hvornår, hvorfor, "
    "kilde og for hver berørt ressource felt for felt, hvad der stod før og efter. Filtrér "
    "på enhed (`unit`: enheden og dens ansvar, medlemskaber og kontaktpunkter), forvaltning "
    "(alt i forvaltningens undertræ), slags, tidsrum (`since`/`until`, begge med) eller én "
    "ressource (`resource`: id, `kind/id` eller URI): ressourcens ændringslog. Uden register "
    "(kun Turtle-filer) svarer API'et 422.",
    responses=problems(404, 422),
)
async def changes(
    runtime: RuntimeDep,
    unit: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="En enhed (id eller navn): ændringer af den og det, der hører til den.",
            openapi_examples={"sof": {"summary": "SOF", "value": "sof"}},
        ),
    ] = None,
    forvaltning: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="En forvaltning (id eller navn): ændringer i hele dens undertræ.",
            openapi_examples={"bif": {"summary": "BIF", "value": "bif"}},
        ),
    ] = None,
    kind: Annotated[Kind | None, Query(description="Kun ændringer af denne slags.")] = None,
    since: Annotated[str | None, _moment_query("Fra og med", "2026-12-01T00:00:00")] = None,
    until: Annotated[str | None, _moment_query("Til og med", "2026-12-31T23:59:59")] = None,
    resource: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=300,
            description="Én ressource (id, `kind/id` eller URI): dens ændringslog.",
            openapi_examples={"enhed": {"summary": "En enhed", "value": "unit/sof"}},
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Højst så mange pr. side.")] = 50,
    after: Annotated[
        int | None,
        Query(alias="next", ge=1, description="Fortsæt efter forrige side (dens `next`)."),
    ] = None,
) -> dict[str, Any]:
    low, high, start, end = _bounds(since, until)
    filters = {"unit": unit, "forvaltning": forvaltning, "kind": kind, "resource": resource}
    return await _page(runtime, low, high, start, end, filters, limit, after)


async def _page(
    runtime: Runtime,
    low: int,
    high: int | None,
    start: datetime | None,
    end: datetime | None,
    filters: dict[str, Any],
    limit: int,
    after: int | None,
) -> dict[str, Any]:
    store, kg = _store(runtime), runtime.knowledge

    def answer() -> dict[str, Any]:
        logged = store.changes(since=low, until=high)
        found = change_log(kg, logged, since=start, until=end, limit=limit, before=after, **filters)
        return change_log_json(kg, found)

    return await run_in_threadpool(answer)


#: The resources with a change log of their own: path segment → kind.
_COLLECTIONS = {
    "units": "unit",
    "tasks": "task",
    "laws": "law",
    "forums": "forum",
    "responsibilities": "participation",
}


@router.get(
    "/{collection}/{id}/history",
    response_model=ChangeLogAnswer,
    summary="Én ressources ændringslog",
    description="Ændringerne af én enhed, opgave, lov, ét forum eller ét ansvar og dets "
    "underknuder, nyeste først: det samme som `/api/v1/changes?resource=kind/id`.",
    responses=problems(404, 422),
)
async def resource_history(
    runtime: RuntimeDep,
    collection: Annotated[
        Literal["units", "tasks", "laws", "forums", "responsibilities"],
        Path(description="Slags ressource."),
    ],
    id: Annotated[
        str,
        Path(
            max_length=200,
            description="Ressourcens id.",
            openapi_examples={"sof": {"summary": "SOF", "value": "sof"}},
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=200, description="Højst så mange pr. side.")] = 50,
    after: Annotated[
        int | None,
        Query(alias="next", ge=1, description="Fortsæt efter forrige side (dens `next`)."),
    ] = None,
) -> dict[str, Any]:
    resource = f"{_COLLECTIONS[collection]}/{id}"
    return await _page(runtime, 0, None, None, None, {"resource": resource}, limit, after)


@router.get(
    "/diff",
    response_model=RegistrationDiffAnswer | ValidTimeDiffAnswer,
    summary="Forskellen mellem to registreringer eller to datoer",
    description="Med `from` og `to` (ændringsnumre eller tidspunkter): de fakta, registret "
    "fik og mistede mellem de to registreringer, samlet pr. ressource og felt. Med "
    "`from_date` og `to_date`: hvilke ansvar der kun gælder den ene dag, og hvilke enheder "
    "der har et andet navn eller en anden overordnet enhed den anden dag.",
    responses=problems(422),
)
async def diff(
    runtime: RuntimeDep,
    kg: RecordedKnowledgeDep,
    from_: Annotated[str | None, _moment_query("Den første registrering", "1", "from")] = None,
    to: Annotated[str | None, _moment_query("Den anden registrering", "2")] = None,
    from_date: AsOfQuery = None,
    to_date: AsOfQuery = None,
) -> dict[str, Any]:
    registrations = (from_, to) != (None, None)
    days = (from_date, to_date) != (None, None)
    if registrations == days:
        raise InvalidInputError(
            "Angiv enten 'from' og 'to' (to registreringer) eller 'from_date' og 'to_date' "
            "(to datoer)."
        )
    if days:
        return _days(kg, from_date, to_date)
    if from_ is None or to is None:
        raise InvalidInputError("Angiv både 'from' og 'to'.")
    store, current = _store(runtime), runtime.knowledge
    first, second = parse_moment(from_), parse_moment(to)

    def answer() -> dict[str, Any]:
        found = registration_diff(store, first, second)
        grouped = group_facts(current, found.removed, found.added)
        return registration_diff_json(current, found.before, found.after, grouped)

    return await run_in_threadpool(answer)


def _days(kg: Knowledge, from_date: date | None, to_date: date | None) -> dict[str, Any]:
    if from_date is None or to_date is None:
        raise InvalidInputError("Angiv både 'from_date' og 'to_date'.")
    return valid_time_diff_json(kg, valid_time_diff(kg, from_date, to_date))
