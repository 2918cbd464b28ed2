"""The contract's JSON for who-answers and referrals, with their notes worded in Danish.

The one producer of ``/api/v1/who`` and ``/api/v1/referral`` bodies: the API validates them
against its response models, and the pages and the CLI show the same dicts.

Examples
--------
>>> from graph import load_knowledge, referral_path, who_handles
>>> kg = load_knowledge()
>>> who_json(kg, who_handles(kg, "hjælpemidler", age=70))["handlers"][0]["unit"]["label"]
'Hjælpemiddelcentret'
>>> referral_json(kg, referral_path(kg, "borgerraadgiveren", "førtidspension"))["hops"][0]["via"]
'contact_person'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graph.data.knowledge import Knowledge
from graph.present.common import (
    contact_points_json,
    handler_dict,
    law_summary,
    task_summary,
    unit_summary,
)
from graph.present.facts import service_pages_json
from graph.questions.breakdown import Breakdown
from graph.questions.referral import Branch, Complaint, Hop, ReferralAnswer, ReferralNote
from graph.questions.responsibility import (
    ContactPoints,
    WhoAnswer,
    WhoNote,
    WhoNoteKind,
    contact_points_for,
)

__all__ = [
    "HOW",
    "HOW_WITHOUT_PERSON",
    "REFERRAL_NOTES",
    "breakdown_json",
    "hop_json",
    "referral_json",
    "who_json",
]


def who_json(kg: Knowledge, answer: WhoAnswer) -> dict[str, Any]:
    """The JSON shape of the HTTP contract's ``/api/v1/who``."""
    data: dict[str, Any] = {
        "query": answer.query,
        "task": task_summary(answer.task),
        "matched_via": answer.matched_via.to_dict(),
        "handlers": [handler_dict(kg, p, answer.as_of) for p in answer.handlers],
        "process": [
            {
                "step": p.step,
                "label": p.step_label,
                "unit": unit_summary(kg, p.unit, answer.as_of),
                "role": p.role,
                "description": p.description,
                "source": p.provenance.describe(),
                "status": p.provenance.status,
            }
            for p in answer.process
        ],
        "ambiguous": answer.ambiguous,
        "notes": [_who_note_text(kg, answer, note) for note in answer.notes],
        "age": answer.age,
        "as_of": answer.as_of.isoformat() if answer.as_of else None,
        "alternatives": [
            {"task": task_summary(alt.task), "forvaltning": alt.owner, "score": round(alt.score, 1)}
            for alt in answer.alternatives
        ],
        "service_pages": service_pages_json(answer.fallback_from, answer.task),
    }
    if answer.fallback_from is not None:
        # ``task`` is the KLE level that answered; ``fallback_from`` the one asked about.
        data["fallback_from"] = task_summary(answer.fallback_from)
    if answer.breakdown is not None:
        data["breakdown"] = breakdown_json(kg, answer.breakdown)
    return data


def breakdown_json(kg: Knowledge, answer: Breakdown) -> dict[str, Any]:
    """``{total, owners: [{unit, forvaltning, units, topics, share}], differing: [...]}``.

    ``owners`` are the administrations or outside authorities that own the topics below a
    main group or group, most topics first: ``topics`` of ``total``, ``share`` the part
    (0–1); ``differing`` the topics whose owners are not the majority's.

    Examples
    --------
    >>> from graph import load_knowledge
    >>> from graph.questions.breakdown import breakdown
    >>> kg = load_knowledge()
    >>> data = breakdown_json(kg, breakdown(kg, "kle-21"))
    >>> first = data["owners"][0]
    >>> first["unit"]["label"], first["topics"], data["total"], first["share"]
    ('Kultur- og Fritidsforvaltningen', 32, 33, 0.97)
    """
    day = answer.as_of
    return {
        "total": answer.total,
        "owners": [
            {
                "unit": unit_summary(kg, share.owner, day),
                "forvaltning": share.owner
                if kg.units[share.owner].kind == "administration"
                else None,
                "units": [unit_summary(kg, unit, day) for unit in share.units],
                "topics": share.count,
                "share": round(share.share, 2),
            }
            for share in answer.owners
        ],
        "differing": [
            {
                "task": task_summary(topic.task),
                "owners": [unit_summary(kg, unit, day) for unit in topic.units],
            }
            for topic in answer.differing
        ],
    }


