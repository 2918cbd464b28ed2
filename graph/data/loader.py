"""Where the RDF comes from.

Everything downstream (validation, compilation, the question modules) sees only a
:class:`Source`: something that can hand over the current RDF graph and a fingerprint of
it. Today that is Turtle files shipped in the repository; later it is an editable store
(pyoxigraph, or a SPARQL endpoint) without the question modules changing.

What a source hands over also carries the standard types of every resource, not only our
subclasses (:func:`standard_types`): ``unit:sof`` is a ``stafet:Administration`` and so an
``org:OrganizationalUnit``, an ``org:Organization`` and a ``foaf:Agent``, for SPARQL, every
export and a consumer without our ontology alike.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pyoxigraph as oxigraph
from rdflib import BNode, Graph, Literal, Node, URIRef

from graph.data.facts import Facts
from graph.errors import InvalidDataError

__all__ = [
    "ONTOLOGY_DIR",
    "OWN_ONTOLOGY",
    "PROJECT_ROOT",
    "Snapshots",
    "Source",
    "TurtleFiles",
    "add_standard_types",
    "default_source",
    "ontology_graph",
    "parse_turtle",
    "read_snapshot",
    "shapes_graph",
    "standard_types",
    "to_rdflib",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
DATA_DIR = PROJECT_ROOT / "data"

#: Our ontology: part of the data, so that role and status labels can be read from it.
OWN_ONTOLOGY = ONTOLOGY_DIR / "stafet.ttl"
#: The standard vocabularies SHACL needs to see subclass triples (ORG, CPSV-AP).
VOCABULARIES = (ONTOLOGY_DIR / "vocab" / "org.ttl", ONTOLOGY_DIR / "vocab" / "cpsv-ap-3.2.0.ttl")
#: Above this much Turtle, a snapshot's Oxigraph store is kept on disk, not in memory: at
#: 100× Copenhagen (215 MB, 4.6 M triples) in memory it took 1.5 GB and loaded slower.
ON_DISK_BYTES = 64 * 1024 * 1024
OWN_SHAPES = ONTOLOGY_DIR / "stafet-shapes.ttl"
CPSV_AP_SHAPES = ONTOLOGY_DIR / "vocab" / "cpsv-ap-3.2.0-shacl.ttl"


@runtime_checkable
class Source(Protocol):
    """A place the knowledge graph's RDF comes from."""

    def read(self) -> Graph:
        """Return the whole current graph (data and our ontology)."""
        ...

    def fingerprint(self) -> str:
        """Return a digest that changes whenever the data does (a cache key)."""
        ...

    def describe(self) -> str:
        """Return a short human description, for logs and error messages."""
        ...

    def store(self) -> oxigraph.Store:
        """Return the data in an in-memory Oxigraph store (fast lookups and SPARQL)."""
        ...


def parse_turtle(text: str | bytes, *, name: str, into: Graph | None = None) -> Graph:
    """Parse Turtle text into an rdflib graph, turning syntax errors into :class:`InvalidDataError`.

    Oxigraph's parser (Rust) reads the text: rdflib's own Turtle parser took about 17 s for
    the 130,000 triples of KLE on this machine, Oxigraph about 0.4 s. Nothing is fetched:
    the text is parsed as given, never treated as a location.

    Examples
    --------
    >>> len(parse_turtle("<urn:a> <urn:b> <urn:c> .", name="x.ttl"))
    1
    >>> parse_turtle("<urn:a> <urn:b> .", name="x.ttl")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.InvalidDataError: x.ttl, linje 1: ugyldig Turtle: . is not a valid RDF ...
    """
    graph = into if into is not None else Graph()
    data = text.encode("utf-8") if isinstance(text, str) else text
    quads = list(_parsed(data, name))
    blank_nodes: dict[str, BNode] = {}
    names: dict[str, URIRef] = {}
    graph.addN(
        (
            _term(q.subject, blank_nodes, names),
            _term(q.predicate, blank_nodes, names),
            _term(q.object, blank_nodes, names),
            graph,
        )
        for q in quads
    )
    return graph


def _parsed(data: bytes, name: str) -> Iterator[Any]:
    """Oxigraph's quads of Turtle ``data``, its syntax errors as :class:`InvalidDataError`."""
    try:
        yield from oxigraph.parse(input=data, format=oxigraph.RdfFormat.TURTLE)
    except SyntaxError as exc:
        why = str(exc.msg)
        match = _OXIGRAPH_POSITION.match(why)
        if match:
            why = f"{match.group(3)} (kolonne {match.group(2)})"
        raise InvalidDataError(f"ugyldig Turtle: {why}", file=name, line=exc.lineno) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidDataError(f"ugyldig Turtle: {exc}", file=name) from exc


