"""Check, evaluate and serialise one SPARQL query against the Oxigraph store.

Runs inside a forked child of the worker (see :mod:`api.sparql.worker`); every refusal or
failure becomes a problem header for the API to turn into problem+json.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Any

import pyoxigraph as ox

from api.negotiation import choose_media_type
from api.sparql import results
from api.sparql.guard import QueryRefused, QuerySyntaxError, inspect_query, normalise_query
from api.sparql.protocol import problem_header

__all__ = ["Limits", "evaluate", "killed_message", "memory_message", "timeout_message"]

ID_KINDS = ("unit", "task", "law", "forum", "participation", "contact", "post", "membership")


@dataclass(frozen=True, slots=True)
class Limits:
    """The worker's settings: limits, and the JSON-LD context of the app."""

    timeout: float
    max_rows: int
    max_triples: int
    memory_bytes: int
    max_children: int
    context: dict[str, str]

    @property
    def prefixes(self) -> dict[str, str]:
        found = dict(self.context)
        found.update({kind: f"https://stafet.kk.dk/id/{kind}/" for kind in ID_KINDS})
        return found


def evaluate(
    request: dict[str, Any], store: ox.Store, limits: Limits
) -> tuple[dict[str, Any], bytes]:
    """Check, run and serialise one query; every refusal is a problem header."""
    text, accept = request.get("query"), request.get("accept")
    if not isinstance(text, str) or not (accept is None or isinstance(accept, str)):
        return problem_header("bad-request", "Forespørgslen mangler."), b""
    text = normalise_query(text)  # the guard and Oxigraph read this same text
    try:
        form = inspect_query(text)
    except QueryRefused as exc:
        return problem_header("sparql-forbidden", str(exc)), b""
    except QuerySyntaxError as exc:
        return problem_header("sparql-syntax", str(exc)), b""
    offers = {"SELECT": results.SOLUTION_TYPES, "ASK": results.BOOLEAN_TYPES}.get(
        form, results.GRAPH_TYPES
    )
    media_type = choose_media_type(accept, offers)
    if media_type is None:
        detail = f"Et {form}-svar kan leveres som {', '.join(offers)}; ret Accept-headeren."
        return problem_header("not-acceptable", detail), b""
    try:
        answer = store.query(text)
        body = _serialise(form, answer, media_type, limits, str(request.get("context_url", "")))
    except SyntaxError as exc:
        return problem_header("sparql-syntax", f"Ugyldig SPARQL: {exc}"), b""
    except TooLarge as exc:
        return problem_header("sparql-too-large", str(exc)), b""
    except MemoryError:
        return problem_header("sparql-too-large", memory_message(limits)), b""
    except (OSError, RuntimeError, ValueError) as exc:
        return problem_header(
            "bad-request", f"Forespørgslen fejlede under evalueringen: {exc}"
        ), b""
    header = {"status": 200, "media_type": results.content_type(media_type), "length": len(body)}
    return header, body


class TooLarge(Exception):
    pass


def _serialise(form: str, answer: Any, media_type: str, limits: Limits, context_url: str) -> bytes:
    if form == "ASK":
        return results.write_boolean(bool(answer), media_type)
    if form == "SELECT":
        variables = [v.value for v in answer.variables]
        rows = [list(row) for row in islice(answer, limits.max_rows + 1)]
        if len(rows) > limits.max_rows:
            raise TooLarge(
                f"Resultatet har mere end {limits.max_rows} rækker. Tilføj LIMIT (og OFFSET "
                "for at bladre), eller gør mønsteret mere specifikt."
            )
        return results.write_solutions(variables, rows, media_type)
    triples = list(islice(answer, limits.max_triples + 1))
    if len(triples) > limits.max_triples:
        raise TooLarge(
            f"Resultatet har mere end {limits.max_triples} tripler. Tilføj LIMIT, eller "
            "beskriv færre ressourcer."
        )
    return results.write_graph(
        triples,
        media_type,
        context=limits.context,
        prefixes=limits.prefixes,
        context_url=context_url,
    )


def memory_message(limits: Limits) -> str:
    return (
        f"Forespørgslen brugte mere end {limits.memory_bytes // 2**20} MiB hukommelse og blev "
        "stoppet. Gør den mere selektiv, fx med LIMIT eller et mere specifikt mønster."
    )


def killed_message(signal_name: str) -> str:
    return (
        f"Forespørgslens proces blev stoppet udefra ({signal_name}), før den var færdig. "
        "Prøv igen; sker det igen, så gør forespørgslen mere selektiv."
    )


def timeout_message(limits: Limits) -> str:
    return (
        f"Forespørgslen blev stoppet efter {limits.timeout:g} sekunder. Gør den mere selektiv, "
        "fx med LIMIT, færre variable eller et mere specifikt mønster."
    )
