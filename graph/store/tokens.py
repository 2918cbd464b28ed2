"""API tokens, kept in the store's :data:`~graph.store.backend.ACCESS_GRAPH`, hashed.

A token is ``stafet_`` and 32 random bytes (:func:`secrets.token_urlsafe`): it is shown once,
when it is created, and the store keeps only its SHA-256. A fast hash is the right one here:
a password hash (bcrypt, scrypt, Argon2) is slow on purpose because passwords are guessable,
and slowness makes trying guesses against a stolen hash expensive; a token of 256 random bits
cannot be guessed at any speed, so a slow hash would only make every request slower. The
hash is looked up, never compared byte by byte in Python, so no timing of ours leaks it.

A request looks its token up through a :class:`TokenCache`: a hit is answered from memory
for :data:`CACHE_SECONDS`, so a revoked token stops working within that time on every app
instance.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD
from rdflib.term import Node

from graph.errors import InvalidInputError, UnknownEntityError
from graph.store.backend import ACCESS_GRAPH, Store
from graph.store.change import Triple
from graph.store.expiring import ExpiringLookups
from graph.store.terms import to_oxigraph
from ontology.namespaces import ID

__all__ = [
    "ACCESS",
    "CACHE_SECONDS",
    "TOKEN_PREFIX",
    "TOKEN_ROLES",
    "IssuedToken",
    "TokenCache",
    "TokenRecord",
    "create_token",
    "hash_token",
    "is_well_formed",
    "list_tokens",
    "lookup_token",
    "revoke_token",
]

#: The access vocabulary: internal bookkeeping, never part of the published data.
ACCESS = Namespace("https://stafet.kk.dk/def/access#")
TOKEN_PREFIX = "stafet_"
#: The roles a token may carry (graph.edit.scope.ROLES; the store layer does not import it).
TOKEN_ROLES = ("reader", "editor", "reviewer", "admin")
#: How long a looked-up token is trusted without asking the store again (s).
CACHE_SECONDS = 10.0

_TOKEN_SHAPE = re.compile(rf"^{TOKEN_PREFIX}[A-Za-z0-9_-]{{43}}$")


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """What the store knows of a token: never the token itself."""

    id: str
    name: str
    role: str
    forvaltning: str | None
    created: datetime
    revoked: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked is None


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token just created: the secret (shown once) and its record."""

    secret: str
    record: TokenRecord


def hash_token(secret: str) -> str:
    """The SHA-256 of a token, in hex: what the store keeps.

    >>> hash_token("stafet_x")[:16]
    'c4aac0020ccd6487'
    """
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def is_well_formed(secret: str) -> bool:
    """Does ``secret`` look like a token this module issues (checked before any lookup)?

    >>> is_well_formed("stafet_" + "a" * 43), is_well_formed("stafet_kort"), is_well_formed("")
    (True, False, False)
    """
    return bool(_TOKEN_SHAPE.match(secret))


def _token_uri(token_id: str) -> URIRef:
    return ID[f"token/{token_id}"]


def _block(triples: list[Triple]) -> str:
    body = "\n".join(f"{to_oxigraph(s)} {to_oxigraph(p)} {to_oxigraph(o)} ." for s, p, o in triples)
    return f"GRAPH <{ACCESS_GRAPH}> {{\n{body}\n}}"


def create_token(
    store: Store,
    *,
    role: str,
    name: str,
    forvaltning: str | None = None,
    now: datetime | None = None,
) -> IssuedToken:
    """Issue a token with ``role``; the store keeps its hash, name, role and administration.

    Whether ``forvaltning`` names a real administration is the caller's check
    (:func:`graph.edit.scope.administration`): this layer knows no units.

    Examples
    --------
    >>> from graph.store.embedded import EmbeddedStore
    >>> store = EmbeddedStore(None)
    >>> issued = create_token(store, role="editor", forvaltning="sof", name="Anna")
    >>> issued.secret.startswith("stafet_"), lookup_token(store, issued.secret).role
    (True, 'editor')
    >>> create_token(store, role="editor", name="Bo")
    Traceback (most recent call last):
    ...
    graph.errors.InvalidInputError: en redaktør skal have en forvaltning (--forvaltning)
    """
    if role not in TOKEN_ROLES:
        raise InvalidInputError(f"ukendt rolle {role!r}; vælg en af {', '.join(TOKEN_ROLES)}")
    if role == "editor" and not forvaltning:
        raise InvalidInputError("en redaktør skal have en forvaltning (--forvaltning)")
    if not name.strip():
        raise InvalidInputError("tokenet skal have et navn (--name)")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = TokenRecord(
        id=secrets.token_hex(6),
        name=name.strip(),
        role=role,
        forvaltning=forvaltning or None,
        created=(now or datetime.now(UTC)).replace(microsecond=0),
    )
    uri = _token_uri(record.id)
    triples: list[Triple] = [
        (uri, RDF.type, ACCESS.ApiToken),
        (uri, ACCESS.tokenHash, Literal(hash_token(secret))),
        (uri, RDFS.label, Literal(record.name)),
        (uri, ACCESS.role, Literal(role)),
        (uri, DCTERMS.created, Literal(record.created.isoformat(), datatype=XSD.dateTime)),
    ]
    if record.forvaltning:
        triples.append((uri, ACCESS.forvaltning, Literal(record.forvaltning)))
    store.update(f"INSERT DATA {{ {_block(triples)} }}")
    return IssuedToken(secret, record)


