"""A resource's current fields, read back from its triples: what a GET shows and a PATCH
starts from (the fields a partial update leaves out keep their value)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from rdflib import Literal, Node, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS

from graph.data.ids import split_uri
from graph.edit.errors import UnknownResourceError
from graph.edit.operations import (
    AgeBand,
    AuthorityFields,
    ContactPointFields,
    EditableKind,
    ForumFields,
    MembershipFields,
    ResponsibilityFields,
    UnitFields,
)
from graph.edit.resources import ResourceState, read_state
from graph.store.backend import Store
from ontology.namespaces import CV, STAFET

__all__ = ["DisputeView", "ResourceView", "read_resource"]

Fields = (
    ResponsibilityFields
    | UnitFields
    | ContactPointFields
    | ForumFields
    | MembershipFields
    | AuthorityFields
)


@dataclass(frozen=True, slots=True)
class DisputeView:
    reason: str
    by: str
    at: datetime
    resolved_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ResourceView:
    """One editable resource as it stands: its fields, end, review marks and ETag."""

    kind: EditableKind
    id: str
    uri: str
    etag: str
    fields: Fields
    valid_until: date | None
    assured_on: date | None
    assured_by: str | None
    disputes: tuple[DisputeView, ...]


class _Triples:
    def __init__(self, triples: Iterable[tuple[Node, Node, Node]], subject: URIRef) -> None:
        self.subject = subject
        self.values: dict[Node, list[Node]] = {}
        for s, p, o in triples:
            if s == subject:
                self.values.setdefault(p, []).append(o)

    def all(self, predicate: URIRef) -> list[Node]:
        return sorted(self.values.get(predicate, []), key=str)

    def text(self, predicate: URIRef) -> str | None:
        found = self.all(predicate)
        danish = [v for v in found if isinstance(v, Literal) and v.language == "da"]
        chosen = danish or found
        return str(chosen[0]) if chosen else None

    def texts(self, predicate: URIRef) -> tuple[str, ...]:
        return tuple(str(v) for v in self.all(predicate))

    def ids(self, predicate: URIRef) -> tuple[str, ...]:
        return tuple(split_uri(v)[1] for v in self.all(predicate))

    def one_id(self, predicate: URIRef) -> str | None:
        found = self.ids(predicate)
        return found[0] if found else None

    def code(self, predicate: URIRef) -> str | None:
        found = self.all(predicate)
        return str(found[0]).rstrip("/").rsplit("/", 1)[-1] if found else None

    def python(self, predicate: URIRef) -> object:
        found = self.all(predicate)
        return found[0].toPython() if found and isinstance(found[0], Literal) else None

    def day(self, predicate: URIRef) -> date | None:
        value = self.python(predicate)
        return value if isinstance(value, date) and not isinstance(value, datetime) else None

    def status(self) -> str:
        return "bekraeftet" if self.code(STAFET.status) == "bekraeftet" else "antaget"

    def source(self) -> str | None:
        found = self.all(DCTERMS.source)
        return split_uri(found[0])[1] if found else None


def read_resource(store: Store, kind: EditableKind, ident: str) -> ResourceView:
    """The resource's fields and review marks; :class:`UnknownResourceError` if there is none."""
    state = read_state(store, kind, ident)
    if not state.exists:
        raise UnknownResourceError(kind, ident)
    return view_of(store, state)


def view_of(store: Store, state: ResourceState) -> ResourceView:
    t = _Triples(state.triples, state.uri)
    readers: dict[EditableKind, Callable[[Store, ResourceState, _Triples], Fields]] = {
        "responsibility": _responsibility,
        "unit": _unit,
        "contact-point": _contact_point,
        "forum": _forum,
        "membership": _membership,
        "authority": _authority,
    }
    assured_by = t.python(STAFET.assuredBy)
    return ResourceView(
        kind=state.kind,
        id=state.id,
        uri=str(state.uri),
        etag=state.etag,
        fields=readers[state.kind](store, state, t),
        valid_until=t.day(STAFET.validUntil),
        assured_on=t.day(STAFET.assuredDate),
        assured_by=str(assured_by) if assured_by is not None else None,
        disputes=tuple(_disputes(state)),
    )


def _disputes(state: ResourceState) -> list[DisputeView]:
    found = []
    for node in state.subnodes(STAFET.dispute):
        d = _Triples(state.triples, node)
        at, resolved = d.python(STAFET.disputedAt), d.python(STAFET.resolvedAt)
        if not isinstance(at, datetime):
            continue
        found.append(
            DisputeView(
                reason=d.text(STAFET.disputeReason) or "",
                by=str(d.python(STAFET.disputedBy) or ""),
                at=at,
                resolved_at=resolved if isinstance(resolved, datetime) else None,
            )
        )
    return sorted(found, key=lambda d: d.at)


