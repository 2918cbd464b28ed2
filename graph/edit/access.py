"""Which units an operation concerns, and whether the editor may make it (:mod:`.scope`).

An editor changes only their administration's subtree: a responsibility by its unit (the
unit it has and the one it gets), a unit by itself (a new one by its parent; a move by
both ends), a contact point by its holder, a membership by its member. Forums and outside
authorities span administrations: only an admin edits them. Confirming and disputing is
the reviewers' (the coordination group's) and the admins' anywhere, and an editor's
within their own subtree (the units confirm their own part).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib.namespace import ORG

from graph.data.ids import split_uri
from graph.data.knowledge import Knowledge
from graph.edit.errors import EditForbiddenError
from graph.edit.operations import (
    Confirm,
    CreateAuthority,
    CreateContactPoint,
    CreateForum,
    CreateMembership,
    CreateResponsibility,
    CreateUnit,
    Dispute,
    EditableKind,
    EndAuthority,
    EndContactPoint,
    EndForum,
    EndMembership,
    EndResponsibility,
    EndUnit,
    MoveUnit,
    Operation,
    RenameUnit,
    Report,
    UpdateAuthority,
    UpdateContactPoint,
    UpdateForum,
    UpdateResponsibility,
    UpdateUnit,
)
from graph.edit.scope import Role, may_edit_unit, may_review
from graph.edit.workspace import Workspace
from ontology.namespaces import CV

__all__ = ["Editor", "check_access"]

#: Stands for "no unit": only an admin may edit what belongs to no administration.
_NOBODY = ""


@dataclass(frozen=True, slots=True)
class Editor:
    """Who makes an edit: a name for the log, a role and (for editors) an administration."""

    name: str
    role: Role
    forvaltning: str | None = None


def check_access(ws: Workspace, kg: Knowledge, editor: Editor, op: Operation) -> None:
    """Raise :class:`EditForbiddenError` if ``editor`` may not make ``op``.

    A report of an error ("Meld en fejl") is anyone's, signed in or not.
    """
    if editor.role == "admin" or isinstance(op, Report):
        return
    units = _units_of(ws, op)
    if isinstance(op, (Confirm, Dispute)):
        if may_review(editor.role):
            return
        if editor.role == "editor" and units and all(_may(ws, kg, editor, u) for u in units):
            return
        raise EditForbiddenError(
            "Kun koordinationsgruppen, en administrator eller en redaktør for enhedens "
            "forvaltning må bekræfte eller gøre indsigelse mod dette faktum."
        )
    if editor.role != "editor":
        raise EditForbiddenError(
            "Din rolle må ikke ændre data; koordinationsgruppen kan bekræfte og gøre indsigelse."
        )
    for unit in units or [_NOBODY]:
        if not _may(ws, kg, editor, unit):
            where = f"enheden {unit!r}" if unit else "fora og myndigheder uden for kommunen"
            raise EditForbiddenError(
                f"Du må kun ændre i din egen forvaltnings enheder ({editor.forvaltning}); "
                f"{where} ligger uden for den."
            )


def _may(ws: Workspace, kg: Knowledge, editor: Editor, unit: str) -> bool:
    if not unit:
        return False
    seen: set[str] = set()
    while unit not in kg.units and unit in ws.created_parents and unit not in seen:
        seen.add(unit)  # a unit this batch creates is judged by the parent it gets
        unit = ws.created_parents[unit]
    return may_edit_unit(kg, editor.role, editor.forvaltning, unit)


def _units_of(ws: Workspace, op: Operation) -> list[str]:
    if isinstance(op, CreateResponsibility):
        return [op.fields.unit]
    if isinstance(op, UpdateResponsibility):
        return [op.fields.unit, *_linked(ws, "responsibility", op.id, CV.hasParticipant)]
    if isinstance(op, EndResponsibility):
        return _linked(ws, "responsibility", op.id, CV.hasParticipant)
    if isinstance(op, CreateUnit):
        if op.id is not None:
            ws.created_parents[op.id] = op.fields.parent
        return [op.fields.parent]
    if isinstance(op, UpdateUnit):  # a corrected parent must be the editor's to give too
        return [op.id, op.fields.parent]
    if isinstance(op, (RenameUnit, EndUnit)):
        return [op.id]
    if isinstance(op, MoveUnit):
        return [op.id, op.parent]
    if isinstance(op, CreateContactPoint):
        return [op.fields.holder]
    if isinstance(op, (UpdateContactPoint, EndContactPoint)):
        return _holders(ws, op.id)
    if isinstance(op, CreateMembership):
        return [op.fields.member]
    if isinstance(op, EndMembership):
        return _linked(ws, "membership", op.id, ORG.member)
    if isinstance(op, (Confirm, Dispute)):
        return _fact_units(ws, op.target, op.id)
    if isinstance(op, Report):
        return _fact_units(ws, op.target, op.id)
    assert isinstance(
        op, (CreateForum, UpdateForum, EndForum, CreateAuthority, UpdateAuthority, EndAuthority)
    )
    return []


def _linked(ws: Workspace, kind: EditableKind, ident: str, predicate: object) -> list[str]:
    state = ws.state(kind, ident)
    return [split_uri(o)[1] for s, p, o in state.own() if p == predicate]


def _holders(ws: Workspace, ident: str) -> list[str]:
    return [split_uri(s)[1] for s, _, _ in ws.state("contact-point", ident).inbound]


def _fact_units(ws: Workspace, kind: EditableKind, ident: str) -> list[str]:
    if kind == "responsibility":
        return _linked(ws, kind, ident, CV.hasParticipant)
    if kind == "unit":
        return [ident]
    if kind == "contact-point":
        return _holders(ws, ident)
    if kind == "membership":
        return _linked(ws, kind, ident, ORG.member)
    return []
