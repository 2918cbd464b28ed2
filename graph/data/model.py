"""The compiled, typed view of the knowledge graph that the question modules read.

These are plain frozen dataclasses built once from RDF by :mod:`graph.data.compile`. They hold
ids (short, URL-safe strings) where RDF holds URIs; relations are stored once, in the
direction RDF states them, and the compiled networkx graph carries both directions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

__all__ = [
    "HANDLING_ROLES",
    "AgeCondition",
    "ContactArrangement",
    "ContactPoint",
    "DatedName",
    "DatedParent",
    "DocumentSource",
    "Forum",
    "Law",
    "Membership",
    "Participation",
    "Provenance",
    "Registry",
    "Task",
    "Unit",
    "WebPage",
    "in_period",
]

FactStatus = Literal["bekraeftet", "antaget"]
UnitKind = Literal["municipality", "administration", "political", "unit", "external"]
#: ``service``: a task of an outside authority that KLE has no topic for (not a KLE level).
TaskLevel = Literal["main", "group", "topic", "service"]

#: Roles whose unit actually handles the case: a referral ends at one of these.
HANDLING_ROLES = ("ansvarlig", "udfoerende")


@dataclass(frozen=True, slots=True)
class DocumentSource:
    """A document facts are taken from (a seed, kk.dk, OS2KLE …)."""

    id: str
    uri: str
    label: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class WebPage:
    """A web page shown to staff: its address and its title (a ``foaf:Document``)."""

    url: str
    title: str


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a fact comes from and how sure it is."""

    status: FactStatus | None
    sources: tuple[DocumentSource, ...] = ()
    locator: str | None = None
    #: When a person last checked the fact against a source, and who (``stafet:assuredDate``,
    #: ``stafet:assuredBy``: a review's confirmation).
    assured_on: date | None = None
    assured_by: str | None = None

    def describe(self) -> str:
        """One line: 'Seed 004, afsnit …' – for tables and pages."""
        text = "; ".join(s.label for s in self.sources) or "ingen kilde"
        return f"{text}, {self.locator}" if self.locator else text


@dataclass(frozen=True, slots=True)
class ContactPoint:
    id: str
    uri: str
    label: str | None
    telephone: tuple[str, ...]
    email: tuple[str, ...]
    page: tuple[str, ...]
    provenance: Provenance
    note: str | None = None
    #: When the contact point came into use and was ended (``stafet:validFrom``/``Until``).
    valid_from: date | None = None
    valid_until: date | None = None
    #: When the contact point is open or answers, as the source words it (``cv:openingHours``).
    opening_hours: tuple[str, ...] = ()

    @property
    def is_reachable(self) -> bool:
        return bool(self.telephone or self.email)

    def is_valid_on(self, day: date) -> bool:
        """True if the contact point is in use on ``day`` (an ended one is not)."""
        return in_period(self.valid_from, self.valid_until, day)


def in_period(valid_from: date | None, valid_until: date | None, day: date) -> bool:
    """True if ``day`` lies in the period (open ends are unbounded; both ends inclusive)."""
    if valid_from is not None and day < valid_from:
        return False
    return not (valid_until is not None and day > valid_until)


@dataclass(frozen=True, slots=True)
class DatedName:
    """A name a unit had in a period (``stafet:datedName``)."""

    label: str
    provenance: Provenance
    valid_from: date | None = None
    valid_until: date | None = None

    def is_valid_on(self, day: date) -> bool:
        return in_period(self.valid_from, self.valid_until, day)


@dataclass(frozen=True, slots=True)
class DatedParent:
    """The unit a unit belonged to in a period (``stafet:datedParent``)."""

    parent: str
    provenance: Provenance
    valid_from: date | None = None
    valid_until: date | None = None

    def is_valid_on(self, day: date) -> bool:
        return in_period(self.valid_from, self.valid_until, day)


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit of the municipality, the municipality itself, or an external authority.

    ``label`` and ``parent`` are the undated statements (``skos:prefLabel``,
    ``org:subOrganizationOf``): the name and parent as of today. ``names`` and ``parents``
    are the dated ones; :meth:`label_on` and :meth:`parent_on` read a given day.
    """

    id: str
    uri: str
    label: str
    kind: UnitKind
    parent: str | None
    alt_labels: tuple[str, ...]
    contacts: tuple[str, ...]
    provenance: Provenance
    note: str | None = None
    names: tuple[DatedName, ...] = ()
    parents: tuple[DatedParent, ...] = ()

    @property
    def is_external(self) -> bool:
        return self.kind == "external"

    def label_on(self, day: date | None) -> str:
        """The unit's name on ``day``: the dated name valid then, else :attr:`label`.

        >>> p = Provenance("bekraeftet")
        >>> old = DatedName("Handicapcenter København", p, valid_until=date(2015, 2, 28))
        >>> unit = Unit("u", "urn:u", "Borgercenter Handicap", "unit", "sof", (), (), p,
        ...             names=(old,))
        >>> unit.label_on(date(2014, 6, 1)), unit.label_on(date(2015, 3, 1)), unit.label_on(None)
        ('Handicapcenter København', 'Borgercenter Handicap', 'Borgercenter Handicap')
        """
        if day is not None:
            for name in self.names:
                if name.is_valid_on(day):
                    return name.label
        return self.label

    def parent_on(self, day: date | None) -> str | None:
        """The unit's parent on ``day``.

        Without dated parents (or without a day) it is :attr:`parent`. With dated parents
        they are the whole record: a day none of them covers has no parent (the unit was
        not part of the organisation then).

        >>> p = Provenance("bekraeftet")
        >>> since = DatedParent("sof", p, valid_from=date(2015, 5, 1))
        >>> unit = Unit("u", "urn:u", "Borgercenter Voksne", "unit", "sof", (), (), p,
        ...             parents=(since,))
        >>> unit.parent_on(date(2015, 4, 30)), unit.parent_on(date(2015, 5, 1))
        (None, 'sof')
        """
        if day is None or not self.parents:
            return self.parent
        for link in self.parents:
            if link.is_valid_on(day):
                return link.parent
        return None


@dataclass(frozen=True, slots=True)
class Law:
    """A law or one of its provisions (paragraph, stk.)."""

    id: str
    uri: str
    label: str
    parent: str | None
    alt_labels: tuple[str, ...] = ()
    eli: str | None = None
    number: str | None = None
    definition: str | None = None


@dataclass(frozen=True, slots=True)
class AgeCondition:
    """The citizen's age in whole years, both bounds inclusive."""

    id: str
    min_age: int | None
    max_age: int | None
    label: str

    def admits(self, age: int) -> bool:
        """True if a citizen of ``age`` meets the condition.

        >>> AgeCondition("c", None, 64, "under 65 år").admits(64)
        True
        >>> AgeCondition("c", 65, None, "65 år og derover").admits(64)
        False
        """
        low = self.min_age if self.min_age is not None else 0
        high = self.max_age if self.max_age is not None else 10**6
        return low <= age <= high

    def overlaps(self, other: AgeCondition) -> bool:
        low = max(self.min_age or 0, other.min_age or 0)
        high = min(
            self.max_age if self.max_age is not None else 10**6,
            other.max_age if other.max_age is not None else 10**6,
        )
        return low <= high


