"""Compile RDF into the typed registry the questions read (the graph: :mod:`.network`).

Only the predicates named here are read (an explicit whitelist); everything else in the
RDF stays available through SPARQL but does not shape the answers.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as rdflib_namespace

from graph.data.facts import Blank, Facts, Lit
from graph.data.ids import split_uri
from graph.data.model import (
    HANDLING_ROLES,
    AgeCondition,
    ContactArrangement,
    ContactPoint,
    DatedName,
    DatedParent,
    DocumentSource,
    Forum,
    Law,
    Membership,
    Participation,
    Provenance,
    Registry,
    Task,
    TaskLevel,
    Unit,
    UnitKind,
    WebPage,
)
from ontology import namespaces

__all__ = ["compile_registry"]


class _Terms:
    """A namespace whose terms are made once: rdflib builds (and checks) a new ``URIRef`` on
    every attribute access, which was a tenth of a national compile."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = URIRef(getattr(self._namespace, name))
        setattr(self, name, term)
        return term


DCTERMS, FOAF, ORG, RDF, RDFS, SKOS = (
    _Terms(getattr(rdflib_namespace, name))
    for name in ("DCTERMS", "FOAF", "ORG", "RDF", "RDFS", "SKOS")
)
CPSV, CV, ELI, STAFET = (
    _Terms(getattr(namespaces, name)) for name in ("CPSV", "CV", "ELI", "STAFET")
)

_TASK_LEVELS: dict[str, TaskLevel] = {
    str(STAFET.KLEMainGroup): "main",
    str(STAFET.KLEGroup): "group",
    str(STAFET.KLETopic): "topic",
    str(STAFET.OutsideTask): "service",
}

#: A node of either graph the reader reads: rdflib's terms, or :class:`Facts`' ones.
Node = Any


def compile_registry(
    rdf: Graph | Facts, *, known_sources: Mapping[str, DocumentSource] | None = None
) -> Registry:
    """Read every entity the questions need out of ``rdf``.

    ``rdf`` is an rdflib graph, or the :class:`~graph.data.facts.Facts` read from Oxigraph
    (what a whole snapshot is compiled from: no rdflib graph is built); both give the same
    registry.
    ``known_sources`` are documents cited from ``rdf`` but described elsewhere: what a
    part of the graph (:mod:`.incremental`) is compiled with.
    """
    reader = _Reader(rdf)
    registry = Registry()
    registry.sources = {s.id: s for s in reader.sources()}
    reader.source_index = {**(known_sources or {}), **registry.sources}
    registry.contacts = {c.id: c for c in reader.contact_points()}
    registry.units = {u.id: u for u in reader.units()}
    registry.laws = {law.id: law for law in reader.laws()}
    registry.tasks = {t.id: t for t in reader.tasks()}
    registry.forums = {f.id: f for f in reader.forums()}
    registry.participations = {p.id: p for p in reader.participations()}
    registry.memberships = {m.id: m for m in reader.memberships()}
    registry.arrangements = {a.id: a for a in reader.arrangements()}
    return registry