def _responsibility(store: Store, state: ResourceState, t: _Triples) -> ResponsibilityFields:
    tasks = [split_uri(s)[1] for s, _, _ in state.inbound]
    step = t.python(STAFET.stepOrder)
    return ResponsibilityFields(
        task=tasks[0] if tasks else "",
        unit=t.one_id(CV.hasParticipant) or "",
        role=t.code(CV.role) or "",
        description=t.text(DCTERMS.description) or "",
        status=t.status(),  # type: ignore[arg-type]
        source=t.source(),
        locator=t.text(STAFET.sourceLocator),
        conditions=_conditions(store, t.all(STAFET.condition)),
        legal_basis=t.ids(STAFET.legalBasis),
        step=step if isinstance(step, int) else None,
        step_label=t.text(STAFET.stepLabel),
        note=t.text(SKOS.note),
        valid_from=t.day(STAFET.validFrom),
        valid_until=t.day(STAFET.validUntil),
    )


def _conditions(store: Store, nodes: list[Node]) -> tuple[AgeBand, ...]:
    uris = [n for n in nodes if isinstance(n, URIRef)]
    triples = store.resource_triples(uris)
    bands = []
    for uri in uris:
        c = _Triples(triples, uri)
        low, high = c.python(STAFET.minAge), c.python(STAFET.maxAge)
        bands.append(
            AgeBand(low if isinstance(low, int) else None, high if isinstance(high, int) else None)
        )
    return tuple(bands)


def _unit_kind(state: ResourceState) -> str:
    types = {o for s, p, o in state.own() if p == RDF.type}
    if STAFET.Administration in types:
        return "administration"
    return "political" if STAFET.PoliticalBody in types else "unit"


def _unit(store: Store, state: ResourceState, t: _Triples) -> UnitFields:
    return UnitFields(
        name=t.text(SKOS.prefLabel) or "",
        parent=t.one_id(ORG.subOrganizationOf) or "",
        status=t.status(),  # type: ignore[arg-type]
        source=t.source(),
        locator=t.text(STAFET.sourceLocator),
        unit_kind=_unit_kind(state),  # type: ignore[arg-type]
        alt_labels=t.texts(SKOS.altLabel),
        description=t.text(DCTERMS.description),
        note=t.text(SKOS.note),
        contact_points=t.ids(CV.contactPoint),
        valid_from=t.day(STAFET.validFrom),
    )


def _contact_point(store: Store, state: ResourceState, t: _Triples) -> ContactPointFields:
    holders = [split_uri(s)[1] for s, _, _ in state.inbound]
    return ContactPointFields(
        holder=holders[0] if holders else "",
        status=t.status(),  # type: ignore[arg-type]
        label=t.text(SKOS.prefLabel),
        telephone=t.texts(CV.telephone),
        email=t.texts(CV.email),
        page=t.texts(CV.contactPage),
        source=t.source(),
        locator=t.text(STAFET.sourceLocator),
        note=t.text(SKOS.note),
        valid_from=t.day(STAFET.validFrom),
    )


def _forum(store: Store, state: ResourceState, t: _Triples) -> ForumFields:
    meetings = t.python(STAFET.meetingsPerYear)
    return ForumFields(
        name=t.text(SKOS.prefLabel) or "",
        status=t.status(),  # type: ignore[arg-type]
        source=t.source(),
        locator=t.text(STAFET.sourceLocator),
        parent=t.one_id(ORG.subOrganizationOf),
        alt_labels=t.texts(SKOS.altLabel),
        description=t.text(DCTERMS.description),
        meetings_per_year=meetings if isinstance(meetings, int) else None,
        frequency=t.code(STAFET.meetingFrequency),
        agenda=t.texts(STAFET.standingAgendaItem),
        tasks=t.ids(STAFET.concernsTask),
        case_scope=t.ids(STAFET.carriesCasesFor),
        legal_basis=t.ids(STAFET.legalBasis),
        note=t.text(SKOS.note),
        valid_from=t.day(STAFET.validFrom),
    )


def _membership(store: Store, state: ResourceState, t: _Triples) -> MembershipFields:
    return MembershipFields(
        member=t.one_id(ORG.member) or "",
        organization=t.one_id(ORG.organization) or "",
        status=t.status(),  # type: ignore[arg-type]
        role=t.code(ORG.role) or "medlem",
        source=t.source(),
        locator=t.text(STAFET.sourceLocator),
        description=t.text(DCTERMS.description),
        case_scope=t.ids(STAFET.carriesCasesFor),
        note=t.text(SKOS.note),
        valid_from=t.day(STAFET.validFrom),
        valid_until=t.day(STAFET.validUntil),
    )


def _authority(store: Store, state: ResourceState, t: _Triples) -> AuthorityFields:
    return AuthorityFields(
        name=t.text(SKOS.prefLabel) or "",
        status=t.status(),  # type: ignore[arg-type]
        source=t.source(),
        locator=t.text(STAFET.sourceLocator),
        alt_labels=t.texts(SKOS.altLabel),
        description=t.text(DCTERMS.description),
        spatial=t.one_id(DCTERMS.spatial) or "danmark",
        contact_points=t.ids(CV.contactPoint),
        competent_for=tuple(sorted(split_uri(s)[1] for s, _, _ in state.inbound)),
        note=t.text(SKOS.note),
    )
