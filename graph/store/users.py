"""Staff accounts and their sign-in sessions, in the store's access graph.

They sit in :data:`~graph.store.backend.ACCESS_GRAPH` beside the API tokens.

An account is a name, a role (editor, reviewer, admin), an administration (editors) and an
Argon2id hash of its password (:class:`argon2.PasswordHasher`, the library's defaults);
the password itself is never stored. A slow hash is the right one here, unlike for API
tokens (:mod:`graph.store.tokens`): a password is guessable, and slowness makes trying
guesses against a stolen hash expensive.

A session is 32 random bytes (:func:`secrets.token_urlsafe`) that live in the browser's
cookie; the store keeps only their SHA-256, the account and when the session expires, so
every app instance on the same store knows it, and signing out (or disabling the account)
ends it everywhere within :data:`SESSION_CACHE_SECONDS`.

Examples
--------
>>> from graph.store.embedded import EmbeddedStore
>>> store = EmbeddedStore(None)
>>> create_user(store, "anna", "et langt kodeord", role="editor", forvaltning="sof").role
'editor'
>>> verify_password(store, "Anna", "et langt kodeord").name
'anna'
>>> verify_password(store, "anna", "forkert") is None
True
>>> session = create_session(store, "anna")
>>> lookup_session(store, session.secret).forvaltning
'sof'
>>> _ = disable_user(store, "anna"); lookup_session(store, session.secret) is None
True
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD
from rdflib.term import Node

from graph.errors import InvalidInputError, UnknownEntityError
from graph.store.backend import ACCESS_GRAPH, Store
from graph.store.change import Triple
from graph.store.expiring import ExpiringLookups
from graph.store.terms import to_oxigraph
from graph.store.tokens import ACCESS
from ontology.namespaces import ID

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "SESSION_CACHE_SECONDS",
    "USER_ROLES",
    "IssuedSession",
    "SessionCache",
    "UserRecord",
    "create_session",
    "create_user",
    "disable_user",
    "end_session",
    "find_user",
    "list_users",
    "lookup_session",
    "verify_password",
]

#: The roles a member of staff may sign in with (readers use API tokens).
USER_ROLES = ("editor", "reviewer", "admin")
MIN_PASSWORD_LENGTH = 12
#: How long a looked-up session is trusted without asking the store again (s).
SESSION_CACHE_SECONDS = 5.0

_NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
_HASHER = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified when the name is unknown, so a wrong name costs as long as a wrong password.

    Made on first use, not at import: an Argon2 hash is slow by design.
    """
    return _HASHER.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True, slots=True)
class UserRecord:
    """What the store knows of an account: never its password."""

    name: str
    role: str
    forvaltning: str | None
    created: datetime
    disabled: datetime | None = None

    @property
    def active(self) -> bool:
        return self.disabled is None


@dataclass(frozen=True, slots=True)
class IssuedSession:
    """A session just begun: the secret for the cookie (never stored), its account, its end."""

    secret: str
    user: UserRecord
    expires: datetime


def _user_uri(name: str) -> URIRef:
    return ID[f"user/{name}"]


