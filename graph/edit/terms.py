"""From an operation's ids, codes and text to RDF terms, checking each reference exists.

A reference that does not resolve (an unknown unit, task, law, role or source) is a field
error on the workspace, in Danish; the value is then ``None`` and the triple left out.
"""

from __future__ import annotations

import re
from datetime import date

from rdflib import Literal, Node, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, SKOS, XSD

from graph.edit.operations import AgeBand, FactStatus
from graph.edit.workspace import Workspace
from graph.store.backend import DATA_GRAPH
from graph.store.change import Triple
from ontology.namespaces import CPSV, ELI, FREQ, ID, MROLE, ROLE, STAFET, STATUS

__all__ = [
    "agent",
    "concept",
    "condition",
    "danish",
    "day",
    "is_url",
    "organization",
    "provenance",
    "reference",
    "text",
]

MAX_TEXT = 4000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

#: What a reference must be, and how to name it in a message.
_KINDS: dict[str, tuple[str, URIRef, str]] = {
    "task": ("task", CPSV.PublicService, "opgave"),
    "law": ("law", ELI.LegalResource, "lov eller bestemmelse"),
    "place": ("place", DCTERMS.Location, "sted"),
}


def text(ws: Workspace, field: str, value: str | None, *, required: bool = False) -> str | None:
    """Checked free text: stored verbatim, but never empty, huge or with control characters."""
    if value is None or not value.strip():
        if required:
            ws.error(field, "Feltet skal udfyldes.")
        return None
    if len(value) > MAX_TEXT:
        ws.error(field, f"Teksten er for lang (højst {MAX_TEXT} tegn).")
        return None
    if _CONTROL.search(value):
        ws.error(field, "Teksten indeholder kontroltegn, som ikke kan gemmes.")
        return None
    return value.strip()


def danish(
    ws: Workspace, field: str, value: str | None, *, required: bool = False
) -> Literal | None:
    checked = text(ws, field, value, required=required)
    return Literal(checked, lang="da") if checked is not None else None


def is_url(value: str) -> bool:
    """True for an http(s) URL a person can open.

    >>> is_url("https://www.kk.dk/borgerservice"), is_url("javascript:alert(1)")
    (True, False)
    """
    return bool(_URL.match(value))


def day(value: date | None) -> Literal | None:
    return Literal(value.isoformat(), datatype=XSD.date) if value is not None else None


def reference(ws: Workspace, kind: str, ident: str, field: str) -> URIRef | None:
    """``ID[kind/ident]`` if it exists as that kind (task, law, place), else a field error."""
    namespace, cls, name = _KINDS[kind]
    uri = ID[f"{namespace}/{ident}"]
    if not ident or cls not in ws.types_of([uri])[uri]:
        ws.error(field, f"Ukendt {name}: {ident!r}.")
        return None
    return uri


def agent(ws: Workspace, ident: str, field: str) -> URIRef | None:
    """A unit, outside authority or forum by id (a participant, member or holder)."""
    candidates = [ID[f"unit/{ident}"], ID[f"forum/{ident}"]]
    types = ws.types_of(candidates) if ident else {}
    for uri in candidates:
        if FOAF.Agent in types.get(uri, ()):
            return uri
    ws.error(field, f"Ukendt enhed, myndighed eller forum: {ident!r}.")
    return None


def organization(ws: Workspace, ident: str, field: str, *, forum: bool = False) -> URIRef | None:
    """A unit (or, with ``forum``, a forum) that something can belong to."""
    candidates = [ID[f"unit/{ident}"], *([ID[f"forum/{ident}"]] if forum else [])]
    types = ws.types_of(candidates) if ident else {}
    for uri in candidates:
        if ORG.Organization in types.get(uri, ()):
            return uri
    ws.error(field, f"Ukendt enhed{' eller forum' if forum else ''}: {ident!r}.")
    return None


def concept(ws: Workspace, scheme: str, code: str, field: str) -> URIRef | None:
    """A code of one of the code lists: ``role``, ``membership-role``, ``frequency``."""
    bases = {"role": str(ROLE._NS), "membership-role": str(MROLE._NS), "frequency": str(FREQ)}
    names = {"role": "rolle", "membership-role": "medlemsrolle", "frequency": "mødefrekvens"}
    base = bases[scheme]
    uri = URIRef(base + code)
    if not re.fullmatch(r"[A-Za-z_-]+", code or "") or SKOS.Concept not in ws.types_of([uri])[uri]:
        ws.error(field, f"Ukendt {names[scheme]}: {code!r}.")
        return None
    return uri


