"""Scripts and stylesheets the pages need, served by the app itself (nothing from a CDN).

vis-network comes from the copy inside the pyvis wheel (version 9.1.2, dual licensed
Apache-2.0 / MIT; the licence is in the file's own header, which is served unchanged).
The network renderer is the library's own (``graph/render/templates/network.js``), so a
page and a notebook draw the same way. The library says which files these are
(:func:`graph.render.embed.network_asset_files`); the web app chooses their addresses.
The colours are written as CSS from :mod:`graph.render.style`, so a legend can use
classes instead of inline styles.

Pages link every file by a content-hash address (:data:`ASSETS`, e.g.
``/assets/stafet.3f2a9c1b2d.css``) served with ``Cache-Control: immutable`` for a year,
already gzipped for a browser that accepts it, with an ``ETag`` (a repeat asks get 304).
A changed file gets a new address, so no browser keeps an old copy. The plain addresses
(``/assets/network.js``, ``/static/stafet.css``) still answer for tools, cached for an hour,
but no page uses them.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response

from api.pages import STATIC_DIR, templates
from graph.render.embed import VIS_NETWORK_VERSION, network_asset_files
from graph.render.style import COLOURS, KIND_STYLES, RELATION_COLOURS, VIA_COLOURS

__all__ = ["ASSETS", "PLAIN_ASSETS", "asset_body", "router"]

router = APIRouter(include_in_schema=False)

#: The unhashed addresses (for tools and old links; pages use :data:`ASSETS`).
PLAIN_ASSETS = {
    "vis_js": f"/assets/vis-network-{VIS_NETWORK_VERSION}.min.js",
    "vis_css": f"/assets/vis-network-{VIS_NETWORK_VERSION}.css",
    "renderer": "/assets/network.js",
    "colours": "/assets/farver.css",
}
_JS = "text/javascript; charset=utf-8"
_CSS = "text/css; charset=utf-8"
_HEADERS = {"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"}
_IMMUTABLE = "public, max-age=31536000, immutable"
#: Each asset's name, the stem and suffix of its address, and its media type.
_FILES = {
    "stafet_css": ("stafet", ".css", _CSS),
    "stafet_js": ("stafet", ".js", _JS),
    "vis_js": (f"vis-network-{VIS_NETWORK_VERSION}", ".min.js", _JS),
    "vis_css": (f"vis-network-{VIS_NETWORK_VERSION}", ".css", _CSS),
    "renderer": ("network", ".js", _JS),
    "colours": ("farver", ".css", _CSS),
}


@dataclass(frozen=True, slots=True)
class _Asset:
    """One file as served: its bytes, their gzip, a hash of the bytes, the media type."""

    body: bytes
    gzipped: bytes
    digest: str
    media_type: str


def _source(name: str) -> bytes:
    if name == "colours":
        return _colour_css().encode("utf-8")
    if name in ("stafet_css", "stafet_js"):
        return (STATIC_DIR / ("stafet" + _FILES[name][1])).read_bytes()
    return network_asset_files()[name].read_bytes()


@cache
def _asset(name: str) -> _Asset:
    body = _source(name)
    return _Asset(
        body=body,
        gzipped=gzip.compress(body, compresslevel=9, mtime=0),
        digest=hashlib.sha256(body).hexdigest()[:10],
        media_type=_FILES[name][2],
    )


def _hashed_name(name: str) -> str:
    stem, suffix, _ = _FILES[name]
    return f"{stem}.{_asset(name).digest}{suffix}"


class _HashedAddresses(Mapping[str, str]):
    """``ASSETS["vis_js"]``: the content-hash address of an asset, hashed on first use."""

    def __getitem__(self, name: str) -> str:
        if name not in _FILES:
            raise KeyError(name)
        return "/assets/" + _hashed_name(name)

    def __iter__(self) -> Iterator[str]:
        return iter(_FILES)

    def __len__(self) -> int:
        return len(_FILES)


#: The addresses the templates use (every template has them as ``assets``).
ASSETS: Mapping[str, str] = _HashedAddresses()
templates.env.globals["assets"] = ASSETS


@cache
def _by_address() -> dict[str, str]:
    return {_hashed_name(name): name for name in _FILES}


def asset_body(name: str) -> bytes:
    """The bytes an asset is served with (``"stafet_css"``, ``"vis_js"``, …).

    >>> b"vis-network" in asset_body("vis_js")[:400]
    True
    """
    return _asset(name).body


def _plain(path: Path, media_type: str) -> Response:
    return FileResponse(path, media_type=media_type, headers=_HEADERS)


@router.get(PLAIN_ASSETS["vis_js"])
def vis_network_script() -> Response:
    return _plain(network_asset_files()["vis_js"], _JS)


@router.get(PLAIN_ASSETS["vis_css"])
def vis_network_stylesheet() -> Response:
    return _plain(network_asset_files()["vis_css"], _CSS)


@router.get(PLAIN_ASSETS["renderer"])
def network_renderer() -> Response:
    return _plain(network_asset_files()["renderer"], _JS)


@router.get(PLAIN_ASSETS["colours"])
def colours() -> Response:
    return Response(_colour_css(), media_type=_CSS, headers=_HEADERS)


# Declared after the plain addresses, so that they are matched first.
@router.get("/assets/{filename}")
def hashed_asset(filename: str, request: Request) -> Response:
    """A file by its content-hash address: cached for a year, gzipped where accepted."""
    name = _by_address().get(filename)
    if name is None:
        raise HTTPException(404, "Filen findes ikke (en ældre udgave?). Genindlæs siden.")
    asset = _asset(name)
    etag = f'"{asset.digest}"'
    headers = {
        "Cache-Control": _IMMUTABLE,
        "ETag": etag,
        "Vary": "Accept-Encoding",
        "X-Content-Type-Options": "nosniff",
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(asset.gzipped, media_type=asset.media_type, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


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