_OXIGRAPH_POSITION = re.compile(r"Parser error at line (\d+) column (\d+): (.*)", re.DOTALL)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(
    term: Any, blank_nodes: dict[str, BNode] | None = None, names: dict[str, URIRef] | None = None
) -> Node:
    """Convert an Oxigraph term to rdflib.

    ``blank_nodes`` maps Oxigraph blank node ids to rdflib ones (one map per file or store,
    so that the same blank node stays the same); ``names`` caches URIs.
    """
    return _term(term, {} if blank_nodes is None else blank_nodes, {} if names is None else names)


def _term(term: Any, blank_nodes: dict[str, BNode], names: dict[str, URIRef]) -> Node:
    """Convert an Oxigraph term to rdflib (blank nodes are local to one file)."""
    if isinstance(term, oxigraph.NamedNode):
        name = names.get(term.value)
        if name is None:
            name = names[term.value] = URIRef(term.value)
        return name
    if isinstance(term, oxigraph.BlankNode):
        node = blank_nodes.get(term.value)
        if node is None:
            node = blank_nodes[term.value] = BNode()
        return node
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


class TurtleFiles:
    """Turtle files on disk, read in a stable order.

    Parameters
    ----------
    paths
        Files, or directories whose ``*.ttl`` files (recursively) are read.
    """

    def __init__(self, paths: Iterable[Path | str]) -> None:
        files: list[Path] = []
        for entry in map(Path, paths):
            if entry.is_dir():
                found = sorted(entry.rglob("*.ttl"))
                if unreadable := [path for path in found if not path.is_file()]:
                    reason = "er ikke en fil, der kan læses (fx et brudt symbolsk link)"
                    raise InvalidDataError(reason, file=str(unreadable[0]))
                files.extend(found)
            elif entry.is_file():
                files.append(entry)
            else:
                raise InvalidDataError("filen eller mappen findes ikke", file=str(entry))
        if not files:
            raise InvalidDataError("ingen Turtle-filer at indlæse")
        self.files: tuple[Path, ...] = tuple(files)
        self._scratch: tempfile.TemporaryDirectory[str] | None = None

    def read(self) -> Graph:
        graph = Graph()
        for path in self.files:
            parse_turtle(path.read_bytes(), name=_display(path), into=graph)
        _add_standard_types(graph)
        _bind_prefixes(graph)
        return graph

    def facts(self) -> Facts:
        """What the compiler reads of the files (with the standard types), without rdflib.

        Read in the same order as :meth:`read`, so both compile to the same registry.
        """
        facts = Facts()
        for path in self.files:
            facts.add_all(_parsed(path.read_bytes(), _display(path)))
        facts.add_standard_types(standard_types())
        return facts

    def snapshot(self) -> tuple[Facts, oxigraph.Store]:
        """:meth:`facts` and :meth:`store`, the store loaded on a second thread meanwhile."""
        with ThreadPoolExecutor(max_workers=1) as pool:
            loading = pool.submit(self.store)
            facts = self.facts()
            return facts, loading.result()

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for path in self.files:
            digest.update(_display(path).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()

    def describe(self) -> str:
        return f"{len(self.files)} Turtle-filer"

    def store(self) -> oxigraph.Store:
        """The files in Oxigraph: in memory, or above :data:`ON_DISK_BYTES` of Turtle in a
        store on disk in a temporary directory (it lives as long as this source)."""
        if sum(path.stat().st_size for path in self.files) > ON_DISK_BYTES:
            self._scratch = tempfile.TemporaryDirectory(prefix="stafet-snapshot-")
            store = oxigraph.Store(self._scratch.name)
        else:
            store = oxigraph.Store()
        for path in self.files:
            try:
                store.bulk_load(path=path, format=oxigraph.RdfFormat.TURTLE)
            except SyntaxError as exc:
                raise InvalidDataError(
                    f"ugyldig Turtle: {exc.msg}", file=_display(path), line=exc.lineno
                ) from exc
        add_standard_types(store)
        return store

    def __repr__(self) -> str:
        return f"TurtleFiles({[_display(p) for p in self.files]!r})"


@runtime_checkable
class Snapshots(Protocol):
    """A source that reads what to compile and its Oxigraph store in one pass."""

    def snapshot(self) -> tuple[Facts, oxigraph.Store]: ...


def read_snapshot(source: Source) -> tuple[Facts, oxigraph.Store]:
    """What to compile from ``source`` and its Oxigraph store, with no rdflib graph built.

    Turtle files are parsed for the compiler while Oxigraph loads its store on a second
    thread (its parser releases the GIL); the store of record's data is read once into both
    (:class:`Snapshots`); any other source is compiled from its store.
    """
    if isinstance(source, Snapshots):
        return source.snapshot()
    store = source.store()
    return Facts.of_store(store), store


def default_source(data_dir: Path | None = None) -> TurtleFiles:
    """Return the shipped dataset: our ontology plus every Turtle file under ``data/``."""
    return TurtleFiles([OWN_ONTOLOGY, data_dir or DATA_DIR])


def ontology_graph() -> Graph:
    """Return our ontology with ORG and CPSV-AP, as SHACL's ontology graph."""
    return TurtleFiles([OWN_ONTOLOGY, *VOCABULARIES]).read()


def shapes_graph(which: Sequence[str] = ("stafet", "cpsv-ap")) -> Graph:
    """Return the SHACL shapes: ours (``stafet``), the official CPSV-AP 3.2.0 ones, or both."""
    paths = {"stafet": OWN_SHAPES, "cpsv-ap": CPSV_AP_SHAPES}
    unknown = set(which) - set(paths)
    if unknown:
        raise ValueError(f"ukendte regelsæt: {sorted(unknown)}; vælg blandt {sorted(paths)}")
    return TurtleFiles([paths[name] for name in which]).read()


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


@cache
def standard_types() -> dict[str, frozenset[str]]:
    """Each class of our ontology, ORG and CPSV-AP with every class above it (by URI).

    The transitive ``rdfs:subClassOf`` of those three files: what an RDFS reasoner would
    add as ``rdf:type`` (rule rdfs9). Materialising it at load costs a few thousand triples;
    pySHACL, SPARQL and the exports then need no inference.

    Examples
    --------
    >>> above = standard_types()["https://stafet.kk.dk/def#Administration"]
    >>> sorted(above)  # doctest: +NORMALIZE_WHITESPACE
    ['http://www.w3.org/ns/org#Organization', 'http://www.w3.org/ns/org#OrganizationalUnit',
     'http://xmlns.com/foaf/0.1/Agent']
    >>> sorted(standard_types()["https://stafet.kk.dk/def#Municipality"])[0]
    'http://data.europa.eu/m8g/PublicOrganisation'
    """
    direct: dict[str, set[str]] = {}
    for path in (OWN_ONTOLOGY, *VOCABULARIES):
        for quad in oxigraph.parse(path=path, format=oxigraph.RdfFormat.TURTLE):
            subject, target = quad.subject, quad.object
            if (
                quad.predicate.value == _SUBCLASS_OF
                and isinstance(subject, oxigraph.NamedNode)
                and isinstance(target, oxigraph.NamedNode)
                and subject != target
            ):
                direct.setdefault(subject.value, set()).add(target.value)
    closure: dict[str, frozenset[str]] = {}
    for cls in direct:
        found: set[str] = set()
        pending = list(direct[cls])
        while pending:
            above = pending.pop()
            if above not in found and above != cls:
                found.add(above)
                pending.extend(direct.get(above, ()))
        closure[cls] = frozenset(found)
    return closure


def _add_standard_types(graph: Graph) -> None:
    rdf_type = URIRef(_RDF_TYPE)
    graph.addN(
        (subject, rdf_type, URIRef(superclass), graph)
        for cls, above in standard_types().items()
        for subject in list(graph.subjects(rdf_type, URIRef(cls)))
        for superclass in above
    )


def add_standard_types(store: oxigraph.Store) -> None:
    """Add to ``store`` the standard types its classes entail (:func:`standard_types`).

    Examples
    --------
    >>> store = oxigraph.Store()
    >>> store.load(b"<urn:x> a <https://stafet.kk.dk/def#Administration> .",
    ...            format=oxigraph.RdfFormat.TURTLE)
    >>> add_standard_types(store)
    >>> len(store)
    4
    """
    rdf_type = oxigraph.NamedNode(_RDF_TYPE)
    store.extend(
        [
            oxigraph.Quad(quad.subject, rdf_type, oxigraph.NamedNode(superclass))
            for cls, above in standard_types().items()
            for quad in store.quads_for_pattern(None, rdf_type, oxigraph.NamedNode(cls))
            for superclass in above
        ]
    )


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _bind_prefixes(graph: Graph) -> None:
    from ontology.namespaces import CPSV, CV, ELI, ID, STAFET

    graph.bind("stafet", str(STAFET._NS))
    graph.bind("cv", str(CV._NS))
    graph.bind("cpsv", str(CPSV._NS))
    graph.bind("eli", str(ELI._NS))
    for kind in ("unit", "task", "kle", "law", "forum", "post", "contact", "source"):
        graph.bind(kind if kind != "source" else "src", ID[f"{kind}/"])
