"""Operations → triples: what each create, update and end states about its resource.

Each builder reads the resource through the :class:`~graph.edit.workspace.Workspace`,
states the triples its fields say (with the standard types, ``D11.md``) and replaces the
ones the fields govern; what an edit does not govern (review marks, dated names, links
from elsewhere) stays. An end sets ``stafet:validUntil``: nothing is deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS, XSD

from graph.edit import terms
from graph.edit.errors import UnknownResourceError
from graph.edit.operations import (
    ContactPointFields,
    CreateContactPoint,
    CreateMembership,
    CreateResponsibility,
    EditableKind,
    EndAuthority,
    EndContactPoint,
    EndForum,
    EndMembership,
    EndResponsibility,
    MembershipFields,
    Operation,
    ResponsibilityFields,
    UpdateContactPoint,
    UpdateResponsibility,
)
from graph.edit.resources import ResourceState, resource_uri
from graph.edit.workspace import Workspace, slug
from graph.store.change import Triple
from ontology.namespaces import CV, STAFET

__all__ = ["BUILDERS", "existing", "governed", "validity"]

Builder = Callable[[Workspace, Operation], None]

#: Predicates an edit never replaces: review marks and the dated history (their own actions).
KEPT = frozenset(
    {STAFET.assuredDate, STAFET.assuredBy, STAFET.dispute, STAFET.datedName, STAFET.datedParent}
)


def existing(ws: Workspace, kind: EditableKind, ident: str) -> ResourceState:
    """The resource as it stands in the batch; :class:`UnknownResourceError` if there is none."""
    state = ws.state(kind, ident)
    if not state.exists:
        raise UnknownResourceError(kind, ident)
    return state


def governed(
    ws: Workspace, state: ResourceState, new: list[Triple], keep: frozenset[URIRef] = KEPT
) -> None:
    """Replace the resource's own triples (all but ``keep``) by ``new``; touch it."""
    old = [t for t in state.own() if t[1] not in keep]
    ws.replace(old, new)
    ws.touch(state.uri)


def validity(ws: Workspace, uri: URIRef, start: date | None, end: date | None) -> list[Triple]:
    """``stafet:validFrom`` / ``validUntil``, with from ≤ until checked."""
    if start is not None and end is not None and start > end:
        ws.error("valid_until", "'Gyldig til' må ikke ligge før 'gyldig fra'.")
    triples: list[Triple] = []
    if (value := terms.day(start)) is not None:
        triples.append((uri, STAFET.validFrom, value))
    if (value := terms.day(end)) is not None:
        triples.append((uri, STAFET.validUntil, value))
    return triples


def end_resource(ws: Workspace, kind: EditableKind, ident: str, until: date) -> None:
    """Set the resource's ``validUntil`` (it held until then, inclusive)."""
    state = existing(ws, kind, ident)
    start = next((o for s, p, o in state.own() if p == STAFET.validFrom), None)
    if (
        isinstance(start, Literal)
        and isinstance(start.toPython(), date)
        and start.toPython() > until
    ):
        ws.error("until", "Slutdatoen må ikke ligge før 'gyldig fra'.")
    old = [t for t in state.own() if t[1] == STAFET.validUntil]
    ws.replace(old, [(state.uri, STAFET.validUntil, Literal(until.isoformat(), datatype=XSD.date))])
    ws.touch(state.uri)


# -------------------------------------------------------------------- responsibilities


def _responsibility(
    ws: Workspace, uri: URIRef, ident: str, f: ResponsibilityFields
) -> list[Triple]:
    triples: list[Triple] = [
        *ws.typed(uri, CV.Participation),
        (uri, DCTERMS.identifier, Literal(ident)),
    ]
    if (description := terms.danish(ws, "description", f.description, required=True)) is not None:
        triples.append((uri, DCTERMS.description, description))
    if (participant := terms.agent(ws, f.unit, "unit")) is not None:
        triples.append((uri, CV.hasParticipant, participant))
    if (role := terms.concept(ws, "role", f.role, "role")) is not None:
        triples.append((uri, CV.role, role))
    for index, band in enumerate(f.conditions):
        if (cond := terms.condition(ws, band, f"conditions[{index}]")) is not None:
            triples.append((uri, STAFET.condition, cond))
    for index, law in enumerate(f.legal_basis):
        if (law_uri := terms.reference(ws, "law", law, f"legal_basis[{index}]")) is not None:
            triples.append((uri, STAFET.legalBasis, law_uri))
    if f.step is not None:
        if f.step < 1:
            ws.error("step", "Et trin er et helt tal fra 1 og opefter.")
        triples.append((uri, STAFET.stepOrder, Literal(f.step, datatype=XSD.integer)))
    if (label := terms.danish(ws, "step_label", f.step_label)) is not None:
        triples.append((uri, STAFET.stepLabel, label))
    triples += terms.provenance(ws, uri, f.status, f.source, f.source_title, f.locator, f.note)
    return triples + validity(ws, uri, f.valid_from, f.valid_until)


def _create_responsibility(ws: Workspace, op: Operation) -> None:
    assert isinstance(op, CreateResponsibility)
    f = op.fields
    task = terms.reference(ws, "task", f.task, "task")
    ident = ws.mint("participation", op.id, slug(f"{f.task}-{f.unit}-{f.role}", 120), "id")
    if ident is None:
        return
    uri = resource_uri("responsibility", ident)
    triples = _responsibility(ws, uri, ident, f)
    if task is not None:
        triples.append((task, CV.hasParticipation, uri))
    ws.replace((), triples)
    ws.touch(uri)


