"""``/gennemgang``: the review queue of assumed facts; ``/meld-fejl``: anyone reports an error.

The queue lists the facts still ``antaget`` (filtered by administration, KLE main group and
kind), the open disputes and reports, and the progress (:mod:`graph.present.review` says
exactly what is counted). "Bekræft" and "Bestrid" are forms that call the same
:func:`graph.edit.apply.apply_batch` the API calls (access, rules, the log); a report
("Meld en fejl") is the :class:`~graph.edit.operations.Report` operation. Every POST
carries the session's CSRF token (:mod:`api.session`).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from datetime import date
from typing import Annotated, Any, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from api.auth import Principal
from api.deps import KnowledgeDep, RuntimeDep
from api.pages.common import Twin, json_page, page, with_query
from api.runtime import Runtime
from api.session import check_csrf, csrf_token, current_staff, remember_csrf_seed, require_staff
from graph.data.knowledge import Knowledge
from graph.edit import operations as ops
from graph.edit.access import Editor
from graph.edit.apply import apply_batch
from graph.edit.errors import EditForbiddenError, EditInvalidError, UnknownResourceError
from graph.edit.review import REPORT_MAX, REPORTER, open_disputes
from graph.present.review import (
    REVIEW_KINDS,
    Assured,
    main_groups,
    progress_text,
    review_progress,
    review_queue,
)
from graph.present.vocabulary import (
    ADMINISTRATION_LABELS,
    ADMINISTRATION_NAMES,
    FACT_KINDS,
    role_label,
)
from graph.questions.history import resource_at
from graph.questions.quality import administration_key
from graph.store.audit import record_write
from graph.store.backend import DATA_GRAPH, Store, StoreError
from ontology.namespaces import STAFET

__all__ = ["ReportThrottle", "router"]

router = APIRouter(include_in_schema=False)

Choice = Annotated[str | None, Query(max_length=40)]
#: The roles that review across administrations (an editor reviews their own).
REVIEWERS = ("reviewer", "admin")
#: Reports one client may send in :data:`REPORT_WINDOW` seconds.
REPORTS_PER_WINDOW = 5
REPORT_WINDOW = 600.0
EMAIL_MAX = 254


class ReportThrottle:
    """At most :data:`REPORTS_PER_WINDOW` reports per client address per window.

    >>> throttle = ReportThrottle(limit=2, window=60)
    >>> [throttle.allow("a", now=t) for t in (0, 1, 2, 61)]
    [True, True, False, True]
    """

    def __init__(self, limit: int = REPORTS_PER_WINDOW, window: float = REPORT_WINDOW) -> None:
        self.limit, self.window = limit, window
        self._sent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, now: float | None = None) -> bool:
        moment = time.monotonic() if now is None else now
        with self._lock:
            sent = self._sent.setdefault(client, deque())
            while sent and moment - sent[0] >= self.window:
                sent.popleft()
            if len(sent) >= self.limit:
                return False
            sent.append(moment)
            return True


def _throttle(request: Request) -> ReportThrottle:
    found = getattr(request.app.state, "report_throttle", None)
    if found is None:
        found = request.app.state.report_throttle = ReportThrottle()
    return cast(ReportThrottle, found)


def assured_facts(store: Store | None) -> dict[str, Assured]:
    """Every fact a person has confirmed in review (``stafet:assuredDate``), by URI."""
    if store is None:
        return {}
    rows = store.select(
        f"""SELECT ?fact ?on ?by WHERE {{ GRAPH <{DATA_GRAPH}> {{
            ?fact <{STAFET.assuredDate}> ?on . OPTIONAL {{ ?fact <{STAFET.assuredBy}> ?by }}
        }} }}"""
    )
    return {
        str(row["fact"]): Assured(date.fromisoformat(str(row["on"])[:10]), str(row.get("by", "")))
        for row in rows
    }


def _disputes(
    kg: Knowledge, store: Store | None, forvaltning: str | None, staff: bool
) -> list[Any]:
    if store is None:
        return []
    found = []
    for item in open_disputes(store):
        ref = resource_at(kg, item.uri)
        unit = sorted(ref.units)[0] if ref.units else None
        owner = administration_key(kg, unit) if unit else "oevrige"
        if forvaltning is not None and owner != forvaltning:
            continue
        found.append(
            {
                "kind": item.kind,
                "id": item.id,
                "label": item.label,
                "reason": item.reason,
                "by": item.by,
                "report": item.by == REPORTER,
                "email": item.email if staff else None,
                "at": item.at.strftime("%d.%m.%Y %H:%M"),
                "owner": ADMINISTRATION_LABELS.get(owner, owner),
                "href": f"/id/unit/{unit}" if unit else None,
            }
        )
    return found


def _scope(staff: Principal | None, chosen: str | None) -> str | None:
    """The administration the queue shows: chosen, else an editor's own, else all."""
    if chosen:
        return chosen
    if staff is not None and staff.role == "editor":
        return staff.forvaltning
    return None