_RECORD_PATTERN = f"""GRAPH <{ACCESS_GRAPH}> {{
    ?t a <{ACCESS.ApiToken}> ; <{RDFS.label}> ?name ; <{ACCESS.role}> ?role ;
       <{DCTERMS.created}> ?created .
    OPTIONAL {{ ?t <{ACCESS.forvaltning}> ?forvaltning }}
    OPTIONAL {{ ?t <{ACCESS.revoked}> ?revoked }}
}}"""


def _record(row: dict[str, Node]) -> TokenRecord:
    revoked, forvaltning = row.get("revoked"), row.get("forvaltning")
    return TokenRecord(
        id=str(row["t"]).rsplit("/", 1)[-1],
        name=str(row["name"]),
        role=str(row["role"]),
        forvaltning=str(forvaltning) if forvaltning is not None else None,
        created=datetime.fromisoformat(str(row["created"])),
        revoked=datetime.fromisoformat(str(revoked)) if revoked is not None else None,
    )


def lookup_token(store: Store, secret: str) -> TokenRecord | None:
    """The record of an active token, or None (malformed, unknown or revoked)."""
    if not is_well_formed(secret):
        return None
    digest = Literal(hash_token(secret))
    rows = store.select(
        f"SELECT * WHERE {{ {_RECORD_PATTERN} "
        f"GRAPH <{ACCESS_GRAPH}> {{ ?t <{ACCESS.tokenHash}> {to_oxigraph(digest)} }} }}"
    )
    records = [_record(row) for row in rows]
    return records[0] if len(records) == 1 and records[0].active else None


def list_tokens(store: Store) -> list[TokenRecord]:
    """Every token's record (revoked ones too), oldest first."""
    rows = store.select(f"SELECT * WHERE {{ {_RECORD_PATTERN} }}")
    return sorted((_record(row) for row in rows), key=lambda r: (r.created, r.id))


def revoke_token(store: Store, token_id: str, *, now: datetime | None = None) -> TokenRecord:
    """Revoke the token with ``token_id`` (its record stays, for the audit log).

    Raises
    ------
    UnknownEntityError
        No token has that id.
    """
    records = {r.id: r for r in list_tokens(store)}
    if token_id not in records:
        raise UnknownEntityError("token", token_id)
    record = records[token_id]
    if record.revoked is not None:
        return record
    when = (now or datetime.now(UTC)).replace(microsecond=0)
    stamp = Literal(when.isoformat(), datatype=XSD.dateTime)
    store.update(f"INSERT DATA {{ {_block([(_token_uri(token_id), ACCESS.revoked, stamp)])} }}")
    return TokenRecord(
        record.id, record.name, record.role, record.forvaltning, record.created, when
    )


class TokenCache:
    """Token lookups for requests: each answer (found or not) is kept for ``seconds``.

    Examples
    --------
    >>> from graph.store.embedded import EmbeddedStore
    >>> store = EmbeddedStore(None)
    >>> issued = create_token(store, role="reader", name="Læser")
    >>> cache = TokenCache(store)
    >>> cache.lookup(issued.secret).name
    'Læser'
    >>> _ = revoke_token(store, issued.record.id)
    >>> cache.lookup(issued.secret).name  # still trusted within the cache time
    'Læser'
    >>> cache.clear(); cache.lookup(issued.secret) is None
    True
    """

    def __init__(
        self,
        store: Store,
        seconds: float = CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        size: int = 1024,
    ) -> None:
        self.store = store
        self._cache: ExpiringLookups[TokenRecord] = ExpiringLookups(
            lambda secret: lookup_token(store, secret), seconds, clock, size
        )

    def lookup(self, secret: str) -> TokenRecord | None:
        if not is_well_formed(secret):
            return None
        return self._cache.get(hash_token(secret), secret)

    def clear(self) -> None:
        self._cache.clear()