def _update_responsibility(ws: Workspace, op: Operation) -> None:
    assert isinstance(op, UpdateResponsibility)
    state = existing(ws, "responsibility", op.id)
    task = terms.reference(ws, "task", op.fields.task, "task")
    if task is not None and (task, CV.hasParticipation, state.uri) not in state.inbound:
        ws.error(
            "task", "Et ansvar kan ikke flyttes til en anden opgave: afslut det, og opret et nyt."
        )
    governed(ws, state, _responsibility(ws, state.uri, op.id, op.fields))


def _end(kind: EditableKind) -> Builder:
    def end(ws: Workspace, op: Operation) -> None:
        assert isinstance(
            op, (EndResponsibility, EndContactPoint, EndForum, EndMembership, EndAuthority)
        )
        end_resource(ws, kind, op.id, op.until)

    return end


# ----------------------------------------------------------------------- contact points


def _contact_point(ws: Workspace, uri: URIRef, ident: str, f: ContactPointFields) -> list[Triple]:
    triples: list[Triple] = [
        *ws.typed(uri, CV.ContactPoint),
        (uri, DCTERMS.identifier, Literal(ident)),
    ]
    if (label := terms.danish(ws, "label", f.label)) is not None:
        triples.append((uri, SKOS.prefLabel, label))
    for name, values, predicate in (
        ("telephone", f.telephone, CV.telephone),
        ("email", f.email, CV.email),
    ):
        for index, value in enumerate(values):
            if (checked := terms.text(ws, f"{name}[{index}]", value, required=True)) is not None:
                if name == "email" and not _looks_like_email(checked):
                    ws.error(f"{name}[{index}]", f"{checked!r} er ikke en e-mailadresse.")
                triples.append((uri, predicate, Literal(checked)))
    for index, page in enumerate(f.page):
        if not terms.is_url(page):
            ws.error(
                f"page[{index}]", "En side er en URL, der begynder med http:// eller https://."
            )
        else:
            triples.append((uri, CV.contactPage, URIRef(page)))
    triples += terms.provenance(ws, uri, f.status, f.source, f.source_title, f.locator, f.note)
    return triples + validity(ws, uri, f.valid_from, None)


def _looks_like_email(value: str) -> bool:
    """A plausible e-mail address (the mail server is the judge; this catches slips).

    >>> _looks_like_email("borgerraadgiveren@kk.dk"), _looks_like_email("kk.dk")
    (True, False)
    """
    name, at, domain = value.partition("@")
    return bool(name and at and "." in domain and " " not in value)


def _create_contact_point(ws: Workspace, op: Operation) -> None:
    assert isinstance(op, CreateContactPoint)
    f = op.fields
    holder = terms.agent(ws, f.holder, "holder")
    ident = ws.mint(
        "contact", op.id, slug(f.holder if f.label is None else f"{f.holder}-{f.label}"), "id"
    )
    if ident is None:
        return
    uri = resource_uri("contact-point", ident)
    triples = _contact_point(ws, uri, ident, f)
    if holder is not None:
        triples.append((holder, CV.contactPoint, uri))
    ws.replace((), triples)
    ws.touch(uri)


def _update_contact_point(ws: Workspace, op: Operation) -> None:
    assert isinstance(op, UpdateContactPoint)
    state = existing(ws, "contact-point", op.id)
    holder = terms.agent(ws, op.fields.holder, "holder")
    if holder is not None and (holder, CV.contactPoint, state.uri) not in state.inbound:
        ws.error("holder", "Et kontaktpunkt kan ikke flyttes til en anden enhed: opret et nyt.")
    governed(ws, state, _contact_point(ws, state.uri, op.id, op.fields))


# -------------------------------------------------------------------------- memberships


def _membership(ws: Workspace, uri: URIRef, ident: str, f: MembershipFields) -> list[Triple]:
    triples: list[Triple] = [
        *ws.typed(uri, ORG.Membership),
        (uri, DCTERMS.identifier, Literal(ident)),
    ]
    if (member := terms.agent(ws, f.member, "member")) is not None:
        triples.append((uri, ORG.member, member))
    if (org := terms.organization(ws, f.organization, "organization", forum=True)) is not None:
        triples.append((uri, ORG.organization, org))
    if (role := terms.concept(ws, "membership-role", f.role, "role")) is not None:
        triples.append((uri, ORG.role, role))
    if (description := terms.danish(ws, "description", f.description)) is not None:
        triples.append((uri, DCTERMS.description, description))
    for index, task in enumerate(f.case_scope):
        if (task_uri := terms.reference(ws, "task", task, f"case_scope[{index}]")) is not None:
            triples.append((uri, STAFET.carriesCasesFor, task_uri))
    triples += terms.provenance(ws, uri, f.status, f.source, f.source_title, f.locator, f.note)
    return triples + validity(ws, uri, f.valid_from, f.valid_until)


def _create_membership(ws: Workspace, op: Operation) -> None:
    assert isinstance(op, CreateMembership)
    f = op.fields
    ident = ws.mint("membership", op.id, slug(f"{f.organization}-{f.member}-{f.role}", 120), "id")
    if ident is None:
        return
    uri = resource_uri("membership", ident)
    ws.replace((), _membership(ws, uri, ident, f))
    ws.touch(uri)


BUILDERS: dict[type, Builder] = {
    CreateResponsibility: _create_responsibility,
    UpdateResponsibility: _update_responsibility,
    EndResponsibility: _end("responsibility"),
    CreateContactPoint: _create_contact_point,
    UpdateContactPoint: _update_contact_point,
    EndContactPoint: _end("contact-point"),
    CreateMembership: _create_membership,
    EndMembership: _end("membership"),
    EndForum: _end("forum"),
    EndAuthority: _end("authority"),
}
