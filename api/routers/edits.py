"""Writes under ``/api/v1``: create, update (PATCH), end, rename, move, confirm, dispute, batch.

Every write needs a token (401 without), stays in the caller's scope (403), and — on an
existing resource — an ``If-Match`` with the ETag the caller read (428 without, 412 when
someone changed it since). A broken rule is a 422 ``validation-failed`` with one Danish
message per field, and nothing is stored. After a commit the app follows the store at once,
so the answer (and any read after it) shows the write.

No ``from __future__ import annotations`` here: the routes are made in a loop, and FastAPI
must see each body model as a real class, not a name to look up.
"""

import dataclasses
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Path, Response
from pydantic import ValidationError

from api.auth import Principal, current_principal, require_principal
from api.deps import RuntimeDep
from api.models.edits import (
    AuthorityIn,
    AuthorityPatch,
    BatchIn,
    ConfirmIn,
    ContactPointIn,
    ContactPointPatch,
    DisputeIn,
    DisputeList,
    EditedResource,
    EndIn,
    ForumIn,
    ForumPatch,
    MembershipIn,
    MoveIn,
    RenameIn,
    ResponsibilityIn,
    ResponsibilityPatch,
    UnitIn,
    UnitPatch,
)
from api.problems import ApiProblem
from api.runtime import Runtime
from graph.edit import operations as ops
from graph.edit.access import Editor
from graph.edit.apply import apply_batch
from graph.edit.errors import EditForbiddenError, EditInvalidError, StaleResourceError
from graph.edit.read import ResourceView, read_resource
from graph.edit.resources import resource_uri
from graph.edit.review import open_disputes
from graph.store.audit import record_write
from graph.store.backend import Store, StoreError

router = APIRouter(prefix="/api/v1", tags=["ændringer"])

_PROBLEM_TEXTS = {
    400: "Kroppen er ikke gyldig JSON.",
    401: "Login kræves: send et API-token (`Authorization: Bearer …`).",
    403: "Du må ikke ændre dette (uden for din forvaltning, eller din rolle må ikke).",
    404: "Ukendt id.",
    409: "Registret ændres af mange på én gang; prøv igen.",
    412: "Nogen har ændret ressourcen, siden du hentede den; `ETag` er den nye.",
    413: "Forespørgslens krop er for stor.",
    422: "Ændringen overholder ikke reglerne; `errors` siger hvad, felt for felt.",
    428: "`If-Match` mangler: hent ressourcen, og send dens `ETag` med.",
    503: "Registret er ikke slået til på denne server (kun læsning).",
}


def _problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        status: {
            "description": _PROBLEM_TEXTS[status],
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
        for status in statuses
    }


#: kind → (path, create body, patch body, fields, create, update, end)
_KINDS: dict[ops.EditableKind, tuple[str, Any, Any, Any, Any, Any, Any]] = {
    "responsibility": (
        "responsibilities",
        ResponsibilityIn,
        ResponsibilityPatch,
        ops.ResponsibilityFields,
        ops.CreateResponsibility,
        ops.UpdateResponsibility,
        ops.EndResponsibility,
    ),
    "unit": (
        "units",
        UnitIn,
        UnitPatch,
        ops.UnitFields,
        ops.CreateUnit,
        ops.UpdateUnit,
        ops.EndUnit,
    ),
    "contact-point": (
        "contact-points",
        ContactPointIn,
        ContactPointPatch,
        ops.ContactPointFields,
        ops.CreateContactPoint,
        ops.UpdateContactPoint,
        ops.EndContactPoint,
    ),
    "forum": (
        "forums",
        ForumIn,
        ForumPatch,
        ops.ForumFields,
        ops.CreateForum,
        ops.UpdateForum,
        ops.EndForum,
    ),
    "membership": (
        "memberships",
        MembershipIn,
        None,
        ops.MembershipFields,
        ops.CreateMembership,
        None,
        ops.EndMembership,
    ),
    "authority": (
        "authorities",
        AuthorityIn,
        AuthorityPatch,
        ops.AuthorityFields,
        ops.CreateAuthority,
        ops.UpdateAuthority,
        ops.EndAuthority,
    ),
}
#: Kinds whose GET is here (units and forums have theirs in ``resources``, with the ETag).
_OWN_GET = ("responsibility", "contact-point", "membership", "authority")
_NAMES = {
    "responsibility": ("Et ansvar", "ansvaret"),
    "unit": ("En enhed", "enheden"),
    "contact-point": ("Et kontaktpunkt", "kontaktpunktet"),
    "forum": ("Et forum", "forummet"),
    "membership": ("Et medlemskab", "medlemskabet"),
    "authority": ("En myndighed uden for kommunen", "myndigheden"),
}
_EXAMPLES = {
    "responsibility": "kle-32.03.16-sof-ansvarlig",
    "unit": "sof",
    "contact-point": "borgerraadgiveren",
    "forum": "koordinationsgruppen",
    "membership": "koordinationsgruppen-okf-leder",
    "authority": "ankestyrelsen",
}

