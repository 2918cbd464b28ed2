"""Write RDF graphs as Turtle, N-Triples or JSON-LD (compacted with our own context)."""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph

__all__ = ["JSONLD", "NTRIPLES", "RDF_MEDIA_TYPES", "TURTLE", "render_graph"]

TURTLE = "text/turtle"
JSONLD = "application/ld+json"
NTRIPLES = "application/n-triples"

#: The RDF representations we write, in the order we prefer them.
RDF_MEDIA_TYPES = (TURTLE, JSONLD, NTRIPLES)


def render_graph(
    graph: Graph, media_type: str, *, context: dict[str, Any], context_url: str
) -> bytes:
    """Serialise ``graph``; JSON-LD is compacted with ``context`` and refers to it by URL.

    ``context`` is :func:`ontology.namespaces.jsonld_context`, the document served at
    ``context_url`` (``/context.jsonld``): the inline context is replaced by that URL, so a
    reader that loads it (from this app, never from the web) reads the same triples as the
    Turtle. Passed in, so that the SPARQL worker need not import the graph library.
    """
    if media_type == TURTLE:
        return graph.serialize(format="turtle", encoding="utf-8")
    if media_type == NTRIPLES:
        return graph.serialize(format="nt", encoding="utf-8")
    if media_type == JSONLD:
        text = graph.serialize(format="json-ld", context=context, auto_compact=True)
        document = json.loads(text)
        if isinstance(document, dict):
            document["@context"] = context_url
        else:  # an empty graph is written as a bare list
            document = {"@context": context_url, "@graph": document}
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    raise ValueError(f"Ukendt RDF-format {media_type!r}; vælg {', '.join(RDF_MEDIA_TYPES)}.")
