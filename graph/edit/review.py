"""Review: confirming an assumed fact, disputing one, and the list of open disputes.

A confirmation sets ``stafet:status status:bekraeftet``, adds the source the fact was
checked against, and records who checked it and when (``stafet:assuredBy``,
``stafet:assuredDate``: Open Referral HSDS's assurer and ``assured_date``); it closes the
fact's open disputes. A dispute is a sub-node of the fact (``stafet:dispute``) with the
reason, who and when; until the fact is confirmed again it stays on the coordination
group's list (:func:`open_disputes`). A report from anyone ("Meld en fejl") is a dispute
too, by "Meld en fejl", with the e-mail the person chose to give (if any).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD
from rdflib.namespace import DCTERMS as DCT

from graph.data.ids import split_uri
from graph.edit import terms
from graph.edit.build import Builder, existing
from graph.edit.operations import Confirm, Dispute, EditableKind, Operation, Report
from graph.edit.resources import kind_of_uri
from graph.edit.workspace import Workspace
from graph.store.backend import DATA_GRAPH, Store
from ontology.namespaces import STAFET, STATUS

__all__ = ["REPORTER", "REPORT_MAX", "REVIEW_BUILDERS", "OpenDispute", "open_disputes"]

#: The most characters a report ("Meld en fejl") may have.
REPORT_MAX = 2000
#: Who a report is disputed by in the data and the log (the sender is not signed in).
REPORTER = "Meld en fejl"
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{2,63}")


def _confirm(ws: Workspace, op: Operation) -> None:
    assert isinstance(op, Confirm)
    state = existing(ws, op.target, op.id)
    uri = state.uri
    document = terms.source(ws, op.source, None)
    if document is None and not ws.errors:
        ws.error("source", "En bekræftelse skal nævne den kilde, faktummet er kontrolleret mod.")
    assured = op.assured_on or ws.now.date()
    if assured > ws.now.date():
        ws.error(
            "assured_on", "Man kan ikke have kontrolleret et faktum en dag, der ikke er kommet."
        )
    replaced = {STAFET.status, STAFET.assuredDate, STAFET.assuredBy}
    new = [
        (uri, STAFET.status, STATUS.bekraeftet),
        (uri, STAFET.assuredDate, Literal(assured.isoformat(), datatype=XSD.date)),
        (uri, STAFET.assuredBy, Literal(ws.agent)),
    ]
    if document is not None:
        new.append((uri, DCTERMS.source, document))
    if (locator := terms.danish(ws, "locator", op.locator)) is not None:
        replaced.add(STAFET.sourceLocator)
        new.append((uri, STAFET.sourceLocator, locator))
    ws.replace([t for t in state.own() if t[1] in replaced], new)
    for node in state.subnodes(STAFET.dispute):
        if not any(s == node and p == STAFET.resolvedAt for s, p, _ in state.triples):
            ws.replace((), [(node, STAFET.resolvedAt, _moment(ws.now))])
    ws.touch(uri)


def _dispute(ws: Workspace, op: Operation) -> None:
    assert isinstance(op, Dispute)
    state = existing(ws, op.target, op.id)
    reason = terms.danish(ws, "reason", op.reason, required=True)
    if reason is not None:
        _add_dispute(ws, state.uri, reason, ws.agent)


def _report(ws: Workspace, op: Operation) -> None:
    assert isinstance(op, Report)
    state = existing(ws, op.target, op.id)
    if len(op.text) > REPORT_MAX:
        ws.error("text", f"Beskrivelsen er for lang (højst {REPORT_MAX} tegn).")
    email = (op.email or "").strip() or None
    if email is not None and not _EMAIL.fullmatch(email):
        ws.error("email", "Det ligner ikke en e-mailadresse (fx navn@kk.dk); feltet kan stå tomt.")
    text = terms.danish(ws, "text", op.text, required=True)
    if text is None or ws.errors:
        return
    node = _add_dispute(ws, state.uri, text, REPORTER)
    if email is not None:
        ws.replace((), [(node, STAFET.reporterEmail, Literal(email))])


def _add_dispute(ws: Workspace, fact: URIRef, reason: Literal, by: str) -> URIRef:
    node = ws.free_subnode(f"{fact}/dispute/{secrets.token_hex(4)}")
    ws.replace(
        (),
        [
            (fact, STAFET.dispute, node),
            (node, RDF.type, STAFET.Dispute),
            (node, STAFET.disputeReason, reason),
            (node, STAFET.disputedBy, Literal(by)),
            (node, STAFET.disputedAt, _moment(ws.now)),
        ],
    )
    ws.touch(fact)
    return node


def _moment(at: datetime) -> Literal:
    return Literal(at.isoformat(), datatype=XSD.dateTime)


REVIEW_BUILDERS: dict[type, Builder] = {Confirm: _confirm, Dispute: _dispute, Report: _report}


@dataclass(frozen=True, slots=True)
class OpenDispute:
    """A disputed fact on the coordination group's list."""

    kind: EditableKind
    id: str
    uri: str
    label: str
    reason: str
    by: str
    at: datetime
    status: str | None
    #: The e-mail a report's sender gave (personal data: staff only).
    email: str | None = None


def open_disputes(store: Store) -> list[OpenDispute]:
    """Every dispute not yet closed by a confirmation, oldest first.

    >>> from graph.store.embedded import EmbeddedStore
    >>> store = EmbeddedStore(None)
    >>> _ = store.initialise([], agent="test", reason="tomt")
    >>> open_disputes(store)
    []
    """
    rows = store.select(
        f"""SELECT ?fact ?reason ?by ?at ?status ?email (SAMPLE(?type) AS ?t)
                   (SAMPLE(?name) AS ?label)
                   (GROUP_CONCAT(STR(?type); SEPARATOR=" ") AS ?types)
        WHERE {{ GRAPH <{DATA_GRAPH}> {{
            ?fact <{STAFET.dispute}> ?d ; a ?type .
            ?d <{STAFET.disputeReason}> ?reason ; <{STAFET.disputedBy}> ?by ;
               <{STAFET.disputedAt}> ?at .
            FILTER NOT EXISTS {{ ?d <{STAFET.resolvedAt}> ?done }}
            OPTIONAL {{ ?d <{STAFET.reporterEmail}> ?email }}
            OPTIONAL {{ ?fact <{STAFET.status}> ?status }}
            OPTIONAL {{ ?fact <{SKOS.prefLabel}>|<{DCT.description}> ?name }}
        }} }}
        GROUP BY ?fact ?d ?reason ?by ?at ?status ?email ORDER BY ?at"""
    )
    found = []
    for row in rows:
        uri = str(row["fact"])
        kind = kind_of_uri(uri, [URIRef(t) for t in str(row.get("types", "")).split()])
        if kind is None:
            continue
        status = row.get("status")
        found.append(
            OpenDispute(
                kind=kind,
                id=split_uri(uri)[1],
                uri=uri,
                label=str(row.get("label") or split_uri(uri)[1]),
                reason=str(row["reason"]),
                by=str(row["by"]),
                at=datetime.fromisoformat(str(row["at"])),
                status=str(status).rsplit("/", 1)[-1] if status is not None else None,
                email=str(row["email"]) if row.get("email") is not None else None,
            )
        )
    return found
