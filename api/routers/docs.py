"""``GET /docs``: the API described in Danish, from the OpenAPI document, served locally.

FastAPI's own /docs loads Swagger UI from a CDN; this page fetches nothing from the web.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from api.pages import templates

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> Response:
    api = request.app.openapi()
    return templates.TemplateResponse(
        request, "docs.html", {"api": api, "operations": list(_operations(api))}
    )


def _operations(api: dict[str, Any]) -> Any:
    for path, item in api["paths"].items():
        for method, op in item.items():
            params = [_param(p) for p in op.get("parameters", [])]
            yield {
                "id": op.get("operationId", path),
                "method": method.upper(),
                "path": path,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "params": params,
                "example_url": _example_url(path, params) if method == "get" else None,
                "responses": [(s, r.get("description", "")) for s, r in op["responses"].items()],
            }


def _param(param: dict[str, Any]) -> dict[str, Any]:
    examples: dict[str, dict[str, Any]] = param.get("examples") or {}
    example = next((e.get("value") for e in examples.values()), None)
    if isinstance(example, list):
        example = ",".join(map(str, example))
    return {
        "name": param["name"],
        "location": param["in"],
        "required": param.get("required", False),
        "description": param.get("description", ""),
        "example": "" if example is None else str(example),
    }


def _example_url(path: str, params: list[dict[str, Any]]) -> str | None:
    query = {}
    for param in params:
        if param["location"] == "path":
            if not param["example"]:
                return None
            path = path.replace("{" + param["name"] + "}", quote(param["example"], safe=""))
        elif param["example"] and param["required"]:
            query[param["name"]] = param["example"]
    return path + ("?" + urlencode(query) if query else "")
