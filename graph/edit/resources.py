"""The editable resources as the store holds them: URIs, current triples, ETags.

A resource's triples are its own (subject = its URI) and those of its sub-nodes (dated
names and parents, disputes: IRIs under the resource's, or the seed's skolemised ones);
its ETag is a strong hash of exactly those triples (``D11.md``, "Conventions"). The links
that point *at* a resource from its owner (``task cv:hasParticipation part``, ``unit
cv:contactPoint contact``, ``task cv:hasCompetentAuthority authority``) are read with it,
so that an edit can move or keep them, but are not part of the ETag.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import FOAF, ORG, RDF

from graph.data.ids import split_uri
from graph.edit.operations import EditableKind
from graph.store.backend import DATA_GRAPH, Store
from graph.store.change import Triple, serialise_triples
from ontology.namespaces import CPSV, CV, ID, STAFET

__all__ = [
    "KIND_NAMESPACES",
    "SUBNODE_PREDICATES",
    "ResourceState",
    "etag_of",
    "kind_of_uri",
    "read_state",
    "resource_uri",
]

#: The URI namespace (``/id/<ns>/<id>``) of each editable kind.
KIND_NAMESPACES: dict[EditableKind, str] = {
    "responsibility": "participation",
    "unit": "unit",
    "contact-point": "contact",
    "forum": "forum",
    "membership": "membership",
    "authority": "unit",
}
#: The class a resource of each kind has (how a resource is told to exist, and be that kind).
KIND_CLASSES: dict[EditableKind, URIRef] = {
    "responsibility": CV.Participation,
    "unit": ORG.OrganizationalUnit,
    "contact-point": CV.ContactPoint,
    "forum": ORG.OrganizationalCollaboration,
    "membership": ORG.Membership,
    "authority": STAFET.ExternalAuthority,
}
#: Links from an owner to the resource, read along with it.
INBOUND_PREDICATES: dict[EditableKind, tuple[URIRef, ...]] = {
    "responsibility": (CV.hasParticipation,),
    "contact-point": (CV.contactPoint,),
    "authority": (CV.hasCompetentAuthority,),
}
#: Predicates whose objects are a resource's own sub-nodes (part of it and of its ETag).
SUBNODE_PREDICATES = (STAFET.datedName, STAFET.datedParent, STAFET.dispute)


def resource_uri(kind: EditableKind, ident: str) -> URIRef:
    """The URI of resource ``ident`` of ``kind``.

    >>> resource_uri("responsibility", "kle-32.03.16-sof-ansvarlig")
    rdflib.term.URIRef('https://stafet.kk.dk/id/participation/kle-32.03.16-sof-ansvarlig')
    >>> resource_uri("authority", "ankestyrelsen")
    rdflib.term.URIRef('https://stafet.kk.dk/id/unit/ankestyrelsen')
    """
    return ID[f"{KIND_NAMESPACES[kind]}/{ident}"]


def kind_of_uri(uri: str, types: Iterable[URIRef]) -> EditableKind | None:
    """The editable kind of a resource, from its URI and its classes (None if not editable).

    >>> kind_of_uri("https://stafet.kk.dk/id/unit/ankestyrelsen", [STAFET.ExternalAuthority])
    'authority'
    """
    namespace = split_uri(uri)[0]
    classes = set(types)
    if namespace == "unit" and STAFET.ExternalAuthority in classes:
        return "authority"
    for kind, name in KIND_NAMESPACES.items():
        if name == namespace and KIND_CLASSES[kind] in classes:
            return kind
    return None


@dataclass(frozen=True, slots=True)
class ResourceState:
    """What the store holds about one resource now.

    ``triples`` are the resource's own and its sub-nodes' (empty: it does not exist);
    ``inbound`` the owner links pointing at it.
    """

    kind: EditableKind
    id: str
    uri: URIRef
    triples: frozenset[Triple]
    inbound: frozenset[Triple]

    @property
    def exists(self) -> bool:
        return (self.uri, RDF.type, KIND_CLASSES[self.kind]) in self.triples

    @property
    def etag(self) -> str:
        return etag_of(self.triples)

    def own(self) -> frozenset[Triple]:
        """The triples whose subject is the resource itself (not its sub-nodes)."""
        return frozenset(t for t in self.triples if t[0] == self.uri)

    def subnodes(self, predicate: URIRef) -> list[URIRef]:
        return sorted(
            o
            for s, p, o in self.triples
            if s == self.uri and p == predicate and isinstance(o, URIRef)
        )


def etag_of(triples: Iterable[Triple]) -> str:
    """A strong ETag: the quoted first 16 hex digits of the SHA-256 of the sorted N-Triples.

    >>> from rdflib import Literal
    >>> etag_of([(URIRef("urn:a"), URIRef("urn:p"), Literal("x"))])
    '"fb8552ce57dbad88"'
    """
    digest = hashlib.sha256(serialise_triples(triples).encode("utf-8")).hexdigest()
    return f'"{digest[:16]}"'


def read_state(store: Store, kind: EditableKind, ident: str) -> ResourceState:
    """The resource's current triples, its sub-nodes' and its owner links, from ``store``."""
    uri = resource_uri(kind, ident)
    own = store.resource_triples([uri])
    subnodes = [
        o for s, p, o in own if p in SUBNODE_PREDICATES and isinstance(o, URIRef) and s == uri
    ]
    triples = own | store.resource_triples(subnodes) if subnodes else own
    inbound = _inbound(store, uri, INBOUND_PREDICATES.get(kind, ()))
    return ResourceState(kind, ident, uri, triples, inbound)


def _inbound(store: Store, uri: URIRef, predicates: tuple[URIRef, ...]) -> frozenset[Triple]:
    if not predicates:
        return frozenset()
    values = " ".join(f"<{p}>" for p in predicates)
    rows = store.select(
        f"SELECT ?s ?p WHERE {{ VALUES ?p {{ {values} }} "
        f"GRAPH <{DATA_GRAPH}> {{ ?s ?p <{uri}> }} }}"
    )
    found: set[Triple] = set()
    for row in rows:
        subject, predicate = row["s"], row["p"]
        if isinstance(subject, URIRef) and isinstance(predicate, URIRef):
            found.add((subject, predicate, uri))
    return frozenset(found)


# Classes whose instances an edit may point at, per kind of reference (see graph.edit.rules).
REFERENCE_CLASSES: dict[str, URIRef] = {
    "task": CPSV.PublicService,
    "agent": FOAF.Agent,
    "organization": ORG.Organization,
    "law": URIRef("http://data.europa.eu/eli/ontology#LegalResource"),
    "document": FOAF.Document,
}
