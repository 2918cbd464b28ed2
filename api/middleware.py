"""The app's plain-ASGI middleware: security headers, HEAD, gzip, public address, body size.

Plain ASGI rather than ``BaseHTTPMiddleware`` so that they also guard streamed bodies and
cost little per request. :func:`install_middleware` adds them in their one right order.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem_response
from api.settings import Settings

__all__ = [
    "CSP",
    "GZIP_MINIMUM_BYTES",
    "SECURITY_HEADERS",
    "BodySizeLimit",
    "HeadAsGet",
    "PublicAddress",
    "SecurityHeaders",
    "install_middleware",
]

#: Nothing may load from outside the app: scripts, styles, images, fetches, forms, frames.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
#: Sent with every response, HTML or not (a JSON or Turtle body is never run as a page).
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}
# The same, as the raw header list a response start carries (built once, not per response).
_RAW_SECURITY_HEADERS = [
    (k.encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()
]
_SECURITY_NAMES = frozenset(name for name, _ in _RAW_SECURITY_HEADERS)
#: Responses smaller than this go uncompressed (gzip would save too little).
GZIP_MINIMUM_BYTES = 1024
# What RFC 3986 allows in a query, besides letters and digits; everything else is escaped.
_QUERY_SAFE = "-._~!$&'()*+,;=:@/?%"


def install_middleware(app: FastAPI, settings: Settings) -> None:
    """Add every middleware to ``app``, innermost first.

    The host is checked before it is replaced by the configured one; CORS preflights are
    answered before that (they carry no URL); HEAD and the security headers wrap it all.
    """
    add_middleware = app.add_middleware
    add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        paths={  # a route that takes a spreadsheet: its limit, + the multipart framing
            path: settings.import_max_bytes + 10_000 for path in ("/api/v1/import", "/import")
        },
    )
    add_middleware(PublicAddress, base_url=settings.base_url)
    add_middleware(TrustedHostMiddleware, allowed_hosts=settings.trusted_hosts)
    if settings.cors_origins:
        add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type"],
            expose_headers=["Link"],
        )
    # Text over 1 KB goes gzipped to a client that accepts it (pages, JSON, Turtle,
    # problem+json); the hashed assets come already gzipped and pass through unchanged.
    add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES, compresslevel=6)
    add_middleware(HeadAsGet)
    add_middleware(SecurityHeaders)


class SecurityHeaders:
    """Set :data:`SECURITY_HEADERS` on every response, whoever built it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", ()) if h[0] not in _SECURITY_NAMES]
                message["headers"] = headers + _RAW_SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """Answer ``HEAD`` as the ``GET`` of the same URL would, without the body.

    One place for every route, so the OpenAPI document does not list each operation twice.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)


class PublicAddress:
    """Make every absolute URL the app builds start with ``base_url``, never the Host header.

    ``request.base_url``, ``url_for`` and redirects read the scheme and the ``host``
    header from the scope: they are set here from the configured address. The
    raw query string is escaped to what RFC 3986 allows, so a ``>`` or ``"`` a client sent
    can never end a URL that a page copies into a ``Link`` header.
    """

    def __init__(self, app: ASGIApp, base_url: str) -> None:
        self.app = app
        parts = urlsplit(base_url)
        self.scheme = parts.scheme
        self.host = parts.netloc.encode("latin-1")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        self.server = (parts.hostname or "", port)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"] if k != b"host"]
        headers.append((b"host", self.host))
        query = quote(scope.get("query_string", b""), safe=_QUERY_SAFE).encode("ascii")
        scope = {
            **scope,
            "scheme": self.scheme,
            "server": self.server,
            "headers": headers,
            "query_string": query,
        }
        await self.app(scope, receive, send)


class BodySizeLimit:
    """Answer 413 problem+json when a body is, or turns out to be, larger than ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int, paths: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.paths = paths or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope.get("path") in self.paths:  # a route that takes files has its own limit
            await BodySizeLimit(self.app, self.paths[scope["path"]])(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            response = problem_response(
                "payload-too-large", self._detail(), instance=scope.get("path")
            )
            await response(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Raised inside the route's body read; the error handlers make it 413.
                    raise HTTPException(413, self._detail())
            return message

        await self.app(scope, limited_receive, send)

    def _detail(self) -> str:
        return f"Forespørgslens krop må højst være {self.max_bytes} bytes."
