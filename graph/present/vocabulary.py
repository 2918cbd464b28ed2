"""Every Danish word Stafet shows for a code in the data: one home for each.

Roles, fact statuses and forum roles are read from the ontology's ``skos:prefLabel@da``
(``ontology/stafet.ttl``), so the ontology and the pages cannot disagree; the other code
lists (resource kinds, gap kinds, referral vias, administrations, how a search matched)
have no concept in the ontology and are defined here.

Adding a gap kind touches the question that finds it and :data:`GAP_KINDS`, nothing else.

Examples
--------
>>> role_label("udfoerende")
'udførende'
>>> status_label("bekraeftet")
'bekræftet'
>>> status_label(None)
'ukendt status'
>>> administration_label("okf")
'ØKF'
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

import pyoxigraph as ox

from graph.errors import NoConfidentMatchError, UnknownEntityError
from ontology.namespaces import MROLE, ROLE, STATUS

__all__ = [
    "ADMINISTRATION_LABELS",
    "ADMINISTRATION_NAMES",
    "CHANGE_KIND_LABELS",
    "COVERAGE_LABELS",
    "FACT_KINDS",
    "GAP_COUNT_LABELS",
    "GAP_KINDS",
    "IMPORT_ACTION_LABELS",
    "KIND_LABELS",
    "KIND_PLURALS",
    "KLE_LEVEL_PLURALS",
    "MATCH_LABELS",
    "MEMBERSHIP_ROLE_LABELS",
    "PARAMETER_LABELS",
    "PREDICATE_LABELS",
    "ROLE_LABELS",
    "STATUS_LABELS",
    "TASK_LEVEL_LABELS",
    "VIA_LABELS",
    "administration_label",
    "count",
    "match_label",
    "not_found",
    "not_found_advice",
    "parameter_label",
    "predicate_label",
    "role_label",
    "status_label",
    "via_label",
]

_ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology" / "stafet.ttl"
_PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
_RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


@cache
def _pref_labels(namespace: str) -> Mapping[str, str]:
    """``{local name: Danish prefLabel}`` for the ontology's concepts under ``namespace``."""
    labels: dict[str, str] = {}
    with _ONTOLOGY.open("rb") as turtle:
        for quad in ox.parse(turtle, format=ox.RdfFormat.TURTLE):
            subject, obj = quad.subject, quad.object
            if (
                quad.predicate == _PREF_LABEL
                and isinstance(subject, ox.NamedNode)
                and subject.value.startswith(namespace)
                and isinstance(obj, ox.Literal)
                and obj.language == "da"
            ):
                labels[subject.value.removeprefix(namespace)] = obj.value
    return MappingProxyType(dict(sorted(labels.items())))


#: Role codes → Danish (``udfoerende`` → ``udførende``), from the ontology.
ROLE_LABELS: Mapping[str, str] = _pref_labels(str(ROLE._NS))
#: Fact statuses → Danish (``bekraeftet`` → ``bekræftet``), from the ontology.
STATUS_LABELS: Mapping[str, str] = _pref_labels(str(STATUS._NS))
#: Roles in a forum → Danish, from the ontology.
MEMBERSHIP_ROLE_LABELS: Mapping[str, str] = _pref_labels(str(MROLE._NS))

#: A summary over facts of both statuses (coverage tables).
MIXED_STATUS = "blandet"

#: Short names of the administrations and of the two buckets outside them.
ADMINISTRATION_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "okf": "ØKF",
        "buf": "BUF",
        "tmf": "TMF",
        "kff": "KFF",
        "bif": "BIF",
        "sof": "SOF",
        "suf": "SUF",
        "oevrige": "Øvrige",
        "ekstern": "Eksterne",
    }
)
#: The administrations' names spelt out, for staff who do not know the abbreviations.
ADMINISTRATION_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "okf": "Økonomiforvaltningen",
        "buf": "Børne- og Ungdomsforvaltningen",
        "tmf": "Teknik- og Miljøforvaltningen",
        "kff": "Kultur- og Fritidsforvaltningen",
        "bif": "Beskæftigelses-, Integrations- og Erhvervsforvaltningen",
        "sof": "Socialforvaltningen",
        "suf": "Sundheds- og Omsorgsforvaltningen",
        "oevrige": "Øvrige enheder",
        "ekstern": "Andre myndigheder",
    }
)

