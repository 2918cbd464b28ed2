"""Compact per-predicate indexes over Oxigraph triples: what the compiler reads, without rdflib.

:func:`graph.data.compile.compile_registry` reads RDF through three lookups (a node's
objects for a predicate, the subjects of a predicate and object, the subject–object pairs
of a predicate). An rdflib ``Graph`` answers them; so does :class:`Facts`, built in one
pass over Oxigraph's quads (Rust parses, Python keeps only what the compiler reads):

- an IRI is its text (a plain, interned ``str``);
- a blank node is a :class:`Blank` (a ``str`` subclass, so it never equals an IRI);
- a literal is a :class:`Lit`, whose ``language``, ``str()`` and ``toPython()`` mean what
  they mean on an rdflib ``Literal``.

Only the predicates in :data:`READ_PREDICATES` are kept (the compiler's whitelist), and the
index lives only while the registry is compiled: at 100× Copenhagen (4.7 M triples) an rdflib
graph of the same data took several GB, the index a fraction of that, and only briefly.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

import pyoxigraph as oxigraph

__all__ = ["READ_PREDICATES", "Blank", "Facts", "Lit"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = frozenset(
    _XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "cv": "http://data.europa.eu/m8g/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "stafet": "https://stafet.kk.dk/def#",
}
_READ = {
    "rdf": ("type", "value"),
    "rdfs": ("label", "seeAlso"),
    "skos": ("prefLabel", "altLabel", "note", "definition", "broader", "notation"),
    "dct": ("title", "description", "source", "requires"),
    "foaf": ("page",),
    "org": ("subOrganizationOf", "member", "organization", "role", "postIn"),
    "cv": (
        "role",
        "hasParticipant",
        "hasParticipation",
        "isClassifiedBy",
        "hasLegalResource",
        "contactPoint",
        "telephone",
        "email",
        "contactPage",
        "openingHours",
    ),
    "eli": ("title", "number", "is_part_of"),
    "stafet": (
        "status",
        "sourceLocator",
        "assuredDate",
        "assuredBy",
        "validFrom",
        "validUntil",
        "datedName",
        "datedParent",
        "parentUnit",
        "inSocialField",
        "internalOperation",
        "appealBody",
        "appealProvision",
        "reconsiderationProvision",
        "keyword",
        "weight",
        "meetingFrequency",
        "meetingsPerYear",
        "standingAgendaItem",
        "concernsTask",
        "portal",
        "legalBasis",
        "carriesCasesFor",
        "stepOrder",
        "stepLabel",
        "condition",
        "minAge",
        "maxAge",
        "serves",
    ),
}
#: Every predicate :mod:`graph.data.compile` reads (the rest of the RDF is left to SPARQL).
READ_PREDICATES = frozenset(_NS[prefix] + name for prefix, names in _READ.items() for name in names)


class Blank(str):
    """A blank node's id, kept apart from IRIs (which are plain ``str``)."""

    __slots__ = ()


class Lit:
    """A literal: its lexical form, language tag and datatype IRI.

    Examples
    --------
    >>> Lit("7", None, "http://www.w3.org/2001/XMLSchema#integer").toPython()
    7
    >>> Lit("2015-05-01", None, "http://www.w3.org/2001/XMLSchema#date").toPython()
    datetime.date(2015, 5, 1)
    >>> str(Lit("Pas", "da", "")), Lit("x", None, "").toPython()
    ('Pas', 'x')
    """

    __slots__ = ("datatype", "language", "value")

    def __init__(self, value: str, language: str | None, datatype: str) -> None:
        self.value = value
        self.language = language
        self.datatype = datatype

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"Lit({self.value!r}, {self.language!r}, {self.datatype!r})"

    def toPython(self) -> Any:
        """The Python value of an integer, boolean, date or date-time; else the text."""
        kind, text = self.datatype, self.value.strip()
        try:
            if kind in _INTEGERS:
                return int(text)
            if kind == _XSD + "boolean":
                return {"true": True, "1": True, "false": False, "0": False}.get(text, self.value)
            if kind == _XSD + "date":
                return date.fromisoformat(text)
            if kind == _XSD + "dateTime":
                return datetime.fromisoformat(text)
        except ValueError:
            return self.value
        return self.value


Term = str | Lit
_NOTHING: dict[Any, Any] = {}


