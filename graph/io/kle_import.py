"""Import KL's emnesystematik (KLE) from OS2KLE into Turtle.

``OS2KLE.txt`` has one line per KLE topic (emne)::

    KLENummer='32.03.16':KLETitel='Førtidspension':Keywords[Weight]=førtidspension[5];…

For every topic, every group (``NN.NN``) and every main group (``NN``) the importer writes

- the SKOS concept ``kle:NN.NN.NN`` (``kle:NN.NN``, ``kle:NN``) in the concept scheme
  ``<https://stafet.kk.dk/id/kle>``, with its notation, Danish label, ``skos:broader`` and
  the weighted keywords (``stafet:keyword [ rdf:value "…"@da ; stafet:weight 5 ]``), and
- the task ``task:kle-NN.NN.NN`` (a ``cpsv:PublicService``) classified by that concept.

The file has no titles for groups and main groups. A group takes the title of its
``NN.NN.00 … i almindelighed`` topic without " i almindelighed", a main group likewise from
its ``NN.00.00`` topic; without such a topic the title is "KLE-gruppe NN.NN" or
"KLE-hovedgruppe NN".

Reading the file (:func:`parse_os2kle`, :func:`parse_line`) is :mod:`graph.io.os2kle`.

Regenerate the shipped Turtle with ``make data``, i.e.::

    python -m graph.io.kle_import data/kle/source/OS2KLE.txt -o data/kle/kle.ttl

Examples
--------
>>> topic = parse_line(
...     "KLENummer='32.03.16':KLETitel='Førtidspension':"
...     "Keywords[Weight]=førtidspension[5];ansøgning om førtidspension[1000];"
... )
>>> topic.number, topic.title
('32.03.16', 'Førtidspension')
>>> topic.keywords[1]
Keyword(text='ansøgning om førtidspension', weight=1000)
>>> group_title("Hjælpemidler, forbrugsgoder, boligindretning m.v. i almindelighed")
'Hjælpemidler, forbrugsgoder, boligindretning m.v.'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, SKOS, XSD

from graph.io._cli import import_parser, run_import
from graph.io.os2kle import Keyword, KLEFormatError, Topic, group_title, parse_line, parse_os2kle
from graph.io.turtle import sorted_turtle
from ontology.namespaces import CPSV, CV, ID, STAFET

__all__ = [
    "DEFAULT_AUTHORITY",
    "KLE",
    "KLE_SCHEME",
    "OS2KLE_SOURCE",
    "OS2KLE_VERSION",
    "TASK",
    "KLEFormatError",
    "Keyword",
    "Topic",
    "build_graph",
    "group_title",
    "import_kle",
    "main",
    "parse_line",
    "parse_os2kle",
    "serialize_kle",
]

#: KLE concepts: ``KLE["32.03.16"]``.
KLE = Namespace(ID["kle/"])
#: Tasks: ``TASK["kle-32.03.16"]``.
TASK = Namespace(ID["task/"])
#: The KLE concept scheme.
KLE_SCHEME = ID["kle"]
#: The OS2KLE dataset as a source document.
OS2KLE_SOURCE = ID["source/os2kle"]
#: The municipality, competent authority for every KLE task unless told otherwise.
DEFAULT_AUTHORITY = ID["unit/kk"]
#: The OS2KLE release shipped in ``data/kle/source``.
OS2KLE_VERSION = "OS2KLE 3.23 (KLE februar 2026)"

_UNIT = Namespace(ID["unit/"])
_SRC = Namespace(ID["source/"])
_MPL_2_0 = URIRef("https://www.mozilla.org/en-US/MPL/2.0/")
_HEADER = (
    "# KLE (KL's emnesystematik) som SKOS-begreber og opgaver, fra "
    + OS2KLE_VERSION
    + ".\n# Genereret af graph/kle_import.py (make data). Ret ikke i filen i hånden.\n\n"
)

_PREFIXES: dict[str, Namespace] = {
    "cpsv": Namespace(str(CPSV._NS)),
    "cv": Namespace(str(CV._NS)),
    "dct": Namespace(str(DCTERMS)),
    "foaf": Namespace(str(FOAF)),
    "kle": KLE,
    "owl": Namespace(str(OWL)),
    "rdf": Namespace(str(RDF)),
    "skos": Namespace(str(SKOS)),
    "src": _SRC,
    "stafet": Namespace(str(STAFET._NS)),
    "task": TASK,
    "unit": _UNIT,
    "xsd": Namespace(str(XSD)),
}


def _add_concept(
    graph: Graph,
    notation: str,
    title: str,
    kind: URIRef,
    broader: str | None,
    authority: URIRef,
    description: str,
) -> URIRef:
    """Add one KLE concept and its task."""
    concept = KLE[notation]
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, RDF.type, kind))
    graph.add((concept, SKOS.notation, Literal(notation)))
    graph.add((concept, SKOS.prefLabel, Literal(title, lang="da")))
    graph.add((concept, SKOS.inScheme, KLE_SCHEME))
    if broader is None:
        graph.add((concept, SKOS.topConceptOf, KLE_SCHEME))
        graph.add((KLE_SCHEME, SKOS.hasTopConcept, concept))
    else:
        graph.add((concept, SKOS.broader, KLE[broader]))

    identifier = f"kle-{notation}"
    task = TASK[identifier]
    graph.add((task, RDF.type, CPSV.PublicService))
    graph.add((task, DCTERMS.identifier, Literal(identifier)))
    graph.add((task, DCTERMS.title, Literal(title, lang="da")))
    graph.add((task, DCTERMS.description, Literal(description, lang="da")))
    graph.add((task, CV.isClassifiedBy, concept))
    graph.add((task, CV.hasCompetentAuthority, authority))
    return concept


def build_graph(topics: Iterable[Topic], authority: URIRef | str = DEFAULT_AUTHORITY) -> Graph:
    """Build the KLE graph from parsed topics.

    Parameters
    ----------
    topics
        The topics; groups and main groups are those their numbers imply.
    authority
        The competent authority of every task.

    Returns
    -------
    rdflib.Graph
        Concepts, tasks, the concept scheme and the source document, with Stafet's
        prefixes bound.
    """
    authority = URIRef(authority)
    by_number = {topic.number: topic for topic in topics}
    # SimpleMemory (no named graphs) builds and serialises about a third faster.
    graph = Graph(store="SimpleMemory", bind_namespaces="core")
    for prefix, namespace in _PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)

    graph.add((OS2KLE_SOURCE, RDF.type, FOAF.Document))
    graph.add((OS2KLE_SOURCE, DCTERMS.title, Literal(OS2KLE_VERSION, lang="da")))

    graph.add((KLE_SCHEME, RDF.type, SKOS.ConceptScheme))
    graph.add((KLE_SCHEME, SKOS.prefLabel, Literal("KLE – KL's emnesystematik", lang="da")))
    graph.add((KLE_SCHEME, DCTERMS.source, OS2KLE_SOURCE))
    graph.add((KLE_SCHEME, DCTERMS.license, _MPL_2_0))
    graph.add((KLE_SCHEME, OWL.versionInfo, Literal(OS2KLE_VERSION)))

    for main in sorted({number[:2] for number in by_number}):
        general = by_number.get(f"{main}.00.00")
        if general is None:
            title = f"KLE-hovedgruppe {main}"
            description = f"Kommunens opgaver under KLE-hovedgruppe {main}."
        else:
            title = group_title(general.title)
            description = f"Kommunens opgaver under KLE {main} {title}."
        _add_concept(graph, main, title, STAFET.KLEMainGroup, None, authority, description)

    for group in sorted({number[:5] for number in by_number}):
        general = by_number.get(f"{group}.00")
        if general is None:
            title = f"KLE-gruppe {group}"
            description = f"Kommunens opgaver under KLE-gruppe {group}."
        else:
            title = group_title(general.title)
            description = f"Kommunens opgaver under KLE {group} {title}."
        _add_concept(graph, group, title, STAFET.KLEGroup, group[:2], authority, description)

    for number in sorted(by_number):
        topic = by_number[number]
        description = f"Kommunens opgaver under KLE {number} {topic.title}."
        concept = _add_concept(
            graph, number, topic.title, STAFET.KLETopic, number[:5], authority, description
        )
        for index, keyword in enumerate(topic.keywords):
            # Stable blank-node ids keep the serialisation byte-identical between runs.
            node = BNode(f"kw{number.replace('.', '')}n{index:04d}")
            graph.add((concept, STAFET.keyword, node))
            graph.add((node, RDF.value, Literal(keyword.text, lang="da")))
            graph.add((node, STAFET.weight, Literal(keyword.weight, datatype=XSD.integer)))
    return graph


def import_kle(path: str | Path, authority: URIRef | str = DEFAULT_AUTHORITY) -> Graph:
    """Read an OS2KLE file and build the KLE graph.

    Parameters
    ----------
    path
        ``OS2KLE.txt``.
    authority
        The competent authority of every task (default ``unit:kk``).

    Returns
    -------
    rdflib.Graph
        See :func:`build_graph`.

    Raises
    ------
    KLEFormatError
        If the file breaks the OS2KLE format.
    """
    return build_graph(parse_os2kle(path), authority)


def serialize_kle(graph: Graph) -> str:
    """Serialise a KLE graph as Turtle with a short header, the same way every time.

    Subjects come in IRI order (the scheme, ``kle:00``, ``kle:00.01``, …, then the source
    document and the tasks); values of a property are sorted by rdflib, and keyword blank
    nodes have stable ids, so they keep the file's order.

    Parameters
    ----------
    graph
        A graph from :func:`import_kle`.

    Returns
    -------
    str
        The Turtle text (write it as UTF-8).
    """
    return _HEADER + sorted_turtle(graph)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m graph.io.kle_import OS2KLE.txt -o kle.ttl``.

    Parameters
    ----------
    argv
        The arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 if the source breaks the format.
    """
    parser = import_parser(
        "python -m graph.io.kle_import",
        "Omsæt OS2KLE.txt til Turtle (KLE-begreber og -opgaver).",
        "source",
        "OS2KLE.txt",
    )
    parser.add_argument(
        "--authority",
        default=str(DEFAULT_AUTHORITY),
        help="kompetent myndighed for alle opgaver (standard: %(default)s)",
    )
    return run_import(
        parser.parse_args(argv),
        lambda args: import_kle(args.source, args.authority),
        serialize_kle,
        (KLEFormatError,),
        _written,
    )


def _written(graph: Graph) -> str:
    counts = {
        kind: len(set(graph.subjects(RDF.type, kind)))
        for kind in (STAFET.KLETopic, STAFET.KLEGroup, STAFET.KLEMainGroup)
    }
    return (
        f"{counts[STAFET.KLETopic]} emner, {counts[STAFET.KLEGroup]} grupper, "
        f"{counts[STAFET.KLEMainGroup]} hovedgrupper, {len(graph)} tripler."
    )


if __name__ == "__main__":
    raise SystemExit(main())