PrincipalDep = Annotated[Principal | None, Depends(current_principal)]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=200,
        description="ETag fra den seneste GET af ressourcen (kræves ved ændring).",
    ),
]


def _id_path(kind: ops.EditableKind) -> Any:
    return Path(
        max_length=200,
        description="Ressourcens id.",
        openapi_examples={"eksempel": {"summary": "Eksempel", "value": _EXAMPLES[kind]}},
    )


# -- conversions -------------------------------------------------------------------------


def _value(name: str, value: Any) -> Any:
    if name == "conditions" and value is not None:
        return tuple(ops.AgeBand(c["min_age"], c["max_age"]) for c in value)
    return tuple(value) if isinstance(value, list) else value


def _fields(cls: Any, data: dict[str, Any]) -> Any:
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: _value(k, v) for k, v in data.items() if k in names})


def _patched(current: Any, patch: dict[str, Any]) -> Any:
    return dataclasses.replace(current, **{k: _value(k, v) for k, v in patch.items()})


# -- the write itself --------------------------------------------------------------------


def _store(runtime: Runtime) -> Store:
    if runtime.store is None:
        raise ApiProblem(
            "unavailable",
            "Denne server kører kun med læseadgang (intet register: STAFET_STORE_PATH).",
        )
    return runtime.store


def _editor(principal: Principal | None) -> Editor:
    who = require_principal(principal)
    return Editor(who.name, who.role, who.forvaltning)


def _need_if_match(if_match: str | None) -> str:
    if not if_match:
        raise ApiProblem(
            "precondition-required",
            "Send If-Match med ressourcens ETag (fra en GET), så ingen ændring går tabt.",
        )
    return if_match.strip()


def _commit(
    runtime: Runtime,
    editor: Editor,
    batch: ops.Batch,
    if_match: dict[tuple[ops.EditableKind, str], str],
) -> tuple[int | None, tuple[str, ...]]:
    """Apply and commit; the change's number (None: nothing changed) and what it touched."""
    store = _store(runtime)
    try:
        applied = apply_batch(store, runtime.knowledge, batch, editor, if_match=if_match)
    except EditInvalidError as exc:
        errors = [_error_line(e.field, e.message) for e in exc.errors]
        raise ApiProblem("validation-failed", str(exc), errors=errors) from exc
    except StaleResourceError as exc:
        raise ApiProblem("precondition-failed", str(exc), headers={"ETag": exc.current}) from exc
    except EditForbiddenError as exc:
        raise ApiProblem("forbidden", str(exc)) from exc
    except StoreError as exc:
        raise ApiProblem("edit-conflict", str(exc)) from exc
    if applied.change is None:
        return None, applied.touched
    record_write(store, change_id=applied.change.id, principal=editor.name)
    runtime.follow()
    return applied.change.sequence, applied.touched


def _error_line(field: str, message: str) -> dict[str, str]:
    """One line of ``errors``: the field, and (as for every 422) parameter and location."""
    return {"field": field, "parameter": field, "location": "body", "message": message}


