"""History: what changed in the register (registration time), and between two days (valid time).

The store of record (:mod:`graph.store`) keeps every change exactly; this module reads a run
of them against the knowledge graph: which resources a change touched, whose unit and which
administration they belong to, and field by field what the values were before and after.
It knows changes only by their shape (:class:`LoggedChange`), so it does not depend on the
store. :func:`valid_time_diff` compares two days of one snapshot: which responsibilities,
names and places in the hierarchy differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from rdflib import URIRef
from rdflib.term import Node

from graph.data.knowledge import Knowledge
from graph.data.model import Participation
from graph.errors import InvalidInputError, UnknownEntityError
from ontology.namespaces import ID

__all__ = [
    "ChangeEntry",
    "ChangeLog",
    "FieldChange",
    "LoggedChange",
    "NameChange",
    "ParentChange",
    "ResourceChanges",
    "ResourceRef",
    "ValidTimeDiff",
    "change_log",
    "group_facts",
    "resolve_resource",
    "resource_at",
    "resource_entity",
    "valid_time_diff",
]

#: The tables of the registry a changed resource is looked up in, by kind.
_TABLES = {
    "unit": "units",
    "task": "tasks",
    "law": "laws",
    "forum": "forums",
    "participation": "participations",
    "membership": "memberships",
    "arrangement": "arrangements",
    "contact": "contacts",
    "source": "sources",
}


class LoggedChange(Protocol):
    """What this module reads of a committed change (:class:`graph.store.change.Change`)."""

    @property
    def id(self) -> str: ...
    @property
    def sequence(self) -> int: ...
    @property
    def agent(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def recorded_at(self) -> datetime: ...
    @property
    def reason(self) -> str: ...
    @property
    def source(self) -> str | None: ...
    @property
    def resources(self) -> tuple[str, ...]: ...
    @property
    def removed(self) -> frozenset[tuple[URIRef, URIRef, Node]]: ...
    @property
    def added(self) -> frozenset[tuple[URIRef, URIRef, Node]]: ...


@dataclass(frozen=True, slots=True)
class ResourceRef:
    """A resource of the data by URI; ``kind``/``id`` when the knowledge graph knows it.

    ``units`` are the units it belongs to: a unit itself, a participation's or a
    membership's unit, the units that list a contact point.
    """

    uri: str
    kind: str | None = None
    id: str | None = None
    units: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One predicate of one resource: the values it lost (before) and gained (after)."""

    subject: str
    predicate: str
    before: tuple[Node, ...]
    after: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class ResourceChanges:
    """Every changed field of one resource (its sub-nodes' fields included)."""

    resource: ResourceRef
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    """One committed change, read: who, when, why, and before → after per resource."""

    sequence: int
    id: str
    recorded_at: datetime
    agent: str
    kind: str
    reason: str
    source: str | None
    resources: tuple[ResourceChanges, ...]


@dataclass(frozen=True, slots=True)
class ChangeLog:
    """A page of the change log, newest first; ``next`` continues it (None on the last page)."""

    entries: tuple[ChangeEntry, ...]
    next: int | None


@dataclass(frozen=True, slots=True)
class NameChange:
    unit: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class ParentChange:
    """A unit's parent on each day; None: not part of the organisation that day."""

    unit: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class ValidTimeDiff:
    """What differs between two days: responsibilities valid on only one, names, parents."""

    from_day: date
    to_day: date
    only_before: tuple[Participation, ...]
    only_after: tuple[Participation, ...]
    names: tuple[NameChange, ...]
    parents: tuple[ParentChange, ...]


def _index(kg: Knowledge) -> dict[str, ResourceRef]:
    index: dict[str, ResourceRef] = {}
    registry = kg.registry
    for kind, table in _TABLES.items():
        for ident, entity in getattr(registry, table).items():
            index[entity.uri] = ResourceRef(entity.uri, kind, ident, _units_of(kg, kind, ident))
    return index


