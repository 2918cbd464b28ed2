"""Read a SPARQL query with rdflib before anything evaluates it, and refuse what is unsafe.

Refused: updates (INSERT, DELETE, LOAD, CLEAR, DROP …), ``SERVICE`` anywhere (also nested
in OPTIONAL, UNION, sub-queries or FILTER EXISTS), and ``FROM`` / ``FROM NAMED``: each of
them makes an engine write, or fetch a URL or a file. rdflib expands ``\\u`` escapes
before parsing, so ``SERV\\u0049CE`` is seen as ``SERVICE``.

The guard and the engine must read the same query: Oxigraph ends a ``#`` comment at a bare
carriage return, rdflib only at a line feed. :func:`normalise_query` turns every CR and
CRLF into LF, and :func:`inspect_query` refuses any other control character or Unicode
line separator, so no character is a line end to one parser and not to the other. The
worker evaluates exactly the text it checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import rdflib.plugins.sparql
from pyparsing import ParseBaseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

__all__ = ["QueryRefused", "QuerySyntaxError", "inspect_query", "normalise_query"]

# Never let rdflib load a FROM graph, should anything evaluate a query with it.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

# Control characters but tab and line feed, and Unicode's own line and paragraph separators.
_UNSAFE_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# A \u or \U escape of one of them: rdflib expands escapes before parsing, Oxigraph not.
_UNSAFE_ESCAPE = re.compile(
    r"\\(?:u(?:00[01][0-9a-f]|007f|008[0-9a-f]|009[0-9a-f]|202[89])"
    r"|U0000(?:00[01][0-9a-f]|007f|008[0-9a-f]|009[0-9a-f]|202[89]))",
    re.IGNORECASE,
)
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


def normalise_query(text: str) -> str:
    r"""The query with every line end a line feed: the text both the guard and engine read.

    Examples
    --------
    >>> normalise_query("SELECT *\r\nWHERE { # x\rSERVICE <http://x/> {} }")
    'SELECT *\nWHERE { # x\nSERVICE <http://x/> {} }'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def inspect_query(text: str) -> str:
    r"""Return the query form (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``) of a safe query.

    ``text`` must already be normalised (:func:`normalise_query`): a carriage return, any
    other control character but tab and line feed, or a Unicode line separator is refused,
    written as itself or as a ``\u`` escape.

    Raises
    ------
    QuerySyntaxError
        If rdflib cannot parse the text as a query.
    QueryRefused
        For an update, ``SERVICE``, a dataset clause (``FROM``, ``FROM NAMED``) or a
        character the two parsers might read differently.

    Examples
    --------
    >>> inspect_query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    'SELECT'
    >>> inspect_query("SELECT * { OPTIONAL { SERVICE <http://x/> {} } }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    api.sparql.guard.QueryRefused: SERVICE er ikke tilladt: ...
    >>> inspect_query("SELECT * WHERE { # x\rSERVICE <http://x/> {}\n}")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    api.sparql.guard.QueryRefused: Forespørgslen indeholder et kontroltegn ...
    """
    unsafe = _UNSAFE_CHARACTER.search(text) or _UNSAFE_ESCAPE.search(text)
    if unsafe:
        raise QueryRefused(
            f"Forespørgslen indeholder et kontroltegn ({unsafe.group()!r} ved tegn "
            f"{unsafe.start() + 1}); brug kun mellemrum, tabulator og linjeskift."
        )
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
