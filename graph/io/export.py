"""Export the knowledge graph: Turtle, JSON-LD, GraphML (for Gephi) and CSV."""

from __future__ import annotations

import csv
import io
import json

from graph.data.knowledge import Knowledge
from graph.errors import InvalidInputError
from graph.io.graph_files import graph_file
from ontology.namespaces import jsonld_context

__all__ = ["FORMATS", "export"]

FORMATS = ("ttl", "jsonld", "graphml", "csv")


def export(kg: Knowledge, fmt: str) -> bytes:
    """Serialise the knowledge graph in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "ttl":
        return kg.rdf.serialize(format="turtle").encode("utf-8")
    if fmt == "jsonld":
        text = kg.rdf.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
        return text.encode("utf-8")
    if fmt == "graphml":
        return graph_file(kg, "graphml")
    if fmt == "csv":
        return _participations_csv(kg)
    raise InvalidInputError(f"Ukendt format {fmt!r}; vælg et af {', '.join(FORMATS)}.")


def _participations_csv(kg: Knowledge) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "kle",
            "opgave",
            "enhed_id",
            "enhed",
            "forvaltning",
            "rolle",
            "trin",
            "betingelser",
            "gyldig_fra",
            "gyldig_til",
            "status",
            "kilde",
        ]
    )
    for part in sorted(
        kg.registry.participations.values(), key=lambda p: (kg.tasks[p.task].notation, p.unit)
    ):
        administration = kg.administration_of(part.unit)
        writer.writerow(
            [
                kg.tasks[part.task].notation,
                kg.tasks[part.task].label,
                part.unit,
                kg.agent_label(part.unit),
                administration.id if administration else "",
                part.role,
                part.step or "",
                json.dumps([c.label for c in part.conditions], ensure_ascii=False)
                if part.conditions
                else "",
                part.valid_from or "",
                part.valid_until or "",
                part.provenance.status or "",
                part.provenance.describe(),
            ]
        )
    return buffer.getvalue().encode("utf-8")
