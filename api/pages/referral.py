"""Henvisning (``/henvisning``): how to pass a request on, hop by hop, with the checklist.

The path comes from :func:`graph.questions.referral.referral_path`; the page adds the seed's
checklist (TJEKLISTE in "Samarbejde og koordinering i kommunen") made practical for this
task and this path: what to ask, what to pass on, whom to call, and a hand-over note.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import KnowledgeDep
from api.pages.common import (
    Twin,
    contact_view,
    graph_context,
    json_page,
    law_view,
    page,
    unit_choices,
    with_query,
)
from api.params import AgeQuery
from graph.data.knowledge import Knowledge
from graph.errors import NoReferralPathError, UnknownEntityError
from graph.present import answers
from graph.present.links import resource_path
from graph.present.vocabulary import ROLE_LABELS, VIA_LABELS, not_found, not_found_advice
from graph.questions.referral import ReferralAnswer, referral_path
from graph.render.networks import referral_path_network

router = APIRouter(include_in_schema=False)

Text = Annotated[str | None, Query(max_length=200)]


def checklist(kg: Knowledge, answer: ReferralAnswer, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The seed's checklist for this request: each step with what to do here and now."""
    task = f"{data['task']['label']} (KLE {data['task']['notation']})"
    here, there = data["from"]["label"], data["to"]["label"]
    role = ROLE_LABELS.get(data["to_role"], data["to_role"])
    who = answer.who  # the answer the referral was chosen from: no second question
    listen = [
        "Hvad er problemet, og hvad ønsker borgeren hjælp til eller svar på? Tag udgangspunkt "
        "i borgerens behov, ikke i kommunens organisering.",
        f"Passer det til opgaven {task}? Hvis ikke, så søg igen med borgerens egne ord.",
    ]
    conditional = sorted(
        {c["label"] for h in answers.who_json(kg, who)["handlers"] for c in h["conditions"]}
    )
    if conditional and answer_age(data) is None:
        listen.append(
            "Spørg om borgerens alder: hvem der varetager opgaven afhænger af den ("
            + "; ".join(conditional)
            + ")."
        )
    own = (
        [f"Ja: {here} varetager selv opgaven. Der er ingen stafet at aflevere."]
        if not data["hops"]
        else [f"Nej: {there} varetager opgaven ({role}). Du skal guide videre."]
    )
    steps = [p for p in who.process if p.unit in kg.units or p.unit in kg.forums]
    guide = [
        f"Fortæl borgeren, at {there} tager over, og hvad der sker nu.",
    ]
    if len(steps) > 1:
        guide.append(
            "Opgaven er et forløb: "
            + " → ".join(
                f"{p.step}. {p.step_label or ROLE_LABELS.get(p.role, p.role)} "
                f"({kg.agent_label(p.unit)})"
                for p in steps
            )
            + "."
        )
    forward = [
        "Tilbyd at sende henvendelsen videre, når situationen tilsiger det, fx hvis borgeren "
        "er usikker. Borgeren skal ikke selv få tingene til at gå op.",
    ]
    forward += [f"{number}. {hop['how']}" for number, hop in enumerate(data["hops"], start=1)]
    if data["hops"]:
        forward.append(
            f"Er du i tvivl om, hvor problemet kan løses, så tag selv kontakt til {there} "
            "(eller den næste enhed på vejen), før borgeren sendes videre."
        )
    return [
        {"title": "Lyt: hvad efterspørges?", "items": listen},
        {"title": "Kan vi løse det i egen enhed?", "items": own},
        {
            "title": "Hvad skal sendes med?",
            "items": [
                "Borgerens navn og kontaktoplysninger (og CPR-nummer, når sagen kræver det).",
                "Hvad borgeren spørger om, med borgerens egne ord.",
                "Datoen for henvendelsen.",
                "Oplysninger og dokumenter, du allerede har, som har betydning for det videre "
                "forløb.",
                "Fortrolige oplysninger kun med borgerens samtykke eller med hjemmel "
                "(tavshedspligt; se KlarRet 9).",
            ],
        },
        {"title": "Vejled borgeren", "items": guide},
        {"title": "Tilbyd at formidle kontakten", "items": forward},
        {"title": "Husk", "items": data["notes"]},
    ]


def answer_age(data: dict[str, Any]) -> int | None:
    age = data.get("age")
    return age if isinstance(age, int) else None


def handover_note(data: dict[str, Any], today: date) -> str:
    """A note to send with the request; the member of staff fills in the blanks."""
    lines = [
        f"Videresendt henvendelse om {data['task']['label']} (KLE {data['task']['notation']}).",
        f"Fra: {data['from']['label']}. Til: {data['to']['label']}.",
        f"Borgeren henvendte sig den {today.strftime('%d.%m.%Y')}. Henvendelsen er modtaget af "
        "Københavns Kommune på denne dato (enhedsforvaltning).",
        "Borgeren ønsker hjælp til: …",
        "Oplysninger og dokumenter, der følger med: …",
        "Borgeren er orienteret om, at henvendelsen er sendt videre.",
        "Kontakt hos os: …",
    ]
    if data["leaves_municipality"]:
        lines[2] = (
            f"Borgeren henvendte sig den {today.strftime('%d.%m.%Y')}. Henvendelsen videresendes "
            "efter forvaltningsloven § 7, stk. 2."
        )
    return "\n".join(lines)