class Facts:
    """The triples the compiler reads, indexed by predicate, in the order they came.

    Examples
    --------
    >>> facts = Facts.from_turtle(b'<urn:a> <http://www.w3.org/2000/01/rdf-schema#label> '
    ...                           b'"A"@da ; a <urn:C> . <urn:a> <urn:unread> "x" .')
    >>> [str(v) for v in facts.objects("urn:a", "http://www.w3.org/2000/01/rdf-schema#label")]
    ['A']
    >>> list(facts.subjects(_RDF_TYPE, "urn:C")), len(facts)
    (['urn:a'], 2)
    """

    def __init__(self) -> None:
        self._by_predicate: dict[str, dict[Term, dict[Term, None]]] = {
            predicate: {} for predicate in READ_PREDICATES
        }
        self._types: dict[Term, dict[Term, None]] = {}
        self._names: dict[str, str] = {}
        self._literals: dict[tuple[str, str | None, str], Lit] = {}
        self._count = 0

    @classmethod
    def of_store(cls, store: oxigraph.Store) -> Facts:
        """The facts of every quad in ``store`` (all graphs), in the store's order."""
        facts = cls()
        facts.add_all(store.quads_for_pattern(None, None, None))
        return facts

    @classmethod
    def from_turtle(cls, data: bytes) -> Facts:
        """The facts of Turtle text (for doctests and small parts)."""
        facts = cls()
        facts.add_all(oxigraph.parse(input=data, format=oxigraph.RdfFormat.TURTLE))
        return facts

    def add_all(self, quads: Iterable[Any]) -> None:
        """Index ``quads`` (or triples) from Oxigraph; the unread predicates are skipped.

        :meth:`add` over many quads, with its lookups held in locals and the common case
        of a term (an IRI) inline: millions of triples at national scale.
        """
        by_predicate, names, term, types = self._by_predicate, self._names, self._term, self._types
        named = oxigraph.NamedNode
        for quad in quads:
            predicate = quad.predicate.value
            by_subject = by_predicate.get(predicate)
            if by_subject is None:
                continue
            s, o = quad.subject, quad.object
            subject = names.setdefault(v := s.value, v) if type(s) is named else term(s)
            obj = names.setdefault(v := o.value, v) if type(o) is named else term(o)
            values = by_subject.get(subject)
            if values is None:
                values = by_subject[subject] = {}
            if obj not in values:
                values[obj] = None
                self._count += 1
                if predicate == _RDF_TYPE:
                    types.setdefault(obj, {})[subject] = None

    def tee(self, quads: Iterable[Any]) -> Iterator[Any]:
        """Index each quad as it passes on (one parse feeds both the index and a store)."""
        for quad in quads:
            self.add(quad)
            yield quad

    def add(self, quad: Any) -> None:
        """Index one quad (or triple) from Oxigraph, as :meth:`add_all` does."""
        self.add_all((quad,))

    def add_type(self, subject: Term, cls: str) -> None:
        """Add ``subject rdf:type cls`` (a standard type the data entails)."""
        types = self._by_predicate[_RDF_TYPE].setdefault(subject, {})
        if cls not in types:
            types[cls] = None
            self._count += 1
            self._types.setdefault(cls, {})[subject] = None

    def add_standard_types(self, closure: Mapping[str, Iterable[str]]) -> None:
        """Add the types each typed subject's class entails (``closure``: class → above)."""
        for cls, above in closure.items():
            for subject in list(self._types.get(cls, ())):
                for superclass in above:
                    self.add_type(subject, superclass)

    def _term(self, term: Any) -> Term:
        if isinstance(term, oxigraph.NamedNode):
            value = term.value
            return self._names.setdefault(value, value)
        if isinstance(term, oxigraph.BlankNode):
            return Blank(term.value)
        key = (term.value, term.language, term.datatype.value)
        literal = self._literals.get(key)
        if literal is None:
            literal = self._literals[key] = Lit(*key)
        return literal

    # -- the three lookups of an rdflib Graph the compiler uses -------------------------
    def objects(self, subject: Any, predicate: Any) -> Iterator[Any]:
        """``subject``'s values of ``predicate`` (the compiler's one hot path: no copies)."""
        # str(): an rdflib IRI as plain text, so that the lookup compares in C (an IRI's own
        # __eq__ is Python, called for every hit: a tenth of a national compile).
        by_subject = self._by_predicate.get(str(predicate), _NOTHING)
        return iter(by_subject.get(subject, _NOTHING))

    def values(self, subject: Any, predicate: Any) -> Collection[Any]:
        """``subject``'s values of ``predicate``, as :meth:`objects` yields them, as a
        collection (the index's own, not a copy: do not change it)."""
        found: Collection[Any] = self._by_predicate.get(str(predicate), _NOTHING).get(
            subject, _NOTHING
        )
        return found

    def subjects(self, predicate: Any, obj: Any) -> Iterator[Any]:
        if str(predicate) == _RDF_TYPE:
            return iter(list(self._types.get(_key(obj), {})))
        by_subject = self._by_predicate.get(str(predicate), {})
        key = _key(obj)
        return iter([s for s, values in by_subject.items() if key in values])

    def subject_objects(self, predicate: Any) -> Iterator[tuple[Any, Any]]:
        by_subject = self._by_predicate.get(str(predicate), {})
        return ((s, o) for s, values in by_subject.items() for o in values)

    def __len__(self) -> int:
        return self._count


def _key(node: Any) -> Any:
    """An rdflib IRI (a ``str`` subclass) as the plain text the index is keyed by."""
    return node if isinstance(node, Blank | Lit) else str(node)
