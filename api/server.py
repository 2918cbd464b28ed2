"""Start the web server: uvicorn with bounded request headers and a header-read deadline.

``stafet serve`` (and so ``make run``) calls :func:`serve`. uvicorn's default parser
(httptools) accepts request headers of any size and waits for them forever; h11 refuses
headers over a size (``h11_max_incomplete_event_size``) but has no deadline either.
:class:`GuardedH11Protocol` adds one: a connection that has not sent its request line and
headers within ``header_timeout`` seconds, from when it opened or from its first byte of a
later request, is closed.

Run as ``python -m api.server --host 127.0.0.1 --port 8000`` (what the tests start).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.main import create_app
from api.settings import Settings

__all__ = ["GuardedH11Protocol", "serve", "server_config"]

log = logging.getLogger("stafet.api")


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose headers take too long."""

    header_timeout = 10.0  # set per server by :func:`server_config`

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._watch_headers(started=True)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch_headers(started=bool(data))

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_watch()
        super().connection_lost(exc)

    def _watch_headers(self, *, started: bool) -> None:
        """Arm the deadline while a request's headers are awaited, disarm it once read."""
        reading = self.conn.their_state is h11.IDLE and not self.transport.is_closing()
        if not reading:
            self._stop_watch()
        elif started and self._header_deadline is None:
            self._header_deadline = self.loop.call_later(
                self.header_timeout, self._headers_too_slow
            )

    def _stop_watch(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def server_config(settings: Settings, host: str, port: int) -> uvicorn.Config:
    """The uvicorn configuration :func:`serve` runs (also what the tests start).

    Examples
    --------
    >>> config = server_config(Settings(sparql_enabled=False), "127.0.0.1", 8000)
    >>> config.h11_max_incomplete_event_size, config.proxy_headers
    (32768, False)
    """
    protocol = type(
        "ServerProtocol", (GuardedH11Protocol,), {"header_timeout": settings.header_timeout}
    )
    forwarded = settings.forwarded_allow_ips
    return uvicorn.Config(
        create_app(settings),
        host=host,
        port=port,
        http=protocol,
        h11_max_incomplete_event_size=settings.max_header_bytes,
        timeout_keep_alive=5,
        # Trust X-Forwarded-For only from the proxies named: otherwise anyone could pick
        # the address that the SPARQL fair share counts them under.
        proxy_headers=bool(forwarded),
        forwarded_allow_ips=forwarded or None,
        server_header=False,
    )


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the app until stopped; the base URL follows ``host``/``port`` unless set."""
    if "base_url" not in settings.model_fields_set:
        if host in ("0.0.0.0", "::"):  # every interface: only the operator knows the name
            log.warning("Sæt STAFET_BASE_URL til den offentlige adresse; bruger localhost")
            host_in_url = "127.0.0.1"
        else:
            host_in_url = f"[{host}]" if ":" in host else host
        settings = settings.model_copy(update={"base_url": f"http://{host_in_url}:{port}"})
    uvicorn.Server(server_config(settings, host, port)).run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Start Stafets webserver.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    serve(Settings(), args.host, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
