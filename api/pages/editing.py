"""The "Ret" forms: staff correct a unit (name, parent, contact points) and a task's
responsibilities (role, conditions, legal basis, source, validity), add one or end one.

A form is read with the resource's ETag; its submission is turned into the same
operations the JSON API makes (:mod:`graph.edit.operations`) and goes through the same
:func:`graph.edit.apply.apply_batch` (access, focused SHACL, Stafet's rules), so the pages
have no validation path of their own beyond reading the typed text (an empty optional
field is no value; a malformed number or date is said beside its field). On any error the
form is shown again with the values typed and nothing is stored. When someone saved first
(the ETag moved), the form says so and shows what they changed, before → after.
Success is a 303 to the page, which shows the new answer.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Annotated, Any, cast

from fastapi import APIRouter, Path, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from api.auth import Principal
from api.deps import KnowledgeDep, RuntimeDep
from api.pages import templates
from api.pages.common import page, unit_choices
from api.runtime import Runtime
from api.session import StaffForbidden, check_csrf, current_staff, require_staff
from graph.data.knowledge import Knowledge
from graph.edit import operations as ops
from graph.edit.access import Editor
from graph.edit.apply import apply_batch
from graph.edit.errors import (
    EditForbiddenError,
    EditInvalidError,
    StaleResourceError,
    UnknownResourceError,
)
from graph.edit.read import ResourceView, read_resource
from graph.edit.scope import may_edit_responsibility, may_edit_unit
from graph.errors import UnknownEntityError
from graph.present.vocabulary import ROLE_LABELS
from graph.store.audit import record_write
from graph.store.backend import Store, StoreError

__all__ = ["may_edit", "router"]

router = APIRouter(include_in_schema=False)
Ident = Annotated[str, Path(max_length=200)]
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Operation field → the form field its errors are shown beside.
_RESPONSIBILITY_FIELDS = {
    "unit": "enhed",
    "role": "rolle",
    "description": "beskrivelse",
    "conditions": "alder",
    "legal_basis": "hjemmel",
    "source": "kilde",
    "source_title": "kilde",
    "locator": "kilde_afsnit",
    "status": "status",
    "note": "note",
    "valid_from": "gyldig_fra",
    "valid_until": "gyldig_til",
    "until": "slutdato",
}
_UNIT_FIELDS = {
    "name": "navn",
    "parent": "overordnet",
    "source": "kilde",
    "source_title": "kilde",
    "locator": "kilde_afsnit",
    "status": "status",
    "note": "note",
}
_CONTACT_FIELDS = {
    "label": "betegnelse",
    "telephone": "telefon",
    "email": "email",
    "page": "side",
    "source": "kilde",
    "status": "status",
}


# -- who may see "Ret" ---------------------------------------------------------------------


def may_edit(request: Request, kind: str, ident: str) -> bool:
    """May the signed-in member of staff correct this unit's or task's part (for "Ret")?

    A unit: an admin, or an editor of its administration. A task: an admin, or an editor
    whose administration has a responsibility for it (or for a KLE group above it).
    The final word on every submission is :func:`graph.edit.access.check_access`.
    """
    staff = current_staff(request)
    if staff is None:
        return False
    kg = cast(Runtime, request.app.state.runtime).knowledge
    if kind == "unit":
        return may_edit_unit(kg, staff.role, staff.forvaltning, ident)
    return bool(_editable(kg, staff, ident)) or staff.role == "admin"


def _editable(kg: Knowledge, staff: Principal, task_id: str) -> list[str]:
    """The responsibilities of ``task_id`` and its KLE groups ``staff`` may correct."""
    found: list[str] = []
    current: str | None = task_id
    while current is not None and current in kg.tasks:
        found += [
            p.id
            for p in kg.participations_by_task.get(current, [])
            if may_edit_responsibility(kg, staff.role, staff.forvaltning, p.id)
        ]
        current = kg.tasks[current].broader
    return found


# -- reading a form ------------------------------------------------------------------------


class _Form:
    """Typed values from a submitted form; what cannot be read is an error by its field."""

    def __init__(self, form: FormData) -> None:
        self.form = form
        self.errors: dict[str, str] = {}

    def text(self, name: str) -> str | None:
        value = self.form.get(name)
        return value.strip() or None if isinstance(value, str) else None

    def texts(self, name: str) -> list[str]:
        seen = [v.strip() for v in self.form.getlist(name) if isinstance(v, str) and v.strip()]
        return list(dict.fromkeys(seen))

    def lines(self, name: str) -> tuple[str, ...]:
        return tuple(line.strip() for line in (self.text(name) or "").splitlines() if line.strip())

    def day(self, name: str) -> date | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            if not _ISO_DAY.match(value):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            self.errors[name] = "Skriv datoen som ÅÅÅÅ-MM-DD, fx 2027-01-01."
            return None

    def bands(self) -> tuple[ops.AgeBand, ...]:
        """Age conditions from the paired ``alder_fra`` / ``alder_til`` fields."""
        lows, highs = self.form.getlist("alder_fra"), self.form.getlist("alder_til")
        bands = []
        for low, high in zip(lows, highs, strict=False):
            numbers = [self._age(str(v)) for v in (low, high)]
            if numbers[0] is not None or numbers[1] is not None:
                bands.append(ops.AgeBand(numbers[0], numbers[1]))
        return tuple(bands)

    def _age(self, value: str) -> int | None:
        value = value.strip()
        if not value:
            return None
        if not value.isdigit() or len(value) > 3:
            self.errors["alder"] = "En alder er et helt antal år, fx 18."
            return None
        return int(value)

    def status(self) -> ops.FactStatus:
        value = self.text("status")
        if value not in ("bekraeftet", "antaget"):
            self.errors["status"] = "Vælg, om oplysningen er bekræftet eller antaget."
            return "antaget"
        return cast(ops.FactStatus, value)

    def values(self) -> dict[str, Any]:
        """What was typed, to show the form again with it."""
        names = {key for key in self.form}
        return {
            key: [str(v) for v in self.form.getlist(key)]
            if key in ("alder_fra", "alder_til", "hjemmel")
            else str(self.form.get(key) or "")
            for key in names
        }


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


# -- values ↔ fields -----------------------------------------------------------------------


def _responsibility_values(f: ops.ResponsibilityFields) -> dict[str, Any]:
    bands = f.conditions or (ops.AgeBand(),)
    return {
        "enhed": f.unit,
        "rolle": f.role,
        "beskrivelse": f.description,
        "alder_fra": ["" if b.min_age is None else str(b.min_age) for b in bands],
        "alder_til": ["" if b.max_age is None else str(b.max_age) for b in bands],
        "hjemmel": list(f.legal_basis),
        "kilde": f.source or "",
        "kilde_afsnit": f.locator or "",
        "status": f.status,
        "note": f.note or "",
        "gyldig_fra": _day(f.valid_from),
        "gyldig_til": _day(f.valid_until),
    }


def _responsibility_fields(form: _Form, base: ops.ResponsibilityFields) -> ops.ResponsibilityFields:
    source = form.text("kilde")
    return dataclasses.replace(
        base,
        unit=form.text("enhed") or base.unit,
        role=form.text("rolle") or "",
        description=form.text("beskrivelse") or "",
        conditions=form.bands(),
        legal_basis=tuple(form.texts("hjemmel")),
        source=source,
        source_title=base.source_title if source == base.source else None,
        locator=form.text("kilde_afsnit"),
        status=form.status(),
        note=form.text("note"),
        valid_from=form.day("gyldig_fra"),
        valid_until=form.day("gyldig_til"),
    )


def _contact_values(index: int, view: ResourceView) -> dict[str, Any]:
    f = cast(ops.ContactPointFields, view.fields)
    key = f"kp{index}_"
    return {
        key + "id": view.id,
        key + "etag": view.etag,
        key + "betegnelse": f.label or "",
        key + "telefon": "\n".join(f.telephone),
        key + "email": "\n".join(f.email),
        key + "side": "\n".join(f.page),
        key + "kilde": f.source or "",
        key + "status": f.status,
    }


def _unit_values(view: ResourceView, contacts: Sequence[ResourceView]) -> dict[str, Any]:
    f = cast(ops.UnitFields, view.fields)
    values: dict[str, Any] = {
        "navn": f.name,
        "overordnet": f.parent,
        "kilde": f.source or "",
        "kilde_afsnit": f.locator or "",
        "status": f.status,
        "note": f.note or "",
    }
    for index, contact in enumerate(contacts):
        values.update(_contact_values(index, contact))
    return values


# -- the write -----------------------------------------------------------------------------


class _Refused(Exception):
    """The submission was not stored: errors by form field, or a stale form."""

    def __init__(self, errors: dict[str, str], *, stale: bool = False) -> None:
        super().__init__(errors)
        self.errors, self.stale = errors, stale


def _store(runtime: Runtime) -> Store:
    if runtime.store is None:
        raise StaffForbidden(
            "Denne server kører kun med læseadgang (intet register): intet kan rettes her.",
            title="Kan ikke rettes her",
        )
    return runtime.store


def _commit(
    request: Request,
    staff: Principal,
    batch: ops.Batch,
    expected: Mapping[tuple[ops.EditableKind, str], str],
    places: Sequence[tuple[str, Mapping[str, str]]],
) -> None:
    """Apply ``batch`` as the API does; errors go to the form fields ``places`` name.

    ``places[i]`` is the form prefix and field map of operation ``i``.
    """
    runtime = cast(Runtime, request.app.state.runtime)
    store = _store(runtime)
    editor = Editor(staff.name, staff.role, staff.forvaltning)
    try:
        applied = apply_batch(store, runtime.knowledge, batch, editor, if_match=expected)
    except EditInvalidError as exc:
        raise _Refused(_form_errors(exc, places)) from exc
    except StaleResourceError as exc:
        raise _Refused({}, stale=True) from exc
    except EditForbiddenError as exc:
        raise StaffForbidden(str(exc)) from exc
    except StoreError as exc:
        raise _Refused({"": str(exc)}) from exc
    if applied.change is not None:
        record_write(store, change_id=applied.change.id, principal=staff.name)
        runtime.follow()


def _form_errors(
    exc: EditInvalidError, places: Sequence[tuple[str, Mapping[str, str]]]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors:
        index, field = 0, error.field
        if match := re.match(r"operations\[(\d+)\]\.(.*)", field):
            index, field = int(match.group(1)), match.group(2)
        prefix, names = places[min(index, len(places) - 1)]
        name = names.get(re.split(r"[\[.]", field, maxsplit=1)[0])
        key = prefix + name if name else ""
        errors[key] = f"{errors[key]} {error.message}" if key in errors else error.message
    return errors


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, str]]:
    """What someone else changed since the form was read: field, before, after."""

    def shown(value: Any) -> str:
        if isinstance(value, list):
            value = ", ".join(v for v in value if v)
        return str(value or "").replace("\n", ", ") or "–"

    return [
        {"field": key, "before": shown(before.get(key)), "after": shown(after.get(key))}
        for key in after
        if not key.endswith(("_id", "_etag")) and shown(before.get(key)) != shown(after.get(key))
    ]


def _original(form: FormData) -> dict[str, Any]:
    try:
        found = json.loads(str(form.get("oprindelig") or "{}"))
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _done(request: Request, path: str) -> Response:
    return RedirectResponse((request.scope.get("root_path") or "") + path, 303)


# -- pages -------------------------------------------------------------------------------


def _choices(kg: Knowledge, staff: Principal) -> dict[str, Any]:
    groups = unit_choices(kg)
    own = [
        {
            **g,
            "units": [
                u for u in g["units"] if may_edit_unit(kg, staff.role, staff.forvaltning, u["id"])
            ],
        }
        for g in groups
    ]
    return {
        "roles": sorted(ROLE_LABELS.items(), key=lambda item: item[1]),
        "laws": sorted(((law.id, law.label) for law in kg.laws.values()), key=lambda i: i[1]),
        "all_units": groups,
        "own_units": [g for g in own if g["units"]],
    }


def _form_page(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> Response:
    response = page(request, template, {"nav": "ret", **context}, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/ret/opgave/{ident}")
def task_overview(request: Request, kg: KnowledgeDep, ident: Ident) -> Response:
    staff = require_staff(request, ("editor", "admin"))
    task = kg.tasks.get(ident)
    if task is None:
        raise UnknownEntityError("task", ident, kg.suggestions("task", ident))
    editable = set(_editable(kg, staff, ident)) if staff.role != "admin" else None
    rows = []
    current: str | None = ident
    while current is not None and current in kg.tasks:
        for p in kg.participations_by_task.get(current, []):
            rows.append(
                {
                    "id": p.id,
                    "task": kg.tasks[current],
                    "unit": kg.units[p.unit].label if p.unit in kg.units else p.unit,
                    "role": p.role,
                    "editable": editable is None or p.id in editable,
                    "ended": p.valid_until is not None and p.valid_until < date.today(),
                }
            )
        current = kg.tasks[current].broader
    context = {"task": task, "rows": rows, "staff": staff}
    return _form_page(request, "edit_task.html", context)


def _responsibility_page(
    request: Request,
    kg: Knowledge,
    staff: Principal,
    *,
    task_id: str,
    view: ResourceView | None,
    values: dict[str, Any],
    original: dict[str, Any],
    errors: dict[str, str] | None = None,
    changes: list[dict[str, str]] | None = None,
    current: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "task": kg.tasks[task_id],
        "view": view,
        "values": values,
        "original": json.dumps(original, ensure_ascii=False),
        "errors": errors or {},
        "changes": changes,
        "current": current,
        **_choices(kg, staff),
    }
    return _form_page(request, "edit_responsibility.html", context, status_code=status_code)


def _responsibility_view(runtime: Runtime, ident: str) -> ResourceView:
    try:
        return read_resource(_store(runtime), "responsibility", ident)
    except UnknownResourceError:
        raise UnknownEntityError("ansvar", ident) from None


@router.get("/ret/ansvar/{ident}")
def responsibility_form(request: Request, runtime: RuntimeDep, ident: Ident) -> Response:
    staff = require_staff(request, ("editor", "admin"))
    view = _responsibility_view(runtime, ident)
    fields = cast(ops.ResponsibilityFields, view.fields)
    kg = runtime.knowledge
    if not may_edit_unit(kg, staff.role, staff.forvaltning, fields.unit):
        raise StaffForbidden("Ansvaret hører til en enhed uden for din forvaltning.")
    values = _responsibility_values(fields)
    return _responsibility_page(
        request, kg, staff, task_id=fields.task, view=view, values=values, original=values
    )


@router.post("/ret/ansvar/{ident}")
async def responsibility_save(request: Request, runtime: RuntimeDep, ident: Ident) -> Response:
    staff = require_staff(request, ("editor", "admin"))
    raw = await request.form()
    check_csrf(request, raw)
    view = _responsibility_view(runtime, ident)
    current = cast(ops.ResponsibilityFields, view.fields)
    form, original = _Form(raw), _original(raw)
    ending = form.text("handling") == "afslut"
    operation: ops.Operation
    if ending:
        until = form.day("slutdato")
        if until is None and "slutdato" not in form.errors:
            form.errors["slutdato"] = "Skriv den sidste dag, ansvaret gælder."
        operation = ops.EndResponsibility(ident, until or date.min)
    else:
        operation = ops.UpdateResponsibility(ident, _responsibility_fields(form, current))
    kg = runtime.knowledge
    try:
        if str(raw.get("etag") or "") != view.etag:
            raise _Refused({}, stale=True)
        if form.errors:
            raise _Refused(form.errors)
        expected: dict[tuple[ops.EditableKind, str], str] = {("responsibility", ident): view.etag}
        _commit(request, staff, ops.Batch((operation,)), expected, [("", _RESPONSIBILITY_FIELDS)])
    except _Refused as refused:
        fresh = _responsibility_view(runtime, ident)
        now = _responsibility_values(cast(ops.ResponsibilityFields, fresh.fields))
        return _responsibility_page(
            request,
            kg,
            staff,
            task_id=current.task,
            view=fresh,
            values=form.values(),
            original=now if refused.stale else original,
            errors=refused.errors,
            changes=_changes(original, now) if refused.stale else None,
            current=now if refused.stale else None,
            status_code=409 if refused.stale else 422,
        )
    return _done(request, f"/id/task/{current.task}")


@router.get("/ret/opgave/{ident}/nyt-ansvar")
def new_responsibility_form(request: Request, kg: KnowledgeDep, ident: Ident) -> Response:
    staff = require_staff(request, ("editor", "admin"))
    if ident not in kg.tasks:
        raise UnknownEntityError("task", ident, kg.suggestions("task", ident))
    blank = ops.ResponsibilityFields(task=ident, unit="", role="", description="", status="antaget")
    values = _responsibility_values(blank)
    return _responsibility_page(
        request, kg, staff, task_id=ident, view=None, values=values, original=values
    )


@router.post("/ret/opgave/{ident}/nyt-ansvar")
async def new_responsibility_save(request: Request, kg: KnowledgeDep, ident: Ident) -> Response:
    staff = require_staff(request, ("editor", "admin"))
    raw = await request.form()
    check_csrf(request, raw)
    if ident not in kg.tasks:
        raise UnknownEntityError("task", ident, kg.suggestions("task", ident))
    form = _Form(raw)
    blank = ops.ResponsibilityFields(task=ident, unit="", role="", description="", status="antaget")
    fields = _responsibility_fields(form, blank)
    if not fields.unit:
        form.errors["enhed"] = "Vælg den enhed, ansvaret hører til."
    try:
        if form.errors:
            raise _Refused(form.errors)
        operation = ops.CreateResponsibility(fields)
        _commit(request, staff, ops.Batch((operation,)), {}, [("", _RESPONSIBILITY_FIELDS)])
    except _Refused as refused:
        return _responsibility_page(
            request,
            kg,
            staff,
            task_id=ident,
            view=None,
            values=form.values(),
            original=_original(raw),
            errors=refused.errors,
            status_code=422,
        )
    return _done(request, f"/id/task/{ident}")


# -- a unit ------------------------------------------------------------------------------


def _unit_views(runtime: Runtime, ident: str) -> tuple[ResourceView, list[ResourceView]]:
    store = _store(runtime)
    try:
        view = read_resource(store, "unit", ident)
    except UnknownResourceError:
        kg = runtime.knowledge
        raise UnknownEntityError("unit", ident, kg.suggestions("unit", ident)) from None
    fields = cast(ops.UnitFields, view.fields)
    contacts = []
    for contact in fields.contact_points:
        try:
            contacts.append(read_resource(store, "contact-point", contact))
        except UnknownResourceError:
            continue
    return view, contacts


def _unit_page(
    request: Request,
    runtime: Runtime,
    staff: Principal,
    view: ResourceView,
    contacts: list[ResourceView],
    values: dict[str, Any],
    original: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
    changes: list[dict[str, str]] | None = None,
    current: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    kg = runtime.knowledge
    context = {
        "unit": kg.units.get(view.id),
        "view": view,
        "contacts": [{"index": i, "id": c.id, "etag": c.etag} for i, c in enumerate(contacts)],
        "values": values,
        "original": json.dumps(original, ensure_ascii=False),
        "errors": errors or {},
        "changes": changes,
        "current": current,
        **_choices(kg, staff),
    }
    return _form_page(request, "edit_unit.html", context, status_code=status_code)


@router.get("/ret/enhed/{ident}")
def unit_form(request: Request, runtime: RuntimeDep, ident: Ident) -> Response:
    staff = require_staff(request, ("editor", "admin"))
    if not may_edit_unit(runtime.knowledge, staff.role, staff.forvaltning, ident):
        raise StaffForbidden("Enheden ligger uden for din forvaltning.")
    view, contacts = _unit_views(runtime, ident)
    values = _unit_values(view, contacts)
    return _unit_page(request, runtime, staff, view, contacts, values, values)


def _unit_batch(
    form: _Form, view: ResourceView, contacts: list[ResourceView]
) -> tuple[list[ops.Operation], list[tuple[str, Mapping[str, str]]]]:
    """The operations the unit form asks for: only what differs from the store."""
    f = cast(ops.UnitFields, view.fields)
    source = form.text("kilde")
    fields = dataclasses.replace(
        f,
        name=form.text("navn") or "",
        parent=form.text("overordnet") or "",
        source=source,
        source_title=f.source_title if source == f.source else None,
        locator=form.text("kilde_afsnit"),
        status=form.status(),
        note=form.text("note"),
    )
    operations: list[ops.Operation] = []
    places: list[tuple[str, Mapping[str, str]]] = []
    if fields != f:
        operations.append(ops.UpdateUnit(view.id, fields))
        places.append(("", _UNIT_FIELDS))
    for index, contact in enumerate(contacts):
        key = f"kp{index}_"
        c = cast(ops.ContactPointFields, contact.fields)
        status = form.text(key + "status")
        csource = form.text(key + "kilde")
        changed = dataclasses.replace(
            c,
            label=form.text(key + "betegnelse"),
            telephone=form.lines(key + "telefon"),
            email=form.lines(key + "email"),
            page=form.lines(key + "side"),
            source=csource,
            source_title=c.source_title if csource == c.source else None,
            status=cast(ops.FactStatus, status)
            if status in ("bekraeftet", "antaget")
            else c.status,
        )
        if changed != c:
            operations.append(ops.UpdateContactPoint(contact.id, changed))
            places.append((key, _CONTACT_FIELDS))
    return operations, places


@router.post("/ret/enhed/{ident}")
async def unit_save(request: Request, runtime: RuntimeDep, ident: Ident) -> Response:
    staff = require_staff(request, ("editor", "admin"))
    raw = await request.form()
    check_csrf(request, raw)
    view, contacts = _unit_views(runtime, ident)
    form, original = _Form(raw), _original(raw)
    expected: dict[tuple[ops.EditableKind, str], str] = {("unit", ident): view.etag}
    expected.update({("contact-point", c.id): c.etag for c in contacts})
    sent = {("unit", ident): str(raw.get("etag") or "")}
    sent.update(
        {("contact-point", c.id): str(raw.get(f"kp{i}_etag") or "") for i, c in enumerate(contacts)}
    )
    try:
        if sent != expected:
            raise _Refused({}, stale=True)
        operations, places = _unit_batch(form, view, contacts)
        if form.errors:
            raise _Refused(form.errors)
        if operations:
            _commit(request, staff, ops.Batch(tuple(operations)), expected, places)
    except _Refused as refused:
        fresh, fresh_contacts = _unit_views(runtime, ident)
        now = _unit_values(fresh, fresh_contacts)
        return _unit_page(
            request,
            runtime,
            staff,
            fresh,
            fresh_contacts,
            form.values(),
            now if refused.stale else original,
            errors=refused.errors,
            changes=_changes(original, now) if refused.stale else None,
            current=now if refused.stale else None,
            status_code=409 if refused.stale else 422,
        )
    return _done(request, f"/id/unit/{ident}")


templates.env.globals["may_edit"] = may_edit  # the "Ret" include on the unit and task pages
