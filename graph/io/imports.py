"""What an imported spreadsheet would change: rows → new, changed, ended or unchanged.

Both importers (:mod:`graph.io.template`, :mod:`graph.io.workbook`) read their sheets into
the neutral rows of this module, :class:`ResponsibilityRow` and :class:`ContactRow`, with
ids already resolved and every cell checked. :func:`plan_import` compares them with the
graph as it stands and gives a :class:`Plan`: per row what would happen and the edit
operation (:mod:`graph.edit.operations`) that does it, all in one
:class:`~graph.edit.operations.Batch`, so that an import is committed as one change or not
at all. An existing responsibility is found by its id, or else by task, unit, role and age
band among those still in force; a row that says nothing new about it is unchanged, so
importing what Stafet exported changes nothing.

Who may import what follows the edit rules (:func:`graph.edit.scope.may_edit_unit`): an
editor changes only their own administration's subtree; rows that would change something
outside it are errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

import pyoxigraph as oxigraph

from graph.data.knowledge import Knowledge
from graph.data.model import Participation
from graph.edit.operations import (
    AgeBand,
    Batch,
    ContactPointFields,
    CreateContactPoint,
    CreateResponsibility,
    EndResponsibility,
    FactStatus,
    Operation,
    ResponsibilityFields,
    UpdateContactPoint,
    UpdateResponsibility,
)
from graph.edit.scope import Role, may_edit_unit
from graph.io.spreadsheet import CellError, SpreadsheetError
from graph.store.backend import Store

__all__ = [
    "Action",
    "ContactRow",
    "Plan",
    "PlanEntry",
    "ResponsibilityRow",
    "Scope",
    "commit_plan",
    "plan_import",
]

Action = Literal["new", "changed", "ended", "unchanged"]
_SKOS_NOTE = oxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#note")
_OPERATION_FIELD = re.compile(r"operations\[(\d+)\]\.?(.*)")


@dataclass(frozen=True, slots=True)
class Scope:
    """Who imports: their role and (for an editor) their administration."""

    role: Role
    forvaltning: str | None = None


@dataclass(frozen=True, slots=True)
class ResponsibilityRow:
    """A responsibility a sheet states, ids resolved; ``None`` = the sheet does not say.

    ``sheet``/``row``/``unit_column`` say where it stands (for errors). ``match_conditions``
    is False for a source that has no age bands (OS2mo): then any band matches and the
    existing ones are kept.
    """

    sheet: str | None
    row: int
    unit_column: str
    task: str
    unit: str
    role: str
    conditions: tuple[AgeBand, ...] = ()
    match_conditions: bool = True
    id: str | None = None
    description: str | None = None
    legal_basis: tuple[str, ...] | None = None
    sources: tuple[str, ...] | None = None
    locator: str | None = None
    status: FactStatus | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    note: str | None = None
    #: What a new responsibility gets when the row gives none: where it came from.
    source_if_new: str | None = None
    locator_if_new: str | None = None
    note_if_new: str | None = None


@dataclass(frozen=True, slots=True)
class ContactRow:
    """A functional contact point of a unit that a sheet states."""

    sheet: str | None
    row: int
    unit_column: str
    holder: str
    telephone: tuple[str, ...] = ()
    email: tuple[str, ...] = ()
    page: tuple[str, ...] = ()
    status: FactStatus | None = None
    sources: tuple[str, ...] | None = None
    locator: str | None = None


@dataclass(frozen=True, slots=True)
class PlanEntry:
    """What one row does: ``kind`` responsibility or contact-point, ``id`` the resource
    (``None`` for a new one, which gets its id when committed)."""

    sheet: str | None
    row: int
    action: Action
    kind: Literal["responsibility", "contact-point"]
    id: str | None
    label: str
    operation: Operation | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """The rows' effect on the graph, and every problem found (nothing is done if any)."""

    entries: tuple[PlanEntry, ...]
    errors: tuple[CellError, ...] = field(default=())
    forbidden: tuple[CellError, ...] = field(default=())

    def count(self, action: Action) -> int:
        return sum(1 for entry in self.entries if entry.action == action)

    def batch(self, *, reason: str, source: str | None = None) -> Batch:
        """The operations of every row that changes something, as one batch."""
        operations = tuple(e.operation for e in self.entries if e.operation is not None)
        return Batch(operations, reason=reason, source=source)