def condition(ws: Workspace, band: AgeBand, field: str) -> URIRef | None:
    """The age condition with these bounds: the existing one, or a new ``cond:`` node."""
    low, high = band.min_age, band.max_age
    if (low is None and high is None) or any(
        v is not None and not 0 <= v <= 150 for v in (low, high)
    ):
        ws.error(
            field, "En aldersbetingelse har en mindste og/eller højeste alder mellem 0 og 150."
        )
        return None
    if low is not None and high is not None and low > high:
        ws.error(field, "Mindste alder må ikke være over højeste alder.")
        return None
    for uri, (a, b) in _age_conditions(ws).items():
        if (a, b) == (low, high):
            return uri
    name = f"age-{low or 0}-{high}" if high is not None else f"age-{low}-plus"
    uri = ID[f"condition/{name}"]
    triples: list[Triple] = list(ws.typed(uri, STAFET.AgeCondition))
    if low is not None:
        triples.append((uri, STAFET.minAge, Literal(low, datatype=XSD.integer)))
    if high is not None:
        triples.append((uri, STAFET.maxAge, Literal(high, datatype=XSD.integer)))
    ws.replace((), triples)
    ws.touch(uri)
    return uri


def _age_conditions(ws: Workspace) -> dict[URIRef, tuple[int | None, int | None]]:
    rows = ws.select(
        f"SELECT ?c ?low ?high WHERE {{ GRAPH <{DATA_GRAPH}> {{ ?c a <{STAFET.AgeCondition}> "
        f"OPTIONAL {{ ?c <{STAFET.minAge}> ?low }} OPTIONAL {{ ?c <{STAFET.maxAge}> ?high }} }} }}"
    )
    found: dict[URIRef, tuple[int | None, int | None]] = {}
    for row in rows:
        uri = row["c"]
        if isinstance(uri, URIRef):
            found[uri] = (_integer(row.get("low")), _integer(row.get("high")))
    for s, p, o in ws.added:  # conditions this batch has minted
        if p == STAFET.minAge or p == STAFET.maxAge:
            low, high = found.get(s, (None, None))
            value = _integer(o)
            found[s] = (value, high) if p == STAFET.minAge else (low, value)
    return found


def _integer(node: object) -> int | None:
    if isinstance(node, Literal):
        value = node.toPython()
        return value if isinstance(value, int) else None
    return None


def source(
    ws: Workspace, value: str | None, title: str | None, field: str = "source"
) -> URIRef | None:
    """The source document: a known id, a URL (found by its page, or new), or a new name."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if _URL.match(value):
        found = _document_where(ws, FOAF.page, URIRef(value))
        named = text(ws, "source_title", title) or value
        return found or ws.new_document(named, value)
    if _SOURCE_ID.match(value):
        uri = ID[f"source/{value}"]
        if FOAF.Document in ws.types_of([uri])[uri]:
            return uri
        ws.error(
            field,
            f"Ukendt kilde: {value!r}. Angiv en kendt kildes id, en URL eller dokumentets navn.",
        )
        return None
    checked = text(ws, field, value)
    if checked is None:
        return None
    return _document_where(ws, DCTERMS.title, Literal(checked, lang="da")) or ws.new_document(
        checked, None
    )


def _document_where(ws: Workspace, predicate: URIRef, value: Node) -> URIRef | None:
    for s, p, o in ws.added:
        if p == predicate and o == value:
            return s
    term = value.n3()
    rows = ws.select(
        f"SELECT ?d WHERE {{ GRAPH <{DATA_GRAPH}> {{ ?d <{predicate}> {term} ; "
        f"a <{FOAF.Document}> }} }} "
        "ORDER BY ?d LIMIT 1"
    )
    found = rows[0]["d"] if rows else None
    return found if isinstance(found, URIRef) else None


def provenance(
    ws: Workspace,
    uri: URIRef,
    status: FactStatus,
    source_value: str | None,
    source_title: str | None,
    locator: str | None,
    note: str | None,
) -> list[Triple]:
    """``stafet:status``, ``dct:source``, ``stafet:sourceLocator``, ``skos:note``.

    Every fact names its source (``shape:Fact``); an assumed one says in its note why.
    """
    triples: list[Triple] = []
    if status not in ("bekraeftet", "antaget"):
        ws.error("status", "Status skal være 'bekraeftet' eller 'antaget'.")
    else:
        triples.append((uri, STAFET.status, STATUS[status]))
    document = source(ws, source_value, source_title)
    if document is not None:
        triples.append((uri, DCTERMS.source, document))
    elif not any(e.field == f"{ws.prefix}source" for e in ws.errors):
        message = (
            "Et faktum skal have en kilde: en URL, et dokuments navn eller en kendt kildes id."
        )
        if status == "bekraeftet":
            message = "Et bekræftet faktum skal have den kilde, det er bekræftet mod."
        ws.error("source", message)
    note_text = danish(ws, "note", note)
    if note_text is not None:
        triples.append((uri, SKOS.note, note_text))
    locator_text = danish(ws, "locator", locator)
    if locator_text is not None:
        triples.append((uri, STAFET.sourceLocator, locator_text))
    return triples
