"""Operations on the organisation: units (with dated renames and moves), forums, authorities.

A rename or a move on a date closes the period of the name or parent that held until then
and opens a new dated one (``stafet:datedName`` / ``stafet:datedParent``, as the seed
records reorganisations); the undated ``skos:prefLabel`` / ``org:subOrganizationOf`` stay
the name and parent *today*, so they change only when the date has come.
"""

from __future__ import annotations

from datetime import date, timedelta

from rdflib import Literal, Node, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS, XSD

from graph.edit import terms
from graph.edit.build import Builder, end_resource, existing, validity
from graph.edit.operations import (
    AuthorityFields,
    CreateAuthority,
    CreateForum,
    CreateUnit,
    EndUnit,
    FactStatus,
    ForumFields,
    MoveUnit,
    Operation,
    RenameUnit,
    UnitFields,
    UpdateAuthority,
    UpdateForum,
    UpdateUnit,
)
from graph.edit.resources import ResourceState, resource_uri
from graph.edit.workspace import Workspace, slug
from graph.store.backend import DATA_GRAPH
from graph.store.change import Triple
from ontology.namespaces import CV, ID, STAFET

__all__ = ["ORG_BUILDERS"]

_UNIT_CLASSES = {
    "unit": ORG.OrganizationalUnit,
    "administration": STAFET.Administration,
    "political": STAFET.PoliticalBody,
}
#: What the fields of a unit, forum or authority govern (the rest of its triples stay).
_NAMED = frozenset(
    {
        DCTERMS.identifier,
        DCTERMS.title,
        SKOS.prefLabel,
        SKOS.altLabel,
        DCTERMS.description,
        SKOS.note,
        DCTERMS.source,
        STAFET.sourceLocator,
        STAFET.status,
    }
)
_UNIT_GOVERNED = _NAMED | {ORG.subOrganizationOf, CV.contactPoint, STAFET.validFrom}
_FORUM_GOVERNED = _NAMED | {
    ORG.subOrganizationOf,
    STAFET.meetingsPerYear,
    STAFET.meetingFrequency,
    STAFET.standingAgendaItem,
    STAFET.concernsTask,
    STAFET.carriesCasesFor,
    STAFET.legalBasis,
    STAFET.validFrom,
}
_AUTHORITY_GOVERNED = _NAMED | {DCTERMS.spatial, CV.contactPoint}


def _replace_governed(
    ws: Workspace, state: ResourceState, new: list[Triple], governed: frozenset[URIRef]
) -> None:
    old = [t for t in state.own() if t[1] in governed]
    ws.replace(old, [t for t in new if t[1] in governed or t[1] == RDF.type])
    ws.touch(state.uri)


def _names(
    ws: Workspace, uri: URIRef, ident: str, name: str, alt: tuple[str, ...], description: str | None
) -> list[Triple]:
    triples: list[Triple] = [(uri, DCTERMS.identifier, Literal(ident))]
    if (label := terms.danish(ws, "name", name, required=True)) is not None:
        triples += [(uri, DCTERMS.title, label), (uri, SKOS.prefLabel, label)]
    for index, other in enumerate(alt):
        if (value := terms.danish(ws, f"alt_labels[{index}]", other)) is not None:
            triples.append((uri, SKOS.altLabel, value))
    if (text := terms.danish(ws, "description", description)) is not None:
        triples.append((uri, DCTERMS.description, text))
    return triples


def _contact_points(ws: Workspace, uri: URIRef, ids: tuple[str, ...]) -> list[Triple]:
    triples: list[Triple] = []
    for index, ident in enumerate(ids):
        contact = ID[f"contact/{ident}"]
        if CV.ContactPoint not in ws.types_of([contact])[contact]:
            ws.error(f"contact_points[{index}]", f"Ukendt kontaktpunkt: {ident!r}.")
        else:
            triples.append((uri, CV.contactPoint, contact))
    return triples


# -------------------------------------------------------------------------------- units