#: The kinds of resource, singular and plural.
KIND_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "task": "Opgave",
        "unit": "Enhed",
        "law": "Lov",
        "forum": "Forum",
        "post": "Kontaktpersonordning",
        "contact": "Kontaktpunkt",
        "participation": "Ansvar",
    }
)
KIND_PLURALS: Mapping[str, str] = MappingProxyType(
    {"task": "Opgaver", "unit": "Enheder", "law": "Love", "forum": "Fora"}
)

#: The kinds of assumed fact, as :func:`~graph.questions.quality.gaps` groups them.
FACT_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "units": "enhed",
        "forums": "forum",
        "participations": "ansvar",
        "memberships": "medlemskab",
        "contact_arrangements": "kontaktpersonordning",
        "contacts": "kontaktpunkt",
    }
)

#: The kinds of gap :func:`~graph.questions.quality.gaps` and the coordination tables find.
GAP_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "tasks_without_ansvarlig": "Opgave uden ansvarlig",
        "tasks_only_antaget": "Opgave hvis ansvar kun er antaget",
        "units_without_contact": "Enhed uden eget kontaktpunkt",
        "contacts_without_phone_or_email": "Kontaktpunkt uden telefon og e-mail",
        "laws_not_cited": "Lov, som ingen opgave henviser til",
        "forums_without_members": "Forum uden medlemmer",
        "tasks_without_owner_for_age": "Opgave uden ansvarlig for en aldersgruppe",
        "arrangements_without_contact": "Kontaktpersonordning uden telefon og e-mail",
        "antaget": "Antaget faktum",
    }
)

#: The counts of :func:`~graph.questions.quality.gaps`, as a summary table names them.
GAP_COUNT_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "tasks": "KLE-opgaver i alt",
        "tasks_without_ansvarlig": "opgaver uden ansvarlig enhed",
        "tasks_only_antaget": "opgaver hvis ansvar kun er antaget",
        "units_without_contact": "enheder uden eget kontaktpunkt",
        "contacts_without_phone_or_email": "kontaktpunkter uden telefon og e-mail",
        "laws_not_cited": "love, som ingen opgave henviser til",
        "forums_without_members": "fora uden medlemmer",
        "antaget": "antagne fakta i alt",
    }
)

#: The kinds of referral hop (:data:`graph.questions.referral.COSTS`).
VIA_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "contact_person": "kontaktperson",
        "contact_point": "enhedens eget kontaktpunkt",
        "single_entry": "Borgerservice, kommunens ene indgang",
        "forum": "fælles forum",
        "collaboration": "formelt samarbejde",
        "hierarchy": "organisationen (op/ned)",
        "across": "en anden forvaltning i samme myndighed",
        "external": "anden myndighed",
        "appeal": "klage til klageinstansen",
    }
)

#: How a KLE group or topic is owned (:data:`graph.questions.coverage.COVERAGE_CATEGORIES`).
COVERAGE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "egen_bekraeftet": "egen ansvarlig, bekræftet",
        "egen_antaget": "egen ansvarlig, antaget",
        "arvet_bekraeftet": "arvet fra KLE-gruppen, bekræftet",
        "arvet_antaget": "arvet fra KLE-gruppen, antaget",
        "ingen": "ingen ansvarlig",
    }
)
#: The levels of KLE below the main groups, in the plural.
KLE_LEVEL_PLURALS: Mapping[str, str] = MappingProxyType(
    {"group": "KLE-grupper", "topic": "KLE-emner"}
)

#: Every task level in the singular: the KLE levels and an outside authority's service.
TASK_LEVEL_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "main": "KLE-hovedgruppe",
        "group": "KLE-gruppe",
        "topic": "KLE-emne",
        "service": "opgave hos en anden myndighed",
    }
)

