"""Read a SPARQL query with rdflib before anything evaluates it, and refuse what is unsafe.

Refused: updates (INSERT, DELETE, LOAD, CLEAR, DROP …), ``SERVICE`` anywhere (also nested
in OPTIONAL, UNION, sub-queries or FILTER EXISTS), and ``FROM`` / ``FROM NAMED``: each of
them makes an engine write, or fetch a URL or a file. rdflib expands ``\\u`` escapes
before parsing, so ``SERV\\u0049CE`` is seen as ``SERVICE``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import rdflib.plugins.sparql
from pyparsing import ParseBaseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

__all__ = ["QueryRefused", "QuerySyntaxError", "inspect_query"]

# Never let rdflib load a FROM graph, should anything evaluate a query with it.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


class QuerySyntaxError(ValueError):
    """The text is not a SPARQL 1.1 query."""


class QueryRefused(ValueError):
    """A well-formed query that this read-only endpoint will not run."""


def inspect_query(text: str) -> str:
    """Return the query form (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``) of a safe query.

    Raises
    ------
    QuerySyntaxError
        If rdflib cannot parse the text as a query.
    QueryRefused
        For an update, ``SERVICE`` or a dataset clause (``FROM``, ``FROM NAMED``).

    Examples
    --------
    >>> inspect_query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    'SELECT'
    >>> inspect_query("SELECT * { OPTIONAL { SERVICE <http://x/> {} } }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    api.sparql.guard.QueryRefused: SERVICE er ikke tilladt: ...
    """
    if not text.strip():
        raise QuerySyntaxError(
            "Forespørgslen er tom: skriv en SELECT, ASK, CONSTRUCT eller DESCRIBE."
        )
    try:
        parsed = parseQuery(text)
    except ParseBaseException as exc:
        if _is_update(text):
            raise QueryRefused(
                "SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP …) er ikke tilladt: "
                "endpointet er skrivebeskyttet."
            ) from None
        raise QuerySyntaxError(
            f"Ugyldig SPARQL i linje {exc.lineno}, kolonne {exc.col}: {exc.msg}."
        ) from None
    except Exception as exc:  # rdflib raises plain exceptions for some bad input
        raise QuerySyntaxError(f"Ugyldig SPARQL: {exc}") from None
    names = set(_names(parsed))
    if "ServiceGraphPattern" in names:
        raise QueryRefused(
            "SERVICE er ikke tilladt: endpointet henter ikke data fra andre tjenester."
        )
    if "DatasetClause" in names:
        raise QueryRefused(
            "FROM og FROM NAMED er ikke tilladt: forespørgsler går altid mod Stafets egne data."
        )
    try:
        algebra = translateQuery(parsed)
    except Exception as exc:
        raise QuerySyntaxError(f"Ugyldig SPARQL: {exc}") from None
    if "ServiceGraphPattern" in set(_names(algebra.algebra)):  # belt and braces
        raise QueryRefused("SERVICE er ikke tilladt.")
    return FORMS.get(parsed[1].name, "SELECT")


def _is_update(text: str) -> bool:
    try:
        update = parseUpdate(text)
    except Exception:
        return False
    return "request" in update


def _names(node: Any, depth: int = 0) -> Iterator[str]:
    """Every CompValue name in a parse tree or algebra, however deeply nested."""
    if depth > 500:  # deeper than any real query; refuse rather than recurse forever
        raise QuerySyntaxError("Forespørgslen er for dybt indlejret.")
    if isinstance(node, CompValue):
        yield node.name
        for value in node.values():
            yield from _names(value, depth + 1)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _names(value, depth + 1)
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _names(value, depth + 1)
