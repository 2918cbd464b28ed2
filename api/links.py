"""``Link: rel="alternate"`` headers: every resource page names its machine twins.

Everything put into a header is encoded here: a URL can never carry a ``>``, a quote, a
space or a line break that would end it (the query string a client sent is escaped the
same way on arrival, by :class:`api.middleware.PublicAddress`).
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request

from graph.questions.resources import KINDS

__all__ = ["TWIN_TYPES", "header_url", "link", "resource_links"]

#: Suffix of each twin of ``/id/{kind}/{id}`` and its media type ("" is the page itself).
TWIN_TYPES = {
    "": "text/html",
    ".jsonld": "application/ld+json",
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
}
# Characters a URL in a header keeps as they are (RFC 3986's reserved and unreserved ones,
# and ``%`` so that what is already escaped stays so); all else is percent-encoded.
_URL_SAFE = "-._~:/?#[]@!$&'()*+,;=%"


def header_url(url: str) -> str:
    """``url`` with every character that could end it in a header percent-encoded.

    Examples
    --------
    >>> header_url('http://testserver/?q=x>;rel=stylesheet,<https://evil.example/"')
    'http://testserver/?q=x%3E;rel=stylesheet,%3Chttps://evil.example/%22'
    """
    return quote(url, safe=_URL_SAFE)


def link(url: str, media_type: str, rel: str = "alternate") -> str:
    """One ``Link`` header entry.

    Examples
    --------
    >>> link("http://testserver/id/unit/bif.ttl", "text/turtle")
    '<http://testserver/id/unit/bif.ttl>; rel="alternate"; type="text/turtle"'
    """
    return f'<{header_url(url)}>; rel="{rel}"; type="{media_type}"'


def resource_links(request: Request, kind: str, ident: str) -> str:
    """The Link header value naming every representation of ``kind/ident``."""
    base = str(request.base_url).rstrip("/")
    path = f"{quote(kind, safe='')}/{quote(ident, safe='')}"
    links = [
        link(f"{base}/id/{path}{suffix}", media_type) for suffix, media_type in TWIN_TYPES.items()
    ]
    if kind in KINDS:
        api_url = f"{base}/api/v1/{quote(kind, safe='')}s/{quote(ident, safe='')}"
        links.append(link(api_url, "application/json"))
    return ", ".join(links)
