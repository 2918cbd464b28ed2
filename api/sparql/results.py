"""Write SPARQL results (from Oxigraph terms) as JSON, XML, CSV and TSV, and graphs as RDF.

Our own small writers, so that the number of rows can be capped while reading them and
JSON keeps Danish letters as themselves.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.shared.jsonld.context import Context

from api.rdf import JSONLD, NTRIPLES, TURTLE, render_graph

__all__ = ["BOOLEAN_TYPES", "GRAPH_TYPES", "SOLUTION_TYPES", "write_boolean", "write_graph"]

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
SOLUTION_TYPES = (JSON, XML, CSV, TSV, "application/json", "application/xml")
BOOLEAN_TYPES = (JSON, XML, "application/json", "application/xml")
GRAPH_TYPES = (TURTLE, JSONLD, NTRIPLES)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
Row = Sequence[Any]
# rdflib writes an ill-typed number or boolean as a bare string: such a literal is handed to
# it under this made-up datatype (which it keeps), and given its own back afterwards.
_ILL_TYPED = "urn:stafet:ill-typed:"
log = logging.getLogger("stafet.sparql")
_XML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
)


def content_type(media_type: str) -> str:
    """The Content-Type header for a result media type (plain JSON/XML map to SPARQL's)."""
    canonical = {"application/json": JSON, "application/xml": XML}.get(media_type, media_type)
    return canonical + "; charset=utf-8" if canonical.startswith("text/") else canonical


def write_solutions(variables: list[str], rows: Sequence[Row], media_type: str) -> bytes:
    """Serialise SELECT results; ``rows`` hold Oxigraph terms or ``None`` (unbound)."""
    if media_type in (JSON, "application/json"):
        bindings = [
            {name: _json_term(term) for name, term in zip(variables, row, strict=True) if term}
            for row in rows
        ]
        body = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    if media_type in (XML, "application/xml"):
        out = [_XML_HEAD, "<head>", *(f"<variable name={quoteattr(v)}/>" for v in variables)]
        out += ["</head>", "<results>"]
        for row in rows:
            out.append("<result>")
            for name, term in zip(variables, row, strict=True):
                if term is not None:
                    out.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
            out.append("</result>")
        out += ["</results>", "</sparql>\n"]
        return "".join(out).encode("utf-8")
    if media_type == CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_term(term) for term in row] for row in rows)
        return buffer.getvalue().encode("utf-8")
    if media_type == TSV:
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"ukendt resultatformat {media_type!r}")


def write_boolean(value: bool, media_type: str) -> bytes:
    if media_type in (XML, "application/xml"):
        return f"{_XML_HEAD}<head/><boolean>{str(value).lower()}</boolean></sparql>\n".encode()
    return json.dumps({"head": {}, "boolean": value}).encode("utf-8")


def write_graph(
    triples: list[ox.Triple],
    media_type: str,
    *,
    context: dict[str, str],
    prefixes: dict[str, str],
    context_url: str,
) -> bytes:
    """Serialise CONSTRUCT/DESCRIBE triples: Oxigraph writes Turtle, rdflib JSON-LD."""
    if media_type in (TURTLE, NTRIPLES):
        rdf_format = ox.RdfFormat.TURTLE if media_type == TURTLE else ox.RdfFormat.N_TRIPLES
        return ox.serialize(triples, format=rdf_format, prefixes=prefixes) or b""
    graph = Graph()
    blank: dict[str, BNode] = {}
    with _ill_typed_counter() as ill_typed:
        for triple in triples:
            subject = _rdflib_term(triple.subject, blank)
            predicate = _rdflib_term(triple.predicate, blank)
            graph.add((subject, predicate, _rdflib_term(triple.object, blank)))
    body = render_graph(graph, media_type, context=context, context_url=context_url)
    if not ill_typed.count:
        return body
    log.warning(
        "JSON-LD: %d literaler passer ikke til deres datatype; skrevet med datatypen",
        ill_typed.count,
    )
    document = _restore_datatypes(json.loads(body), Context(context))
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


class _IllTypedCounter(logging.Filter):
    """Swallow rdflib's traceback for each ill-typed literal, and count them instead."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("Failed to convert Literal"):
            self.count += 1
            return False
        return True


@contextmanager
def _ill_typed_counter() -> Iterator[_IllTypedCounter]:
    logger = logging.getLogger("rdflib.term")
    counter = _IllTypedCounter()
    logger.addFilter(counter)
    try:
        yield counter
    finally:
        logger.removeFilter(counter)


def _restore_datatypes(node: Any, context: Context) -> Any:
    """Give each literal written under :data:`_ILL_TYPED` its own (compacted) datatype."""
    if isinstance(node, list):
        return [_restore_datatypes(item, context) for item in node]
    if not isinstance(node, dict):
        return node
    found = {key: _restore_datatypes(value, context) for key, value in node.items()}
    kind = found.get("@type")
    if isinstance(kind, str) and kind.startswith(_ILL_TYPED):
        found["@type"] = context.to_symbol(kind.removeprefix(_ILL_TYPED))
    return found


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        found: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            found["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            found["datatype"] = term.datatype.value
        return found
    if isinstance(term, ox.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: _json_term(getattr(term, p)) for p in parts}}
    return {"type": "literal", "value": str(term)}


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attribute = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value != _XSD_STRING:
            attribute = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attribute = ""
        return f"<literal{attribute}>{_xml_text(term.value)}</literal>"
    return f"<literal>{_xml_text(str(term))}</literal>"


def _xml_text(text: str) -> str:
    return escape(_XML_INVALID.sub("\ufffd", text))


def _csv_term(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.NamedNode | ox.Literal):
        return str(term.value)
    return str(term)


def _rdflib_term(term: Any, blank: dict[str, BNode]) -> URIRef | BNode | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return blank.setdefault(term.value, BNode())
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        literal = Literal(term.value, datatype=URIRef(datatype))
        if literal.ill_typed:
            return Literal(term.value, datatype=URIRef(_ILL_TYPED + datatype))
        return literal
    raise ValueError("RDF-star-tripler kan ikke skrives som JSON-LD; vælg Turtle")
