"""``/import``: upload the template or OS2mo's KLE workbook, read the dry run, confirm.

The upload is read with the same limits and parser as ``POST /api/v1/import``
(:func:`graph.io.spreadsheet.read_tables`, the template or the workbook reader) and planned
with the same :func:`graph.io.imports.plan_import`; the report names sheet, row and column.
Nothing is written to disk: the file's bytes wait in memory as a *pending import* under a
random id for :data:`PENDING_SECONDS`, for the person who uploaded it only. Confirming
reads and plans the bytes again against the graph as it is then (someone may have changed
it meanwhile) and commits everything as one change through the edit rules, or nothing.
A pending import lives in the instance that read it; with several app instances behind a
balancer without sticky sessions, the confirmation asks for the file again.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any, cast

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from api.auth import Principal
from api.deps import RuntimeDep
from api.pages.common import page
from api.runtime import Runtime
from api.session import check_csrf, current_staff, require_staff
from graph.edit.errors import EditForbiddenError
from graph.edit.scope import Role
from graph.io.imports import Plan, Scope, commit_plan, plan_import
from graph.io.spreadsheet import CellError, Limits, SpreadsheetError, read_tables
from graph.io.template import read_template
from graph.io.workbook import is_workbook, read_workbook
from graph.present.vocabulary import IMPORT_ACTION_LABELS
from graph.store.audit import record_write

__all__ = ["PendingImports", "router"]

router = APIRouter(include_in_schema=False)

#: How long an uploaded file waits for its confirmation.
PENDING_SECONDS = 900.0
#: Pending imports one instance keeps at most (the oldest go first).
PENDING_MAX = 20
FORMATS = ("auto", "template", "os2mo")
EDITORS: tuple[Role, ...] = ("editor", "admin")


@dataclass(frozen=True, slots=True)
class Pending:
    data: bytes
    fmt: str
    owner: str
    expires: float


class PendingImports:
    """Uploaded files awaiting confirmation, in memory, by a random id, until they expire.

    >>> pending = PendingImports()
    >>> key = pending.put(b"x", "auto", "anna", now=0)
    >>> pending.take(key, "bo", now=1) is None, pending.take(key, "anna", now=1).data
    (True, b'x')
    >>> pending.take(key, "anna", now=2) is None
    True
    """

    def __init__(self) -> None:
        self._items: dict[str, Pending] = {}
        self._lock = threading.Lock()

    def put(self, data: bytes, fmt: str, owner: str, now: float | None = None) -> str:
        moment = time.monotonic() if now is None else now
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._drop_expired(moment)
            while len(self._items) >= PENDING_MAX:
                self._items.pop(next(iter(self._items)))
            self._items[key] = Pending(data, fmt, owner, moment + PENDING_SECONDS)
        return key

    def take(self, key: str, owner: str, now: float | None = None) -> Pending | None:
        """The pending import ``key`` of ``owner`` (removed), or None (unknown, expired)."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            self._drop_expired(moment)
            found = self._items.get(key)
            if found is None or found.owner != owner:
                return None
            del self._items[key]
            return found

    def _drop_expired(self, now: float) -> None:
        for key in [k for k, v in self._items.items() if v.expires <= now]:
            del self._items[key]


def _pending(request: Request) -> PendingImports:
    found = getattr(request.app.state, "pending_imports", None)
    if found is None:
        found = request.app.state.pending_imports = PendingImports()
    return cast(PendingImports, found)


def _errors(errors: tuple[CellError, ...]) -> list[dict[str, Any]]:
    return [
        {
            "sheet": e.sheet,
            "row": e.row,
            "column": e.column,
            "message": str(e),
            "suggestions": [s.label for s in e.suggestions],
        }
        for e in errors
    ]


def _plan(
    runtime: Runtime, who: Principal, data: bytes, fmt: str
) -> tuple[Plan | None, str, list[Any]]:
    """Read and plan the file: the plan (None on errors), its format, and the errors."""
    settings, kg = runtime.settings, runtime.knowledge
    limits = Limits(
        max_bytes=settings.import_max_bytes,
        max_rows=settings.import_max_rows,
        max_cells=settings.import_max_cells,
    )
    try:
        tables = read_tables(data, limits=limits)
        workbook = fmt == "os2mo" or (fmt == "auto" and is_workbook(tables))
        rows = read_workbook(kg, tables) if workbook else read_template(kg, tables)
    except SpreadsheetError as err:
        return None, fmt, _errors(err.errors)
    kind = "os2mo" if workbook else "template"
    plan = plan_import(kg, rows, Scope(who.role, who.forvaltning))
    problems = plan.errors + plan.forbidden
    return (None if problems else plan), kind, _errors(problems)


