"""A batch being computed: the store as read at one head, with the batch's pending triples.

Operations read the resources through the workspace (so a second operation on the same
resource sees the first one's result) and state their new triples to it; at the end
:meth:`Workspace.delta` gives the exact removed/added pair (removed were in the store,
added were not) that becomes the :class:`~graph.store.change.Change`.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime

from rdflib import Literal, Node, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF

from graph.data.loader import standard_types
from graph.edit.errors import FieldError
from graph.edit.operations import EditableKind
from graph.edit.resources import (
    INBOUND_PREDICATES,
    SUBNODE_PREDICATES,
    ResourceState,
    read_state,
)
from graph.store.backend import DATA_GRAPH, Store
from graph.store.change import Triple
from ontology.namespaces import ID

__all__ = ["Workspace", "slug"]

_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,119}$")


def slug(text: str, limit: int = 60) -> str:
    """A URL-safe id from a Danish name (dots kept: KLE numbers stay readable).

    >>> slug("Borgercenter Børn og Unge – Nord"), slug("Ældre Sagen: Åben rådgivning")
    ('borgercenter-boern-og-unge-nord', 'aeldre-sagen-aaben-raadgivning')
    >>> slug("kle-32.03.16-sof-ansvarlig")
    'kle-32.03.16-sof-ansvarlig'
    """
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9.]+", "-", text).strip("-.")
    return words[:limit].rstrip("-") or "x"


class Workspace:
    """The store at one head plus the pending edits of a batch, and its field errors."""

    def __init__(self, store: Store, agent: str = "", now: datetime | None = None) -> None:
        self.store = store
        self.agent = agent
        self.now = now or datetime.now(UTC)
        self.removed: set[Triple] = set()
        self.added: set[Triple] = set()
        self.errors: list[FieldError] = []
        self.touched: list[URIRef] = []
        self._base: dict[tuple[EditableKind, str], ResourceState] = {}
        self._types: dict[URIRef, frozenset[URIRef]] = {}
        self.prefix = ""
        #: Units this batch creates, by the parent they get (for the access check).
        self.created_parents: dict[str, str] = {}

    # -- errors ----------------------------------------------------------------------
    def error(self, field: str, message: str) -> None:
        self.errors.append(FieldError(f"{self.prefix}{field}", message))

    # -- reading ---------------------------------------------------------------------
    def base(self, kind: EditableKind, ident: str) -> ResourceState:
        """The resource as the store holds it (before this batch)."""
        key = (kind, ident)
        if key not in self._base:
            self._base[key] = read_state(self.store, kind, ident)
        return self._base[key]

    def state(self, kind: EditableKind, ident: str) -> ResourceState:
        """The resource as it stands with this batch's edits so far."""
        base = self.base(kind, ident)
        everything = (base.triples | base.inbound | self.added) - self.removed
        own = {t for t in everything if t[0] == base.uri}
        subnodes = {o for _, p, o in own if p in SUBNODE_PREDICATES}
        triples = frozenset(t for t in everything if t[0] == base.uri or t[0] in subnodes)
        inbound_predicates = INBOUND_PREDICATES.get(kind, ())
        inbound = frozenset(
            t for t in everything if t[2] == base.uri and t[1] in inbound_predicates
        )
        return ResourceState(kind, ident, base.uri, triples, inbound)

    def types_of(self, uris: Iterable[URIRef]) -> dict[URIRef, frozenset[URIRef]]:
        """The classes of each URI, in the store or added by this batch."""
        wanted = [u for u in dict.fromkeys(uris) if u not in self._types]
        if wanted:
            values = " ".join(f"<{u}>" for u in wanted)
            rows = self.store.select(
                f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} "
                f"GRAPH <{DATA_GRAPH}> {{ ?s a ?t }} }}"
            )
            found: dict[URIRef, set[URIRef]] = {u: set() for u in wanted}
            for row in rows:
                subject, cls = row["s"], row["t"]
                if isinstance(subject, URIRef) and isinstance(cls, URIRef):
                    found[subject].add(cls)
            self._types.update({u: frozenset(c) for u, c in found.items()})
        result: dict[URIRef, frozenset[URIRef]] = {}
        for uri in dict.fromkeys(uris):
            pending = {o for s, p, o in self.added if s == uri and p == RDF.type}
            gone = {o for s, p, o in self.removed if s == uri and p == RDF.type}
            classes = (self._types[uri] | pending) - gone
            result[uri] = frozenset(c for c in classes if isinstance(c, URIRef))
        return result

    def exists(self, uri: URIRef) -> bool:
        return bool(self.types_of([uri])[uri])

    def select(self, query: str) -> list[dict[str, Node]]:
        return self.store.select(query)

    # -- writing ---------------------------------------------------------------------
    def replace(self, old: Iterable[Triple], new: Iterable[Triple]) -> None:
        """Remove ``old`` (triples that are there) and add ``new``."""
        old_set, new_set = set(old), set(new)
        for triple in old_set - new_set:
            if triple in self.added:
                self.added.discard(triple)
            else:
                self.removed.add(triple)
        for triple in new_set - old_set:
            self.removed.discard(triple)
            self.added.add(triple)

    def touch(self, uri: URIRef) -> None:
        if uri not in self.touched:
            self.touched.append(uri)

    def delta(self) -> tuple[frozenset[Triple], frozenset[Triple]]:
        """The exact ``(removed, added)``: checked against the store's current triples."""
        subjects = {t[0] for t in self.removed | self.added}
        existing = self.store.resource_triples(subjects)
        return frozenset(self.removed & existing), frozenset(self.added - existing)

    # -- minting ---------------------------------------------------------------------
    def mint(self, namespace: str, wanted: str | None, stem: str, field: str) -> str | None:
        """A free id in ``namespace``: ``wanted`` if given (an error if taken), else ``stem``
        or ``stem`` with a short random suffix."""
        if wanted is not None:
            if not _ID_PATTERN.match(wanted):
                self.error(field, "Et id må kun have små bogstaver a–z, tal, '.', '-' og '_'.")
                return None
            if self._taken(ID[f"{namespace}/{wanted}"]):
                self.error(field, f"Id'et {wanted!r} er allerede i brug.")
                return None
            return wanted
        candidate = stem
        while self._taken(ID[f"{namespace}/{candidate}"]):
            candidate = f"{stem}-{secrets.token_hex(2)}"
        return candidate

    def free_subnode(self, stem: str) -> URIRef:
        """A sub-node IRI ``stem``, or ``stem-2``, ``stem-3`` … if that is taken."""
        candidate, number = URIRef(stem), 1
        while self._taken(candidate):
            number += 1
            candidate = URIRef(f"{stem}-{number}")
        return candidate

    def _taken(self, uri: URIRef) -> bool:
        if any(t[0] == uri for t in self.added):
            return True
        return bool(self.store.resource_triples([uri]))

    def typed(self, uri: URIRef, cls: URIRef) -> list[Triple]:
        """``uri a cls`` and every class above it (the standard types, as the seed has)."""
        above = standard_types().get(str(cls), frozenset())
        return [(uri, RDF.type, cls), *((uri, RDF.type, URIRef(c)) for c in sorted(above))]

    def new_document(self, title: str, url: str | None) -> URIRef:
        """A source document (``foaf:Document``) named ``title``, reachable at ``url``."""
        stem = slug(title if url is None else re.sub(r"^https?://(www\.)?", "", url))
        ident = self.mint("source", None, stem, "source")
        assert ident is not None
        uri = ID[f"source/{ident}"]
        triples = [
            *self.typed(uri, FOAF.Document),
            (uri, DCTERMS.identifier, Literal(ident)),
            (uri, DCTERMS.title, Literal(title, lang="da")),
        ]
        if url is not None:
            triples.append((uri, FOAF.page, URIRef(url)))
        self.replace((), triples)
        self._types[uri] = frozenset()
        return uri