def plan_import(
    kg: Knowledge,
    rows: list[ResponsibilityRow | ContactRow],
    scope: Scope,
    *,
    today: date | None = None,
) -> Plan:
    """Compare ``rows`` with ``kg``: what each would change, and whether ``scope`` may.

    Examples
    --------
    >>> from graph.data.knowledge import load_knowledge
    >>> kg = load_knowledge()
    >>> row = ResponsibilityRow("Ansvar", 2, "A", task="kle-32.03.16", unit="sof",
    ...                         role="ansvarlig", id="kle-32.03.16-sof-ansvarlig")
    >>> plan = plan_import(kg, [row], Scope("editor", "bif"))
    >>> plan.entries[0].action, plan.forbidden
    ('unchanged', ())
    >>> ended = replace(row, valid_until=date(2026, 12, 31))
    >>> plan = plan_import(kg, [ended], Scope("editor", "bif"))
    >>> plan.entries[0].action, str(plan.forbidden[0])  # doctest: +ELLIPSIS
    ('ended', "Ark 'Ansvar', række 2, kolonne A: du må ikke ændre Socialforvaltningen: ...")
    >>> plan_import(kg, [ended], Scope("editor", "sof")).forbidden
    ()
    """
    today = today or date.today()
    entries: list[PlanEntry] = []
    errors: list[CellError] = []
    forbidden: list[CellError] = []
    for row in rows:
        if isinstance(row, ResponsibilityRow):
            entry, error = _plan_responsibility(kg, row, today)
            units = [row.unit]
            if entry.id and entry.id in kg.registry.participations:
                units.append(kg.registry.participations[entry.id].unit)
        else:
            entry, error = _plan_contact(kg, row), None
            units = [row.holder]
        if error is not None:
            errors.append(error)
            continue
        entries.append(entry)
        if entry.operation is None:
            continue
        for unit in dict.fromkeys(units):
            if unit in kg.forums or may_edit_unit(kg, scope.role, scope.forvaltning, unit):
                continue
            forbidden.append(
                CellError(
                    row.sheet,
                    row.row,
                    row.unit_column,
                    f"du må ikke ændre {kg.agent_label(unit)}: enheden hører ikke under "
                    "din forvaltning",
                )
            )
    return Plan(tuple(entries), tuple(errors), tuple(forbidden))


def commit_plan(
    store: Store,
    kg: Knowledge,
    plan: Plan,
    agent: str,
    scope: Scope,
    *,
    reason: str,
    dry_run: bool = False,
) -> dict[str, object]:
    """Commit every change of ``plan`` as one batch through the edit rules, or nothing.

    The batch is validated as any edit is (SHACL on what it touches, one ``ansvarlig`` per
    task and age band, the importer's scope); a broken rule is reported on the row that
    caused it. With ``dry_run`` the same checks run and nothing is committed, so a dry
    run reports every error the real import would meet.

    Returns
    -------
    dict
        The committed change's ``id`` and ``sequence`` (``None`` for both if nothing changed).

    Raises
    ------
    SpreadsheetError
        A rule is broken; nothing was stored.
    """
    from graph.edit.access import Editor
    from graph.edit.apply import apply_batch
    from graph.edit.errors import EditInvalidError

    changing = [e for e in plan.entries if e.operation is not None]
    try:
        applied = apply_batch(
            store,
            kg,
            plan.batch(reason=reason),
            Editor(agent, scope.role, scope.forvaltning),
            dry_run=dry_run,
        )
    except EditInvalidError as err:
        raise SpreadsheetError(
            [_row_error(changing, e.field, e.message) for e in err.errors]
        ) from None
    change = applied.change
    return {
        "id": change.id if change else None,
        "sequence": change.sequence if change else None,
    }


