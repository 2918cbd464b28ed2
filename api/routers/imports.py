"""Spreadsheet import and export: the template, ``POST /api/v1/import``, the OS2mo workbook.

An import is checked whole before anything is stored: every cell (formulas and formula-like
text refused), every unit name (through search, with suggestions), every rule of the edit
API and the importer's scope. ``dry_run=true`` (the default) answers what would change;
``dry_run=false`` commits every change as one batch, or nothing.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.concurrency import run_in_threadpool
from starlette.responses import Response

from api.auth import Principal, current_principal, require_principal
from api.deps import RuntimeDep
from api.openapi import problems
from api.problems import ApiProblem
from api.runtime import Runtime
from graph.edit.errors import EditForbiddenError
from graph.io.imports import Plan, Scope, commit_plan, plan_import
from graph.io.spreadsheet import CellError, Limits, SpreadsheetError, read_tables
from graph.io.template import read_template, template_csv, template_xlsx
from graph.io.workbook import export_workbook, is_workbook, read_workbook
from graph.store.audit import record_write

router = APIRouter(prefix="/api/v1", tags=["indlæsning"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SLUGS = {
    "not-a-spreadsheet": "unsupported-media-type",
    "too-large": "payload-too-large",
    "invalid": "validation-failed",
}
PrincipalDep = Annotated[Principal | None, Depends(current_principal)]


def _attachment(body: bytes, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/import/template.xlsx",
    summary="Skabelonen som regneark",
    description="Arket `Ansvar` (én række pr. ansvar eller kontaktpunkt), `Vejledning` (hver "
    "kolonne med betydning og eksempel) og `Gyldige værdier` (roller, status, kilder, love).",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "Regnearket."}},
)
def template_xlsx_route(runtime: RuntimeDep) -> Response:
    kg = runtime.knowledge
    body = runtime.cached(("import-template", kg.fingerprint), lambda: template_xlsx(kg))
    return _attachment(body, XLSX, "stafet-skabelon.xlsx")


@router.get(
    "/import/template.csv",
    summary="Skabelonen som CSV",
    description="Skabelonens kolonner, adskilt af `;`, UTF-8 med BOM (som dansk Excel gemmer).",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "CSV-filen."}},
)
def template_csv_route() -> Response:
    return _attachment(template_csv(), "text/csv; charset=utf-8", "stafet-skabelon.csv")


@router.get(
    "/export/os2mo.xlsx",
    summary="Ansvaret som OS2mo's KLE-arbejdsbog",
    description="Arkene `Org`, `KLE`, `Ansvarlig`, `Indsigt` og `Udførende`, som OS2mo indlæser "
    "dem; rollerne ansvarlig, indsigt og udførende, der gælder i dag. Kan indlæses igen uden "
    "ændringer.",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "Arbejdsbogen."}},
)
def os2mo_route(runtime: RuntimeDep) -> Response:
    kg = runtime.knowledge
    body = runtime.cached(("os2mo", kg.fingerprint), lambda: export_workbook(kg))
    return _attachment(body, XLSX, "stafet-kle-opmaerkning.xlsx")


@router.post(
    "/import",
    summary="Indlæs et regneark (skabelonen eller OS2mo's KLE-arbejdsbog)",
    description="Multipart-feltet `file`: skabelonen (XLSX eller CSV) eller OS2mo's "
    "KLE-arbejdsbog. `dry_run=true` (standard) svarer, hvad der ville ændres (ny, ændret, "
    "afsluttet pr. række) uden at gemme noget; `dry_run=false` gemmer alt som én ændring — "
    "eller intet. Hver fejl nævner ark, række og kolonne; alle fejl samles.",
    responses={
        401: {"description": "Login kræves (Authorization: Bearer …)."},
        **problems(400, 403, 413, 415, 422),
    },
)
async def import_route(
    runtime: RuntimeDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description="Regnearket (XLSX eller CSV).")],
    dry_run: Annotated[bool, Query(description="Kun vis, hvad der ville ændres.")] = True,
    fmt: Annotated[
        Literal["auto", "template", "os2mo"],
        Query(
            alias="format",
            description="Filens slags; `auto` kender OS2mo's arbejdsbog på arket Ansvarlig.",
        ),
    ] = "auto",
) -> dict[str, Any]:
    who = require_principal(principal)
    limit = runtime.settings.import_max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise ApiProblem("payload-too-large", f"Regnearket må højst fylde {limit:,} byte.")
    return await run_in_threadpool(_import, runtime, who, data, dry_run, fmt)


def _import(
    runtime: Runtime, who: Principal, data: bytes, dry_run: bool, fmt: str
) -> dict[str, Any]:
    settings = runtime.settings
    limits = Limits(
        max_bytes=settings.import_max_bytes,
        max_rows=settings.import_max_rows,
        max_cells=settings.import_max_cells,
    )
    kg = runtime.knowledge
    try:
        tables = read_tables(data, limits=limits)
        workbook = fmt == "os2mo" or (fmt == "auto" and is_workbook(tables))
        rows = read_workbook(kg, tables) if workbook else read_template(kg, tables)
    except SpreadsheetError as err:
        raise ApiProblem(
            _SLUGS[err.kind], _summary(err.errors), errors=_errors(err.errors), ok=False
        ) from None
    plan = plan_import(kg, rows, Scope(who.role, who.forvaltning))
    if plan.errors:
        raise ApiProblem(
            "validation-failed", _summary(plan.errors), errors=_errors(plan.errors), ok=False
        )
    if plan.forbidden:
        raise ApiProblem(
            "forbidden", _summary(plan.forbidden), errors=_errors(plan.forbidden), ok=False
        )
    report = _report(plan, dry_run, "os2mo" if workbook else "template")
    if not any(e.operation for e in plan.entries):
        return report
    if runtime.store is None:
        if dry_run:
            return report  # no store to check the rules against: the rows alone were checked
        raise ApiProblem(
            "unavailable", "Serveren har intet register (STAFET_STORE_PATH); der kan ikke gemmes."
        )
    try:
        committed = commit_plan(
            runtime.store,
            kg,
            plan,
            who.name,
            Scope(who.role, who.forvaltning),
            reason=f"Indlæst fra regneark ({report['format']})",
            dry_run=dry_run,
        )
    except SpreadsheetError as err:
        raise ApiProblem(
            "validation-failed", _summary(err.errors), errors=_errors(err.errors), ok=False
        ) from None
    except EditForbiddenError as err:
        raise ApiProblem("forbidden", f"Regnearket er ikke indlæst: {err}", ok=False) from None
    if dry_run:
        return report
    if committed.get("id"):
        record_write(runtime.store, change_id=str(committed["id"]), principal=who.name)
    runtime.follow()
    report["change"] = committed
    return report


def _summary(errors: tuple[CellError, ...]) -> str:
    head = "; ".join(str(e) for e in errors[:3])
    more = f" (og {len(errors) - 3} fejl mere; se errors)" if len(errors) > 3 else ""
    return f"Regnearket er ikke indlæst: {head}{more}"


def _errors(errors: tuple[CellError, ...]) -> list[dict[str, Any]]:
    found = []
    for e in errors:
        entry: dict[str, Any] = {
            "sheet": e.sheet,
            "row": e.row,
            "column": e.column,
            "message": str(e),
        }
        if e.suggestions:
            entry["suggestions"] = [
                {"id": s.id, "kind": s.kind, "label": s.label} for s in e.suggestions
            ]
        found.append(entry)
    return found


def _report(plan: Plan, dry_run: bool, fmt: str) -> dict[str, Any]:
    return {
        "ok": True,
        "dry_run": dry_run,
        "format": fmt,
        "rows": len(plan.entries),
        "created": plan.count("new"),
        "changed": plan.count("changed"),
        "ended": plan.count("ended"),
        "unchanged": plan.count("unchanged"),
        "entries": [
            {
                "sheet": e.sheet,
                "row": e.row,
                "action": e.action,
                "kind": e.kind,
                "id": e.id,
                "label": e.label,
            }
            for e in plan.entries
        ],
        "errors": [],
    }