@dataclass(frozen=True, slots=True)
class Participation:
    """A unit's part in a task (cv:Participation)."""

    id: str
    uri: str
    task: str
    unit: str
    role: str
    description: str
    provenance: Provenance
    step: int | None = None
    step_label: str | None = None
    conditions: tuple[AgeCondition, ...] = ()
    legal_basis: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    #: What the data says beside the fact (``skos:note``), e.g. why it is only assumed.
    note: str | None = None

    def is_valid_on(self, day: date) -> bool:
        return in_period(self.valid_from, self.valid_until, day)

    def admits_age(self, age: int | None) -> bool:
        """True if the conditions allow ``age`` (an unknown age is admitted)."""
        return age is None or all(c.admits(age) for c in self.conditions)

    def overlaps(self, other: Participation) -> bool:
        """True if a citizen could meet both participations' conditions at once."""
        return all(a.overlaps(b) for a in self.conditions for b in other.conditions)


@dataclass(frozen=True, slots=True)
class Task:
    """A KLE main group, group or topic, or an outside authority's service (cpsv:PublicService)."""

    id: str
    uri: str
    label: str
    notation: str
    level: TaskLevel
    broader: str | None
    description: str | None = None
    alt_labels: tuple[str, ...] = ()
    keywords: tuple[tuple[str, int], ...] = ()
    legal_resources: tuple[str, ...] = ()
    in_social_field: bool | None = None
    internal_operation: bool | None = None
    requires: tuple[str, ...] = ()
    #: Where a complaint about a decision goes (stafet:appealBody), on which provision, and
    #: the provision requiring the deciding unit to reconsider first (issue 10).
    appeal_bodies: tuple[str, ...] = ()
    appeal_provisions: tuple[str, ...] = ()
    reconsideration_provisions: tuple[str, ...] = ()
    #: The kk.dk or borger.dk pages about the service a source names (``foaf:page``).
    pages: tuple[WebPage, ...] = ()


@dataclass(frozen=True, slots=True)
class Forum:
    """A forum or collaboration across units (org:OrganizationalCollaboration)."""

    id: str
    uri: str
    label: str
    parent: str | None
    provenance: Provenance
    alt_labels: tuple[str, ...] = ()
    description: str | None = None
    meetings_per_year: int | None = None
    frequency: str | None = None
    agenda: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    portal: str | None = None
    legal_basis: tuple[str, ...] = ()
    note: str | None = None
    #: The tasks whose cases the forum carries between units (stafet:carriesCasesFor).
    case_scope: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Membership:
    """A unit's (or authority's) membership of a forum or unit (org:Membership)."""

    id: str
    uri: str
    member: str
    organization: str
    role: str
    provenance: Provenance
    valid_from: date | None = None
    valid_until: date | None = None
    note: str | None = None
    #: The tasks whose cases the membership carries (stafet:carriesCasesFor).
    case_scope: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ContactArrangement:
    """A contact-person function in a unit that colleagues elsewhere can call (org:Post)."""

    id: str
    uri: str
    label: str
    unit: str
    serves: tuple[str, ...]
    contacts: tuple[str, ...]
    provenance: Provenance
    tasks: tuple[str, ...] = ()
    note: str | None = None


@dataclass(slots=True)
class Registry:
    """All compiled entities by kind and id."""

    units: dict[str, Unit] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    laws: dict[str, Law] = field(default_factory=dict)
    forums: dict[str, Forum] = field(default_factory=dict)
    participations: dict[str, Participation] = field(default_factory=dict)
    memberships: dict[str, Membership] = field(default_factory=dict)
    arrangements: dict[str, ContactArrangement] = field(default_factory=dict)
    contacts: dict[str, ContactPoint] = field(default_factory=dict)
    sources: dict[str, DocumentSource] = field(default_factory=dict)
