"""Realistic edits of the real data, for the follow benchmark and the incremental property test.

Each builder reads the store's head first, then the state it computes the change from (the
writers' rule), and returns an exact change: a new responsibility (with an age condition as
a sub-node), an ended one, a confirmed one, a renamed unit (a dated name: the old one gets an
end, a new one starts), a moved unit, a new contact point, a new forum membership.
Nothing here is a fact about Copenhagen: the edits are made to be followed, then thrown away.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS, XSD

from graph.data.knowledge import Knowledge
from graph.data.loader import standard_types
from graph.store.backend import Head, Store
from graph.store.change import Change, Triple, new_change
from ontology.namespaces import CV, ID, STAFET

__all__ = ["EDIT_KINDS", "Edit", "commit_edit", "random_edit"]

Edit = tuple[str, Change, Head]
_ROLE = "https://stafet.kk.dk/def/role/"
_STATUS = "https://stafet.kk.dk/def/status/"
_SOURCE = ID["source/kk-dk"]


def _typed(node: URIRef, cls: URIRef) -> list[Triple]:
    return [
        (node, RDF.type, cls),
        *((node, RDF.type, URIRef(s)) for s in standard_types().get(str(cls), ())),
    ]


def _token(rng: random.Random) -> str:
    return f"{rng.getrandbits(40):010x}"


def _new_responsibility(kg: Knowledge, rng: random.Random) -> tuple[list[Triple], list[Triple]]:
    task = rng.choice([t for t in kg.tasks.values() if t.level == "topic"])
    unit = rng.choice([u for u in kg.units.values() if u.kind == "unit"])
    node = ID[f"participation/edit-{_token(rng)}"]
    age = URIRef(f"{node}/age")
    added = [
        (URIRef(task.uri), CV.hasParticipation, node),
        *_typed(node, CV.Participation),
        (node, CV.hasParticipant, URIRef(unit.uri)),
        (node, CV.role, URIRef(_ROLE + rng.choice(["ansvarlig", "udfoerende", "vejledende"]))),
        (node, DCTERMS.description, Literal(f"Redigeret ansvar for {task.label}", lang="da")),
        (node, STAFET.condition, age),
        (age, STAFET.minAge, Literal(rng.choice([18, 65]), datatype=XSD.integer)),
        (node, DCTERMS.source, _SOURCE),
        (node, STAFET.status, URIRef(_STATUS + "antaget")),
        (node, STAFET.validFrom, Literal(date(2026, 12, 1))),
    ]
    return [], added


def _end_responsibility(kg: Knowledge, rng: random.Random) -> tuple[list[Triple], list[Triple]]:
    part = rng.choice([p for p in kg.registry.participations.values() if p.valid_until is None])
    return [], [(URIRef(part.uri), STAFET.validUntil, Literal(date(2026, 12, 31)))]


def _confirm(kg: Knowledge, rng: random.Random) -> tuple[list[Triple], list[Triple]]:
    assumed = [p for p in kg.registry.participations.values() if p.provenance.status == "antaget"]
    node = URIRef(rng.choice(assumed).uri)
    status = STAFET.status
    return [(node, status, URIRef(_STATUS + "antaget"))], [
        (node, status, URIRef(_STATUS + "bekraeftet"))
    ]


def _rename_unit(kg: Knowledge, rng: random.Random) -> tuple[list[Triple], list[Triple]]:
    unit = rng.choice([u for u in kg.units.values() if u.kind == "unit"])
    node = URIRef(unit.uri)
    label = f"{unit.label} ({_token(rng)[:4]})"
    dated = URIRef(f"{node}/name-{_token(rng)}")
    removed = [(node, SKOS.prefLabel, Literal(unit.label, lang="da"))]
    added = [
        (node, SKOS.prefLabel, Literal(label, lang="da")),
        (node, STAFET.datedName, dated),
        (dated, RDF.type, STAFET.DatedName),
        (dated, SKOS.prefLabel, Literal(label, lang="da")),
        (dated, STAFET.validFrom, Literal(date(2026, 12, 1))),
    ]
    return removed, added


def _move_unit(kg: Knowledge, rng: random.Random) -> tuple[list[Triple], list[Triple]]:
    unit = rng.choice([u for u in kg.units.values() if u.kind == "unit" and u.parent])
    below = kg.subtree(unit.id)
    parents = [u for u in kg.units.values() if u.kind == "administration" and u.id not in below]
    target = rng.choice([p for p in parents if p.id != unit.parent])
    node = URIRef(unit.uri)
    return [(node, ORG.subOrganizationOf, URIRef(kg.units[str(unit.parent)].uri))], [
        (node, ORG.subOrganizationOf, URIRef(target.uri))
    ]


def _new_contact(kg: Knowledge, rng: random.Random) -> tuple[list[Triple], list[Triple]]:
    unit = rng.choice([u for u in kg.units.values() if u.kind == "unit"])
    node = ID[f"contact/edit-{_token(rng)}"]
    added = [
        *_typed(node, CV.ContactPoint),
        (node, SKOS.prefLabel, Literal(f"{unit.label}, sekretariatet", lang="da")),
        (node, CV.telephone, Literal(f"33 66 {rng.randrange(10, 99)} {rng.randrange(10, 99)}")),
        (node, DCTERMS.source, _SOURCE),
        (node, STAFET.status, URIRef(_STATUS + "antaget")),
        (URIRef(unit.uri), CV.contactPoint, node),
    ]
    return [], added


def _new_membership(kg: Knowledge, rng: random.Random) -> tuple[list[Triple], list[Triple]]:
    forum = rng.choice(list(kg.forums.values()))
    unit = rng.choice([u for u in kg.units.values() if u.kind in ("unit", "administration")])
    node = ID[f"membership/edit-{_token(rng)}"]
    added = [
        *_typed(node, ORG.Membership),
        (node, ORG.member, URIRef(unit.uri)),
        (node, ORG.organization, URIRef(forum.uri)),
        (node, DCTERMS.source, _SOURCE),
        (node, STAFET.status, URIRef(_STATUS + "antaget")),
    ]
    return [], added


_BUILDERS: dict[str, tuple[str, Callable[..., tuple[list[Triple], list[Triple]]]]] = {
    "new-responsibility": ("create", _new_responsibility),
    "end-responsibility": ("end", _end_responsibility),
    "confirm": ("confirm", _confirm),
    "rename-unit": ("update", _rename_unit),
    "move-unit": ("update", _move_unit),
    "new-contact": ("create", _new_contact),
    "new-membership": ("create", _new_membership),
}
#: The kinds of edit :func:`random_edit` makes.
EDIT_KINDS = tuple(_BUILDERS)


def random_edit(store: Store, kg: Knowledge, rng: random.Random, kind: str | None = None) -> Edit:
    """A change of ``kind`` (a random one if None) computed from ``kg``, and the head it is
    computed at (``kg`` must show that head)."""
    head = store.head()
    name = kind or rng.choice(EDIT_KINDS)
    change_kind, build = _BUILDERS[name]
    removed, added = build(kg, rng)
    change = new_change(
        agent="bench",
        kind=change_kind,
        reason=f"Prøveændring: {name}",
        removed=removed,
        added=added,
        resources=sorted({str(s) for s, _, _ in [*removed, *added]}),
    )
    return name, change, head


def commit_edit(store: Store, edit: Edit) -> Change:
    """Commit an edit made by :func:`random_edit` at the head it was computed at."""
    _, change, head = edit
    return store.commit(change, expected=head.sequence)