def _unit(ws: Workspace, uri: URIRef, ident: str, f: UnitFields) -> list[Triple]:
    cls = _UNIT_CLASSES.get(f.unit_kind)
    if cls is None:
        ws.error("unit_kind", "Slags enhed skal være 'unit', 'administration' eller 'political'.")
        cls = ORG.OrganizationalUnit
    triples = [*ws.typed(uri, cls), *_names(ws, uri, ident, f.name, f.alt_labels, f.description)]
    parent = terms.organization(ws, f.parent, "parent")
    if parent is not None:
        if parent == uri or uri in _ancestors(ws, parent):
            ws.error(
                "parent", "Enheden kan ikke ligge under sig selv (en cirkel i organisationen)."
            )
        triples.append((uri, ORG.subOrganizationOf, parent))
    triples += _contact_points(ws, uri, f.contact_points)
    triples += terms.provenance(ws, uri, f.status, f.source, f.source_title, f.locator, f.note)
    return triples + validity(ws, uri, f.valid_from, None)


def _ancestors(ws: Workspace, start: URIRef) -> set[Node]:
    rows = ws.select(
        f"SELECT ?a WHERE {{ GRAPH <{DATA_GRAPH}> {{ <{start}> <{ORG.subOrganizationOf}>+ ?a }} }}"
    )
    return {row["a"] for row in rows if isinstance(row.get("a"), URIRef)}


def _create_unit(ws: Workspace, op: Operation) -> None:
    assert isinstance(op, CreateUnit)
    ident = ws.mint("unit", op.id, slug(op.fields.name), "id")
    if ident is None:
        return
    uri = resource_uri("unit", ident)
    triples = _unit(ws, uri, ident, op.fields)
    if op.fields.valid_from is not None:  # the unit did not exist before: its parent is dated
        parent = ID[f"unit/{op.fields.parent}"]
        triples += _dated(ws, uri, "parent", op.fields.valid_from, None, op.fields, parent)
    ws.replace((), triples)
    ws.touch(uri)


def _update_unit(ws: Workspace, op: Operation) -> None:
    assert isinstance(op, UpdateUnit)
    state = existing(ws, "unit", op.id)
    new = _unit(ws, state.uri, op.id, op.fields)
    old_types = [t for t in state.own() if t[1] == RDF.type]
    if _UNIT_CLASSES.get(op.fields.unit_kind, ORG.OrganizationalUnit) not in {
        t[2] for t in old_types
    }:
        ws.replace(old_types, [t for t in new if t[1] == RDF.type])
    _replace_governed(ws, state, [t for t in new if t[1] != RDF.type], _UNIT_GOVERNED)


def _dated(
    ws: Workspace,
    unit: URIRef,
    what: str,
    start: date | None,
    end: date | None,
    f: UnitFields | RenameUnit | MoveUnit,
    value: Node | None = None,
) -> list[Triple]:
    """A dated name (``what="name"``) or parent node of ``unit``, with its own provenance."""
    node = ws.free_subnode(f"{unit}/{what}/{(start or end or date.min).isoformat()}")
    cls, link = (
        (STAFET.DatedName, STAFET.datedName)
        if what == "name"
        else (STAFET.DatedParent, STAFET.datedParent)
    )
    triples: list[Triple] = [(unit, link, node), *ws.typed(node, cls)]
    if value is not None:
        triples.append((node, SKOS.prefLabel if what == "name" else STAFET.parentUnit, value))
    triples += terms.provenance(ws, node, f.status, f.source, f.source_title, f.locator, None)
    return triples + validity(ws, node, start, end)


def _open_period(ws: Workspace, state: ResourceState, link: URIRef, on: date, field: str) -> None:
    """End the dated name or parent that is open on ``on`` at the day before."""
    for node in state.subnodes(link):
        own = {p: o for s, p, o in state.triples if s == node}
        start, end = _date(own.get(STAFET.validFrom)), _date(own.get(STAFET.validUntil))
        if start is not None and start >= on:
            ws.error(
                field, f"Der er allerede en ændring fra {start.isoformat()}; vælg en senere dato."
            )
        elif end is None or end >= on:
            old = [(node, STAFET.validUntil, o) for o in ([own[STAFET.validUntil]] if end else [])]
            ws.replace(old, [(node, STAFET.validUntil, _day(on - timedelta(days=1)))])