def _session_uri(digest: str) -> URIRef:
    return ID[f"session/{digest[:24]}"]


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _stamp(when: datetime) -> Literal:
    return Literal(when.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def _block(triples: list[Triple]) -> str:
    body = "\n".join(f"{to_oxigraph(s)} {to_oxigraph(p)} {to_oxigraph(o)} ." for s, p, o in triples)
    return f"GRAPH <{ACCESS_GRAPH}> {{\n{body}\n}}"


def _normal_name(name: str) -> str:
    return name.strip().lower()


def create_user(
    store: Store,
    name: str,
    password: str,
    *,
    role: str,
    forvaltning: str | None = None,
    now: datetime | None = None,
) -> UserRecord:
    """Create an account; the store keeps the Argon2id hash of ``password``, never the password.

    Whether ``forvaltning`` names a real administration is the caller's check
    (:func:`graph.edit.scope.administration`): this layer knows no units.

    Raises
    ------
    InvalidInputError
        A bad name, role or password, an editor without an administration, or a name taken.

    Examples
    --------
    >>> from graph.store.embedded import EmbeddedStore
    >>> store = EmbeddedStore(None)
    >>> create_user(store, "bo", "kort", role="admin")
    Traceback (most recent call last):
    ...
    graph.errors.InvalidInputError: adgangskoden skal have mindst 12 tegn
    >>> create_user(store, "bo", "et langt kodeord", role="editor")
    Traceback (most recent call last):
    ...
    graph.errors.InvalidInputError: en redaktør skal have en forvaltning (--forvaltning)
    """
    name = _normal_name(name)
    if not _NAME.match(name):
        raise InvalidInputError(
            "brugernavnet skal have 2-64 tegn: små bogstaver a-z, cifre og . _ @ -"
        )
    if role not in USER_ROLES:
        raise InvalidInputError(f"ukendt rolle {role!r}; vælg en af {', '.join(USER_ROLES)}")
    if role == "editor" and not forvaltning:
        raise InvalidInputError("en redaktør skal have en forvaltning (--forvaltning)")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInputError(f"adgangskoden skal have mindst {MIN_PASSWORD_LENGTH} tegn")
    if find_user(store, name) is not None:
        raise InvalidInputError(f"brugeren {name!r} findes allerede")
    record = UserRecord(
        name, role, forvaltning or None, (now or datetime.now(UTC)).replace(microsecond=0)
    )
    uri = _user_uri(name)
    triples: list[Triple] = [
        (uri, RDF.type, ACCESS.StaffAccount),
        (uri, RDFS.label, Literal(name)),
        (uri, ACCESS.passwordHash, Literal(_HASHER.hash(password))),
        (uri, ACCESS.role, Literal(role)),
        (uri, DCTERMS.created, _stamp(record.created)),
    ]
    if record.forvaltning:
        triples.append((uri, ACCESS.forvaltning, Literal(record.forvaltning)))
    store.update(f"INSERT DATA {{ {_block(triples)} }}")
    return record


_USER_PATTERN = f"""GRAPH <{ACCESS_GRAPH}> {{
    ?u a <{ACCESS.StaffAccount}> ; <{RDFS.label}> ?name ; <{ACCESS.role}> ?role ;
       <{ACCESS.passwordHash}> ?hash ; <{DCTERMS.created}> ?created .
    OPTIONAL {{ ?u <{ACCESS.forvaltning}> ?forvaltning }}
    OPTIONAL {{ ?u <{ACCESS.disabled}> ?disabled }}
}}"""


def _user(row: dict[str, Node]) -> UserRecord:
    disabled, forvaltning = row.get("disabled"), row.get("forvaltning")
    return UserRecord(
        name=str(row["name"]),
        role=str(row["role"]),
        forvaltning=str(forvaltning) if forvaltning is not None else None,
        created=datetime.fromisoformat(str(row["created"])),
        disabled=datetime.fromisoformat(str(disabled)) if disabled is not None else None,
    )


def _rows_for(store: Store, name: str) -> list[dict[str, Node]]:
    return store.select(
        f"SELECT * WHERE {{ {_USER_PATTERN} FILTER(?u = {to_oxigraph(_user_uri(name))}) }}"
    )


def find_user(store: Store, name: str) -> UserRecord | None:
    """The account called ``name`` (any case), active or disabled; None if there is none."""
    rows = _rows_for(store, _normal_name(name))
    return _user(rows[0]) if rows else None


def list_users(store: Store) -> list[UserRecord]:
    """Every account (disabled ones too), by name."""
    rows = store.select(f"SELECT * WHERE {{ {_USER_PATTERN} }}")
    return sorted((_user(row) for row in rows), key=lambda r: r.name)


def verify_password(store: Store, name: str, password: str) -> UserRecord | None:
    """The active account if ``password`` is its password; None otherwise.

    An unknown name is checked against a dummy hash, so the answer takes as long whether
    or not the account exists. A hash made with older parameters is replaced by one with
    today's.
    """
    normal = _normal_name(name)
    rows = _rows_for(store, normal) if _NAME.match(normal) else []
    stored = str(rows[0]["hash"]) if rows else _dummy_hash()
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if not rows:
        return None
    record = _user(rows[0])
    if not record.active:
        return None
    if _HASHER.check_needs_rehash(stored):
        _replace_hash(store, normal, stored, _HASHER.hash(password))
    return record


def _replace_hash(store: Store, name: str, old: str, new: str) -> None:
    uri = _user_uri(name)
    removed = _block([(uri, ACCESS.passwordHash, Literal(old))])
    added = _block([(uri, ACCESS.passwordHash, Literal(new))])
    store.update(f"DELETE DATA {{ {removed} }};\nINSERT DATA {{ {added} }}")


def disable_user(store: Store, name: str, *, now: datetime | None = None) -> UserRecord:
    """Disable the account (its record stays, for the logs); its sessions stop working.

    Raises
    ------
    UnknownEntityError
        No account has that name.
    """
    record = find_user(store, name)
    if record is None:
        raise UnknownEntityError("bruger", name)
    if record.disabled is not None:
        return record
    when = (now or datetime.now(UTC)).replace(microsecond=0)
    triple = (_user_uri(record.name), ACCESS.disabled, _stamp(when))
    store.update(f"INSERT DATA {{ {_block([triple])} }}")
    return UserRecord(record.name, record.role, record.forvaltning, record.created, when)


def create_session(
    store: Store, name: str, *, hours: float = 8.0, now: datetime | None = None
) -> IssuedSession:
    """Begin a session for the active account ``name``; the secret goes in the cookie.

    The account's expired sessions are removed at the same time.
    """
    record = find_user(store, name)
    if record is None or not record.active:
        raise UnknownEntityError("bruger", name)
    start = (now or datetime.now(UTC)).replace(microsecond=0)
    expires = start + timedelta(hours=hours)
    secret = secrets.token_urlsafe(32)
    digest = _digest(secret)
    uri = _session_uri(digest)
    triples: list[Triple] = [
        (uri, RDF.type, ACCESS.StaffSession),
        (uri, ACCESS.sessionHash, Literal(digest)),
        (uri, ACCESS.account, _user_uri(record.name)),
        (uri, DCTERMS.created, _stamp(start)),
        (uri, ACCESS.expires, _stamp(expires)),
    ]
    store.update(_expired_cleanup(record.name, start) + f";\nINSERT DATA {{ {_block(triples)} }}")
    return IssuedSession(secret, record, expires)


def _expired_cleanup(name: str, now: datetime) -> str:
    return f"""DELETE {{ GRAPH <{ACCESS_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{
    GRAPH <{ACCESS_GRAPH}> {{
        ?s a <{ACCESS.StaffSession}> ; <{ACCESS.account}> {to_oxigraph(_user_uri(name))} ;
           <{ACCESS.expires}> ?end ; ?p ?o .
    }}
    FILTER(?end <= {to_oxigraph(_stamp(now))})
}}"""


def lookup_session(store: Store, secret: str, *, now: datetime | None = None) -> UserRecord | None:
    """The active account whose unexpired session ``secret`` is; None otherwise."""
    if not secret or len(secret) > 100:
        return None
    digest = Literal(_digest(secret))
    rows = store.select(
        f"""SELECT * WHERE {{ {_USER_PATTERN}
        GRAPH <{ACCESS_GRAPH}> {{
            ?s <{ACCESS.sessionHash}> {to_oxigraph(digest)} ; <{ACCESS.account}> ?u ;
               <{ACCESS.expires}> ?end .
        }} }}"""
    )
    if len(rows) != 1:
        return None
    record = _user(rows[0])
    expires = datetime.fromisoformat(str(rows[0]["end"]))
    if not record.active or expires <= (now or datetime.now(UTC)):
        return None
    return record


def end_session(store: Store, secret: str) -> None:
    """End the session ``secret`` (nothing happens if there is none)."""
    uri = to_oxigraph(_session_uri(_digest(secret)))
    store.update(
        f"DELETE {{ GRAPH <{ACCESS_GRAPH}> {{ {uri} ?p ?o }} }} "
        f"WHERE {{ GRAPH <{ACCESS_GRAPH}> {{ {uri} ?p ?o }} }}"
    )


class SessionCache:
    """Session lookups for requests: each answer (found or not) is kept for ``seconds``.

    Examples
    --------
    >>> from graph.store.embedded import EmbeddedStore
    >>> store = EmbeddedStore(None)
    >>> _ = create_user(store, "rita", "et langt kodeord", role="reviewer")
    >>> session = create_session(store, "rita")
    >>> cache = SessionCache(store)
    >>> cache.lookup(session.secret).role
    'reviewer'
    >>> end_session(store, session.secret); cache.forget(session.secret)
    >>> cache.lookup(session.secret) is None
    True
    """

    def __init__(
        self,
        store: Store,
        seconds: float = SESSION_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        size: int = 1024,
    ) -> None:
        self.store = store
        self._cache: ExpiringLookups[UserRecord] = ExpiringLookups(
            lambda secret: lookup_session(store, secret), seconds, clock, size
        )

    def lookup(self, secret: str) -> UserRecord | None:
        return self._cache.get(_digest(secret), secret)

    def forget(self, secret: str) -> None:
        """Drop ``secret``'s entry (after signing out on this instance)."""
        self._cache.pop(_digest(secret))
