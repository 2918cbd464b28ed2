"""Typed namespaces for Stafet's own terms and the standard vocabularies it reuses.

A misspelt term fails at import time, not at query time:

>>> from ontology.namespaces import STAFET
>>> STAFET.legalBasis
rdflib.term.URIRef('https://stafet.kk.dk/def#legalBasis')
>>> STAFET.legalbasis
Traceback (most recent call last):
...
AttributeError: term 'legalbasis' not in namespace 'https://stafet.kk.dk/def#'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = [
    "CPSV",
    "CV",
    "ELI",
    "FREQ",
    "ID",
    "MROLE",
    "PREFIXES",
    "ROLE",
    "STAFET",
    "STATUS",
    "jsonld_context",
]


class STAFET(DefinedNamespace):
    """Stafet's own classes and properties (``ontology/stafet.ttl``)."""

    _fail = True
    _NS = Namespace("https://stafet.kk.dk/def#")

    Municipality: URIRef
    ExternalAuthority: URIRef
    Administration: URIRef
    PoliticalBody: URIRef
    Forum: URIRef
    ContactArrangement: URIRef
    Portal: URIRef
    Condition: URIRef
    AgeCondition: URIRef
    KLEMainGroup: URIRef
    KLEGroup: URIRef
    KLETopic: URIRef
    OutsideTask: URIRef
    FactStatus: URIRef
    RoleScheme: URIRef
    MembershipRoleScheme: URIRef
    FactStatusScheme: URIRef
    DatedName: URIRef
    DatedParent: URIRef
    Change: URIRef
    Dispute: URIRef

    status: URIRef
    sourceLocator: URIRef
    validFrom: URIRef
    validUntil: URIRef
    condition: URIRef
    minAge: URIRef
    maxAge: URIRef
    stepOrder: URIRef
    stepLabel: URIRef
    legalBasis: URIRef
    keyword: URIRef
    weight: URIRef
    inSocialField: URIRef
    internalOperation: URIRef
    meetingsPerYear: URIRef
    meetingFrequency: URIRef
    standingAgendaItem: URIRef
    portal: URIRef
    serves: URIRef
    concernsTask: URIRef
    tookOverOn: URIRef
    datedName: URIRef
    datedParent: URIRef
    parentUnit: URIRef
    carriesCasesFor: URIRef
    appealBody: URIRef
    appealProvision: URIRef
    reconsiderationProvision: URIRef
    # the store of record's change log (graph/store)
    head: URIRef
    headChange: URIRef
    sequence: URIRef
    agentName: URIRef
    changeKind: URIRef
    removedTriples: URIRef
    addedTriples: URIRef
    affects: URIRef
    # review (graph/edit)
    assuredDate: URIRef
    assuredBy: URIRef
    dispute: URIRef
    disputeReason: URIRef
    disputedBy: URIRef
    reporterEmail: URIRef
    disputedAt: URIRef
    resolvedAt: URIRef


class ROLE(DefinedNamespace):
    """A unit's part in a task (``stafet:RoleScheme``)."""

    _fail = True
    _NS = Namespace("https://stafet.kk.dk/def/role/")

    ansvarlig: URIRef
    udfoerende: URIRef
    indsigt: URIRef
    raadgivende: URIRef
    indstillende: URIRef
    udbetaler: URIRef
    vejledende: URIRef


class MROLE(DefinedNamespace):
    """A member's part in a forum (``stafet:MembershipRoleScheme``)."""

    _fail = True
    _NS = Namespace("https://stafet.kk.dk/def/membership-role/")

    leder: URIRef
    sekretariat: URIRef
    medlem: URIRef
    konsulent: URIRef
    gaest: URIRef
    kontaktperson: URIRef
    indgang: URIRef


class STATUS(DefinedNamespace):
    """Whether a fact is confirmed by a source or assumed (``stafet:FactStatusScheme``)."""

    _fail = True
    _NS = Namespace("https://stafet.kk.dk/def/status/")

    bekraeftet: URIRef
    antaget: URIRef


class CV(DefinedNamespace):
    """The CPSV-AP 3.2 core vocabulary terms Stafet uses (``http://data.europa.eu/m8g/``)."""

    _fail = True
    _NS = Namespace("http://data.europa.eu/m8g/")

    PublicOrganisation: URIRef
    Participation: URIRef
    ContactPoint: URIRef
    hasCompetentAuthority: URIRef
    hasParticipation: URIRef
    hasParticipant: URIRef
    participates: URIRef
    role: URIRef
    hasLegalResource: URIRef
    contactPoint: URIRef
    telephone: URIRef
    email: URIRef
    contactPage: URIRef
    openingHours: URIRef
    isClassifiedBy: URIRef
    thematicArea: URIRef
    sector: URIRef


class CPSV(DefinedNamespace):
    """CPSV terms (``http://purl.org/vocab/cpsv#``)."""

    _fail = True
    _NS = Namespace("http://purl.org/vocab/cpsv#")

    PublicService: URIRef
    follows: URIRef
    Rule: URIRef


class ELI(DefinedNamespace):
    """The European Legislation Identifier terms Stafet uses."""

    _fail = True
    _NS = Namespace("http://data.europa.eu/eli/ontology#")

    LegalResource: URIRef
    LegalResourceSubdivision: URIRef
    is_part_of: URIRef
    has_part: URIRef
    title: URIRef
    title_short: URIRef
    number: URIRef
    id_local: URIRef
    date_document: URIRef


#: Resources: ``ID["unit/bif"]``, ``ID["task/kle-32.03.16"]``.
ID = Namespace("https://stafet.kk.dk/id/")

#: Prefixes for Turtle output and the JSON-LD context (our resources, ours and reused terms).
PREFIXES: dict[str, str] = {
    "stafet": str(STAFET._NS),
    "role": str(ROLE._NS),
    "status": str(STATUS._NS),
    "unit": str(ID["unit/"]),
    "task": str(ID["task/"]),
    "kle": str(ID["kle/"]),
    "law": str(ID["law/"]),
    "forum": str(ID["forum/"]),
    "src": str(ID["source/"]),
    "org": "http://www.w3.org/ns/org#",
    "cv": "http://data.europa.eu/m8g/",
    "cpsv": "http://purl.org/vocab/cpsv#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}


def jsonld_context() -> dict[str, str]:
    """The JSON-LD context Stafet serves itself (nothing is fetched from the web)."""
    return dict(PREFIXES)


#: The EU frequency code list (meeting rhythms).
FREQ = Namespace("http://publications.europa.eu/resource/authority/frequency/")
