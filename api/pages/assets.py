"""Scripts and stylesheets the pages need, served by the app itself (nothing from a CDN).

vis-network comes from the copy inside the pyvis wheel (version 9.1.2, dual licensed
Apache-2.0 / MIT; the licence is in the file's own header, which is served unchanged).
The network renderer is the library's own (``graph/render/templates/network.js``), so a
page and a notebook draw the same way. The library says which files these are
(:func:`graph.render.embed.network_asset_files`); the web app chooses their addresses
(:data:`ASSETS`). The colours are written as CSS from :mod:`graph.render.style`, so a
legend can use classes instead of inline styles.
"""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter
from starlette.responses import FileResponse, Response

from graph.render.embed import VIS_NETWORK_VERSION, network_asset_files
from graph.render.style import COLOURS, KIND_STYLES, RELATION_COLOURS, VIA_COLOURS

__all__ = ["ASSETS", "router"]

router = APIRouter(include_in_schema=False)

#: The addresses the templates use.
ASSETS = {
    "vis_js": f"/assets/vis-network-{VIS_NETWORK_VERSION}.min.js",
    "vis_css": f"/assets/vis-network-{VIS_NETWORK_VERSION}.css",
    "renderer": "/assets/network.js",
    "colours": "/assets/farver.css",
}
_JS = "text/javascript; charset=utf-8"
_CSS = "text/css; charset=utf-8"
_HEADERS = {"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"}


@router.get(ASSETS["vis_js"])
def vis_network_script() -> Response:
    return FileResponse(network_asset_files()["vis_js"], media_type=_JS, headers=_HEADERS)


@router.get(ASSETS["vis_css"])
def vis_network_stylesheet() -> Response:
    return FileResponse(network_asset_files()["vis_css"], media_type=_CSS, headers=_HEADERS)


@router.get(ASSETS["renderer"])
def network_renderer() -> Response:
    return FileResponse(network_asset_files()["renderer"], media_type=_JS, headers=_HEADERS)


@router.get(ASSETS["colours"])
def colours() -> Response:
    return Response(_colour_css(), media_type=_CSS, headers=_HEADERS)


@cache
def _colour_css() -> str:
    rules = [f".farve-{key} {{ background-color: {colour}; }}" for key, colour in COLOURS.items()]
    rules += [
        f".relation-{key} {{ border-top-color: {colour}; }}"
        for key, colour in RELATION_COLOURS.items()
    ]
    rules += [
        f".via-{key} {{ border-top-color: {colour}; }}" for key, colour in VIA_COLOURS.items()
    ]
    rules += [
        f".kind-{kind} {{ background-color: {colour}; }}"
        for kind, (_, colour) in KIND_STYLES.items()
        if kind not in ("unit", "post")
    ]
    return (
        "/* Stafet: farver fra graph.render.style (samme i grafer og forklaringer). */\n"
        + "\n".join(rules)
        + "\n"
    )