def _answer(response: Response, view: ResourceView, change: int | None = None) -> dict[str, Any]:
    response.headers["ETag"] = view.etag
    body = dataclasses.asdict(view)
    body["change"] = change
    return body


def _one(
    runtime: Runtime,
    principal: Principal | None,
    response: Response,
    op: ops.Operation,
    kind: ops.EditableKind,
    ident: str | None,
    if_match: str | None = None,
) -> dict[str, Any]:
    """Make one operation; answer with the resource as it now is, and its ETag."""
    editor = _editor(principal)
    expected = {(kind, ident): _need_if_match(if_match)} if ident is not None else {}
    change, touched = _commit(runtime, editor, ops.Batch((op,)), expected)
    if ident is None:  # a creation: the new resource is the first touched URI of its kind
        ident = _created(kind, touched)
        response.status_code = 201
        response.headers["Location"] = f"/api/v1/{_KINDS[kind][0]}/{ident}"
    return _answer(response, read_resource(_store(runtime), kind, ident), change)


def _created(kind: ops.EditableKind, touched: tuple[str, ...]) -> str:
    prefix = str(resource_uri(kind, ""))
    return next(
        u[len(prefix) :] for u in touched if u.startswith(prefix) and "/" not in u[len(prefix) :]
    )


# -- the routes --------------------------------------------------------------------------

_WRITE = (400, 401, 403, 404, 409, 412, 413, 422, 428, 503)


def _create_route(kind: ops.EditableKind) -> Callable[..., dict[str, Any]]:
    _, model, _, fields_cls, create, _, _ = _KINDS[kind]

    def create_resource(
        runtime: RuntimeDep,
        principal: PrincipalDep,
        response: Response,
        body: Annotated[model, Body()],  # type: ignore[valid-type]
    ) -> dict[str, Any]:
        data = body.model_dump()  # type: ignore[attr-defined]
        ident = data.pop("id", None)
        return _one(
            runtime, principal, response, create(_fields(fields_cls, data), ident), kind, None
        )

    return create_resource


def _current(runtime: Runtime, kind: ops.EditableKind, ident: str, if_match: str) -> ResourceView:
    view = read_resource(_store(runtime), kind, ident)
    if if_match not in ("*", view.etag):
        raise ApiProblem(
            "precondition-failed",
            f"Ressourcen er ændret, siden du hentede den (ETag nu {view.etag}): hent den igen.",
            headers={"ETag": view.etag},
        )
    return view


def _patch_route(kind: ops.EditableKind) -> Callable[..., dict[str, Any]]:
    _, _, model, _, _, update, _ = _KINDS[kind]

    def patch_resource(
        runtime: RuntimeDep,
        principal: PrincipalDep,
        response: Response,
        id: Annotated[str, _id_path(kind)],
        body: Annotated[model, Body()],  # type: ignore[valid-type]
        if_match: IfMatch = None,
    ) -> dict[str, Any]:
        _editor(principal)
        current = _current(runtime, kind, id, _need_if_match(if_match))
        fields = _patched(current.fields, body.model_dump(exclude_unset=True))  # type: ignore[attr-defined]
        return _one(runtime, principal, response, update(id, fields), kind, id, if_match)

    return patch_resource


def _action_route(kind: ops.EditableKind, action: str) -> Callable[..., dict[str, Any]]:
    models = {
        "end": EndIn,
        "rename": RenameIn,
        "move": MoveIn,
        "confirm": ConfirmIn,
        "dispute": DisputeIn,
    }
    model = models[action]

    def act(
        runtime: RuntimeDep,
        principal: PrincipalDep,
        response: Response,
        id: Annotated[str, _id_path(kind)],
        body: Annotated[model, Body()],  # type: ignore[valid-type]
        if_match: IfMatch = None,
    ) -> dict[str, Any]:
        op = _action(kind, action, id, body.model_dump())  # type: ignore[attr-defined]
        return _one(runtime, principal, response, op, kind, id, if_match)

    return act