def _units_of(kg: Knowledge, kind: str, ident: str) -> frozenset[str]:
    registry = kg.registry
    if kind == "unit":
        return frozenset({ident})
    if kind == "participation":
        return frozenset({registry.participations[ident].unit})
    if kind == "membership":
        return frozenset({registry.memberships[ident].member})
    if kind == "arrangement":
        return frozenset({registry.arrangements[ident].unit})
    if kind == "contact":
        return frozenset(u.id for u in registry.units.values() if ident in u.contacts)
    return frozenset()


def resource_at(kg: Knowledge, uri: str) -> ResourceRef:
    """The resource ``uri`` is, or is a sub-node (``<entity>/…``) of.

    >>> from graph import load_knowledge
    >>> resource_at(load_knowledge(), "https://stafet.kk.dk/id/unit/bif/name/1").id
    'bif'
    """
    index = kg.derived("history-index", _index)
    candidate = uri
    while candidate.startswith(str(ID)):
        if candidate in index:
            return index[candidate]
        candidate, slash, _ = candidate.rpartition("/")
        if not slash:
            break
    return ResourceRef(uri)


def resource_entity(kg: Knowledge, ref: ResourceRef) -> object | None:
    """The compiled entity a reference names (a unit, a participation …), if any."""
    if ref.kind is None or ref.id is None:
        return None
    found: object | None = getattr(kg.registry, _TABLES[ref.kind]).get(ref.id)
    return found


def resolve_resource(kg: Knowledge, text: str) -> ResourceRef:
    """A resource by URI, ``kind/id`` or a bare id (units, tasks, laws, forums first).

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> resolve_resource(kg, "bif").uri
    'https://stafet.kk.dk/id/unit/bif'
    >>> resolve_resource(kg, "unit/ingen")
    Traceback (most recent call last):
    ...
    graph.errors.UnknownEntityError: Ukendt enhed: 'ingen'.
    """
    value = text.strip()
    if value.startswith(("http://", "https://")):
        return resource_at(kg, value)
    kind, slash, ident = value.partition("/")
    if slash and kind in _TABLES:
        if ident in getattr(kg.registry, _TABLES[kind]):
            return resource_at(kg, getattr(kg.registry, _TABLES[kind])[ident].uri)
        searchable = kind in ("unit", "task", "law", "forum")
        raise UnknownEntityError(kind, ident, kg.suggestions(kind, ident) if searchable else [])
    for table in _TABLES.values():
        if value in getattr(kg.registry, table):
            return resource_at(kg, getattr(kg.registry, table)[value].uri)
    raise UnknownEntityError("any", value, kg.suggestions("any", value))


def group_facts(
    kg: Knowledge,
    removed: Iterable[tuple[URIRef, URIRef, Node]],
    added: Iterable[tuple[URIRef, URIRef, Node]],
) -> tuple[ResourceChanges, ...]:
    """Facts removed and added, grouped by resource and field (sorted, stable)."""
    fields: dict[tuple[str, str, str], tuple[list[Node], list[Node]]] = {}
    refs: dict[str, ResourceRef] = {}
    for side, triples in ((0, removed), (1, added)):
        for subject, predicate, obj in triples:
            ref = resource_at(kg, str(subject))
            refs[ref.uri] = ref
            fields.setdefault((ref.uri, str(subject), str(predicate)), ([], []))[side].append(obj)
    grouped: dict[str, list[FieldChange]] = {}
    for (uri, about, field), (before, after) in sorted(fields.items()):
        grouped.setdefault(uri, []).append(
            FieldChange(about, field, tuple(sorted(before, key=str)), tuple(sorted(after, key=str)))
        )
    return tuple(ResourceChanges(refs[uri], tuple(found)) for uri, found in grouped.items())


def _entry(kg: Knowledge, change: LoggedChange) -> ChangeEntry:
    return ChangeEntry(
        sequence=change.sequence,
        id=change.id,
        recorded_at=change.recorded_at,
        agent=change.agent,
        kind=change.kind,
        reason=change.reason,
        source=change.source,
        resources=group_facts(kg, change.removed, change.added),
    )