def review_page_data(
    runtime: Runtime,
    staff: Principal | None,
    forvaltning: str | None,
    hovedgruppe: str | None,
    slags: str | None,
    side: int,
) -> dict[str, Any]:
    """What ``/gennemgang`` shows, and its JSON twin is."""
    kg = runtime.knowledge
    scope = _scope(staff, forvaltning)
    assured = assured_facts(runtime.store)
    queue = review_queue(
        kg,
        assured,
        forvaltning=scope,
        main_group=hovedgruppe or None,
        kind=slags if slags in REVIEW_KINDS else None,
        page=side,
    )
    progress = review_progress(kg, assured, scope)
    return {
        "queue": queue,
        "progress": {
            "text": progress_text(progress),
            "confirmed": progress.confirmed,
            "assumed": progress.assumed,
        },
        "disputes": _disputes(kg, runtime.store, scope, staff is not None),
        "filters": {
            "forvaltning": scope or "",
            "hovedgruppe": hovedgruppe or "",
            "slags": slags or "",
        },
        "choices": {
            "forvaltninger": [
                {"id": key, "label": f"{ADMINISTRATION_NAMES[key]} ({label})"}
                for key, label in ADMINISTRATION_LABELS.items()
            ],
            "hovedgrupper": main_groups(kg),
            "slags": [{"id": key, "label": FACT_KINDS[key]} for key in REVIEW_KINDS],
        },
        "can_write": runtime.store is not None,
    }


def _query(filters: dict[str, str], **extra: Any) -> str:
    wanted = {k: v for k, v in {**filters, **extra}.items() if v}
    return urlencode(wanted)