def _date(node: Node | None) -> date | None:
    value = node.toPython() if isinstance(node, Literal) else None
    return value if isinstance(value, date) else None


def _day(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _provenance_of(state: ResourceState) -> tuple[FactStatus, str | None]:
    status = next(
        (str(o).rsplit("/", 1)[-1] for s, p, o in state.own() if p == STAFET.status), "antaget"
    )
    source = next(
        (str(o).rsplit("/", 1)[-1] for s, p, o in state.own() if p == DCTERMS.source), None
    )
    return ("bekraeftet" if status == "bekraeftet" else "antaget"), source


def _rename_unit(ws: Workspace, op: Operation) -> None:
    assert isinstance(op, RenameUnit)
    state = existing(ws, "unit", op.id)
    old_name = next((o for s, p, o in state.own() if p == SKOS.prefLabel), None)
    if (new_name := terms.danish(ws, "name", op.name, required=True)) is None:
        return
    if not state.subnodes(STAFET.datedName) and old_name is not None:
        status, source = _provenance_of(state)
        earlier = RenameUnit(op.id, str(old_name), op.on, status, source)
        ws.replace(
            (), _dated(ws, state.uri, "name", None, op.on - timedelta(days=1), earlier, old_name)
        )
    _open_period(ws, state, STAFET.datedName, op.on, "on")
    ws.replace((), _dated(ws, state.uri, "name", op.on, None, op, new_name))
    if op.on <= ws.now.date() and old_name is not None:
        ws.replace(
            [(state.uri, SKOS.prefLabel, old_name), (state.uri, DCTERMS.title, old_name)],
            [
                (state.uri, SKOS.prefLabel, new_name),
                (state.uri, DCTERMS.title, new_name),
                (state.uri, SKOS.altLabel, old_name),
            ],
        )
    ws.touch(state.uri)


def _move_unit(ws: Workspace, op: Operation) -> None:
    assert isinstance(op, MoveUnit)
    state = existing(ws, "unit", op.id)
    parent = terms.organization(ws, op.parent, "parent")
    if parent is None:
        return
    if parent == state.uri or state.uri in _ancestors(ws, parent):
        ws.error("parent", "Enheden kan ikke ligge under sig selv (en cirkel i organisationen).")
    old_parent = next((o for s, p, o in state.own() if p == ORG.subOrganizationOf), None)
    if not state.subnodes(STAFET.datedParent) and old_parent is not None:
        status, source = _provenance_of(state)
        earlier = MoveUnit(op.id, "", op.on, status, source)
        ws.replace(
            (),
            _dated(ws, state.uri, "parent", None, op.on - timedelta(days=1), earlier, old_parent),
        )
    _open_period(ws, state, STAFET.datedParent, op.on, "on")
    ws.replace((), _dated(ws, state.uri, "parent", op.on, None, op, parent))
    if op.on <= ws.now.date():
        old = [t for t in state.own() if t[1] == ORG.subOrganizationOf]
        ws.replace(old, [(state.uri, ORG.subOrganizationOf, parent)])
    ws.touch(state.uri)


def _end_unit(ws: Workspace, op: Operation) -> None:
    assert isinstance(op, EndUnit)
    state = existing(ws, "unit", op.id)
    end_resource(ws, "unit", op.id, op.until)
    parent = next((o for s, p, o in state.own() if p == ORG.subOrganizationOf), None)
    if not state.subnodes(STAFET.datedParent) and parent is not None:
        status, source = _provenance_of(state)
        earlier = MoveUnit(op.id, "", op.until, status, source)
        ws.replace((), _dated(ws, state.uri, "parent", None, op.until, earlier, parent))
    else:
        _open_period(ws, state, STAFET.datedParent, op.until + timedelta(days=1), "until")


# ------------------------------------------------------------------------------- forums


def _forum(ws: Workspace, uri: URIRef, ident: str, f: ForumFields) -> list[Triple]:
    triples = [
        *ws.typed(uri, STAFET.Forum),
        *_names(ws, uri, ident, f.name, f.alt_labels, f.description),
    ]
    if (
        f.parent is not None
        and (parent := terms.organization(ws, f.parent, "parent", forum=True)) is not None
    ):
        triples.append((uri, ORG.subOrganizationOf, parent))
    if f.meetings_per_year is not None:
        if not 0 < f.meetings_per_year <= 366:
            ws.error("meetings_per_year", "Møder om året er et helt tal fra 1 til 366.")
        triples.append(
            (uri, STAFET.meetingsPerYear, Literal(f.meetings_per_year, datatype=XSD.integer))
        )
    if f.frequency is not None and (
        freq := terms.concept(ws, "frequency", f.frequency, "frequency")
    ):
        triples.append((uri, STAFET.meetingFrequency, freq))
    for index, item in enumerate(f.agenda):
        if (value := terms.danish(ws, f"agenda[{index}]", item)) is not None:
            triples.append((uri, STAFET.standingAgendaItem, value))
    for name, ids, predicate, kind in (
        ("tasks", f.tasks, STAFET.concernsTask, "task"),
        ("case_scope", f.case_scope, STAFET.carriesCasesFor, "task"),
        ("legal_basis", f.legal_basis, STAFET.legalBasis, "law"),
    ):
        for index, ident_ in enumerate(ids):
            if (target := terms.reference(ws, kind, ident_, f"{name}[{index}]")) is not None:
                triples.append((uri, predicate, target))
    triples += terms.provenance(ws, uri, f.status, f.source, f.source_title, f.locator, f.note)
    return triples + validity(ws, uri, f.valid_from, None)


def _create_forum(ws: Workspace, op: Operation) -> None:
    assert isinstance(op, CreateForum)
    ident = ws.mint("forum", op.id, slug(op.fields.name), "id")
    if ident is None:
        return
    uri = resource_uri("forum", ident)
    ws.replace((), _forum(ws, uri, ident, op.fields))
    ws.touch(uri)


def _update_forum(ws: Workspace, op: Operation) -> None:
    assert isinstance(op, UpdateForum)
    state = existing(ws, "forum", op.id)
    _replace_governed(ws, state, _forum(ws, state.uri, op.id, op.fields), _FORUM_GOVERNED)


# -------------------------------------------------------------------------- authorities


def _authority(ws: Workspace, uri: URIRef, ident: str, f: AuthorityFields) -> list[Triple]:
    triples = [
        *ws.typed(uri, STAFET.ExternalAuthority),
        *_names(ws, uri, ident, f.name, f.alt_labels, f.description),
    ]
    if (place := terms.reference(ws, "place", f.spatial, "spatial")) is not None:
        triples.append((uri, DCTERMS.spatial, place))
    triples += _contact_points(ws, uri, f.contact_points)
    return triples + terms.provenance(
        ws, uri, f.status, f.source, f.source_title, f.locator, f.note
    )


def _competence(ws: Workspace, uri: URIRef, f: AuthorityFields) -> list[Triple]:
    found: list[Triple] = []
    for index, task in enumerate(f.competent_for):
        if (task_uri := terms.reference(ws, "task", task, f"competent_for[{index}]")) is not None:
            found.append((task_uri, CV.hasCompetentAuthority, uri))
    return found


def _create_authority(ws: Workspace, op: Operation) -> None:
    assert isinstance(op, CreateAuthority)
    ident = ws.mint("unit", op.id, slug(op.fields.name), "id")
    if ident is None:
        return
    uri = resource_uri("authority", ident)
    ws.replace((), _authority(ws, uri, ident, op.fields) + _competence(ws, uri, op.fields))
    ws.touch(uri)


def _update_authority(ws: Workspace, op: Operation) -> None:
    assert isinstance(op, UpdateAuthority)
    state = existing(ws, "authority", op.id)
    _replace_governed(ws, state, _authority(ws, state.uri, op.id, op.fields), _AUTHORITY_GOVERNED)
    ws.replace(state.inbound, _competence(ws, state.uri, op.fields))


ORG_BUILDERS: dict[type, Builder] = {
    CreateUnit: _create_unit,
    UpdateUnit: _update_unit,
    RenameUnit: _rename_unit,
    MoveUnit: _move_unit,
    EndUnit: _end_unit,
    CreateForum: _create_forum,
    UpdateForum: _update_forum,
    CreateAuthority: _create_authority,
    UpdateAuthority: _update_authority,
}