class _Reader:
    """Reads typed entities from RDF: one method per kind."""

    def __init__(self, rdf: Graph | Facts) -> None:
        self.rdf = rdf
        self.source_index: dict[str, DocumentSource] = {}
        #: A node's values of a predicate, as a collection (Facts hands its index's own: a
        #: national compile asks this about a million times, most for one value or none).
        self.values: Callable[[Node, URIRef], Collection[Node]] = (
            rdf.values if isinstance(rdf, Facts) else lambda node, p: list(rdf.objects(node, p))
        )

    # -- generic helpers ---------------------------------------------------------
    def label(self, node: Node) -> str:
        for predicate in (SKOS.prefLabel, DCTERMS.title, ELI.title, RDFS.label):
            text = self.danish(node, predicate)
            if text:
                return text
        return split_uri(node)[1]

    def danish(self, node: Node, predicate: URIRef) -> str | None:
        """The Danish text of a predicate, else any text; of several, the least (as
        :meth:`first`: never what the order of the triples happens to give)."""
        values = self.values(node, predicate)
        if len(values) > 1:
            values = sorted(values, key=str)
        for value in values:
            if isinstance(value, Literal | Lit) and value.language == "da":
                return str(value)
        for value in values:
            if isinstance(value, Literal | Lit):
                return str(value)
        return None

    def texts(self, node: Node, predicate: URIRef) -> tuple[str, ...]:
        values = self.values(node, predicate)
        if not values:
            return ()
        return tuple(sorted({str(v) for v in values if isinstance(v, Literal | Lit)}))

    def ids(self, node: Node, predicate: URIRef) -> tuple[str, ...]:
        values = self.values(node, predicate)
        if not values:
            return ()
        return tuple(sorted(split_uri(v)[1] for v in values))

    def one_id(self, node: Node, predicate: URIRef) -> str | None:
        value = self.first(node, predicate)
        return split_uri(value)[1] if value is not None else None

    def first(self, node: Node, predicate: URIRef) -> Node | None:
        """The one value of a predicate; of several, the least (never what the store's order
        happens to give: the same data must compile the same from Turtle and from a store)."""
        values = self.values(node, predicate)
        if len(values) == 1:
            return next(iter(values))
        return min(values, key=str, default=None)

    def role(self, node: Node) -> str | None:
        """A participation's role; of several (Udbetaling Danmark is ``ansvarlig`` and
        ``udbetaler``), the handling role first (:data:`HANDLING_ROLES`)."""
        roles = sorted(str(role).rsplit("/", 1)[-1] for role in self.values(node, CV.role))
        for role in HANDLING_ROLES:
            if role in roles:
                return role
        return roles[0] if roles else None

    def integer(self, node: Node, predicate: URIRef) -> int | None:
        value = self.first(node, predicate)
        if isinstance(value, Literal | Lit):
            python = value.toPython()
            if isinstance(python, int):
                return python
        return None

    def day(self, node: Node, predicate: URIRef) -> date | None:
        value = self.first(node, predicate)
        if isinstance(value, Literal | Lit):
            python = value.toPython()
            if isinstance(python, date):
                return python
        return None

    def flag(self, node: Node, predicate: URIRef) -> bool | None:
        value = self.first(node, predicate)
        return bool(value.toPython()) if isinstance(value, Literal | Lit) else None

    def typed(self, *classes: URIRef) -> Iterator[Node]:
        seen: set[Node] = set()
        for cls in classes:
            for subject in self.rdf.subjects(RDF.type, cls):
                if _is_iri(subject) and subject not in seen:
                    seen.add(subject)
                    yield subject

    def provenance(self, node: Node) -> Provenance:
        status = self.first(node, STAFET.status)
        status_code = split_uri(status)[1].rsplit("/", 1)[-1] if status is not None else None
        sources = []
        for src in self.values(node, DCTERMS.source):
            ident = split_uri(src)[1]
            known = self.source_index.get(ident)
            if known is None:
                label = str(src) if isinstance(src, Literal | Lit) else ident
                known = DocumentSource(id=ident, uri=str(src), label=label)
            sources.append(known)
        return Provenance(
            status=status_code if status_code in ("bekraeftet", "antaget") else None,  # type: ignore[arg-type]
            sources=tuple(sorted(sources, key=lambda s: s.id)),
            locator=self.danish(node, STAFET.sourceLocator),
            assured_on=self.day(node, STAFET.assuredDate),
            assured_by=str(by) if (by := self.first(node, STAFET.assuredBy)) is not None else None,
        )

    # -- entities ------------------------------------------------------------------
    def sources(self) -> Iterable[DocumentSource]:
        for node in self.typed(FOAF.Document):
            kind, ident = split_uri(node)
            if kind != "source":
                continue
            page = self.first(node, FOAF.page)
            yield DocumentSource(
                id=ident,
                uri=str(node),
                label=self.label(node),
                url=str(page) if page is not None else None,
            )

    def contact_points(self) -> Iterable[ContactPoint]:
        for node in self.typed(CV.ContactPoint):
            yield ContactPoint(
                id=split_uri(node)[1],
                uri=str(node),
                label=self.danish(node, SKOS.prefLabel) or self.danish(node, RDFS.label),
                telephone=self.texts(node, CV.telephone),
                email=self.texts(node, CV.email),
                page=tuple(sorted(str(v) for v in self.rdf.objects(node, CV.contactPage))),
                provenance=self.provenance(node),
                note=self.danish(node, SKOS.note),
                valid_from=self.day(node, STAFET.validFrom),
                valid_until=self.day(node, STAFET.validUntil),
                opening_hours=self.opening_hours(node),
            )

    def opening_hours(self, node: Node) -> tuple[str, ...]:
        """The Danish descriptions of a contact point's ``cv:openingHours``."""
        return tuple(
            sorted(
                text
                for hours in self.rdf.objects(node, CV.openingHours)
                if (text := self.danish(hours, DCTERMS.description)) is not None
            )
        )

    def units(self) -> Iterable[Unit]:
        kinds: list[tuple[URIRef, UnitKind]] = [
            (STAFET.Municipality, "municipality"),
            (STAFET.ExternalAuthority, "external"),
            (STAFET.Administration, "administration"),
            (STAFET.PoliticalBody, "political"),
            (ORG.OrganizationalUnit, "unit"),
        ]
        seen: set[Node] = set()
        for cls, kind in kinds:
            for node in self.typed(cls):
                if node in seen or split_uri(node)[0] != "unit":
                    continue
                seen.add(node)
                yield Unit(
                    id=split_uri(node)[1],
                    uri=str(node),
                    label=self.label(node),
                    kind=kind,
                    parent=self.one_id(node, ORG.subOrganizationOf),
                    alt_labels=self.texts(node, SKOS.altLabel),
                    contacts=self.ids(node, CV.contactPoint),
                    provenance=self.provenance(node),
                    note=self.danish(node, SKOS.note),
                    names=self.dated_names(node),
                    parents=self.dated_parents(node),
                )

    def dated_names(self, unit: Node) -> tuple[DatedName, ...]:
        found = [
            DatedName(
                label=self.label(node),
                provenance=self.provenance(node),
                valid_from=self.day(node, STAFET.validFrom),
                valid_until=self.day(node, STAFET.validUntil),
            )
            for node in self.rdf.objects(unit, STAFET.datedName)
        ]
        return tuple(sorted(found, key=_period_key))

    def dated_parents(self, unit: Node) -> tuple[DatedParent, ...]:
        found = [
            DatedParent(
                parent=parent,
                provenance=self.provenance(node),
                valid_from=self.day(node, STAFET.validFrom),
                valid_until=self.day(node, STAFET.validUntil),
            )
            for node in self.rdf.objects(unit, STAFET.datedParent)
            if (parent := self.one_id(node, STAFET.parentUnit)) is not None
        ]
        return tuple(sorted(found, key=_period_key))

    def laws(self) -> Iterable[Law]:
        for node in self.typed(ELI.LegalResource, ELI.LegalResourceSubdivision):
            if split_uri(node)[0] != "law":
                continue
            see_also = [str(v) for v in self.rdf.objects(node, RDFS.seeAlso) if "/eli/" in str(v)]
            yield Law(
                id=split_uri(node)[1],
                uri=str(node),
                label=self.label(node),
                parent=self.one_id(node, ELI.is_part_of),
                alt_labels=self.texts(node, SKOS.altLabel),
                eli=see_also[0] if see_also else None,
                number=self.danish(node, ELI.number),
                definition=self.danish(node, SKOS.definition),
            )

    def tasks(self) -> Iterable[Task]:
        task_of_concept = {
            concept: task for task, concept in self.rdf.subject_objects(CV.isClassifiedBy)
        }
        for node in self.typed(CPSV.PublicService):
            concept = self.first(node, CV.isClassifiedBy)
            if concept is None:
                continue
            broader_concept = self.first(concept, SKOS.broader)
            broader_task = task_of_concept.get(broader_concept) if broader_concept else None
            yield Task(
                id=split_uri(node)[1],
                uri=str(node),
                label=self.danish(node, DCTERMS.title) or self.label(concept),
                notation=str(self.first(concept, SKOS.notation) or ""),
                level=self.task_level(concept),
                broader=split_uri(broader_task)[1] if broader_task is not None else None,
                description=self.danish(node, DCTERMS.description),
                alt_labels=self.texts(node, SKOS.altLabel),
                keywords=self.keywords(concept),
                legal_resources=self.ids(node, CV.hasLegalResource),
                in_social_field=self.flag(node, STAFET.inSocialField),
                internal_operation=self.flag(node, STAFET.internalOperation),
                requires=self.ids(node, DCTERMS.requires),
                appeal_bodies=self.ids(node, STAFET.appealBody),
                appeal_provisions=self.ids(node, STAFET.appealProvision),
                reconsideration_provisions=self.ids(node, STAFET.reconsiderationProvision),
                pages=self.pages(node),
            )

    def pages(self, node: Node) -> tuple[WebPage, ...]:
        """A task's own pages (``foaf:page``), each with its title, by address."""
        return tuple(
            WebPage(url=str(page), title=self.danish(page, DCTERMS.title) or str(page))
            for page in sorted(self.rdf.objects(node, FOAF.page), key=str)
        )

    def task_level(self, concept: Node) -> TaskLevel:
        """Main group, group, topic or outside service, by the concept's class (a topic if none)."""
        for cls in self.rdf.objects(concept, RDF.type):
            if _is_iri(cls) and str(cls) in _TASK_LEVELS:
                return _TASK_LEVELS[str(cls)]
        return "topic"

    def keywords(self, concept: Node) -> tuple[tuple[str, int], ...]:
        found = []
        for keyword in self.rdf.objects(concept, STAFET.keyword):
            value = self.first(keyword, RDF.value)
            if value is None:
                continue
            found.append((str(value), self.integer(keyword, STAFET.weight) or 0))
        return tuple(sorted(found, key=lambda kw: (-kw[1], kw[0])))

    def forums(self) -> Iterable[Forum]:
        for node in self.typed(STAFET.Forum, ORG.OrganizationalCollaboration):
            frequency = self.first(node, STAFET.meetingFrequency)
            portal = self.first(node, STAFET.portal)
            yield Forum(
                id=split_uri(node)[1],
                uri=str(node),
                label=self.label(node),
                parent=self.one_id(node, ORG.subOrganizationOf),
                provenance=self.provenance(node),
                alt_labels=self.texts(node, SKOS.altLabel),
                description=self.danish(node, DCTERMS.description),
                meetings_per_year=self.integer(node, STAFET.meetingsPerYear),
                frequency=self.label(frequency) if frequency is not None else None,
                agenda=self.texts(node, STAFET.standingAgendaItem),
                tasks=self.ids(node, STAFET.concernsTask),
                portal=split_uri(portal)[1] if portal is not None else None,
                legal_basis=self.ids(node, STAFET.legalBasis),
                note=self.danish(node, SKOS.note),
                case_scope=self.ids(node, STAFET.carriesCasesFor),
            )

    def participations(self) -> Iterable[Participation]:
        for task, node in self.rdf.subject_objects(CV.hasParticipation):
            participant = self.first(node, CV.hasParticipant)
            role = self.role(node)
            if participant is None or role is None:
                continue
            yield Participation(
                id=split_uri(node)[1],
                uri=str(node),
                task=split_uri(task)[1],
                unit=split_uri(participant)[1],
                role=role,
                description=self.danish(node, DCTERMS.description) or "",
                provenance=self.provenance(node),
                step=self.integer(node, STAFET.stepOrder),
                step_label=self.danish(node, STAFET.stepLabel),
                conditions=tuple(
                    self.condition(c)
                    for c in sorted(self.rdf.objects(node, STAFET.condition), key=str)
                ),
                legal_basis=self.ids(node, STAFET.legalBasis),
                valid_from=self.day(node, STAFET.validFrom),
                valid_until=self.day(node, STAFET.validUntil),
                note=self.danish(node, SKOS.note),
            )

    def condition(self, node: Node) -> AgeCondition:
        low = self.integer(node, STAFET.minAge)
        high = self.integer(node, STAFET.maxAge)
        label = self.danish(node, RDFS.label) or self.danish(node, SKOS.prefLabel)
        if label is None:
            label = _age_label(low, high)
        ident = split_uri(node)[1] if not isinstance(node, BNode | Blank) else str(node)
        return AgeCondition(id=ident, min_age=low, max_age=high, label=label)

    def memberships(self) -> Iterable[Membership]:
        for node in self.typed(ORG.Membership):
            member = self.one_id(node, ORG.member)
            organization = self.one_id(node, ORG.organization)
            if member is None or organization is None:
                continue
            role = self.first(node, ORG.role)
            yield Membership(
                id=split_uri(node)[1],
                uri=str(node),
                member=member,
                organization=organization,
                role=str(role).rsplit("/", 1)[-1] if role is not None else "medlem",
                provenance=self.provenance(node),
                valid_from=self.day(node, STAFET.validFrom),
                valid_until=self.day(node, STAFET.validUntil),
                note=self.danish(node, SKOS.note),
                case_scope=self.ids(node, STAFET.carriesCasesFor),
            )

    def arrangements(self) -> Iterable[ContactArrangement]:
        for node in self.typed(ORG.Post, STAFET.ContactArrangement):
            unit = self.one_id(node, ORG.postIn)
            if unit is None:
                continue
            yield ContactArrangement(
                id=split_uri(node)[1],
                uri=str(node),
                label=self.label(node),
                unit=unit,
                serves=self.ids(node, STAFET.serves),
                contacts=self.ids(node, CV.contactPoint),
                provenance=self.provenance(node),
                tasks=self.ids(node, STAFET.concernsTask),
                note=self.danish(node, SKOS.note),
            )


def _is_iri(node: Node) -> bool:
    """An IRI of either graph (rdflib's ``URIRef``, or the plain ``str`` of :class:`Facts`)."""
    return isinstance(node, URIRef) or type(node) is str


def _period_key(dated: DatedName | DatedParent) -> tuple[date, date]:
    """Earliest period first (an open start sorts first, an open end last)."""
    return (dated.valid_from or date.min, dated.valid_until or date.max)


def _age_label(low: int | None, high: int | None) -> str:
    """Danish text of an age band.

    >>> _age_label(None, 64), _age_label(65, None), _age_label(18, 64)
    ('under 65 år', '65 år og derover', '18–64 år')
    """
    if low is None and high is not None:
        return f"under {high + 1} år"
    if high is None and low is not None:
        return f"{low} år og derover"
    return f"{low}–{high} år"