def _action(kind: ops.EditableKind, action: str, ident: str, data: dict[str, Any]) -> ops.Operation:
    if action == "end":
        return _KINDS[kind][6](ident, data["until"])  # type: ignore[no-any-return]
    if action == "rename":
        return ops.RenameUnit(id=ident, **data)
    if action == "move":
        return ops.MoveUnit(id=ident, **data)
    if action == "confirm":
        return ops.Confirm(target=kind, id=ident, **data)
    return ops.Dispute(target=kind, id=ident, **data)


def _get_route(kind: ops.EditableKind) -> Callable[..., dict[str, Any]]:
    def get_resource(
        runtime: RuntimeDep, response: Response, id: Annotated[str, _id_path(kind)]
    ) -> dict[str, Any]:
        if runtime.store is None:  # a read-only server has no editable resources
            raise ApiProblem(
                "not-found",
                "Denne server kører kun med læseadgang: ressourcer kan kun redigeres (og hentes "
                "her) på en server med et register (STAFET_STORE_PATH).",
            )
        return _answer(response, read_resource(runtime.store, kind, id))

    return get_resource


for _kind, (_path, _create, _patch, *_rest) in _KINDS.items():
    _title, _the = _NAMES[_kind]
    router.add_api_route(
        f"/{_path}",
        _create_route(_kind),
        methods=["POST"],
        name=f"create_{_kind.replace('-', '_')}",
        status_code=201,
        response_model=EditedResource,
        summary=f"{_title}: opret",
        description=f"Opretter {_the.removesuffix('en').removesuffix('et')}: 201 med `Location`, "
        "`ETag` og ressourcen. Kræver et token; en redaktør kun i egen forvaltning. Brud på "
        "reglerne (SHACL og Stafets egne regler) giver 422 med en dansk besked pr. felt, og "
        "intet gemmes.",
        responses=_problems(*_WRITE),
    )
    if _kind in _OWN_GET:
        router.add_api_route(
            f"/{_path}/{{id}}",
            _get_route(_kind),
            methods=["GET"],
            name=f"get_{_kind.replace('-', '_')}",
            response_model=EditedResource,
            summary=f"{_title}, som det står i registret",
            description=f"Felterne for {_the}, bekræftelse og indsigelser, med `ETag` "
            "(send den som `If-Match`, når du ændrer).",
            responses=_problems(404, 422),
        )
    if _patch is not None:
        router.add_api_route(
            f"/{_path}/{{id}}",
            _patch_route(_kind),
            methods=["PATCH"],
            name=f"update_{_kind.replace('-', '_')}",
            response_model=EditedResource,
            summary=f"{_title}: ret",
            description=f"Retter de felter, kroppen nævner; resten af {_the} står uændret. "
            "`If-Match` med ressourcens `ETag` kræves (428 uden, 412 hvis den er ændret siden).",
            responses=_problems(*_WRITE),
        )
    _actions = ["end", "confirm", "dispute"] + (["rename", "move"] if _kind == "unit" else [])
    _texts = {
        "end": "afslut (sætter 'gyldig til'; intet slettes)",
        "confirm": "bekræft mod en kilde (antaget → bekræftet, med hvem og hvornår)",
        "dispute": "gør indsigelse (kommer på koordinationsgruppens liste)",
        "rename": "nyt navn fra en dato (det gamle navn bevares som dateret navn)",
        "move": "ny overordnet enhed fra en dato (den gamle bevares som dateret)",
    }
    for _action_name in _actions:
        router.add_api_route(
            f"/{_path}/{{id}}/{_action_name}",
            _action_route(_kind, _action_name),
            methods=["POST"],
            name=f"{_action_name}_{_kind.replace('-', '_')}",
            response_model=EditedResource,
            summary=f"{_title}: {_texts[_action_name].split(' (')[0]}",
            description=f"{_title}: {_texts[_action_name]}. `If-Match` med ressourcens `ETag` "
            "kræves.",
            responses=_problems(*_WRITE),
        )