def _ambiguous(kg: Knowledge, answer: WhoAnswer, note: WhoNote) -> str:
    names = sorted({kg.agent_label(unit) for unit in note.units})
    return (
        "Flere enheder står som ansvarlige for den samme borger: "
        + ", ".join(names)
        + ". Stafet vælger ikke selv; spørg enhederne eller koordinationsgruppen."
    )


def _ambiguous_match(kg: Knowledge, answer: WhoAnswer, note: WhoNote) -> str:
    owners = sorted({kg.agent_label(alt.owner) for alt in answer.alternatives})
    return (
        "Teksten passer næsten lige så godt på opgaver hos "
        + ", ".join(owners)
        + ". Stafet viser det bedste match; tjek, at det er det, borgeren mener."
    )


def _depends_on_age(kg: Knowledge, answer: WhoAnswer, note: WhoNote) -> str:
    return (
        "Hvem der er ansvarlig afhænger af borgerens alder: "
        + "; ".join(
            f"{kg.agent_label(p.unit)} ({', '.join(c.label for c in p.conditions)})"
            for p in note.parts
        )
        + "."
    )


def _fallback(kg: Knowledge, answer: WhoAnswer, note: WhoNote) -> str:
    asked = answer.fallback_from.notation if answer.fallback_from else answer.task.notation
    return (
        f"Emnet {asked} har ingen egne ansvarsoplysninger; "
        f"svaret kommer fra KLE {answer.task.notation} {answer.task.label}."
    )


def _breakdown_note(kg: Knowledge, answer: WhoAnswer, note: WhoNote) -> str:
    below = answer.breakdown
    shares = below.owners if below is not None else ()
    total = below.total if below is not None else 0
    parts = ", ".join(f"{kg.units[s.owner].label_on(answer.as_of)} {s.count}" for s in shares)
    return (
        f"KLE {answer.task.notation} {answer.task.label} har ingen samlet ansvarlig; "
        f"emnerne under den fordeler sig sådan (af {total}): {parts}."
    )


def _outside_authority(kg: Knowledge, answer: WhoAnswer, note: WhoNote) -> str:
    """The case belongs to an outside authority; what the municipality still owes (§ 7)."""
    names = " og ".join(kg.units[unit].label_on(answer.as_of) for unit in note.units)
    guiding = sorted({kg.agent_label(p.unit) for p in note.parts})
    text = (
        f"Sagen hører under {names}, en myndighed uden for kommunen. Kommunen skal stadig "
        "vejlede borgeren om, hvor og hvordan sagen behandles (forvaltningsloven § 7, stk. 1), "
        "og sende en skriftlig henvendelse videre til rette myndighed (§ 7, stk. 2). "
        + (
            f"I kommunen vejleder: {', '.join(guiding)}."
            if guiding
            else "Data nævner ikke, hvilken enhed i kommunen der vejleder."
        )
    )
    return " ".join([text, *(_authority_contact(kg, unit) for unit in note.units)])


def _authority_contact(kg: Knowledge, unit: str) -> str:
    """``Kontakt Motorstyrelsen: tlf. 72 22 15 15.`` or that the data has none."""
    label = kg.units[unit].label
    ways = [
        way
        for contact_id in contact_points_for(kg, unit).contacts
        if (contact := kg.registry.contacts.get(contact_id)) is not None
        for way in (
            *(f"tlf. {phone}" for phone in contact.telephone),
            *(f"e-mail {mail}" for mail in contact.email),
        )
    ]
    if not ways:
        return f"Data har ingen kontaktoplysninger for {label}; se kilden på opgaven."
    return f"Kontakt {label}: {', '.join(ways)}."


_WHO_NOTES: dict[WhoNoteKind, Callable[[Knowledge, WhoAnswer, WhoNote], str]] = {
    WhoNoteKind.AGE_FROM_TEXT: lambda kg, answer, note: (
        f"Svaret gælder en borger på {answer.age} år, som teksten siger; "
        "angiv alderen, hvis det ikke passer."
    ),
    WhoNoteKind.OUTSIDE_AUTHORITY: _outside_authority,
    WhoNoteKind.AMBIGUOUS: _ambiguous,
    WhoNoteKind.AMBIGUOUS_MATCH: _ambiguous_match,
    WhoNoteKind.DEPENDS_ON_AGE: _depends_on_age,
    WhoNoteKind.FALLBACK: _fallback,
    WhoNoteKind.NO_HANDLER: lambda kg, answer, note: (
        "Ingen enhed er registreret for opgaven. Det er et hul, som koordinationsgruppen bør lukke."
    ),
    WhoNoteKind.BREAKDOWN: _breakdown_note,
    WhoNoteKind.ONLY_ASSUMED: lambda kg, answer, note: (
        "Svaret hviler kun på antagelser (status antaget), som enhederne endnu skal bekræfte."
    ),
}