def _hops(kg: Knowledge, hops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for number, hop in enumerate(hops, start=1):
        through = hop["through"]
        through_href = None
        if through is not None:
            ident = through["id"]
            if ident in kg.forums:
                through_href = f"/id/forum/{ident}"
            elif ident in kg.registry.arrangements:
                through_href = resource_path(kg.registry.arrangements[ident].uri)
        found.append(
            {
                **hop,
                "number": number,
                "via_label": VIA_LABELS.get(hop["via"], hop["via"]),
                "through_href": through_href,
                "laws": [law_view(kg, law) for law in hop["legal_basis"]],
                "contacts": [contact_view(c) for c in hop["contacts"]],
            }
        )
    return found


def _mailto(data: dict[str, Any], hops: list[dict[str, Any]], note: str) -> str | None:
    emails = [e["text"] for hop in hops[:1] for c in hop["contacts"] for e in c["emails"]]
    if not emails:
        return None
    subject = f"Videresendt henvendelse: {data['task']['label']}"
    return f"mailto:{emails[0]}?" + urlencode({"subject": subject, "body": note}, quote_via=quote)


def referral_view(kg: Knowledge, answer: ReferralAnswer, age: int | None) -> dict[str, Any]:
    """The referral page's data: the answer, the checklist and the note, with their links.

    ``/henvisning.json`` is this data's ``referral``, ``checklist`` and ``handover_note``.
    """
    data = answers.referral_json(kg, answer) | {"age": age}
    hops = _hops(kg, data["hops"])
    note = handover_note(data, date.today())
    return {
        "referral": data,
        "target_contacts": [contact_view(c) for c in data["to_contacts"]],
        "checklist": checklist(kg, answer, data),
        "handover_note": note,
        "hops": hops,
        "alternatives": [
            {
                **alt,
                "steps": " → ".join(
                    [data["from"]["label"], *(h["to"]["label"] for h in alt["hops"])]
                ),
            }
            for alt in data["alternatives"]
        ],
        "mailto": _mailto(data, hops, note),
    }


def unknown_view(
    error: UnknownEntityError, fra: str, opgave: str, age: int | None
) -> dict[str, Any]:
    """What was not found, and each nearest match as the same referral asked again.

    The page never answers for another unit or task than the one asked for: it says what it
    did not find and offers the nearest as links.
    """
    links = []
    for suggestion in error.suggestions:
        asked = {"fra": fra, "opgave": opgave}
        asked["fra" if error.kind == "unit" else "opgave"] = suggestion.id
        query = asked | ({} if age is None else {"alder": str(age)})
        links.append({"href": "/henvisning?" + urlencode(query), "label": suggestion.label})
    return {
        "error": {"heading": not_found(error.kind, error.query), "detail": not_found_advice(error)},
        "suggestions": links,
    }


@router.get("/henvisning")
def referral_page(
    request: Request,
    kg: KnowledgeDep,
    fra: Text = None,
    opgave: Text = None,
    alder: AgeQuery = None,
) -> Response:
    context: dict[str, Any] = {
        "fra": fra or "",
        "opgave": opgave or "",
        "age": alder,
        "units": unit_choices(kg),
        "answer": None,
        "error": None,
        "suggestions": [],
    }
    twins = [Twin("JSON", with_query("/henvisning.json", request))]
    if not fra or not opgave:
        return page(request, "referral.html", context, twins)
    try:
        answer = referral_path(kg, fra, opgave, age=alder)
    except UnknownEntityError as error:
        context |= unknown_view(error, fra, opgave, alder)
        return page(request, "referral.html", context, twins, status_code=404)
    except NoReferralPathError as error:
        context["error"] = {"heading": "Ingen henvisningsvej", "detail": str(error)}
        return page(request, "referral.html", context, twins, status_code=404)
    view = referral_view(kg, answer, alder)
    context |= {
        "fra": answer.from_unit.id,
        "opgave": answer.task.id,
        "answer": view["referral"],
        "hops": view["hops"],
        "target_contacts": view["target_contacts"],
        "alternatives": view["alternatives"],
        "checklist": view["checklist"],
        "note": view["handover_note"],
        "mailto": view["mailto"],
        "graph": graph_context(referral_path_network(kg, answer), focusable=True),
    }
    return page(request, "referral.html", context, twins)


@router.get("/henvisning.json")
def referral_json(
    request: Request,
    kg: KnowledgeDep,
    fra: Text = None,
    opgave: Text = None,
    alder: AgeQuery = None,
) -> Response:
    body: dict[str, Any] = {"referral": None, "checklist": [], "handover_note": None}
    if fra and opgave:
        view = referral_view(kg, referral_path(kg, fra, opgave, age=alder), alder)
        body = {key: view[key] for key in ("referral", "checklist", "handover_note")}
    else:
        body["units"] = unit_choices(kg)
    return json_page(request, body, with_query("/henvisning", request))