@router.get("/gennemgang")
def review_page(
    request: Request,
    runtime: RuntimeDep,
    forvaltning: Choice = None,
    hovedgruppe: Choice = None,
    slags: Choice = None,
    side: Annotated[int, Query(ge=1, le=1000)] = 1,
    besked: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    staff = current_staff(request)
    data = review_page_data(runtime, staff, forvaltning, hovedgruppe, slags, side)
    context = {
        **data,
        "staff": staff,
        "may_review": staff is not None,
        "message": _MESSAGES.get(besked or ""),
        "here": "/gennemgang" + (f"?{request.url.query}" if request.url.query else ""),
        "page_query": lambda n: _query(data["filters"], side=n),
        "nav": "gennemgang",
    }
    twin = Twin("JSON", with_query("/gennemgang.json", request))
    return page(request, "gennemgang.html", context, [twin])


@router.get("/gennemgang.json")
def review_page_json(
    request: Request,
    runtime: RuntimeDep,
    forvaltning: Choice = None,
    hovedgruppe: Choice = None,
    slags: Choice = None,
    side: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Response:
    data = review_page_data(runtime, current_staff(request), forvaltning, hovedgruppe, slags, side)
    return json_page(request, data, with_query("/gennemgang", request))


_MESSAGES = {
    "bekraeftet": "Faktummet er bekræftet, og fremskridtet er talt op.",
    "bestridt": "Indsigelsen er noteret og står nu på listen over indsigelser.",
    "meldt": "Tak. Fejlmeldingen er sendt til den enhed, der ejer oplysningen.",
}


def _form_text(form: Any, name: str, limit: int) -> str:
    value = form.get(name)
    return value.strip()[: limit + 1] if isinstance(value, str) else ""


def _store_of(runtime: Runtime) -> Store:
    if runtime.store is None:
        raise EditForbiddenError(
            "Denne server kører kun med læseadgang (intet register), så intet kan gemmes."
        )
    return runtime.store


def _apply(runtime: Runtime, editor: Editor, op: ops.Operation, reason: str) -> None:
    store = _store_of(runtime)
    applied = apply_batch(store, runtime.knowledge, ops.Batch((op,), reason=reason), editor)
    if applied.change is not None:
        record_write(store, change_id=applied.change.id, principal=editor.name)
        runtime.follow()


def _back(request: Request, form: Any, message: str) -> str:
    target = form.get("tilbage")
    root = request.scope.get("root_path", "")
    path = target if isinstance(target, str) and target.startswith("/gennemgang") else "/gennemgang"
    joiner = "&" if "?" in path else "?"
    return f"{root}{path}{joiner}besked={message}"


def _problem_page(request: Request, title: str, errors: list[str], status: int) -> Response:
    return page(
        request,
        "gennemgang_fejl.html",
        {"title": title, "errors": errors, "back": "/gennemgang"},
        status_code=status,
    )


@router.post("/gennemgang/{action}")
async def review_action(request: Request, runtime: RuntimeDep, action: str) -> Response:
    """Bekræft (with the source checked against) or Bestrid (with a reason) one fact."""
    form = await request.form()
    check_csrf(request, form)
    staff = require_staff(request)
    kind = form.get("kind")
    ident = _form_text(form, "id", 300)
    if action not in ("bekraeft", "bestrid") or kind not in REVIEW_KINDS.values() or not ident:
        return _problem_page(request, "Ukendt handling", ["Formularen er ikke gyldig."], 400)
    target = cast(ops.EditableKind, kind)
    if action == "bekraeft":
        source = _form_text(form, "kilde", 500)
        op: ops.Operation = ops.Confirm(
            target=target, id=ident, source=source, locator=_form_text(form, "afsnit", 300) or None
        )
        reason, done = "Bekræftet i gennemgangen", "bekraeftet"
    else:
        op = ops.Dispute(target=target, id=ident, reason=_form_text(form, "begrundelse", 2000))
        reason, done = "Bestridt i gennemgangen", "bestridt"
    editor = Editor(staff.name, staff.role, staff.forvaltning)
    try:
        _apply(runtime, editor, op, reason)
    except EditInvalidError as exc:
        return _problem_page(
            request, "Ikke gemt", [_field_text(e.field, e.message) for e in exc.errors], 422
        )
    except EditForbiddenError as exc:
        return _problem_page(request, "Det må du ikke", [str(exc)], 403)
    except UnknownResourceError as exc:
        return _problem_page(request, "Ukendt faktum", [str(exc)], 404)
    except StoreError as exc:
        return _problem_page(request, "Prøv igen", [str(exc)], 409)
    return RedirectResponse(_back(request, form, done), status_code=303)


_FIELD_NAMES = {
    "source": "Kilde",
    "reason": "Begrundelse",
    "text": "Beskrivelse",
    "email": "E-mail",
}


def _field_text(field: str, message: str) -> str:
    name = _FIELD_NAMES.get(field.rsplit(".", 1)[-1])
    return f"{name}: {message}" if name else message


# -- "Var siden nyttig? / Meld en fejl" ------------------------------------------------------


def _report_choices(kg: Knowledge, about: str, ident: str) -> list[dict[str, str]]:
    """The facts a report on a task's or a unit's page can be about."""
    if about == "task" and ident in kg.tasks:
        task = kg.tasks[ident]
        choices = []
        for part in sorted(kg.participations_by_task.get(ident, ()), key=lambda p: p.id):
            unit = kg.units.get(part.unit)
            who = f"{unit.label if unit else part.unit} ({role_label(part.role)})"
            label = f"{who} – {task.notation} {task.label}"
            choices.append({"value": f"responsibility/{part.id}", "label": label})
        return choices
    if about == "unit" and ident in kg.units:
        return [{"value": f"unit/{ident}", "label": kg.units[ident].label}]
    return []


def _report_form(
    request: Request,
    kg: Knowledge,
    about: str,
    ident: str,
    *,
    values: dict[str, str] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
    sent: bool = False,
) -> Response:
    choices = _report_choices(kg, about, ident)
    if not choices:
        return _problem_page(
            request, "Ukendt side", [f"Der er ingen side for {about} {ident!r}."], 404
        )
    context = {
        "about": about,
        "ident": ident,
        "choices": choices,
        "values": values or {},
        "errors": errors or [],
        "csrf": csrf_token(request),
        "max_text": REPORT_MAX,
        "back": f"/id/{about}/{ident}",
        "sent": sent,
    }
    response = page(request, "meld_fejl.html", context, status_code=status)
    return remember_csrf_seed(request, response)


@router.get("/meld-fejl")
def report_form(
    request: Request,
    kg: KnowledgeDep,
    om: Annotated[str, Query(pattern="^(task|unit)$")],
    id: Annotated[str, Query(min_length=1, max_length=200)],
    sendt: Annotated[str | None, Query(max_length=1)] = None,
) -> Response:
    return _report_form(request, kg, om, id, sent=sendt is not None)


@router.post("/meld-fejl")
async def report_send(request: Request, runtime: RuntimeDep) -> Response:
    """A report lands on the owning unit's queue as a dispute (``Report``), in the log."""
    form = await request.form()
    check_csrf(request, form)
    kg = runtime.knowledge
    about, ident = _form_text(form, "om", 10), _form_text(form, "id", 200)
    values = {
        "fakta": _form_text(form, "fakta", 300),
        "tekst": _form_text(form, "tekst", REPORT_MAX),
        "email": _form_text(form, "email", EMAIL_MAX),
    }
    chosen = {c["value"] for c in _report_choices(kg, about, ident)}
    errors = []
    if values["fakta"] not in chosen:
        errors.append("Vælg den oplysning, fejlen gælder.")
    if len(values["email"]) > EMAIL_MAX:
        errors.append(f"E-mailen er for lang (højst {EMAIL_MAX} tegn).")
    if not errors and not _throttle(request).allow(request.client.host if request.client else "?"):
        errors.append("Du har sendt mange fejlmeldinger på kort tid; prøv igen om lidt.")
        return _report_form(request, kg, about, ident, values=values, errors=errors, status=429)
    if not errors:
        kind, _, fact = values["fakta"].partition("/")
        staff = current_staff(request)
        op = ops.Report(
            target=cast(ops.EditableKind, kind),
            id=fact,
            text=values["tekst"],
            email=values["email"] or None,
        )
        editor = Editor(staff.name if staff else REPORTER, staff.role if staff else "reader")
        try:
            _apply(runtime, editor, op, "Fejlmelding fra »Meld en fejl«")
        except EditInvalidError as exc:
            errors = [_field_text(e.field, e.message) for e in exc.errors]
        except (EditForbiddenError, UnknownResourceError, StoreError) as exc:
            errors = [str(exc)]
    if errors:
        return _report_form(request, kg, about, ident, values=values, errors=errors, status=422)
    root = request.scope.get("root_path", "")
    query = urlencode({"om": about, "id": ident, "sendt": "1"})
    return RedirectResponse(f"{root}/meld-fejl?{query}", status_code=303)