@router.post(
    "/batch",
    response_model=list[EditedResource],
    summary="Flere ændringer på én gang (alt eller intet)",
    description="En liste af operationer (`op`: create, update, end, rename, move, confirm, "
    "dispute; `kind`, `id`, `if_match` og `body` som ved de enkelte adresser), der gemmes som "
    "én ændring eller slet ikke. Fejl nævner operationen: `operations[2].unit`.",
    responses=_problems(*_WRITE),
)
def batch(
    runtime: RuntimeDep, principal: PrincipalDep, body: BatchIn, response: Response
) -> list[dict[str, Any]]:
    editor = _editor(principal)
    expected: dict[tuple[ops.EditableKind, str], str] = {}
    operations = []
    for index, item in enumerate(body.operations):
        operations.append(_batch_operation(runtime, item, index, expected))
    change, touched = _commit(
        runtime, editor, ops.Batch(tuple(operations), body.reason, body.source), expected
    )
    store = _store(runtime)
    existing = {item.id for item in body.operations if item.op != "create"}
    fresh = [u for u in touched if u.rsplit("/", 1)[-1] not in existing]
    views = []
    for item, op in zip(body.operations, operations, strict=True):
        ident = item.id if item.op != "create" else _created_id_of(op, item.kind, fresh)
        if ident is not None:
            views.append(_answer(response, read_resource(store, item.kind, ident), change))
    return views


def _batch_operation(
    runtime: Runtime, item: Any, index: int, expected: dict[tuple[ops.EditableKind, str], str]
) -> ops.Operation:
    path, create_model, patch_model, fields_cls, create, update, _ = _KINDS[item.kind]
    try:
        if item.op == "create":
            data = create_model.model_validate(item.body).model_dump()
            return create(_fields(fields_cls, data), data.pop("id", None))  # type: ignore[no-any-return]
        if item.id is None:
            raise ApiProblem("invalid-value", f"operations[{index}]: 'id' mangler.")
        if not item.if_match:
            raise ApiProblem("precondition-required", f"operations[{index}]: 'if_match' mangler.")
        expected[(item.kind, item.id)] = item.if_match
        if item.op == "update":
            if patch_model is None:
                raise ApiProblem("invalid-value", f"operations[{index}]: {path} kan ikke rettes.")
            patch = patch_model.model_validate(item.body).model_dump(exclude_unset=True)
            current = _current(runtime, item.kind, item.id, item.if_match)
            return update(item.id, _patched(current.fields, patch))  # type: ignore[no-any-return]
        models = {
            "end": EndIn,
            "rename": RenameIn,
            "move": MoveIn,
            "confirm": ConfirmIn,
            "dispute": DisputeIn,
        }
        if item.op in ("rename", "move") and item.kind != "unit":
            raise ApiProblem("invalid-value", f"operations[{index}]: kun enheder kan {item.op}.")
        data = models[item.op].model_validate(item.body).model_dump()  # type: ignore[attr-defined]
        return _action(item.kind, item.op, item.id, data)
    except ValidationError as exc:
        errors = [
            _error_line(f"operations[{index}].body." + ".".join(str(p) for p in e["loc"]), e["msg"])
            for e in exc.errors()
        ]
        raise ApiProblem(
            "validation-failed", f"operations[{index}] er ugyldig.", errors=errors
        ) from exc


def _created_id_of(op: ops.Operation, kind: ops.EditableKind, touched: list[str]) -> str | None:
    """The id a create of the batch made: its own, or the next new one of its kind."""
    wanted = getattr(op, "id", None)
    if not wanted:
        try:
            wanted = _created(kind, tuple(touched))
        except StopIteration:
            return None
    uri = str(resource_uri(kind, wanted))
    if uri in touched:
        touched.remove(uri)
    return str(wanted)


@router.get(
    "/disputes",
    response_model=DisputeList,
    summary="Indsigelser: koordinationsgruppens liste",
    description="Alle fakta med en åben indsigelse (ældste først): hvad, hvorfor, af hvem og "
    "hvornår. En indsigelse lukkes, når faktum bekræftes igen.",
    responses=_problems(422),
)
def disputes(runtime: RuntimeDep) -> dict[str, Any]:
    if runtime.store is None:  # read-only: nothing can have been disputed
        return {"disputes": []}
    return {"disputes": [dataclasses.asdict(d) for d in open_disputes(runtime.store)]}