#: The kinds of change in the store's log (``stafet:changeKind``), as staff read them.
CHANGE_KIND_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "init": "oprettet fra de leverede data",
        "create": "ny",
        "update": "ændret",
        "end": "afsluttet",
        "confirm": "bekræftelse",
        "dispute": "indsigelse eller fejlmelding",
        "import": "indlæst fra regneark",
        "batch": "flere ændringer på én gang",
    }
)

#: What an imported spreadsheet row does (:class:`graph.io.imports.PlanEntry` ``action``).
IMPORT_ACTION_LABELS: Mapping[str, str] = MappingProxyType(
    {"new": "ny", "changed": "ændres", "ended": "afsluttes", "unchanged": "uændret"}
)

#: How a search found what it found.
MATCH_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "id": "id",
        "notation": "KLE-nummer",
        "label": "navn",
        "synonym": "synonym",
        "keyword": "emneord",
        "partial": "delvis match",
        "fuzzy": "stavefejl rettet",
    }
)


_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"
_ORG = "http://www.w3.org/ns/org#"
_CV = "http://data.europa.eu/m8g/"
_ELI = "http://data.europa.eu/eli/ontology#"

#: The predicates of other vocabularies the data uses → Danish (change log, differences).
#: Stafet's own predicates are named by their ``rdfs:label@da`` in the ontology.
PREDICATE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "type",
        "http://www.w3.org/2000/01/rdf-schema#label": "navn",
        "http://www.w3.org/2000/01/rdf-schema#seeAlso": "se også",
        "http://xmlns.com/foaf/0.1/page": "webside",
        _SKOS + "prefLabel": "navn",
        _SKOS + "altLabel": "andet navn",
        _SKOS + "note": "note",
        _SKOS + "definition": "definition",
        _SKOS + "notation": "KLE-nummer",
        _SKOS + "broader": "overordnet emne",
        _SKOS + "inScheme": "begrebssystem",
        _SKOS + "topConceptOf": "topbegreb i",
        _DCT + "title": "titel",
        _DCT + "description": "beskrivelse",
        _DCT + "source": "kilde",
        _DCT + "identifier": "identifikator",
        _DCT + "spatial": "område",
        _ORG + "subOrganizationOf": "overordnet enhed",
        _ORG + "member": "medlem",
        _ORG + "organization": "forum",
        _ORG + "role": "rolle i forummet",
        _ORG + "postIn": "post i",
        _CV + "role": "rolle",
        _CV + "hasParticipant": "enhed",
        _CV + "hasParticipation": "deltagelse",
        _CV + "contactPoint": "kontaktpunkt",
        _CV + "telephone": "telefon",
        _CV + "email": "e-mail",
        _CV + "isClassifiedBy": "klassificeret som",
        _CV + "hasCompetentAuthority": "kompetent myndighed",
        _ELI + "title": "titel",
        _ELI + "number": "nummer",
        _ELI + "is": "udgave",
    }
)


@cache
def _ontology_property_labels() -> Mapping[str, str]:
    """``{IRI: Danish rdfs:label}`` for every term the ontology labels."""
    labels: dict[str, str] = {}
    with _ONTOLOGY.open("rb") as turtle:
        for quad in ox.parse(turtle, format=ox.RdfFormat.TURTLE):
            subject, obj = quad.subject, quad.object
            if (
                quad.predicate == _RDFS_LABEL
                and isinstance(subject, ox.NamedNode)
                and isinstance(obj, ox.Literal)
                and obj.language == "da"
            ):
                labels[subject.value] = obj.value
    return MappingProxyType(labels)


def predicate_label(uri: str) -> str:
    """The Danish name of a predicate; an unknown one by its local name.

    >>> predicate_label("http://www.w3.org/2004/02/skos/core#prefLabel")
    'navn'
    >>> predicate_label("https://stafet.kk.dk/def#validFrom")
    'gyldig fra'
    """
    if uri in PREDICATE_LABELS:
        return PREDICATE_LABELS[uri]
    known = _ontology_property_labels().get(uri)
    if known is not None:
        return known
    return uri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def role_label(code: str) -> str:
    """The Danish name of a role code; an unknown code is shown as it is."""
    return ROLE_LABELS.get(code, code)


