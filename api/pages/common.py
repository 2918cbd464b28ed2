"""What the Danish pages share: rendering with twins and a strict CSP, and view helpers.

Every page names its machine twin (``<link rel="alternate">`` and a ``Link`` header), is
served with a Content-Security-Policy that allows nothing outside the app's own origin,
and gets its values as plain data: templates only escape and lay out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response

from api.middleware import CSP  # set on every response by api.middleware.SecurityHeaders
from api.pages import templates
from api.pages.assets import ASSETS
from api.responses import JSONResponse
from graph.data.knowledge import Knowledge
from graph.present.links import resource_path
from graph.present.vocabulary import (
    ADMINISTRATION_LABELS,
    ADMINISTRATION_NAMES,
    KIND_LABELS,
    KIND_PLURALS,
    MATCH_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    count,
)
from graph.questions.quality import administration_key
from graph.render.embed import network_data, network_legend, script_json

__all__ = [
    "CSP",
    "LABELS",
    "Twin",
    "contact_view",
    "error_page",
    "graph_context",
    "json_page",
    "law_view",
    "page",
    "unit_choices",
]

JSON = "application/json"

#: Danish words the templates show for codes in the data.
LABELS: dict[str, Mapping[str, str]] = {
    "roles": ROLE_LABELS,
    "statuses": STATUS_LABELS,
    "kinds": KIND_LABELS,
    "kinds_plural": KIND_PLURALS,
    "matched": MATCH_LABELS,
    "administrations": ADMINISTRATION_LABELS,
    "administration_names": ADMINISTRATION_NAMES,
}
#: The administrations' abbreviations and their names, for ``<abbr title="…">``.
ABBREVIATIONS = {
    ADMINISTRATION_LABELS[key]: ADMINISTRATION_NAMES[key]
    for key in ("okf", "buf", "tmf", "kff", "bif", "sof", "suf")
}
_ABBREVIATION = re.compile(r"(?<![\w-])(" + "|".join(ABBREVIATIONS) + r")(?!\w)")


def spell_out(text: object) -> Markup:
    """Text with each administration's abbreviation as ``<abbr title="its name">``.

    The text is escaped first; only the ``abbr`` elements are markup. A template uses it
    as the ``abbr`` filter on labels from the data (``Samarbejdet mellem BIF og SOF``).

    Examples
    --------
    >>> print(spell_out("Samarbejdet mellem SOF og <b>"))
    Samarbejdet mellem <abbr title="Socialforvaltningen">SOF</abbr> og &lt;b&gt;
    >>> print(spell_out("SOFIE og BUF-akademi"))
    SOFIE og <abbr title="Børne- og Ungdomsforvaltningen">BUF</abbr>-akademi
    """
    escaped = str(escape(text))
    return Markup(
        _ABBREVIATION.sub(
            lambda m: f'<abbr title="{escape(ABBREVIATIONS[m.group(1)])}">{m.group(1)}</abbr>',
            escaped,
        )
    )


templates.env.filters["abbr"] = spell_out
#: The order roles are listed in on a page: who decides first.
ROLE_ORDER = (
    "ansvarlig",
    "udfoerende",
    "indstillende",
    "raadgivende",
    "vejledende",
    "indsigt",
    "udbetaler",
)


@dataclass(frozen=True, slots=True)
class Twin:
    """A machine-readable twin of a page: its name, address (path) and media type."""

    label: str
    href: str
    media_type: str = JSON


def page(
    request: Request,
    template: str,
    context: dict[str, Any],
    twins: Sequence[Twin] = (),
    *,
    status_code: int = 200,
    link_header: str | None = None,
) -> Response:
    """Render a Danish page; name its twins in the head and in a ``Link`` header."""
    root = request.scope.get("root_path", "")
    base = str(request.base_url).rstrip("/")
    headers = {
        "Link": link_header
        or ", ".join(f'<{base}{t.href}>; rel="alternate"; type="{t.media_type}"' for t in twins),
    }
    if not headers["Link"]:
        del headers["Link"]
    context = {"twins": twins, "labels": LABELS, "assets": ASSETS, "count": count, **context}
    context.setdefault("page_root", root)
    return templates.TemplateResponse(
        request, template, context, status_code=status_code, headers=headers
    )


def error_page(
    request: Request,
    status: int,
    heading: str,
    detail: str,
    *,
    errors: Sequence[str] = (),
    suggestions: Sequence[Mapping[str, str]] = (),
    search: str = "",
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A Danish error page in the site's layout: what went wrong, "Mente du …", a way on.

    ``suggestions`` are links (``href``, ``label``, ``kind``); ``search`` fills the search
    box, so that the text that found nothing can be searched for as it is.
    """
    context = {
        "status": status,
        "heading": heading,
        "detail": detail,
        "errors": list(errors),
        "suggestions": list(suggestions),
        "search": search[:200],
    }
    response = page(request, "error.html", context, status_code=status)
    response.headers.update(headers or {})
    return response