def _who_note_text(kg: Knowledge, answer: WhoAnswer, note: WhoNote) -> str:
    """One note on a who-answer in Danish."""
    return _WHO_NOTES[note.kind](kg, answer, note)


#: What a person does for each kind of hand-over.
HOW = {
    "contact_person": "Kontakt kontaktpersonen ({through}) i {target}.",
    "contact_point": "Kontakt {target} på enhedens eget kontaktpunkt.",
    "single_entry": "Borgerservice er kommunens ene indgang: giv henvendelsen videre til {target}.",
    "forum": "Tag kontakt via {through}, hvor begge enheder deltager, og som findes til "
    "netop denne type sager.",
    "collaboration": "Brug samarbejdet {through} til at aftale overdragelsen med {target}.",
    "hierarchy": "Send henvendelsen videre til {target} (gennem organisationen).",
    "across": "Send henvendelsen videre til {target}: en anden forvaltning i samme myndighed "
    "(enhedsforvaltning), så den regnes allerede for modtaget af kommunen.",
    "external": "Videresend henvendelsen til {target}; den forlader kommunen.",
    "appeal": "Fastholder enheden afgørelsen efter genvurderingen, sender den klagen videre "
    "til {target} med sin begrundelse.",
}

#: A hop through a contact person, told to a caller who may not see who they are.
HOW_WITHOUT_PERSON = (
    "Kontakt {target} på enhedens kontaktpunkt, og bed om kontaktpersonen for samarbejdet "
    "(navne og direkte numre vises kun for brugere med login)."
)

#: The notes on a referral in Danish.
REFERRAL_NOTES = {
    ReferralNote.RECEIVED: "Henvendelsen er allerede modtaget af Københavns Kommune som samlet "
    "myndighed (enhedsforvaltning); en frist regnes fra den første modtagelse.",
    ReferralNote.LEAVES: "Opgaven ligger hos en anden myndighed: videresend skriftlige "
    "henvendelser dertil (forvaltningsloven § 7, stk. 2), og vejled borgeren om, hvor sagen "
    "nu er.",
    ReferralNote.NO_HOPS: "Enheden varetager selv opgaven: der er ingen stafet at aflevere.",
    ReferralNote.SOCIAL_FIELD: "På det sociale område skal henvendelsen behandles i forhold til "
    "alle muligheder for hjælp, også hos andre myndigheder (retssikkerhedsloven § 5).",
    ReferralNote.DEPENDS_ON_CONDITION: "Hvem der varetager opgaven, afhænger af borgerens "
    "alder, som ikke er oplyst: spørg borgeren. Hver mulighed er vist for sig; den første "
    "vej er blot den billigste af dem.",
    ReferralNote.RECONSIDERATION: "En klage over afgørelsen går først til den enhed, der traf "
    "den: enheden skal genvurdere afgørelsen, før klagen sendes videre til klageinstansen.",
    ReferralNote.NO_APPEAL_BODY: "Stafet kender ingen klageinstans for denne opgave: klagen "
    "går til den enhed, der traf afgørelsen, som vejleder om klagemuligheden.",
}


def referral_json(
    kg: Knowledge, answer: ReferralAnswer, *, personal: bool = False
) -> dict[str, Any]:
    """The JSON shape of the HTTP contract's ``/api/v1/referral``.

    ``personal=False`` (anonymous callers) names no contact person: a hop through one says
    to ask the target unit for them, with the unit's functional contact points.

    >>> from graph import load_knowledge, referral_path
    >>> kg = load_knowledge()
    >>> answer = referral_path(kg, "borgerraadgiveren", "førtidspension")
    >>> referral_json(kg, answer)["hops"][0]["through"] is None
    True
    >>> referral_json(kg, answer, personal=True)["hops"][0]["through"]["label"]
    'Kontaktperson for Borgerrådgiveren'
    """
    return {
        "from": unit_summary(kg, answer.from_unit.id),
        "to": unit_summary(kg, answer.target.unit),
        "to_role": answer.target.role,
        "task": task_summary(answer.task),
        "fallback_from": task_summary(answer.fallback_from) if answer.fallback_from else None,
        "matched_via": {
            "from": answer.from_match.to_dict(),
            "task": answer.task_match.to_dict(),
        },
        "hops": [hop_json(kg, hop, personal=personal) for hop in answer.hops],
        "cost": answer.cost,
        "leaves_municipality": answer.leaves_municipality,
        "received_by_municipality": answer.from_unit.kind != "external",
        "alternatives": [
            {
                "to": unit_summary(kg, alt.target.unit),
                "to_role": alt.target.role,
                "hops": [hop_json(kg, hop, personal=personal) for hop in alt.hops],
                "cost": alt.cost,
            }
            for alt in answer.alternatives
        ],
        "notes": [REFERRAL_NOTES[note] for note in answer.notes],
        **_contacts_json(kg, "to_contacts", answer.target_contacts),
        "branches": [_branch_json(kg, branch, personal) for branch in answer.branches],
        "complaint": _complaint_json(kg, answer.complaint) if answer.complaint else None,
    }


