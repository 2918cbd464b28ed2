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
from graph.questions.referral import Hop, ReferralAnswer, ReferralNote
from graph.questions.responsibility import WhoAnswer, WhoNote, WhoNoteKind

__all__ = [
    "HOW",
    "REFERRAL_NOTES",
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
        "handlers": [handler_dict(kg, p) for p in answer.handlers],
        "process": [
            {
                "step": p.step,
                "label": p.step_label,
                "unit": unit_summary(kg, p.unit),
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
    }
    if answer.fallback_from is not None:
        # ``task`` is the KLE level that answered; ``fallback_from`` the one asked about.
        data["fallback_from"] = task_summary(answer.fallback_from)
    return data


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


_WHO_NOTES: dict[WhoNoteKind, Callable[[Knowledge, WhoAnswer, WhoNote], str]] = {
    WhoNoteKind.AMBIGUOUS: _ambiguous,
    WhoNoteKind.AMBIGUOUS_MATCH: _ambiguous_match,
    WhoNoteKind.DEPENDS_ON_AGE: _depends_on_age,
    WhoNoteKind.FALLBACK: _fallback,
    WhoNoteKind.NO_HANDLER: lambda kg, answer, note: (
        "Ingen enhed er registreret for opgaven. Det er et hul, som koordinationsgruppen bør lukke."
    ),
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
    "forum": "Tag kontakt via {through}, hvor begge enheder deltager.",
    "collaboration": "Brug samarbejdet {through} til at aftale overdragelsen med {target}.",
    "hierarchy": "Send henvendelsen videre til {target} (gennem organisationen).",
    "external": "Videresend henvendelsen til {target}; den forlader kommunen.",
}

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
}


def referral_json(kg: Knowledge, answer: ReferralAnswer) -> dict[str, Any]:
    """The JSON shape of the HTTP contract's ``/api/v1/referral``."""
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
        "hops": [hop_json(kg, hop) for hop in answer.hops],
        "cost": answer.cost,
        "leaves_municipality": answer.leaves_municipality,
        "received_by_municipality": answer.from_unit.kind != "external",
        "alternatives": [
            {
                "to": unit_summary(kg, alt.target.unit),
                "to_role": alt.target.role,
                "hops": [hop_json(kg, hop) for hop in alt.hops],
                "cost": alt.cost,
            }
            for alt in answer.alternatives
        ],
        "notes": [REFERRAL_NOTES[note] for note in answer.notes],
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


def hop_json(kg: Knowledge, hop: Hop) -> dict[str, Any]:
    """One hand-over: from, to, via, through, what to do, legal basis and contacts."""
    label = _through_label(kg, hop.through)
    return {
        "from": unit_summary(kg, hop.source),
        "to": unit_summary(kg, hop.target),
        "via": hop.via,
        "through": {"id": hop.through, "label": label} if hop.through else None,
        "how": HOW[hop.via].format(through=label or "", target=kg.agent_label(hop.target)),
        "cost": hop.cost,
        "legal_basis": [law_summary(kg, law) for law in hop.legal_basis],
        "contacts": contact_points_json(kg, hop.contacts),
    }