def _touched(kg: Knowledge, change: LoggedChange) -> list[ResourceRef]:
    """The resources a change touched, and the units it moved something to or from."""
    triples = change.removed | change.added
    found = [
        resource_at(kg, uri)
        for uri in sorted({*change.resources, *(str(s) for s, _, _ in triples)})
    ]
    for _, _, obj in triples:
        ref = resource_at(kg, str(obj)) if isinstance(obj, URIRef) else None
        if ref is not None and ref.kind == "unit" and ref.uri == str(obj):
            found.append(ref)
    return found


def change_log(
    kg: Knowledge,
    changes: Sequence[LoggedChange],
    *,
    unit: str | None = None,
    forvaltning: str | None = None,
    kind: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    resource: str | None = None,
    limit: int = 50,
    before: int | None = None,
) -> ChangeLog:
    """The changes that match every filter given, newest first, a page of ``limit``.

    ``unit``: changes to the unit or to what belongs to it (its responsibilities,
    memberships, contact points); ``forvaltning``: the same for every unit in that
    administration's subtree; ``resource``: changes to one resource (id, ``kind/id`` or URI)
    and its sub-nodes; ``since``/``until``: recorded in that interval (both inclusive);
    ``before``: only changes with a lower sequence number (the previous page's ``next``).

    Raises
    ------
    UnknownEntityError
        An unknown unit, administration or resource.
    InvalidInputError
        ``forvaltning`` names a unit that is no administration, or ``limit`` is below 1.
    """
    if limit < 1:
        raise InvalidInputError("'limit' skal være mindst 1.")
    units = _wanted_units(kg, unit, forvaltning)
    target = resolve_resource(kg, resource) if resource is not None else None
    found: list[ChangeEntry] = []
    for change in sorted(changes, key=lambda c: c.sequence, reverse=True):
        if before is not None and change.sequence >= before:
            continue
        if kind is not None and change.kind != kind:
            continue
        if (since is not None and change.recorded_at < since) or (
            until is not None and change.recorded_at > until
        ):
            continue
        touched = _touched(kg, change)
        if units is not None and not any(ref.units & units for ref in touched):
            continue
        if target is not None and not any(ref.uri == target.uri for ref in touched):
            continue
        if len(found) == limit:
            return ChangeLog(tuple(found), found[-1].sequence)
        found.append(_entry(kg, change))
    return ChangeLog(tuple(found), None)


def _wanted_units(kg: Knowledge, unit: str | None, forvaltning: str | None) -> set[str] | None:
    wanted: set[str] | None = None
    if unit is not None:
        found, _ = kg.resolve("unit", unit)
        wanted = {found.id}
    if forvaltning is not None:
        admin, _ = kg.resolve("unit", forvaltning)
        if admin.kind != "administration":
            raise InvalidInputError(
                f"{admin.label} er ikke en forvaltning; angiv fx 'bif' eller 'sof'."
            )
        subtree = kg.subtree(admin.id)
        wanted = subtree if wanted is None else wanted & subtree
    return wanted


def valid_time_diff(kg: Knowledge, from_day: date, to_day: date) -> ValidTimeDiff:
    """What differs between two days in the data: responsibilities, names, parents.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> kg = load_knowledge()
    >>> diff = valid_time_diff(kg, date(2025, 6, 1), date(2026, 6, 1))
    >>> [n.before for n in diff.names if n.unit == "bif"]
    ['Beskæftigelses- og Integrationsforvaltningen']
    """
    parts = sorted(kg.registry.participations.values(), key=lambda p: (p.task, p.unit, p.id))
    names, parents = [], []
    for unit in sorted(kg.units.values(), key=lambda u: u.id):
        before, after = unit.label_on(from_day), unit.label_on(to_day)
        if before != after:
            names.append(NameChange(unit.id, before, after))
        was, now = unit.parent_on(from_day), unit.parent_on(to_day)
        if was != now:
            parents.append(ParentChange(unit.id, was, now))
    return ValidTimeDiff(
        from_day=from_day,
        to_day=to_day,
        only_before=tuple(
            p for p in parts if p.is_valid_on(from_day) and not p.is_valid_on(to_day)
        ),
        only_after=tuple(p for p in parts if p.is_valid_on(to_day) and not p.is_valid_on(from_day)),
        names=tuple(names),
        parents=tuple(parents),
    )