def _contacts_json(kg: Knowledge, key: str, points: ContactPoints) -> dict[str, Any]:
    """The contacts under ``key`` and whose they are when taken from up the hierarchy."""
    return {
        key: contact_points_json(kg, points),
        "contact_inherited_from": unit_summary(kg, points.holder)
        if points.inherited and points.holder is not None
        else None,
    }


def _branch_json(kg: Knowledge, branch: Branch, personal: bool) -> dict[str, Any]:
    """One branch of a referral that depends on the citizen's age."""
    return {
        "condition": ", ".join(c.label for c in branch.conditions),
        "conditions": [
            {"id": c.id, "label": c.label, "min_age": c.min_age, "max_age": c.max_age}
            for c in branch.conditions
        ],
        "to": unit_summary(kg, branch.target.unit),
        "to_role": branch.target.role,
        "hops": [hop_json(kg, hop, personal=personal) for hop in branch.hops],
        "cost": branch.cost,
        **_contacts_json(kg, "to_contacts", branch.target_contacts),
        "complaint": _complaint_json(kg, branch.complaint) if branch.complaint else None,
    }


def _complaint_json(kg: Knowledge, complaint: Complaint) -> dict[str, Any]:
    """Where a complaint goes: the deciding unit (genvurdering), then the appeal body."""
    return {
        "deciding_unit": unit_summary(kg, complaint.deciding.unit),
        "reconsideration": [law_summary(kg, law) for law in complaint.reconsideration],
        "appeal_body": unit_summary(kg, complaint.appeal_body) if complaint.appeal_body else None,
        "appeal_legal_basis": [law_summary(kg, law) for law in complaint.appeal_provisions],
    }


def _through_label(kg: Knowledge, through: str | None) -> str | None:
    """The name of the forum, post or membership a hand-over goes through."""
    if through is None:
        return None
    if through in kg.forums:
        return kg.forums[through].label
    if through in kg.registry.arrangements:
        return kg.registry.arrangements[through].label
    if through in kg.registry.memberships:
        membership = kg.registry.memberships[through]
        return (
            f"{kg.agent_label(membership.member)} som {membership.role} i "
            f"{kg.agent_label(membership.organization)}"
        )
    return kg.agent_label(through)


def hop_json(kg: Knowledge, hop: Hop, *, personal: bool = False) -> dict[str, Any]:
    """One hand-over: from, to, via, through, what to do, legal basis and contacts.

    Without ``personal`` a contact person (a contact arrangement and its own contact
    points) is withheld: the hop keeps its way, with the target's functional contacts.
    """
    target = kg.agent_label(hop.target)
    if not personal and hop.through in kg.registry.arrangements:
        return {
            "from": unit_summary(kg, hop.source),
            "to": unit_summary(kg, hop.target),
            "via": hop.via,
            "through": None,
            "how": HOW_WITHOUT_PERSON.format(target=target),
            "cost": hop.cost,
            "legal_basis": [law_summary(kg, law) for law in hop.legal_basis],
            **_contacts_json(kg, "contacts", contact_points_for(kg, hop.target)),
        }
    label = _through_label(kg, hop.through)
    return {
        "from": unit_summary(kg, hop.source),
        "to": unit_summary(kg, hop.target),
        "via": hop.via,
        "through": {"id": hop.through, "label": label} if hop.through else None,
        "how": HOW[hop.via].format(through=label or "", target=target),
        "cost": hop.cost,
        "legal_basis": [law_summary(kg, law) for law in hop.legal_basis],
        **_contacts_json(kg, "contacts", hop.contacts),
    }
