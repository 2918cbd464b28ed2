"""One writer for many instances: forward every write to the instance that commits.

Several app instances may read one shared store, but a store without a write-conflict
check (Oxigraph 0.5 runs concurrent updates each on its own snapshot) can let two
instances' guarded commits both succeed. So a deployment names one writer
(``STAFET_WRITER_URL``): the other instances send it every request that may write —
any ``POST``, ``PUT``, ``PATCH`` or ``DELETE`` except the read-only SPARQL query — and
pass its answer back unchanged. The writer checks the caller's token, the ``If-Match``
and the rules as for its own callers, and commits one change at a time.

After a forwarded write succeeds, this instance follows the store before it answers, so
the caller's next read here already shows the change.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from api.problems import problem_response

__all__ = ["FORWARDED_HEADER", "WriteForwarding", "forwards"]

log = logging.getLogger("stafet.api")

#: Set on a forwarded request: the writer refuses to forward it again (no loops).
FORWARDED_HEADER = "x-stafet-forwarded"
#: Requests with these methods may write.
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Posts that never write: answered by this instance.
_READ_ONLY_POSTS = frozenset({"/sparql", "/api/v1/sparql"})
#: Headers that belong to one connection, never forwarded either way.
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)
#: A write (an import of a large workbook included) may take this long at the writer.
_TIMEOUT = httpx.Timeout(120.0, connect=5.0)


def forwards(method: str, path: str) -> bool:
    """Whether a request is sent to the writer instance.

    Examples
    --------
    >>> forwards("POST", "/api/v1/responsibilities")
    True
    >>> forwards("GET", "/api/v1/who")
    False
    >>> forwards("POST", "/sparql")
    False
    """
    return method in _WRITE_METHODS and path not in _READ_ONLY_POSTS


class WriteForwarding:
    """ASGI middleware: send writes to ``writer_url``, answer everything else here."""

    def __init__(self, app: ASGIApp, writer_url: str) -> None:
        self.app = app
        self.writer_url = writer_url.rstrip("/")
        self.client = httpx.AsyncClient(timeout=_TIMEOUT, follow_redirects=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not forwards(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        if any(name.lower() == FORWARDED_HEADER for name, _ in headers):
            response = problem_response(
                "unavailable",
                "Ændringen blev ikke gemt: den instans, den blev sendt til, sender selv "
                "ændringer videre. Hver instans skal have samme skriveinstans "
                "(STAFET_WRITER_URL), og skriveinstansen selv ingen.",
            )
            await response(scope, receive, send)
            return
        try:
            answer = await self._forward(scope, receive, headers)
        except httpx.TimeoutException:
            await self._unavailable(
                scope,
                receive,
                send,
                "Det er uvist, om ændringen blev gemt: skriveinstansen svarede ikke i tide. "
                "Se ændringsloggen (/api/v1/changes), før du prøver igen.",
            )
            return
        except httpx.HTTPError as exc:
            log.warning("Skriveinstansen %s svarer ikke: %s", self.writer_url, exc)
            await self._unavailable(
                scope,
                receive,
                send,
                "Ændringen blev ikke gemt: skriveinstansen svarer ikke. Intet er ændret; "
                "prøv igen om lidt.",
            )
            return
        if answer.status_code < 400:
            await _follow(scope)
        await send(
            {
                "type": "http.response.start",
                "status": answer.status_code,
                "headers": [
                    (name.encode("latin-1"), value.encode("latin-1"))
                    for name, value in answer.headers.multi_items()
                    if name.lower() not in _HOP_BY_HOP and name.lower() != "content-encoding"
                ]
                + [(b"content-length", str(len(answer.content)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": answer.content})

    async def _forward(
        self, scope: Scope, receive: Receive, headers: list[tuple[str, str]]
    ) -> httpx.Response:
        sent = [(name, value) for name, value in headers if name.lower() not in _HOP_BY_HOP]
        sent.append((FORWARDED_HEADER, "1"))
        client = scope.get("client")
        if client:
            sent.append(("x-forwarded-for", str(client[0])))
        url = self.writer_url + scope.get("root_path", "") + scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        request = self.client.build_request(
            scope["method"],
            url + ("?" + query if query else ""),
            headers=sent,
            content=_body(receive),
        )
        return await self.client.send(request)

    @staticmethod
    async def _unavailable(scope: Scope, receive: Receive, send: Send, detail: str) -> None:
        response = problem_response("unavailable", detail, headers={"Retry-After": "5"})
        await response(scope, receive, send)


async def _body(receive: Receive) -> AsyncIterator[bytes]:
    """The request body as it arrives (the limits in front of this middleware apply)."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


async def _follow(scope: Scope) -> None:
    """Bring this instance up to the store's head (read-your-writes); a failure is logged."""
    app = scope.get("app")
    runtime = getattr(getattr(app, "state", None), "runtime", None)
    if runtime is None:
        return
    try:
        await run_in_threadpool(runtime.follow)
    except Exception as exc:  # the poller retries; the write itself has succeeded
        log.warning("Registret kunne ikke følges efter en videresendt ændring: %s", exc)