def _report(plan: Plan) -> dict[str, Any]:
    return {
        "rows": len(plan.entries),
        "counts": {label: plan.count(action) for action, label in IMPORT_ACTION_LABELS.items()},  # type: ignore[arg-type]
        "entries": [
            {
                "sheet": e.sheet,
                "row": e.row,
                "action": IMPORT_ACTION_LABELS[e.action],
                "label": e.label,
            }
            for e in plan.entries
        ],
        "changes": any(e.operation is not None for e in plan.entries),
    }


def _show(request: Request, status: int = 200, **context: Any) -> Response:
    base: dict[str, Any] = {
        "staff": current_staff(request),
        "formats": FORMATS,
        "report": None,
        "errors": [],
        "pending": None,
        "done": None,
        "format_label": None,
    }
    return page(request, "import.html", {**base, **context}, status_code=status)


@router.get("/import")
def import_page(request: Request) -> Response:
    return _show(request)


async def _read_upload(request: Request, limit: int) -> tuple[Any, bytes | None, str | None]:
    form = await request.form(max_files=1, max_fields=10, max_part_size=limit + 1)
    upload = form.get("fil")
    if not isinstance(upload, UploadFile):
        return form, None, "Vælg et regneark (XLSX eller CSV) at indlæse."
    data = await upload.read(limit + 1)
    await form.close()  # the upload's temporary file goes now: nothing stays on disk
    if len(data) > limit:
        return form, None, f"Regnearket må højst fylde {limit:,} byte.".replace(",", ".")
    return form, data, None


@router.post("/import")
async def import_upload(request: Request, runtime: RuntimeDep) -> Response:
    """Read the file and show the dry run; nothing is stored yet."""
    limit = runtime.settings.import_max_bytes
    form, data, problem = await _read_upload(request, limit)
    check_csrf(request, form)
    who = require_staff(request, EDITORS)
    fmt = form.get("format") if form.get("format") in FORMATS else "auto"
    if data is None:
        return _show(request, 400, errors=[{"message": problem, "suggestions": []}])
    plan, kind, errors = _plan(runtime, who, data, cast(str, fmt))
    if plan is None:
        return _show(request, 422, errors=errors, format_label=kind)
    report = _report(plan)
    key = _pending(request).put(data, kind, who.name) if report["changes"] else None
    return _show(request, report=report, pending=key, format_label=kind)


@router.post("/import/bekraeft")
async def import_confirm(request: Request, runtime: RuntimeDep) -> Response:
    """Read and plan the waiting file again, and commit it all as one change, or nothing."""
    form = await request.form(max_files=0, max_fields=5)
    check_csrf(request, form)
    who = require_staff(request, EDITORS)
    key = form.get("id")
    pending = _pending(request).take(key, who.name) if isinstance(key, str) else None
    if pending is None:
        message = (
            "Indlæsningen findes ikke længere (den venter højst 15 minutter); indlæs filen igen."
        )
        return _show(request, 410, errors=[{"message": message, "suggestions": []}])
    if runtime.store is None:
        message = "Serveren har intet register (kun læsning), så intet kan gemmes."
        return _show(request, 503, errors=[{"message": message, "suggestions": []}])
    plan, kind, errors = _plan(runtime, who, pending.data, pending.fmt)
    if plan is None:
        return _show(request, 422, errors=errors, format_label=kind)
    try:
        committed = commit_plan(
            runtime.store,
            runtime.knowledge,
            plan,
            who.name,
            Scope(who.role, who.forvaltning),
            reason=f"Indlæst fra regneark ({kind}) i browseren",
        )
    except SpreadsheetError as err:
        return _show(request, 422, errors=_errors(err.errors), format_label=kind)
    except EditForbiddenError as err:
        return _show(request, 403, errors=[{"message": str(err), "suggestions": []}])
    if committed.get("id"):
        record_write(runtime.store, change_id=str(committed["id"]), principal=who.name)
    runtime.follow()
    return _show(request, report=_report(plan), done=committed, format_label=kind)
