"""``Link: rel="alternate"`` headers: every resource page names its machine twins."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request

from graph.questions.resources import KINDS

__all__ = ["TWIN_TYPES", "resource_links"]

#: Suffix of each twin of ``/id/{kind}/{id}`` and its media type ("" is the page itself).
TWIN_TYPES = {
    "": "text/html",
    ".jsonld": "application/ld+json",
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
}


def resource_links(request: Request, kind: str, ident: str) -> str:
    """The Link header value naming every representation of ``kind/ident``."""
    base = str(request.base_url).rstrip("/")
    path = f"{quote(kind, safe='')}/{quote(ident, safe='')}"
    links = [
        f'<{base}/id/{path}{suffix}>; rel="alternate"; type="{media_type}"'
        for suffix, media_type in TWIN_TYPES.items()
    ]
    if kind in KINDS:
        api_url = f"{base}/api/v1/{quote(kind, safe='')}s/{quote(ident, safe='')}"
        links.append(f'<{api_url}>; rel="alternate"; type="application/json"')
    return ", ".join(links)
