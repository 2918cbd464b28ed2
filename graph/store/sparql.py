"""A store of record behind any SPARQL 1.1 Query/Update endpoint (Oxigraph server, Fuseki,
GraphDB, Virtuoso): what several app instances share.

Only the SPARQL 1.1 protocol is used (queries and updates as POST bodies), so every engine
that speaks it will do. Every failure becomes a :class:`~graph.store.backend.StoreError` in
Danish that names the endpoint (never the password): unreachable, too slow, refused (401/403:
:class:`StoreAccessError`) or an answer that cannot be read.
"""

from __future__ import annotations

import base64
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from typing import Any

import pyoxigraph as oxigraph
from rdflib.term import Node

from graph.store.backend import DATA_GRAPH, Store, StoreError, rows_from_oxigraph

__all__ = ["SparqlStore", "StoreAccessError"]

#: Most triples, and most bytes, per ``INSERT DATA`` request when loading the seed.
_CHUNK_TRIPLES = 20_000
_CHUNK_BYTES = 4_000_000

#: RDF formats a CONSTRUCT answer may come in, by media type.
_RDF_FORMATS = {
    "application/n-triples": oxigraph.RdfFormat.N_TRIPLES,
    "text/plain": oxigraph.RdfFormat.N_TRIPLES,
    "text/turtle": oxigraph.RdfFormat.TURTLE,
    "application/n-quads": oxigraph.RdfFormat.N_QUADS,
}


class StoreAccessError(StoreError):
    """The endpoint refused the request (HTTP 401 or 403): wrong or missing credentials."""


class SparqlStore(Store):
    """The SPARQL 1.1 protocol over HTTP: queries to ``url``, updates to ``update_url``.

    Parameters
    ----------
    url, update_url
        The query and update endpoints (``update_url`` defaults to ``url``); http(s) only.
    user, password
        HTTP Basic credentials, sent with every request when ``user`` is given.
    timeout
        Seconds to wait for the endpoint to connect and answer, per request.

    Examples
    --------
    >>> SparqlStore("file:///etc/passwd")
    Traceback (most recent call last):
    ...
    graph.errors.InvalidInputError: registrets adresse skal være http(s): file:///etc/passwd
    >>> store = SparqlStore("http://127.0.0.1:9/query", timeout=2)
    >>> store.head()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.store.backend.StoreError: registret på http://127.0.0.1:9/query kan ikke nås: ...
    """

    def __init__(
        self,
        url: str,
        *,
        update_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.url = _checked(url)
        self.update_url = _checked(update_url or url)
        self.timeout = timeout
        # Oxigraph server (0.5) runs concurrent updates without a write-conflict check, so
        # this instance sends one update at a time; across instances see docs/architecture.md.
        self._writing = threading.Lock()
        self._headers: dict[str, str] = {"User-Agent": "stafet"}
        if user is not None:
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
            self._headers["Authorization"] = f"Basic {token}"

    def __repr__(self) -> str:
        return f"SparqlStore({self.url!r}, update_url={self.update_url!r})"

    def _post(self, url: str, body: bytes, content_type: str, accept: str) -> tuple[bytes, str]:
        """POST ``body``; the answer and its media type, or a Danish :class:`StoreError`."""
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={**self._headers, "Content-Type": content_type, "Accept": accept},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data: bytes = response.read()
                media = response.headers.get_content_type()
                return data, str(media)
        except urllib.error.HTTPError as exc:
            raise _refusal(url, exc) from exc
        except TimeoutError as exc:
            raise StoreError(
                f"registret på {url} svarede ikke inden for {self.timeout:g} sekunder"
            ) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise StoreError(
                    f"registret på {url} svarede ikke inden for {self.timeout:g} sekunder"
                ) from exc
            raise StoreError(f"registret på {url} kan ikke nås: {exc.reason}") from exc
        except (ConnectionError, OSError) as exc:
            raise StoreError(f"registret på {url} kan ikke nås: {exc}") from exc

    def select(self, query: str) -> list[dict[str, Node]]:
        body, _ = self._post(
            self.url,
            query.encode("utf-8"),
            "application/sparql-query",
            "application/sparql-results+json",
        )
        try:
            solutions = oxigraph.parse_query_results(body, format=oxigraph.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(
                f"registret på {self.url} svarede med ulæselige rækker: {exc}"
            ) from exc
        if not isinstance(solutions, oxigraph.QuerySolutions):
            raise StoreError(f"registret på {self.url} svarede ikke med rækker på en SELECT")
        return rows_from_oxigraph(solutions)

    def update(self, text: str) -> None:
        with self._writing:
            self._post(self.update_url, text.encode("utf-8"), "application/sparql-update", "*/*")

    def data_quads(self) -> Iterator[Any]:
        """The data graph by a plain SPARQL CONSTRUCT (one request, so one answer)."""
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{DATA_GRAPH}> {{ ?s ?p ?o }} }}"
        body, media = self._post(
            self.url,
            query.encode("utf-8"),
            "application/sparql-query",
            "application/n-triples, text/turtle;q=0.9",
        )
        rdf_format = _RDF_FORMATS.get(media)
        if rdf_format is None:
            raise StoreError(f"registret på {self.url} svarede i et ukendt format: {media}")
        try:
            quads = list(oxigraph.parse(input=body, format=rdf_format))
        except SyntaxError as exc:
            raise StoreError(f"registret på {self.url} svarede med ulæselig RDF: {exc}") from exc
        yield from quads

    def load(self, quads: Sequence[Any]) -> None:
        """Load in chunks, in order, each an ``INSERT DATA`` of at most a few MB."""
        for graph, body in _chunks(quads):
            self.update(f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}")


def _checked(url: str) -> str:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        from graph.errors import InvalidInputError

        raise InvalidInputError(f"registrets adresse skal være http(s): {url}")
    return url


def _refusal(url: str, exc: urllib.error.HTTPError) -> StoreError:
    detail = " ".join(exc.read(600).decode("utf-8", "replace").split())
    if exc.code == 401:
        return StoreAccessError(
            f"registret på {url} kræver login (401): angiv STAFET_STORE_USER og "
            "STAFET_STORE_PASSWORD, eller ret dem"
        )
    if exc.code == 403:
        return StoreAccessError(
            f"registret på {url} afviste brugeren (403): brugeren må ikke læse eller skrive her"
        )
    return StoreError(f"registret på {url} svarede {exc.code}: {detail or exc.reason}")


def _chunks(quads: Sequence[Any]) -> Iterator[tuple[str, str]]:
    """``(graph, N-Triples lines)`` in the quads' order, cut by count and by size."""
    graph: str | None = None
    lines: list[str] = []
    size = 0
    for item in quads:
        name = str(item.graph_name)
        line = f"{item.subject} {item.predicate} {item.object} ."
        if graph is not None and (
            name != graph or len(lines) >= _CHUNK_TRIPLES or size + len(line) > _CHUNK_BYTES
        ):
            yield graph, "\n".join(lines)
            lines, size = [], 0
        graph = name
        lines.append(line)
        size += len(line) + 1
    if graph is not None and lines:
        yield graph, "\n".join(lines)
