"""The audit log, in the store's :data:`~graph.store.backend.AUDIT_GRAPH`: who wrote and who read
personal data, when.

Two kinds of entry: a *write* names the change it committed (the change itself, with its
triples, is in the change log); a *read* names the route and the resource whose personal
data (contact persons) a principal was shown. The log is appended to, never edited.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD
from rdflib.term import Node

from graph.store.backend import AUDIT_GRAPH, Store, change_uri
from graph.store.change import Triple
from graph.store.terms import to_oxigraph
from graph.store.tokens import ACCESS
from ontology.namespaces import ID

__all__ = ["AUDIT_KINDS", "AuditEntry", "audit_entries", "record_read", "record_write"]

#: ``write``: a committed change; ``read``: personal data shown to a principal.
AUDIT_KINDS = ("write", "read")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log."""

    id: str
    kind: str
    principal: str
    at: datetime
    change: str | None = None
    route: str | None = None
    resource: str | None = None


def _append(store: Store, kind: str, principal: str, extra: list[tuple[URIRef, Node]]) -> str:
    entry_id = secrets.token_hex(8)
    uri = ID[f"audit/{entry_id}"]
    now = datetime.now(UTC)
    triples: list[Triple] = [
        (uri, RDF.type, ACCESS.AuditEntry),
        (uri, ACCESS.kind, Literal(kind)),
        (uri, ACCESS.principal, Literal(principal)),
        (uri, PROV.atTime, Literal(now.isoformat(), datatype=XSD.dateTime)),
        *((uri, predicate, value) for predicate, value in extra),
    ]
    body = "\n".join(f"{to_oxigraph(s)} {to_oxigraph(p)} {to_oxigraph(o)} ." for s, p, o in triples)
    store.update(f"INSERT DATA {{ GRAPH <{AUDIT_GRAPH}> {{\n{body}\n}} }}")
    return entry_id


def record_write(store: Store, *, change_id: str, principal: str) -> str:
    """Log that ``principal`` committed change ``change_id``; return the entry's id."""
    return _append(store, "write", principal, [(ACCESS.change, change_uri(change_id))])


def record_read(store: Store, *, principal: str, route: str, resource: str) -> str:
    """Log that ``principal`` was shown personal data about ``resource`` on ``route``.

    Examples
    --------
    >>> from graph.store.embedded import EmbeddedStore
    >>> store = EmbeddedStore(None)
    >>> _ = record_read(store, principal="Anna", route="/api/v1/referral", resource="bif")
    >>> _ = record_write(store, change_id="ab12", principal="Bo")
    >>> [(e.kind, e.principal, e.change, e.resource) for e in audit_entries(store)]
    [('read', 'Anna', None, 'bif'), ('write', 'Bo', 'ab12', None)]
    """
    return _append(
        store,
        "read",
        principal,
        [(ACCESS.route, Literal(route)), (ACCESS.resource, Literal(resource))],
    )


def audit_entries(
    store: Store, *, since: datetime | None = None, limit: int = 1000
) -> list[AuditEntry]:
    """The entries at or after ``since``, oldest first, at most ``limit`` (the newest)."""
    after = (
        f'FILTER (?at >= "{since.astimezone(UTC).isoformat()}"^^<{XSD.dateTime}>)'
        if since is not None
        else ""
    )
    rows = store.select(
        f"""SELECT ?e ?kind ?who ?at ?change ?route ?resource WHERE {{
            GRAPH <{AUDIT_GRAPH}> {{
                ?e a <{ACCESS.AuditEntry}> ; <{ACCESS.kind}> ?kind ;
                   <{ACCESS.principal}> ?who ; <{PROV.atTime}> ?at .
                OPTIONAL {{ ?e <{ACCESS.change}> ?change }}
                OPTIONAL {{ ?e <{ACCESS.route}> ?route }}
                OPTIONAL {{ ?e <{ACCESS.resource}> ?resource }}
                {after}
            }}
        }} ORDER BY DESC(?at) LIMIT {int(limit)}"""
    )
    entries = [
        AuditEntry(
            id=str(row["e"]).rsplit("/", 1)[-1],
            kind=str(row["kind"]),
            principal=str(row["who"]),
            at=datetime.fromisoformat(str(row["at"])),
            change=str(row["change"]).rsplit("/", 1)[-1] if "change" in row else None,
            route=str(row["route"]) if "route" in row else None,
            resource=str(row["resource"]) if "resource" in row else None,
        )
        for row in rows
    ]
    return sorted(entries, key=lambda e: (e.at, e.id))
