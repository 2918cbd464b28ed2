"""A per-snapshot cache of whole responses for the hot anonymous reads (issue 13).

Who handles a task (``/api/v1/who``) and a task's page (``/id/task/…``) are read far more
often than the graph changes, and their answer depends only on the request line, the
headers that choose the representation, the day (an answer with no date is for today) and
the compiled graph. :class:`ResponseCache` keeps the finished answer of such a request,
the body as it went out (gzipped when it was) with its status line headers, and answers
the same request again with those bytes, without routing, dependencies or rendering.

- **Invalidated by construction:** the cache belongs to one :class:`~graph.data.knowledge.
  Knowledge`; when the runtime holds another (an edit, another instance's change), the
  cache is emptied before anything is read from it.
- **Anonymous only:** a request with an ``Authorization`` header or a session cookie is
  never answered from the cache nor put into it (a signed-in page differs), and neither is
  a response that sets a cookie.
- **The snapshot's answers only:** a request naming ``recorded_as_of`` (an answer from
  the store's history) passes by.
- **Exact keys:** the method, path, query string and the raw ``Host``, ``Accept``,
  ``Accept-Encoding`` and ``Origin`` values; only a 200 JSON or HTML answer is kept.
- **Bounded:** the least recently used answer goes first, past :data:`MAX_ENTRIES` answers
  or :data:`MAX_BYTES` bytes.
- **Conditional requests:** each kept answer has a strong ``ETag`` (of its bytes); an
  ``If-None-Match`` naming it gets ``304 Not Modified``.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from datetime import date
from typing import NamedTuple

from starlette.datastructures import State
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import SESSION_COOKIE

__all__ = ["MAX_BYTES", "MAX_ENTRIES", "CachedResponse", "ResponseCache", "cacheable_path"]

#: The most answers one worker keeps.
MAX_ENTRIES = 512
#: The most body bytes one worker keeps.
MAX_BYTES = 32 * 1024 * 1024
#: The request headers that choose the representation, in the key as sent.
_KEY_HEADERS = (b"host", b"accept", b"accept-encoding", b"origin")
#: The media types kept: the who-answer (JSON) and the page (HTML), not the RDF twins.
_KEPT_TYPES = (b"application/json", b"text/html")
# Headers a 304 repeats (RFC 9110 15.4.5).
_NOT_MODIFIED_HEADERS = (b"etag", b"vary", b"cache-control", b"content-location", b"link")
_SESSION = SESSION_COOKIE.encode("latin-1") + b"="
# An answer from the store's history (api.history) is read from the store, not the snapshot.
_RECORDED = b"recorded_as_of"


class CachedResponse(NamedTuple):
    """One kept answer: its status line headers (with the ETag) and its body as sent."""

    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


def cacheable_path(path: str) -> bool:
    """Is ``path`` one of the hot read routes whose anonymous answers are kept?

    Examples
    --------
    >>> cacheable_path("/api/v1/who"), cacheable_path("/id/task/kle-32.03.16")
    (True, True)
    >>> cacheable_path("/api/v1/referral"), cacheable_path("/id/unit/kk")
    (False, False)
    """
    return path == "/api/v1/who" or path.startswith("/id/task/")


def _anonymous(headers: list[tuple[bytes, bytes]]) -> bool:
    for name, value in headers:
        if name == b"authorization" or (name == b"cookie" and _SESSION in value):
            return False
    return True


def _key(scope: Scope) -> tuple[object, ...]:
    found = dict.fromkeys(_KEY_HEADERS, b"")
    for name, value in scope["headers"]:
        if name in found and not found[name]:
            found[name] = value
    return (
        scope["path"],
        scope.get("query_string", b""),
        date.today().toordinal(),  # an answer without a date is today's
        *found.values(),
    )


def _keeps(message: Message) -> bool:
    """May the response that ``message`` starts be kept?"""
    if message["status"] != 200:
        return False
    kept = False
    for name, value in message.get("headers", ()):
        if name == b"set-cookie":
            return False
        if name == b"content-type":
            kept = value.split(b";", 1)[0].strip() in _KEPT_TYPES
    return kept


class ResponseCache:
    """Answer repeated anonymous reads of :func:`cacheable_path` routes from kept bytes.

    ``state`` is the app's state: its ``runtime.knowledge`` is the snapshot the kept
    answers belong to (nothing is kept before the runtime is loaded).
    """

    def __init__(
        self,
        app: ASGIApp,
        state: State,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.app = app
        self.state = state
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple[object, ...], CachedResponse] = OrderedDict()
        self.size = 0
        self.snapshot: object = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not cacheable_path(scope["path"])
            or not _anonymous(scope["headers"])
            or _RECORDED in scope.get("query_string", b"")
        ):
            await self.app(scope, receive, send)
            return
        runtime = getattr(self.state, "runtime", None)
        if runtime is None:
            await self.app(scope, receive, send)
            return
        knowledge = runtime.knowledge
        if knowledge is not self.snapshot:  # another graph: nothing kept is true of it
            self.clear()
            self.snapshot = knowledge
        key = _key(scope)
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
            await _answer(scope, send, found)
            return
        await self.app(scope, receive, self._keeping(key, knowledge, send))

    def clear(self) -> None:
        """Forget every kept answer."""
        self.entries.clear()
        self.size = 0

    def _keeping(self, key: tuple[object, ...], knowledge: object, send: Send) -> Send:
        """A ``send`` that passes the response on, and keeps it if it may be kept."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def send_and_keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if not _keeps(message):
                    await send(message)
                    return
                start = message  # held until the body is whole: the ETag is of it
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            etag = b'"' + hashlib.blake2b(body, digest_size=16).hexdigest().encode() + b'"'
            headers = [*start.get("headers", ()), (b"etag", etag)]
            self._keep(key, knowledge, CachedResponse(headers, body, etag))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body, "more_body": False})

        return send_and_keep

    def _keep(self, key: tuple[object, ...], knowledge: object, response: CachedResponse) -> None:
        if knowledge is not self.snapshot or len(response.body) > self.max_bytes // 4:
            return  # the graph changed while it was answered, or one answer is too big
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
        self.entries[key] = response
        self.size += len(response.body)
        while len(self.entries) > self.max_entries or self.size > self.max_bytes:
            _, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped.body)


async def _answer(scope: Scope, send: Send, response: CachedResponse) -> None:
    if _matches(scope["headers"], response.etag):
        headers = [(n, v) for n, v in response.headers if n in _NOT_MODIFIED_HEADERS]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return
    await send({"type": "http.response.start", "status": 200, "headers": response.headers})
    await send({"type": "http.response.body", "body": response.body, "more_body": False})


def _matches(headers: list[tuple[bytes, bytes]], etag: bytes) -> bool:
    """Does an ``If-None-Match`` among ``headers`` name ``etag`` (or ``*``)?"""
    for name, value in headers:
        if name == b"if-none-match":
            tags = {tag.strip().removeprefix(b"W/") for tag in value.split(b",")}
            if etag in tags or b"*" in tags:
                return True
    return False