def json_page(request: Request, data: Any, html_path: str) -> JSONResponse:
    """A page's JSON twin, naming the page as its HTML alternate."""
    base = str(request.base_url).rstrip("/")
    return JSONResponse(
        data, headers={"Link": f'<{base}{html_path}>; rel="alternate"; type="text/html"'}
    )


def with_query(path: str, request: Request) -> str:
    """``path`` with the request's query string (a page's twin takes the same parameters)."""
    query = request.url.query
    return f"{path}?{query}" if query else path


def safe_link(url: str | None) -> str | None:
    """A link from the data, only if it is plain http(s): never ``javascript:`` or the like."""
    if url and urlsplit(url).scheme in ("http", "https"):
        return url
    return None


def unit_choices(kg: Knowledge) -> list[dict[str, Any]]:
    """The units a member of staff can sit in, grouped by administration, for a ``<select>``."""
    groups: dict[str, list[dict[str, str]]] = {}
    for unit in kg.units.values():
        if unit.kind not in ("administration", "unit"):
            continue
        key = administration_key(kg, unit.id)
        groups.setdefault(key, []).append({"id": unit.id, "label": unit.label})
    order = list(ADMINISTRATION_LABELS)
    return [
        {
            "key": key,
            "label": _group_label(kg, key),
            "units": sorted(units, key=lambda u: (u["id"] != key, u["label"])),
        }
        for key, units in sorted(
            groups.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99
        )
    ]


def administration_choices(kg: Knowledge) -> list[dict[str, str]]:
    """The administrations, for the two selects of the collaboration page."""
    return sorted(
        (
            {"id": unit.id, "label": unit.label, "short": ADMINISTRATION_LABELS.get(unit.id, "")}
            for unit in kg.units.values()
            if unit.kind == "administration"
        ),
        key=lambda unit: unit["label"],
    )


def _group_label(kg: Knowledge, key: str) -> str:
    unit = kg.units.get(key)
    if unit is not None:
        short = ADMINISTRATION_LABELS.get(key)
        return f"{unit.label} ({short})" if short else unit.label
    return ADMINISTRATION_LABELS.get(key, key)


_PHONE_JUNK = re.compile(r"[^\d+]")


def contact_view(contact: Mapping[str, Any]) -> dict[str, Any]:
    """A contact point as links: ``tel:``, ``mailto:`` and its web pages."""
    phones = []
    for number in contact.get("telephone") or ():
        digits = _PHONE_JUNK.sub("", number)
        if len(digits) == 8 and not digits.startswith("+"):
            digits = "+45" + digits  # a Danish number written without the country code
        phones.append({"text": number, "href": "tel:" + digits})
    return {
        "label": contact.get("label") or contact.get("id"),
        "phones": phones,
        "emails": [
            {"text": email, "href": "mailto:" + email}
            for email in contact.get("email") or ()
            if "@" in email and ":" not in email
        ],
        "pages": [
            {"text": url, "href": link}
            for url in contact.get("page") or ()
            if (link := safe_link(url)) is not None
        ],
        "opening_hours": list(contact.get("opening_hours") or ()),
        "inherited": contact.get("inherited", False),
        "unit": contact.get("unit"),
        "status": contact.get("status"),
        "source": contact.get("source"),
    }


def law_view(kg: Knowledge, law: Mapping[str, Any]) -> dict[str, Any]:
    """A law or provision with a link to retsinformation.dk where the data has its ELI.

    A provision without its own ELI links to the nearest law above it that has one; where
    none has, the page says so (Stafet invents no addresses).
    """
    eli, via = safe_link(law.get("eli")), None
    current = kg.laws.get(law["id"])
    while eli is None and current is not None and current.parent:
        current = kg.laws.get(current.parent)
        if current is not None and safe_link(current.eli):
            eli, via = current.eli, current.label
    return {**law, "href": resource_path(law.get("uri")), "retsinformation": eli, "via_law": via}


def roles_in_order(roles: Iterable[str]) -> list[str]:
    known = [role for role in ROLE_ORDER if role in roles]
    return known + sorted(set(roles) - set(known))


def graph_context(network: Any, **extra: Any) -> dict[str, Any]:
    """What a template needs to draw a network: the escaped data and the legend."""
    data = network_data(network, **extra)
    return {
        "json": script_json(data),
        "legend": network_legend(network),
        "nodes": len(data["nodes"]),
        "edges": len(data["edges"]),
    }
