"""``GET /api/v1/{units,tasks,laws,forums}/{id}``: one resource with its relations."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from api.auth import PrincipalDep, audit_personal_read
from api.history import RecordedKnowledgeDep
from api.links import resource_links
from api.models.resources import ForumResource, LawResource, TaskResource, UnitResource
from api.openapi import problems
from api.params import AsOfQuery
from graph.edit.operations import EditableKind
from graph.edit.resources import current_etag
from graph.present.resources import resource_json
from graph.questions.resources import UnitDetails, describe_resource

router = APIRouter(prefix="/api/v1", tags=["ressourcer"])

_ROUTES = {
    "unit": (UnitResource, "En enhed", "bif", "enhedens"),
    "task": (TaskResource, "En opgave", "kle-32.03.16", "opgavens"),
    "law": (LawResource, "En lov eller bestemmelse", "pensionsloven-14a", "lovens"),
    "forum": (ForumResource, "Et forum", "rehabiliteringsteam", "forummets"),
}


def _endpoint(kind: str, example: str, whose: str) -> Callable[..., dict[str, Any]]:
    def resource(
        request: Request,
        response: Response,
        kg: RecordedKnowledgeDep,
        principal: PrincipalDep,
        id: Annotated[
            str,
            Path(
                max_length=200,
                description=f"{whose.capitalize()} id.",
                openapi_examples={"eksempel": {"summary": "Eksempel", "value": example}},
            ),
        ],
        as_of: AsOfQuery = None,
    ) -> dict[str, Any]:
        response.headers["Link"] = resource_links(request, kind, id)
        found = describe_resource(kg, kind, id, as_of=as_of)
        if isinstance(found.details, UnitDetails):
            audit_personal_read(request, principal, (p.id for p in found.details.arrangements))
        answer = resource_json(kg, found, personal=principal is not None)
        store = request.app.state.runtime.store
        editable: dict[str, EditableKind] = {"unit": "unit", "forum": "forum"}
        editable_kind = editable.get(kind)
        if editable_kind is not None and store is not None:  # If-Match needs the ETag
            etag = current_etag(store, editable_kind, id)
            if etag is not None:
                response.headers["ETag"] = etag
        return answer

    return resource


for _kind, (_model, _title, _example, _whose) in _ROUTES.items():
    router.add_api_route(
        f"/{_kind}s/{{id}}",
        _endpoint(_kind, _example, _whose),
        methods=["GET"],
        name=f"{_kind}_resource",
        response_model=_model,
        response_model_exclude_unset=True,
        summary=f"{_title} med relationer",
        description=f"{_title} med alle relationer i begge retninger. Et ukendt id giver 404 "
        "med de nærmeste id'er i `suggestions`. `Link`-headeren peger på HTML, JSON-LD og "
        "Turtle under `/id/`.",
        responses=problems(404, 422),
    )
