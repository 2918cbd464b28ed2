"""The edits a person (or a spreadsheet import) can make, as plain frozen values.

An operation says *what* should become true, in the data model's own terms (ids where the
RDF holds URIs, Danish text, dates, a source and a status); :mod:`graph.edit.apply` turns a
:class:`Batch` of them into one exact :class:`~graph.store.change.Change`. Nothing is ever
deleted: an *end* operation sets ``validUntil`` and the history stays. A unit's rename and
move on a date become a dated name and a dated parent (``stafet:datedName``,
``stafet:datedParent``), exactly as the seed records reorganisations.

Every fact carries a source and a status (``docs/model.md``, "Rules every resource
follows"): ``source`` is the id of a known source document (``kk-dk``, ``seed-004``), a
URL a person can open, or the name of a document (``"Ressortaftale 2026"``); ``source_title``
names a new document given by URL; ``locator`` names the section in it. An assumed fact
(``status="antaget"``) may leave the source out only if it gives its reason in ``note``.

Examples
--------
>>> from datetime import date
>>> op = CreateResponsibility(ResponsibilityFields(
...     task="kle-32.03.16", unit="sof", role="ansvarlig",
...     description="Socialforvaltningen træffer afgørelse om førtidspension.",
...     source="kk-dk", status="bekraeftet", valid_from=date(2027, 1, 1)))
>>> batch = Batch((op, EndResponsibility("kle-32.03.16-sof-ansvarlig", date(2026, 12, 31))),
...               reason="Ny ansvarlig fra 2027")
>>> [o.kind for o in batch.operations], batch.operations[0].fields.conditions
(['create', 'end'], ())
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "EDITABLE_KINDS",
    "AgeBand",
    "AuthorityFields",
    "Batch",
    "Confirm",
    "ContactPointFields",
    "CreateAuthority",
    "CreateContactPoint",
    "CreateForum",
    "CreateMembership",
    "CreateResponsibility",
    "CreateUnit",
    "Dispute",
    "EditableKind",
    "EndAuthority",
    "EndContactPoint",
    "EndForum",
    "EndMembership",
    "EndResponsibility",
    "EndUnit",
    "FactStatus",
    "ForumFields",
    "MembershipFields",
    "MoveUnit",
    "Operation",
    "OperationKind",
    "RenameUnit",
    "Report",
    "ResponsibilityFields",
    "UnitFields",
    "UpdateAuthority",
    "UpdateContactPoint",
    "UpdateForum",
    "UpdateResponsibility",
    "UpdateUnit",
]

FactStatus = Literal["bekraeftet", "antaget"]
#: The kinds of resource an edit may touch, as the API names them in its paths.
EditableKind = Literal[
    "responsibility", "unit", "contact-point", "forum", "membership", "authority"
]
EDITABLE_KINDS: tuple[EditableKind, ...] = (
    "responsibility",
    "unit",
    "contact-point",
    "forum",
    "membership",
    "authority",
)
#: The change kinds of :data:`graph.store.change.CHANGE_KINDS` an operation can be.
OperationKind = Literal["create", "update", "end", "confirm", "dispute"]
#: Unit kinds an edit may create (the municipality and outside authorities have their own).
UnitKindEditable = Literal["unit", "administration", "political"]


@dataclass(frozen=True, slots=True)
class AgeBand:
    """A condition on the citizen's age in whole years, both bounds inclusive (``None`` open).

    It becomes a ``stafet:AgeCondition`` (an existing one with the same bounds is reused).
    """

    min_age: int | None = None
    max_age: int | None = None


# --------------------------------------------------------------------- responsibilities


@dataclass(frozen=True, slots=True)
class ResponsibilityFields:
    """A unit's part in a task (``cv:Participation``): everything an editor states about it.

    ``task``, ``unit`` (a unit, forum or outside authority) and ``legal_basis`` are ids;
    ``role`` a code of the role scheme (``ansvarlig``, ``udfoerende``, ``indsigt`` …).
    """

    task: str
    unit: str
    role: str
    description: str
    status: FactStatus
    source: str | None = None
    locator: str | None = None
    source_title: str | None = None
    conditions: tuple[AgeBand, ...] = ()
    legal_basis: tuple[str, ...] = ()
    step: int | None = None
    step_label: str | None = None
    note: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True, slots=True)
class CreateResponsibility:
    """A new responsibility; ``id`` is minted from task, unit and role unless given."""

    fields: ResponsibilityFields
    id: str | None = None
    kind: Literal["create"] = "create"


@dataclass(frozen=True, slots=True)
class UpdateResponsibility:
    """Replace everything stated about responsibility ``id`` by ``fields``."""

    id: str
    fields: ResponsibilityFields
    kind: Literal["update"] = "update"


@dataclass(frozen=True, slots=True)
class EndResponsibility:
    """Responsibility ``id`` holds until ``until`` (inclusive) and not after."""

    id: str
    until: date
    kind: Literal["end"] = "end"


# -------------------------------------------------------------------------------- units


@dataclass(frozen=True, slots=True)
class UnitFields:
    """A unit of the municipality (``org:OrganizationalUnit``) as it stands undated.

    ``name`` and ``parent`` are today's (``skos:prefLabel``, ``org:subOrganizationOf``);
    a change of either on a date is :class:`RenameUnit` or :class:`MoveUnit`, which keep
    the history. ``contact_points`` are ids of contact points the unit has.
    """

    name: str
    parent: str
    status: FactStatus
    source: str | None = None
    locator: str | None = None
    source_title: str | None = None
    unit_kind: UnitKindEditable = "unit"
    alt_labels: tuple[str, ...] = ()
    description: str | None = None
    note: str | None = None
    contact_points: tuple[str, ...] = ()
    valid_from: date | None = None


@dataclass(frozen=True, slots=True)
class CreateUnit:
    """A new unit under ``fields.parent``; ``id`` is minted from the name unless given."""

    fields: UnitFields
    id: str | None = None
    kind: Literal["create"] = "create"


@dataclass(frozen=True, slots=True)
class UpdateUnit:
    """Correct what is stated about unit ``id`` (a correction, not a dated reorganisation)."""

    id: str
    fields: UnitFields
    kind: Literal["update"] = "update"


@dataclass(frozen=True, slots=True)
class RenameUnit:
    """Unit ``id`` is called ``name`` from ``on``; the old name stays as a dated name."""

    id: str
    name: str
    on: date
    status: FactStatus
    source: str | None = None
    locator: str | None = None
    source_title: str | None = None
    kind: Literal["update"] = "update"


@dataclass(frozen=True, slots=True)
class MoveUnit:
    """Unit ``id`` belongs to ``parent`` from ``on``; the old parent stays as a dated parent."""

    id: str
    parent: str
    on: date
    status: FactStatus
    source: str | None = None
    locator: str | None = None
    source_title: str | None = None
    kind: Literal["update"] = "update"


@dataclass(frozen=True, slots=True)
class EndUnit:
    """Unit ``id`` exists until ``until`` (inclusive): its dated parent ends then."""

    id: str
    until: date
    kind: Literal["end"] = "end"


# ----------------------------------------------------------------------- contact points


@dataclass(frozen=True, slots=True)
class ContactPointFields:
    """A functional contact point (``cv:ContactPoint``): phone, e-mail, page.

    ``holder`` is the id of the unit, forum or outside authority whose contact point it
    is (``cv:contactPoint`` from the holder).
    """

    holder: str
    status: FactStatus
    label: str | None = None
    telephone: tuple[str, ...] = ()
    email: tuple[str, ...] = ()
    page: tuple[str, ...] = ()
    source: str | None = None
    locator: str | None = None
    source_title: str | None = None
    note: str | None = None
    valid_from: date | None = None


@dataclass(frozen=True, slots=True)
class CreateContactPoint:
    """A new contact point; ``id`` is minted from the holder unless given."""

    fields: ContactPointFields
    id: str | None = None
    kind: Literal["create"] = "create"


@dataclass(frozen=True, slots=True)
class UpdateContactPoint:
    """Replace what is stated about contact point ``id``."""

    id: str
    fields: ContactPointFields
    kind: Literal["update"] = "update"


@dataclass(frozen=True, slots=True)
class EndContactPoint:
    """Contact point ``id`` is valid until ``until`` (inclusive)."""

    id: str
    until: date
    kind: Literal["end"] = "end"


# ------------------------------------------------------------------ forums, memberships


@dataclass(frozen=True, slots=True)
class ForumFields:
    """A forum or collaboration (``stafet:Forum``, an ``org:OrganizationalCollaboration``).

    ``parent`` is the larger collaboration it belongs to, ``tasks`` the tasks it concerns,
    ``case_scope`` the tasks whose cases it carries between units (``stafet:carriesCasesFor``,
    only where the source says so), ``frequency`` an EU frequency code (``BIMONTHLY``).
    """

    name: str
    status: FactStatus
    source: str | None = None
    locator: str | None = None
    source_title: str | None = None
    parent: str | None = None
    alt_labels: tuple[str, ...] = ()
    description: str | None = None
    meetings_per_year: int | None = None
    frequency: str | None = None
    agenda: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    case_scope: tuple[str, ...] = ()
    legal_basis: tuple[str, ...] = ()
    note: str | None = None
    valid_from: date | None = None


@dataclass(frozen=True, slots=True)
class CreateForum:
    fields: ForumFields
    id: str | None = None
    kind: Literal["create"] = "create"


@dataclass(frozen=True, slots=True)
class UpdateForum:
    id: str
    fields: ForumFields
    kind: Literal["update"] = "update"


@dataclass(frozen=True, slots=True)
class EndForum:
    id: str
    until: date
    kind: Literal["end"] = "end"


@dataclass(frozen=True, slots=True)
class MembershipFields:
    """``member`` (a unit or authority) takes part in ``organization`` (a forum or unit).

    ``role`` is a membership-role code (``medlem``, ``leder``, ``sekretariat``,
    ``konsulent``, ``gaest``, ``kontaktperson``, ``indgang``).
    """

    member: str
    organization: str
    status: FactStatus
    role: str = "medlem"
    source: str | None = None
    locator: str | None = None
    source_title: str | None = None
    description: str | None = None
    case_scope: tuple[str, ...] = ()
    note: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True, slots=True)
class CreateMembership:
    fields: MembershipFields
    id: str | None = None
    kind: Literal["create"] = "create"


@dataclass(frozen=True, slots=True)
class EndMembership:
    id: str
    until: date
    kind: Literal["end"] = "end"


# ------------------------------------------------------------------ outside authorities


@dataclass(frozen=True, slots=True)
class AuthorityFields:
    """An authority outside the municipality (``stafet:ExternalAuthority``).

    ``spatial`` is the place it serves (``danmark``, ``koebenhavn``: a ``dct:Location``);
    ``competent_for`` the tasks it is competent authority for (``cv:hasCompetentAuthority``).
    """

    name: str
    status: FactStatus
    source: str | None = None
    locator: str | None = None
    source_title: str | None = None
    alt_labels: tuple[str, ...] = ()
    description: str | None = None
    spatial: str = "danmark"
    contact_points: tuple[str, ...] = ()
    competent_for: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CreateAuthority:
    fields: AuthorityFields
    id: str | None = None
    kind: Literal["create"] = "create"


@dataclass(frozen=True, slots=True)
class UpdateAuthority:
    id: str
    fields: AuthorityFields
    kind: Literal["update"] = "update"


@dataclass(frozen=True, slots=True)
class EndAuthority:
    id: str
    until: date
    kind: Literal["end"] = "end"


# ------------------------------------------------------------------------------- review


@dataclass(frozen=True, slots=True)
class Confirm:
    """A reviewer confirms an assumed fact (``antaget`` → ``bekraeftet``).

    Who and when are the change's agent and time; ``source`` (required) is what the fact
    was checked against, ``assured_on`` the day it was checked (HSDS ``assured_date``;
    the day of the change if not given).
    """

    target: EditableKind
    id: str
    source: str
    locator: str | None = None
    source_title: str | None = None
    assured_on: date | None = None
    kind: Literal["confirm"] = "confirm"


@dataclass(frozen=True, slots=True)
class Dispute:
    """A reviewer disputes a fact: it goes on the coordination group's list with ``reason``."""

    target: EditableKind
    id: str
    reason: str
    kind: Literal["dispute"] = "dispute"


@dataclass(frozen=True, slots=True)
class Report:
    """Anyone reports an error in a fact ("Meld en fejl"): a dispute, with an optional e-mail."""

    target: EditableKind
    id: str
    text: str
    email: str | None = None
    kind: Literal["dispute"] = "dispute"


Operation = (
    CreateResponsibility
    | UpdateResponsibility
    | EndResponsibility
    | CreateUnit
    | UpdateUnit
    | RenameUnit
    | MoveUnit
    | EndUnit
    | CreateContactPoint
    | UpdateContactPoint
    | EndContactPoint
    | CreateForum
    | UpdateForum
    | EndForum
    | CreateMembership
    | EndMembership
    | CreateAuthority
    | UpdateAuthority
    | EndAuthority
    | Confirm
    | Dispute
    | Report
)


@dataclass(frozen=True, slots=True)
class Batch:
    """Operations committed together as one change, all or nothing.

    ``reason`` and ``source`` describe the change as a whole (its PROV activity); the
    agent is whoever submits it.
    """

    operations: tuple[Operation, ...]
    reason: str = ""
    source: str | None = None