def _row_error(changing: list[PlanEntry], field: str, message: str) -> CellError:
    """An edit rule's error on the row whose operation broke it, where that can be told."""
    match = _OPERATION_FIELD.fullmatch(field)
    if match and int(match[1]) < len(changing):
        entry = changing[int(match[1])]
        where = f"{match[2]}: " if match[2] else ""
        return CellError(entry.sheet, entry.row, None, where + message)
    # A rule over the whole batch (one ansvarlig per task) names the task it concerns.
    named = [
        e
        for e in changing
        if (task := getattr(getattr(e.operation, "fields", None), "task", None))
        and re.search(rf"\b{re.escape(task)}\b", message)
    ]
    if len(named) == 1:
        return CellError(named[0].sheet, named[0].row, None, message)
    return CellError(None, None, None, message)


# -- responsibilities ---------------------------------------------------------------------


def _bands(p: Participation) -> tuple[AgeBand, ...]:
    return tuple(AgeBand(c.min_age, c.max_age) for c in p.conditions)


def _note(kg: Knowledge, p: Participation) -> str | None:
    for found in kg.store.quads_for_pattern(oxigraph.NamedNode(p.uri), _SKOS_NOTE, None):
        note = found.object
        if isinstance(note, oxigraph.Literal):
            return str(note.value)
    return None


def _existing(kg: Knowledge, row: ResponsibilityRow, today: date) -> Participation | None:
    if row.id is not None:
        return kg.registry.participations.get(row.id)
    for p in kg.participations_by_task.get(row.task, []):
        if (p.unit, p.role) != (row.unit, row.role):
            continue
        if p.valid_until is not None and p.valid_until < today:
            continue
        if not row.match_conditions or _bands(p) == row.conditions:
            return p
    return None


def _label(kg: Knowledge, row: ResponsibilityRow) -> str:
    task = kg.tasks[row.task]
    return f"{task.notation} {task.label}: {kg.agent_label(row.unit)} ({row.role})"


def _plan_responsibility(
    kg: Knowledge, row: ResponsibilityRow, today: date
) -> tuple[PlanEntry, CellError | None]:
    existing = _existing(kg, row, today)
    label = _label(kg, row)
    if existing is None:
        return _create(kg, row, label)
    same_sources = row.sources is None or _same_sources(row.sources, existing)
    if not same_sources and len(row.sources or ()) > 1:
        return _entry(row, "unchanged", existing.id, label), _one_source(row)
    current = _fields_of(kg, existing)
    wanted = _wanted(row, current, same_sources)
    if wanted == current:
        return _entry(row, "unchanged", existing.id, label), None
    if replace(current, valid_until=wanted.valid_until) == wanted:
        assert wanted.valid_until is not None
        end = EndResponsibility(existing.id, wanted.valid_until)
        return _entry(row, "ended", existing.id, label, end), None
    update = UpdateResponsibility(existing.id, wanted)
    return _entry(row, "changed", existing.id, label, update), None


def _fields_of(kg: Knowledge, existing: Participation) -> ResponsibilityFields:
    """What the register states about a responsibility, as edit fields."""
    sources = existing.provenance.sources
    return ResponsibilityFields(
        task=existing.task,
        unit=existing.unit,
        role=existing.role,
        description=existing.description,
        status=existing.provenance.status or "antaget",
        source=sources[0].id if sources else None,
        locator=existing.provenance.locator,
        conditions=_bands(existing),
        legal_basis=existing.legal_basis,
        step=existing.step,
        step_label=existing.step_label,
        note=_note(kg, existing),
        valid_from=existing.valid_from,
        valid_until=existing.valid_until,
    )


