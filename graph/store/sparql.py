"""A store of record behind any SPARQL 1.1 Query/Update endpoint (Oxigraph server, Fuseki,
GraphDB, Virtuoso): what several app instances share."""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from typing import Any

import pyoxigraph as oxigraph
from rdflib.term import Node

from graph.store.backend import DATA_GRAPH, Store, StoreError, rows_from_oxigraph

__all__ = ["SparqlStore"]

#: Triples per INSERT DATA request when loading the seed.
_CHUNK = 20_000


class SparqlStore(Store):
    """The SPARQL 1.1 protocol over HTTP: queries to ``url``, updates to ``update_url``."""

    def __init__(
        self,
        url: str,
        *,
        update_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.url = url
        self.update_url = update_url or url
        self.timeout = timeout
        self._headers: dict[str, str] = {}
        if user is not None:
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
            self._headers["Authorization"] = f"Basic {token}"

    def _post(self, url: str, body: bytes, content_type: str, accept: str) -> bytes:
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={**self._headers, "Content-Type": content_type, "Accept": accept},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data: bytes = response.read()
                return data
        except urllib.error.HTTPError as exc:
            detail = exc.read(2000).decode("utf-8", "replace")
            raise StoreError(f"registret svarede {exc.code}: {detail.strip()}") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise StoreError(f"registret på {url} kan ikke nås: {exc}") from exc

    def select(self, query: str) -> list[dict[str, Node]]:
        body = self._post(
            self.url,
            query.encode("utf-8"),
            "application/sparql-query",
            "application/sparql-results+json",
        )
        solutions = oxigraph.parse_query_results(body, format=oxigraph.QueryResultsFormat.JSON)
        if not isinstance(solutions, oxigraph.QuerySolutions):
            raise StoreError("registret svarede ikke med rækker på en SELECT")
        return rows_from_oxigraph(solutions)

    def update(self, text: str) -> None:
        self._post(self.update_url, text.encode("utf-8"), "application/sparql-update", "*/*")

    def data_quads(self) -> Iterator[Any]:
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{DATA_GRAPH}> {{ ?s ?p ?o }} }}"
        body = self._post(
            self.url, query.encode("utf-8"), "application/sparql-query", "application/n-triples"
        )
        yield from oxigraph.parse(input=body, format=oxigraph.RdfFormat.N_TRIPLES)

    def load(self, quads: Sequence[Any]) -> None:
        by_graph: dict[str, list[str]] = {}
        for quad in quads:
            line = f"{quad.subject} {quad.predicate} {quad.object} ."
            by_graph.setdefault(str(quad.graph_name), []).append(line)
        for graph, lines in by_graph.items():
            for start in range(0, len(lines), _CHUNK):
                body = "\n".join(lines[start : start + _CHUNK])
                self.update(f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}")