def status_label(code: str | None) -> str:
    """The Danish name of a fact status (``bekræftet``, ``antaget``, ``blandet``)."""
    if code == MIXED_STATUS:
        return MIXED_STATUS
    return STATUS_LABELS.get(code or "", "ukendt status")


def via_label(via: str) -> str:
    """The Danish name of a kind of referral hop."""
    return VIA_LABELS.get(via, via)


def match_label(how: str) -> str:
    """How a search matched, in Danish (``fuzzy`` → ``stavefejl rettet``)."""
    return MATCH_LABELS.get(how, how)


def administration_label(key: str) -> str:
    """The short name of an administration key (``bif`` → ``BIF``); others as they are."""
    return ADMINISTRATION_LABELS.get(key, key)


def count(n: int, singular: str, plural: str) -> str:
    """``1 fælles opgave``, ``2 fælles opgaver``: Danish number agreement.

    >>> count(1, "opgave", "opgaver"), count(3, "opgave", "opgaver")
    ('1 opgave', '3 opgaver')
    """
    return f"{n} {singular if n == 1 else plural}"


#: The pages' query parameters as a member of staff knows them: the field, not its name.
PARAMETER_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "q": "Søgeteksten",
        "alder": "Borgerens alder",
        "fra": "Enheden, du sidder i",
        "opgave": "Opgaven",
        "a": "Den første forvaltning",
        "b": "Den anden forvaltning",
        "dybde": "Antal skridt",
        "relation": "Relationen",
        "fokus": "Knuden i fokus",
        "klynger": "Valget af klynger",
        "dato": "Datoen",
        "f": "Formularen",
    }
)


def parameter_label(name: str) -> str:
    """A page parameter as its field's name (``alder`` → ``Borgerens alder``).

    >>> parameter_label("alder"), parameter_label("ukendt")
    ('Borgerens alder', "Feltet 'ukendt'")
    """
    return PARAMETER_LABELS.get(name, f"Feltet '{name}'")


def not_found(kind: str, query: str, limit: int = 80) -> str:
    """What a look-up did not find, as one sentence for a heading.

    >>> not_found("unit", "ukendt-enhed")
    "Fandt ingen enhed 'ukendt-enhed'."
    >>> not_found("forum", "x" * 100)[-8:]
    "xxxxx…'."
    """
    shown = query if len(query) <= limit else query[:limit] + "…"
    return f"Fandt {NoConfidentMatchError.NONE_OF.get(kind, 'intet')} '{shown}'."


def not_found_advice(error: UnknownEntityError) -> str:
    """What an unknown name or id means for staff, without ids, and what to do next.

    >>> from graph.errors import Suggestion
    >>> near = [Suggestion("bif", "unit", "BIF")]
    >>> print(not_found_advice(NoConfidentMatchError("unit", "ukendt-enhed", near)))
    ... # doctest: +NORMALIZE_WHITESPACE
    Stafet fandt ingen enhed, som teksten passer sikkert på, og gætter ikke.
    Vælg en af de nærmeste herunder, eller søg.
    >>> print(not_found_advice(UnknownEntityError("forum", "x")))
    ... # doctest: +NORMALIZE_WHITESPACE
    Stafet har intet forum med det id.
    Søg efter det med andre ord, et KLE-nummer eller en forkortelse.
    """
    none = NoConfidentMatchError.NONE_OF.get(error.kind, "intet")  # "ingen enhed"
    if isinstance(error, NoConfidentMatchError):
        detail = f"Stafet fandt {none}, som teksten passer sikkert på, og gætter ikke."
    else:
        detail = f"Stafet har {none} med det id."
    if error.suggestions:
        return detail + " Vælg en af de nærmeste herunder, eller søg."
    return detail + " Søg efter det med andre ord, et KLE-nummer eller en forkortelse."