def _wanted(
    row: ResponsibilityRow, current: ResponsibilityFields, same_sources: bool
) -> ResponsibilityFields:
    """``current`` with what the row says; what it leaves empty is kept."""
    return replace(
        current,
        task=row.task,
        unit=row.unit,
        role=row.role,
        conditions=row.conditions if row.match_conditions else current.conditions,
        description=row.description or current.description,
        legal_basis=current.legal_basis if row.legal_basis is None else row.legal_basis,
        source=current.source if same_sources or not row.sources else row.sources[0],
        locator=row.locator or current.locator,
        status=row.status or current.status,
        valid_from=row.valid_from or current.valid_from,
        valid_until=row.valid_until or current.valid_until,
        note=row.note or current.note,
    )


def _same_sources(given: tuple[str, ...], existing: Participation) -> bool:
    """Does a row name exactly the sources the responsibility has (by id, URL or title)?"""
    names = [{s.id, s.uri, s.label, s.url} for s in existing.provenance.sources]
    return len(given) == len(names) and all(any(g in n for n in names) for g in given)


def _create(
    kg: Knowledge, row: ResponsibilityRow, label: str
) -> tuple[PlanEntry, CellError | None]:
    if row.id is not None:
        return _entry(row, "new", None, label), CellError(
            row.sheet,
            row.row,
            None,
            f"ansvaret med id {row.id!r} findes ikke; tøm id-cellen for at oprette det",
        )
    if row.sources is not None and len(row.sources) > 1:
        return _entry(row, "new", None, label), _one_source(row)
    task = kg.tasks[row.task]
    fields = ResponsibilityFields(
        task=row.task,
        unit=row.unit,
        role=row.role,
        description=row.description
        or f"{kg.agent_label(row.unit)} er {row.role} for {task.notation} {task.label}.",
        status=row.status or "antaget",
        source=row.sources[0] if row.sources else row.source_if_new,
        locator=row.locator or row.locator_if_new,
        conditions=row.conditions,
        legal_basis=row.legal_basis or (),
        note=row.note or row.note_if_new,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
    )
    return _entry(row, "new", None, label, CreateResponsibility(fields)), None


def _one_source(row: ResponsibilityRow) -> CellError:
    return CellError(
        row.sheet, row.row, None, "angiv én kilde pr. række (en ny kilde erstatter de gamle)"
    )


def _entry(
    row: ResponsibilityRow,
    action: Action,
    ident: str | None,
    label: str,
    operation: Operation | None = None,
) -> PlanEntry:
    return PlanEntry(row.sheet, row.row, action, "responsibility", ident, label, operation)


# -- contact points -------------------------------------------------------------------------


def _plan_contact(kg: Knowledge, row: ContactRow) -> PlanEntry:
    unit = kg.units[row.holder]
    label = f"kontaktpunkt for {unit.label}"
    points = [kg.registry.contacts[c] for c in unit.contacts if c in kg.registry.contacts]
    for point in points:
        if (
            set(row.telephone) <= set(point.telephone)
            and set(row.email) <= set(point.email)
            and set(row.page) <= set(point.page)
        ):
            return PlanEntry(row.sheet, row.row, "unchanged", "contact-point", point.id, label)
    source = row.sources[0] if row.sources else None
    if len(points) == 1:
        point = points[0]
        fields = ContactPointFields(
            holder=row.holder,
            status=row.status or point.provenance.status or "antaget",
            label=point.label,
            telephone=row.telephone or point.telephone,
            email=row.email or point.email,
            page=row.page or point.page,
            source=source or (point.provenance.sources[0].id if point.provenance.sources else None),
            locator=row.locator or point.provenance.locator,
            note=point.note,
        )
        operation: Operation = UpdateContactPoint(point.id, fields)
        return PlanEntry(row.sheet, row.row, "changed", "contact-point", point.id, label, operation)
    fields = ContactPointFields(
        holder=row.holder,
        status=row.status or "antaget",
        telephone=row.telephone,
        email=row.email,
        page=row.page,
        source=source,
        locator=row.locator,
        note=None if source else "Indlæst fra et regneark uden kilde; enheden skal bekræfte det.",
    )
    return PlanEntry(
        row.sheet, row.row, "new", "contact-point", None, label, CreateContactPoint(fields)
    )
